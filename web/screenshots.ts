import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { browserUnavailable, openSession, pointOnPath } from "./browser.js";

/**
 * `npm run screenshots`: the planner's page as docs/img/*.png, taken by the
 * tests' browser setup (web/browser.ts) against the real service. Fails on a
 * console error or a failed request, so a picture never hides one.
 */
const out = join(import.meta.dirname, "..", "docs", "img");

interface Shot {
  readonly file: string;
  readonly path: string;
  readonly width: number;
  readonly height: number;
  /** Only the top of the page, in CSS pixels (a phone page is long); with `from`, from that element's top. */
  readonly clipHeight?: number;
  /** The picture starts at this element (a section further down the page). */
  readonly from?: string;
  /** An SVG path the pointer rests on (at this fraction of its length), so that the picture shows what hovering it shows. */
  readonly hover?: { readonly path: string; readonly along: number };
  /** The one request the picture shows refused (status and path), whose 422 the browser also logs. */
  readonly refused?: string;
  /** A button pressed once the page has shown its state, and the element its answer brings, waited for (a job run from a form). */
  readonly press?: { readonly button: string; readonly answer: string };
}

const shots: readonly Shot[] = [
  { file: "page-desktop.png", path: "/", width: 1280, height: 900 },
  { file: "page-phone.png", path: "/", width: 390, height: 844, clipHeight: 3400 },
  { file: "page-infeasible.png", path: "/?scenario=kz-uz-parts-shortage", width: 1280, height: 900 },
  { file: "page-lever-error.png", path: "/?target.export_share=1.5", width: 1280, height: 900, clipHeight: 880, refused: "422 /v1/plans" },
  { file: "page-compare.png", path: "/?view=compare&target.joint_goal=6800&capacity.andijan=1.1", width: 1280, height: 900 },
  {
    file: "page-sweep.png",
    path: "/?view=sweep&sweep.on=target&sweep.id=joint_goal&sweep.field=min&sweep.from=5000&sweep.to=8000",
    width: 1280,
    height: 900,
    clipHeight: 1700,
  },
  {
    file: "page-network-desktop.png",
    path: "/?scenario=kz-uz-joint-2020",
    width: 1280,
    height: 900,
    from: "#network",
    clipHeight: 1175,
    hover: { path: 'svg.network path.flow[aria-label^="Andijan kit line → Kostanay:"]', along: 0.3 },
  },
  {
    file: "page-network-phone.png",
    path: "/?scenario=kz-uz-joint-2020",
    width: 390,
    height: 844,
    from: "#network",
    clipHeight: 1130,
  },
  { file: "page-investments-desktop.png", path: "/?scenario=kz-uz-cluster-2020-2030", width: 1280, height: 900, from: "#investments", clipHeight: 1820 },
  { file: "page-investments-phone.png", path: "/?scenario=kz-uz-cluster-2020-2030", width: 390, height: 844, from: "#investments", clipHeight: 2750 },
  {
    file: "page-stochastic-desktop.png",
    path: "/?scenario=kz-uz-2019-2025&view=stochastic",
    width: 1280,
    height: 900,
    press: { button: "#stochastic-run", answer: "#stochastic-result" },
    from: "#main",
    clipHeight: 1900,
  },
  {
    file: "page-stochastic-phone.png",
    path: "/?scenario=kz-uz-2019-2025&view=stochastic",
    width: 390,
    height: 844,
    press: { button: "#stochastic-run", answer: "#stochastic-result" },
    from: "#stochastic-result",
    clipHeight: 1600,
  },
];

const unavailable = browserUnavailable();
if (unavailable !== null) {
  console.error(`npm run screenshots: cannot run: ${unavailable}`);
  process.exit(1);
}

mkdirSync(out, { recursive: true });
const session = await openSession();
try {
  // `npm run screenshots -- page-investments` takes only the pictures whose file names start so.
  const only = process.argv.slice(2);
  for (const shot of shots.filter((candidate) => only.length === 0 || only.some((prefix) => candidate.file.startsWith(prefix)))) {
    const page = await session.browser.newPage();
    const trouble = watch(page, shot.refused);
    await page.setViewportSize({ width: shot.width, height: shot.height });
    await page.goto(`${session.base}${shot.path}`);
    // The page marks each state it has shown on <html data-shown> (a selector: the page's content security policy forbids evaluating strings).
    // A plan with investments and its explanation take the service up to its 60 s most.
    await page.waitForSelector("html[data-shown]", { state: "attached", timeout: 120_000 });
    if (shot.press !== undefined) {
      await page.click(shot.press.button);
      await page.waitForSelector(shot.press.answer, { timeout: 120_000 });
    }
    await page.waitForTimeout(300); // the charts draw in the frame after they know their width
    if (shot.hover !== undefined) {
      const point = await pointOnPath(page, shot.hover.path, shot.hover.along);
      await page.mouse.move(point.x, point.y);
    }
    if (trouble.length > 0) throw new Error(`${shot.path} at ${shot.width} px: ${trouble.join("; ")}`);
    const file = join(out, shot.file);
    // Page coordinates of the element the picture starts at (the page may have scrolled to hover).
    const top =
      shot.from === undefined
        ? 0
        : await page.$eval(
            shot.from,
            (element: { getBoundingClientRect(): { top: number }; ownerDocument: { defaultView: { scrollY: number } | null } }) =>
              element.getBoundingClientRect().top + (element.ownerDocument.defaultView?.scrollY ?? 0) - 8,
          );
    await page.screenshot({
      path: file,
      fullPage: true,
      ...(shot.clipHeight === undefined ? {} : { clip: { x: 0, y: top, width: shot.width, height: shot.clipHeight } }),
    });
    console.log(`wrote ${file}`);
    await page.close();
  }
} finally {
  await session.close();
}

function watch(page: Page, refused: string | undefined): string[] {
  const trouble: string[] = [];
  page.on("console", (message) => {
    const expected = refused !== undefined && message.text().includes(`the server responded with a status of ${refused.split(" ")[0] ?? ""}`);
    if ((message.type() === "error" || message.type() === "warning") && !expected) trouble.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => trouble.push(`uncaught: ${error.message}`));
  page.on("response", (response) => {
    const seen = `${response.status()} ${new URL(response.url()).pathname}`;
    if (response.status() >= 400 && seen !== refused) trouble.push(`${response.status()} ${response.url()}`);
  });
  return trouble;
}
