import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { buildApp } from "../src/http/app.js";

/**
 * The one browser setup of the page's tests and screenshots: the system's
 * Chromium (Debian's, never a downloaded one) driven by playwright-core,
 * headless, with a fresh profile and its background connections off (they
 * fail noisily on a machine without network), against the real service on a
 * free port.
 */
export const CHROMIUM = "/usr/bin/chromium";

export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
] as const;

/** Why the browser cannot run here, or null when it can. */
export function browserUnavailable(): string | null {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (install it with: apt-get install -y chromium)`;
  if (!existsSync(join(import.meta.dirname, "..", "dist", "web", "index.html"))) return "the page is not built (run: npm run build)";
  return null;
}

export interface PageSession {
  /** Base URL of the service, e.g. http://127.0.0.1:41234 */
  readonly base: string;
  readonly browser: BrowserContext;
  close(): Promise<void>;
}

/** Starts the service (its own worker pool) and Chromium with a fresh profile. */
export async function openSession(): Promise<PageSession> {
  // The scenario library of the session's own, removed with it.
  const libraryDir = mkdtempSync(join(tmpdir(), "jointplan-page-library-"));
  const app = buildApp({ poolSize: 1, library: { dataDir: libraryDir } });
  app.addHook("onClose", (_instance, done) => {
    rmSync(libraryDir, { recursive: true, force: true });
    done();
  });
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  const profile = mkdtempSync(join(tmpdir(), "jointplan-chromium-"));
  let browser: BrowserContext;
  try {
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: [...chromiumArgs],
      viewport: { width: 1280, height: 900 },
      locale: "en-US",
      timezoneId: "UTC",
      acceptDownloads: true,
    });
  } catch (error) {
    await app.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  return {
    base,
    browser,
    async close() {
      await browser.close();
      await app.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A point of the page where an SVG path is drawn and on top (not covered by
 * another shape), scrolled into view: where a pointer hovers or taps it. The
 * point `along` the path's length first (its middle by default), then points
 * ever further from it.
 */
export async function pointOnPath(page: Page, selector: string, along = 0.5): Promise<{ x: number; y: number }> {
  await page.locator(selector).scrollIntoViewIfNeeded();
  const point = await page.$eval(
    selector,
    (element, start) => {
      // An SVG path in the page: its geometry typed here, as this file is compiled without the DOM's own types.
      const path = element as unknown as PathGeometry;
      const matrix = path.getScreenCTM();
      const length = path.getTotalLength();
      for (let away = 0; away < 1; away += 0.025) {
        for (const at of [start + away, start - away]) {
          if (at < 0 || at > 1) continue;
          const local = path.getPointAtLength(length * at);
          const x = (matrix?.a ?? 1) * local.x + (matrix?.e ?? 0);
          const y = (matrix?.d ?? 1) * local.y + (matrix?.f ?? 0);
          if (path.ownerDocument.elementFromPoint(x, y) === path) return { x, y };
        }
      }
      return null;
    },
    along,
  );
  if (point === null) throw new Error(`${selector} is covered by other shapes everywhere`);
  return point;
}

/** The little of an SVG path in the page that pointOnPath reads (this file is compiled without the DOM's types). */
interface PathGeometry {
  getScreenCTM(): { a: number; d: number; e: number; f: number } | null;
  getTotalLength(): number;
  getPointAtLength(length: number): { x: number; y: number };
  readonly ownerDocument: { elementFromPoint(x: number, y: number): unknown };
}
