import { describe, expect, it } from "vitest";
import { formatMoney, formatUnits, Words } from "../../src/explain/words.js";
import { applyChanges, compare, isValidationError, loadBundledScenario, parseScenario, plan, sweep, type Change } from "../../src/index.js";
import { formatSlope, signed } from "../../src/whatif/words.js";
import { besidesRefusal, browserSkip, count, pageSuite, shown, tableRows, texts } from "./pageSession.js";

/**
 * The page's what-ifs in Chromium against the real service: the levers
 * re-plan the changed scenario, the comparison and the sweep show what the
 * library's compare() and sweep() answer for the same changes.
 */

const unavailable = browserSkip("tests/web/whatif.test.ts");

const document = loadBundledScenario("kz-uz-2020");
const scenario = parseScenario(document);
const words = new Words(scenario);
const goal = (set: number): Change => ({ on: "target", id: "joint_goal", field: "min", set });
/** The Andijan capacity lever at `scale`: every resource of the plant scaled. */
const andijan = (scale: number): Change[] =>
  Object.keys(scenario.plants.find((plant) => plant.id === "andijan")?.resources ?? {}).map((resource) => ({
    on: "capacity",
    plant: "andijan",
    resource,
    scale,
  }));
const usd = (value: number | null) => `${formatMoney(value ?? Number.NaN)} USD`;

