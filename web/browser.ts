import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
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
  const app = buildApp({ poolSize: 1 });
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
