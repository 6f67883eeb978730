import type { Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { browserUnavailable, openSession, type PageSession } from "../../web/browser.js";

/**
 * What the page's browser tests share: the service and Chromium of a suite
 * (web/browser.ts), pages opened on it with what the browser reported
 * watched, and ways to wait for and read what the page shows.
 */

/** Why the browser tests cannot run here, said once on stderr and in the suite's name; null when they can. */
export function browserSkip(file: string): string | null {
  const unavailable = browserUnavailable();
  // Said on stderr and in the suite's name, so that a run without a browser never reads as a pass.
  if (unavailable !== null) process.stderr.write(`\n[${file}] NOT RUN — the planner's page tests need a browser: ${unavailable}.\n\n`);
  return unavailable;
}

/** What the browser reported while a page was open: console errors and warnings, uncaught errors, failed requests. */
export interface Trouble {
  readonly console: string[];
  readonly failed: string[];
}

export interface PageSuite {
  /** Base URL of the suite's service. */
  readonly base: () => string;
  /** Opens `path` at `width` px and waits (up to `timeoutMs`) until the page has shown its first state. */
  readonly open: (path: string, width?: number, timeoutMs?: number) => Promise<{ page: Page; trouble: Trouble }>;
}

/** Starts the service and Chromium before the suite's first test, and stops them after its last (call inside `describe`). */
export function pageSuite(): PageSuite {
  let session: PageSession | undefined;
  beforeAll(async () => {
    session = await openSession();
  }, 60_000);
  afterAll(async () => {
    await session?.close();
  });
  const opened = (): PageSession => {
    if (session === undefined) throw new Error("the page session did not open");
    return session;
  };
  return {
    base: () => opened().base,
    open: async (path, width = 1280, timeoutMs = 30_000) => {
      const page = await opened().browser.newPage();
      await page.setViewportSize({ width, height: 900 });
      const trouble: Trouble = { console: [], failed: [] };
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning") trouble.console.push(`${message.type()}: ${message.text()}`);
      });
      page.on("pageerror", (error) => trouble.console.push(`uncaught: ${error.message}`));
      page.on("response", (response) => {
        if (response.status() >= 400) trouble.failed.push(`${response.status()} ${new URL(response.url()).pathname}`);
      });
      page.on("requestfailed", (request) => trouble.failed.push(`failed ${request.url()}`));
      await page.goto(`${opened().base}${path}`);
      await shown(page, 0, timeoutMs);
      return { page, trouble };
    },
  };
}

/** Waits until the page has shown more states than `before` (it counts them on <html data-shown>); returns the count. */
export async function shown(page: Page, before: number, timeoutMs = 30_000): Promise<number> {
  await page.waitForFunction((count) => Number(document.documentElement.dataset["shown"] ?? 0) > count, before, { timeout: timeoutMs });
  return count(page);
}

/** How many states the page has shown. */
export async function count(page: Page): Promise<number> {
  return Number(await page.evaluate(() => document.documentElement.dataset["shown"] ?? 0));
}

/** The cells of a table's body rows, keyed by the row header. */
export async function tableRows(page: Page, selector: string): Promise<Map<string, string[]>> {
  const rows = await page.$$eval(`${selector} tbody tr`, (trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent.trim())));
  return new Map(rows.map((cells) => [cells[0] ?? "", cells.slice(1)]));
}

/** The text of each element matching `selector`, trimmed. */
export async function texts(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (elements) => elements.map((element) => element.textContent.trim()));
}

/** What the browser reported besides the line it logs itself for a refused (422) request: compare with the one refusal expected. */
export function besidesRefusal(trouble: Trouble): Trouble {
  return {
    console: trouble.console.filter((line) => !line.includes("Failed to load resource: the server responded with a status of 422")),
    failed: trouble.failed,
  };
}
