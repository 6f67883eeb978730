import { describe, expect, it } from "vitest";
import { loadBundledScenario, parseScenario } from "../../src/index.js";
import { browserSkip, pageSuite, shown, texts } from "./pageSession.js";

/**
 * The scenario library on the planner's page, in Chromium against the real
 * service (its library in a folder of the session's own): save what is shown
 * with a message, open a saved version by its link, the history, what changed
 * — and others' names and messages shown as text, never as markup.
 */

const unavailable = browserSkip("tests/web/library.test.ts");

describe.skipIf(unavailable !== null)(`the scenario library on the page in Chromium${unavailable === null ? "" : ` — NOT RUN: ${unavailable}`}`, () => {
  const { open, base } = pageSuite();
  const title = parseScenario(loadBundledScenario("kz-uz-2020")).title;
  const name = '<b id="bold">Ташкент</b> plan';
  const message = "<img src=x onerror=\"document.title='pwned'\">";

  it("saves the scenario shown with a message, opens it by its link, lists its history and what changed, all as text", async () => {
    const { page, trouble } = await open("/");
    await page.fill("#library-name", name);
    await page.fill("#library-message", message);
    let before = await shown(page, 0);
    await page.click("#library-save");
    before = await shown(page, before);
    expect(new URL(page.url()).searchParams.get("library")).toBe(`${name}@1`);
    expect(await page.textContent("h1")).toBe(title);
    await page.waitForSelector("#library-history li");
    expect(await texts(page, "#library-history .library-message")).toEqual([message]);
    // Text, not markup: no element was made of the name or the message.
    expect(await page.locator("#library #bold, #library img").count()).toBe(0);
    await page.waitForFunction(
      (expected) => [...document.querySelectorAll("#library-select option")].some((option) => option.textContent.startsWith(expected)),
      name,
    );

    // A second version, then what changed between them (the same scenario: nothing).
    await page.fill("#library-message", "second");
    await page.click("#library-save");
    await shown(page, before);
    expect(new URL(page.url()).searchParams.get("library")).toBe(`${name}@2`);
    await page.waitForSelector('#library-history li[data-version="1"]');
    expect(await texts(page, "#library-history .library-message")).toEqual(["second", message]);
    await page.click("#library-diff-button");
    await page.waitForSelector("#library-diff h3");
    expect(await page.textContent("#library-diff")).toContain("No differences.");

    // The link of version 1 opens it, and the plan of it shows.
    const link = await page.getAttribute('#library-history li[data-version="1"] a', "href");
    const again = await open(String(link));
    expect(await again.page.textContent("h1")).toBe(title);
    expect(await again.page.textContent("#figure-status .value")).toBe("Optimal");
    expect(await again.page.getAttribute('#library-history li[data-version="1"]', "aria-current")).toBe("true");
    expect(await page.title()).not.toBe("pwned");
    expect(trouble).toEqual({ console: [], failed: [] });
    expect(base()).toMatch(/^http:/);
  }, 120_000);
});