describe.skipIf(unavailable !== null)(`the page's levers, comparison and sweep in Chromium${unavailable === null ? "" : ` — NOT RUN: ${unavailable}`}`, () => {
  const { open } = pageSuite();

  it("moving a lever re-plans the changed scenario, as plan(applyChanges(…)) plans it; the levers stay in the link", async () => {
    const { page, trouble } = await open("/");
    let seen = await count(page);
    await page.getByLabel("Joint goal, at least (units)").fill("6500");
    await page.press("#lever-0", "Enter");
    seen = await shown(page, seen);
    expect(new URL(page.url()).search).toBe("?target.joint_goal=6500");
    const lower = plan(applyChanges(document, [goal(6500)]));
    expect(await page.textContent("#figure-objective .value")).toBe(usd(lower.objective));
    expect(await page.textContent("#figure-units .detail")).toBe("joint goal: 6,500 units · met");
    expect(await page.textContent("#levers-applied")).toContain("joint goal at least 6,500 units");

    // The Andijan capacity slider, by keyboard: ten steps right is 110%.
    await page.focus("#lever-5");
    expect(await page.getAttribute("#lever-5", "name")).toBe("capacity.andijan");
    for (let step = 0; step < 10; step++) await page.keyboard.press("ArrowRight");
    seen = await shown(page, seen);
    expect(new URL(page.url()).search).toBe("?target.joint_goal=6500&capacity.andijan=1.1");
    const both = plan(applyChanges(document, [goal(6500), ...andijan(1.1)]));
    expect(await page.textContent("#figure-objective .value")).toBe(usd(both.objective));
    const capacity = await tableRows(page, "#capacity table");
    for (const row of both.capacity.filter((entry) => entry.plant === "andijan")) {
      const label = `Andijan · ${row.resource.replaceAll("_", " ")}`;
      expect(capacity.get(label)?.[1], label).toBe(formatUnits(row.available));
    }
    expect(await page.textContent("#production tfoot")).toContain(formatUnits(both.production.reduce((sum, row) => sum + row.units, 0)));

    // Back: the lever where it was, the plan as it was.
    await page.goBack();
    await shown(page, seen);
    expect(await page.inputValue("#lever-5")).toBe("100");
    expect(await page.textContent("#figure-objective .value")).toBe(usd(lower.objective));
    expect(trouble).toEqual({ console: [], failed: [] });
    await page.close();
  });

  it("a lever the scenario has nothing for, or a parameter the page does not know, is named and not used", async () => {
    const { page, trouble } = await open("/?capacity.atlantis=2&colour=blue");
    expect(await page.textContent("#notes")).toBe(
      'Not understood, so not used: colour=blue (unknown parameter); capacity.atlantis (the scenario has no plant "atlantis" with resources).',
    );
    expect(await page.textContent("#figure-objective .value")).toBe(usd(plan(document).objective));
    expect(trouble).toEqual({ console: [], failed: [] });
    await page.close();
  });

  it("a lever value the service refuses: its words next to that lever, and no plan", async () => {
    const { page, trouble } = await open("/");
    const seen = await count(page);
    await page.getByLabel("Export share, at least (%)").fill("150");
    await page.press("#lever-1", "Enter");
    await shown(page, seen);
    expect(new URL(page.url()).search).toBe("?target.export_share=1.5");
    let expected = "";
    try {
      applyChanges(document, [{ on: "target", id: "export_share", field: "min", set: 1.5 }], { path: ["changes"] });
    } catch (error) {
      if (isValidationError(error)) expected = error.issues.map((issue) => issue.message).join("");
    }
    expect(expected).toMatch(/share must lie in \[0, 1\]/);
    expect(await texts(page, "#lever-1-error li")).toEqual([expected]);
    expect(await page.isVisible("#lever-1-error")).toBe(true);
    expect(await page.isHidden("#general-error")).toBe(true);
    expect(await page.textContent("#view-refused")).toContain("next to the lever");
    expect(await page.locator("#figure-objective").count()).toBe(0);
    expect(besidesRefusal(trouble)).toEqual({ console: [], failed: ["422 /v1/plans"] });
    await page.close();
  });

  it("keeps a baseline, then compares a moved lever with it: the differences are the library's compare()", async () => {
    const { page, trouble } = await open("/");
    let seen = await count(page);
    await page.click("#keep-baseline");
    seen = await shown(page, seen);
    expect(new URL(page.url()).search).toBe("?view=compare");
    expect(await page.textContent("#compare-nothing")).toContain("Move a lever");

    await page.focus("#lever-5");
    for (let step = 0; step < 10; step++) await page.keyboard.press("ArrowRight");
    seen = await shown(page, seen);
    expect(new URL(page.url()).search).toBe("?view=compare&capacity.andijan=1.1");
    const [variant] = (await compare(document, [{ name: "Andijan +10%", changes: andijan(1.1) }])).variants;
    if (variant === undefined) throw new Error("compare() returned no variant");
    const { delta } = variant;
    expect(await page.textContent("#compare-kept")).toContain("The scenario as it is");
    expect(await page.textContent("#compare-variant")).toContain("Andijan capacity at 110%");
    expect(await page.textContent("#compare-objective .value")).toBe(`${signed(delta.objective ?? Number.NaN, formatMoney)} USD`);
    const changes = await tableRows(page, "#compare-production table");
    for (const row of delta.production) {
      const label = `${words.product(row.product).replace(/^./, (first) => first.toUpperCase())} · ${words.plant(row.plant)}`;
      expect(changes.get(label)?.[2], label).toBe(signed(row.change ?? Number.NaN, formatUnits));
    }
    const name = (ref: (typeof delta.binding.became)[number]) => {
      const text = words.bindingName(ref);
      return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
    };
    expect(await texts(page, "#compare-became li")).toEqual(delta.binding.became.map(name));
    expect(await texts(page, "#compare-released li")).toEqual(delta.binding.released.map(name));
    expect(await page.locator("#compare-plants figure svg").count()).toBeGreaterThan(0);
    expect(await page.locator("#compare-production figure svg").count()).toBeGreaterThan(0);

    // Keep this variant, move another lever: the differences are against the kept levers, as compare() of the kept scenario says.
    await page.click("#keep-baseline");
    seen = await shown(page, seen);
    expect(new URL(page.url()).search).toBe("?view=compare&capacity.andijan=1.1&base.capacity.andijan=1.1");
    await page.fill("#lever-0", "6800");
    await page.press("#lever-0", "Enter");
    await shown(page, seen);
    const [lowerGoal] = (await compare(applyChanges(document, andijan(1.1)), [{ name: "goal 6,800", changes: [goal(6800)] }])).variants;
    if (lowerGoal === undefined) throw new Error("compare() returned no variant");
    expect(await page.textContent("#compare-kept")).toContain("Andijan capacity at 110%");
    expect(await page.textContent("#compare-variant")).toBe("Joint goal at least 6,800 units; Andijan capacity at 110% — optimal.");
    expect(await page.textContent("#compare-objective .value")).toBe(`${signed(lowerGoal.delta.objective ?? Number.NaN, formatMoney)} USD`);
    expect(await texts(page, "#compare-became li")).toEqual(lowerGoal.delta.binding.became.map(name));
    expect(await texts(page, "#compare-released li")).toEqual(lowerGoal.delta.binding.released.map(name));
    const targets = await tableRows(page, "#compare-targets table");
    const goalRow = lowerGoal.delta.targets.find((row) => row.id === "joint_goal");
    expect(targets.get("joint goal")).toEqual([formatUnits(goalRow?.baseline ?? Number.NaN), formatUnits(goalRow?.variant ?? Number.NaN), "met"]);
    expect(trouble).toEqual({ console: [], failed: [] });
    await page.close();
  });

  it("sweeps the joint goal exactly: every breakpoint, each segment's slope and ends as the library's sweep()", async () => {
    const { page, trouble } = await open("/?view=sweep");
    const seen = await count(page);
    expect(await page.inputValue("#sweep-parameter")).toBe(JSON.stringify({ on: "target", id: "joint_goal", field: "min" }));
    expect(await page.inputValue("#sweep-mode")).toBe("exact");
    await page.fill("#sweep-from", "6000");
    await page.fill("#sweep-to", "7450");
    await page.click("#sweep-run");
    await shown(page, seen);
    expect(new URL(page.url()).search).toBe("?view=sweep&sweep.on=target&sweep.id=joint_goal&sweep.field=min&sweep.from=6000&sweep.to=7450&sweep.mode=exact");
    const expected = await sweep(document, { parameter: { on: "target", id: "joint_goal", field: "min" }, from: 6000, to: 7450, mode: "exact" });
    const segments = expected.segments ?? [];
    expect(segments.length).toBeGreaterThan(5);
    expect(await page.textContent("#sweep-summary")).toContain(`Exact: ${segments.length} segments, ${segments.length - 1} breakpoints`);
    const rows = await page.$$eval("#sweep-result tbody tr", (trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent.trim())));
    expect(rows.map((cells) => cells.slice(1, 6))).toEqual(
      segments.map((segment) => [
        formatUnits(segment.from),
        formatUnits(segment.to),
        formatMoney(segment.objective_from),
        formatMoney(segment.objective_to),
        formatSlope(segment.slope),
      ]),
    );
    // The curve: one line through the segments' ends, a dashed rule at each breakpoint.
    expect(await page.locator("#sweep-result figure svg").count()).toBe(1);
    expect(await page.locator('#sweep-result figure svg g[stroke-dasharray="4,3"] line').count()).toBe(segments.length - 1);
    expect(trouble).toEqual({ console: [], failed: [] });
    await page.close();
  });

  it("sweeps the scenario as the levers have it: a link with a moved lever and a sweep gives the library's sweep of the changed scenario", async () => {
    const sweepLink = "sweep.on=target&sweep.id=joint_goal&sweep.field=min&sweep.from=6000&sweep.to=7600&sweep.mode=exact";
    const { page, trouble } = await open(`/?view=sweep&capacity.andijan=1.1&${sweepLink}`);
    await shown(page, 0);
    const expected = await sweep(applyChanges(document, andijan(1.1)), {
      parameter: { on: "target", id: "joint_goal", field: "min" },
      from: 6000,
      to: 7600,
      mode: "exact",
    });
    const segments = expected.segments ?? [];
    const unchanged = await sweep(document, { parameter: { on: "target", id: "joint_goal", field: "min" }, from: 6000, to: 7600, mode: "exact" });
    expect(expected.feasible_range?.to).toBeGreaterThan(unchanged.feasible_range?.to ?? Infinity); // more Andijan hours reach a larger goal
    expect(await page.textContent("#sweep-summary")).toContain(`Exact: ${segments.length} segments`);
    const rows = await page.$$eval("#sweep-result tbody tr", (trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent.trim())));
    expect(rows.map((cells) => cells[5])).toEqual(segments.map((segment) => formatSlope(segment.slope)));
    expect(trouble).toEqual({ console: [], failed: [] });
    await page.close();
  });

  it("a price sweeps on a grid (exact does not apply), and a grid beyond the service's limit shows its words at the field", async () => {
    const { page, trouble } = await open("/?view=sweep");
    let seen = await count(page);
    const price = JSON.stringify({ on: "demand", market: "KZ", product: "hatchback", field: "price" });
    await page.selectOption("#sweep-parameter", price);
    expect(await page.inputValue("#sweep-mode")).toBe("grid");
    expect(await page.isDisabled("#sweep-mode option[value=exact]")).toBe(true);
    await page.fill("#sweep-steps", "5");
    await page.click("#sweep-run");
    seen = await shown(page, seen);
    expect(await page.textContent("#sweep-summary")).toContain("Grid: 5 values");
    expect(await page.locator("#sweep-result tbody tr").count()).toBe(5);

    await page.fill("#sweep-steps", "500");
    await page.click("#sweep-run");
    await shown(page, seen);
    expect(new URL(page.url()).searchParams.get("sweep.steps")).toBe("500");
    expect(await page.textContent("#sweep-steps-error")).toMatch(/at most 201 .*POST \/v1\/jobs/);
    expect(await page.isHidden("#general-error")).toBe(true);
    expect(besidesRefusal(trouble)).toEqual({ console: [], failed: ["422 /v1/sweeps"] });
    await page.close();
  });
});
