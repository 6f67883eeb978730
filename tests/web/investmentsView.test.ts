import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { decisionLines, DECISIONS_TITLE, formatMoney, gapLine, Words } from "../../src/explain/words.js";
import { applyChanges, loadBundledScenario, parseScenario, plan, type Change, type Plan } from "../../src/index.js";
import { browserSkip, count, pageSuite, shown, texts } from "./pageSession.js";

/**
 * Investments on the planner's page, in Chromium against the real service:
 * kz-uz-cluster-2020-2030's timeline of what is built when, its net present
 * value and money by period, what each decision is worth in the CLI's
 * sentences, an investment lever re-planning as the library does, and the
 * same view at 390 px without sideways scrolling. A plan with investments and
 * its explanation take the service tens of seconds here, so the waits are long.
 */

const unavailable = browserSkip("tests/web/investmentsView.test.ts");

const CLUSTER = "/?scenario=kz-uz-cluster-2020-2030";
const cluster = parseScenario(loadBundledScenario("kz-uz-cluster-2020-2030"));
const SOLVE_MS = 120_000;
const usd = (value: number | null | undefined) => `${formatMoney(value ?? Number.NaN)} USD`;

/** The plan the page shows, as its "Download plan (JSON)" gives it. */
async function shownPlan(page: Page): Promise<Plan> {
  const [json] = await Promise.all([page.waitForEvent("download"), page.click("#download-json")]);
  return JSON.parse(readFileSync(await json.path(), "utf8")) as Plan;
}

/** Each timeline row's investment, its badge and its cells' kinds, as drawn. */
async function timeline(page: Page): Promise<{ id: string; badge: string; cells: string[]; label: string }[]> {
  return page.$$eval("#investments li.timeline-row", (rows) =>
    rows.map((row) => ({
      id: row.getAttribute("data-investment") ?? "",
      badge: row.querySelector(".timeline-name .badge")?.textContent.trim() ?? "",
      cells: [...row.querySelectorAll(".timeline-strip .cell")].map((cell) => cell.className.replace("cell ", "")),
      label: row.querySelector(".timeline-strip")?.getAttribute("aria-label") ?? "",
    })),
  );
}

/** What the timeline must show for a plan: built in its period, running after, nothing before. */
function expectTimelineOf(rows: Awaited<ReturnType<typeof timeline>>, shown: Plan): void {
  const periods = cluster.periods;
  expect(rows.map((row) => row.id)).toEqual(["andijan_expansion", "almaty_cluster", "tashkent_cluster", "tashkent_agri_expansion", "kz_agri_cluster"]);
  for (const row of rows) {
    const decision = shown.investments?.find((entry) => entry.id === row.id);
    expect(decision, row.id).toBeDefined();
    expect(row.cells).toHaveLength(periods.length);
    if (decision?.built === true && decision.period !== null) {
      const at = periods.indexOf(decision.period);
      expect(row.badge, row.id).toBe(`built ${decision.period}`);
      expect(row.cells[at], row.id).toBe("built");
      expect(
        row.cells.slice(at + 1).every((cell) => cell === "running"),
        row.id,
      ).toBe(true);
      expect(
        row.cells.slice(0, at).some((cell) => cell === "built" || cell === "running"),
        row.id,
      ).toBe(false);
    } else {
      expect(row.badge, row.id).toBe("not built");
      expect(
        row.cells.some((cell) => cell === "built" || cell === "running"),
        row.id,
      ).toBe(false);
    }
  }
}

describe.skipIf(unavailable !== null)(`investments on the planner's page in Chromium${unavailable === null ? "" : ` — NOT RUN: ${unavailable}`}`, () => {
  const { open } = pageSuite();

  it(
    "shows kz-uz-cluster-2020-2030's timeline, net present value, money by period and what each decision is worth, as the library and the CLI's words give them",
    async () => {
      const { page, trouble } = await open(CLUSTER, 1280, SOLVE_MS);
      const shownByPage = await shownPlan(page);
      expect(shownByPage.status).toBe("optimal");

      // The plan is the library's: the same decisions, and the objective within the MIP's default gap.
      const library = plan(cluster);
      expect(shownByPage.investments?.map(({ id, built, period }) => ({ id, built, period }))).toEqual(
        library.investments?.map(({ id, built, period }) => ({ id, built, period })),
      );
      expect(Math.abs((shownByPage.objective ?? 0) - (library.objective ?? 0))).toBeLessThanOrEqual(1e-4 * Math.abs(library.objective ?? 0));

      // The timeline: a row per candidate in its group, built and running where the plan says.
      expect(await texts(page, "#investments .timeline-group h3")).toEqual(["Car cluster: at most one of 3", "Agri cluster: at most one of 2"]);
      expectTimelineOf(await timeline(page), shownByPage);
      const andijan = (await timeline(page)).find((row) => row.id === "andijan_expansion");
      expect(andijan?.cells[0]).toBe("outside"); // its window starts in 2021
      expect(andijan?.label).toMatch(/^Andijan car-and-parts expansion: may be built 2021–2030; /);

      // The net present value: the headline card and the money section, and the periods add up to it.
      expect(await page.textContent("#figure-objective dt")).toBe("Net present value of the margin");
      expect(await page.textContent("#figure-objective .value")).toBe(usd(shownByPage.objective));
      expect(await page.textContent("#money-npv")).toBe(`Net present value of the margin: ${usd(shownByPage.objective)} at a discount rate of 8.0%.`);
      const moneyRows = await page.$$eval("#money tbody tr", (trs) => trs.map((tr) => tr.firstElementChild?.textContent.trim() ?? ""));
      expect(moneyRows).toEqual(cluster.periods);
      const presentValues = await page.$$eval("#money tbody tr td:last-child", (cells) => cells.map((cell) => cell.textContent.trim()));
      expect(presentValues).toEqual(shownByPage.periods?.map((row) => formatMoney(row.present_value)));
      expect(await page.locator("#money figure.chart svg").count()).toBeGreaterThan(0);

      // What each decision is worth: the CLI's heading and sentences, from the same words module.
      const unit = shownByPage.sensitivity?.objective_unit ?? "USD";
      const lines = decisionLines(new Words(cluster), shownByPage.sensitivity?.decisions ?? [], unit);
      expect(lines).toHaveLength(5);
      expect(await page.textContent("#decisions h3")).toBe(DECISIONS_TITLE);
      expect(await texts(page, "#decisions li")).toEqual(lines);
      const gap = gapLine(shownByPage);
      expect(await page.textContent("#investments-optimality")).toContain(gap ?? "it is proven optimal");

      expect(trouble).toEqual({ console: [], failed: [] });
      await page.close();
    },
    4 * SOLVE_MS,
  );

  it(
    "an investment lever forbids a build, and the page re-plans as plan(applyChanges(…)) does; the same view fits 390 px",
    async () => {
      const { page, trouble } = await open(CLUSTER, 1280, SOLVE_MS);
      const before = await count(page);
      const decision = page.getByLabel("Andijan car-and-parts expansion", { exact: true });
      expect(await decision.inputValue()).toBe("");
      await decision.selectOption("0");
      await shown(page, before, SOLVE_MS);
      expect(new URL(page.url()).search).toBe("?scenario=kz-uz-cluster-2020-2030&investment.built.andijan_expansion=0");
      expect(await page.textContent("#levers-applied")).toContain("Andijan car-and-parts expansion never built");

      const forbid: Change = { on: "investment", id: "andijan_expansion", field: "built", set: 0 };
      const library = plan(applyChanges(cluster, [forbid]));
      const shownByPage = await shownPlan(page);
      expect(shownByPage.investments?.find((row) => row.id === "andijan_expansion")?.built).toBe(false);
      expect(shownByPage.investments?.map(({ id, built, period }) => ({ id, built, period }))).toEqual(
        library.investments?.map(({ id, built, period }) => ({ id, built, period })),
      );
      expect(Math.abs((shownByPage.objective ?? 0) - (library.objective ?? 0))).toBeLessThanOrEqual(1e-4 * Math.abs(library.objective ?? 0));
      expectTimelineOf(await timeline(page), shownByPage);
      expect((await timeline(page)).find((row) => row.id === "andijan_expansion")?.badge).toBe("not built");
      expect(await page.textContent("#figure-objective .value")).toBe(usd(shownByPage.objective));

      // At 390 px: no sideways scrolling, every timeline strip and the money chart within the screen.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(500); // the charts redraw in the frame after they know their new width
      const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      const rights = await page.$$eval("#investments .timeline-strip, #investments .timeline-axis, #money svg", (elements) =>
        elements.map((element) => element.getBoundingClientRect().right),
      );
      expect(rights.length).toBeGreaterThan(5);
      for (const right of rights) expect(right).toBeLessThanOrEqual(390);
      expect(trouble).toEqual({ console: [], failed: [] });
      await page.close();
    },
    4 * SOLVE_MS,
  );
});
