import { describe, expect, it } from "vitest";
import { isValidationError, sweep, type SweepResult } from "../../src/index.js";
import { minimalScenario, type Json } from "../support/builders.js";
import { closeTo } from "../support/matchers.js";

/**
 * Sweeps of small scenarios whose optimal objective, as a function of the
 * swept value, is worked out by hand in the comment above each.
 */

/*
 * One plant, 100 hours, one market. Margin per unit and per hour:
 *   a: 2 h, price 30 → 15 per hour, demand at most 40
 *   b: 1 h, price 10 → 10 per hour, demand at most 50
 *   c: 1 h, price 4  →  4 per hour, demand at most 100
 * Unconstrained: a = 40 (80 h), b = 20 (20 h): 60 units, margin 1,400.
 * A goal of θ > 60 units swaps a for b — one a less frees 2 h for two b, one
 * unit more for −30 + 20 = −10 — until b = 50 at θ = 75 (margin 1,250); then
 * a for c, −30 + 8 = −22 per unit, until a = 0 at θ = 100 (margin 700).
 * Beyond 100 units no plan: every unit takes at least an hour.
 *   f(θ) = 1,400 (θ ≤ 60); 1,400 − 10(θ − 60) on [60, 75]; 1,250 − 22(θ − 75) on [75, 100].
 */
const threeProducts = (extra: Json = {}): Json =>
  minimalScenario({
    products: [
      { id: "a", family: "car" },
      { id: "b", family: "car" },
      { id: "c", family: "car" },
    ],
    routes: [
      { plant: "p", product: "a", uses: { hours: 2 } },
      { plant: "p", product: "b", uses: { hours: 1 } },
      { plant: "p", product: "c", uses: { hours: 1 } },
    ],
    demand: [
      { market: "m", product: "a", price: 30, max: 40 },
      { market: "m", product: "b", price: 10, max: 50 },
      { market: "m", product: "c", price: 4, max: 100 },
    ],
    ...extra,
  });

const withGoal = threeProducts({ targets: [{ id: "goal", kind: "units", min: 70 }] });

function expectSegments(result: SweepResult, expected: [from: number, to: number, slope: number, objectiveFrom: number][]) {
  expect(result.segments?.map((s) => [s.from, s.to, s.slope, s.objective_from])).toEqual(
    expected.map(([from, to, slope, objective]) => [closeTo(from, 6), closeTo(to, 6), closeTo(slope, 6), closeTo(objective, 6)]),
  );
}

describe("exact sweeps, worked by hand", () => {
  it("the cost curve of a units goal: flat while the goal is met anyway, then −10 and −22 per unit, no plan past 100", async () => {
    const result = await sweep(withGoal, { parameter: { on: "target", id: "goal", field: "min" }, from: 0, to: 120, mode: "exact" });
    expect(result.mode).toBe("exact");
    expect(result.feasible_range).toEqual({ from: 0, to: 100 });
    expectSegments(result, [
      [0, 60, 0, 1400],
      [60, 75, -10, 1400],
      [75, 100, -22, 1250],
    ]);
    // Ends and breakpoints, then the value past the feasible range.
    expect(result.points.map((p) => [p.value, p.status, p.objective, p.slope])).toEqual([
      [0, "optimal", expect.closeTo(1400, 6), expect.closeTo(0, 6)],
      [expect.closeTo(60, 9), "optimal", expect.closeTo(1400, 6), null],
      [expect.closeTo(75, 9), "optimal", expect.closeTo(1250, 6), null],
      [100, "optimal", expect.closeTo(700, 6), expect.closeTo(-22, 6)],
      [120, "infeasible", null, null],
    ]);
    // 2 range LPs, 2 ends, 2·3 − 3 probes.
    expect(result.solves).toBe(7);
    // Up to 60 the hours and a's demand bind; then the goal takes a's place; from 75 on b's demand binds too.
    const binds = (s: number) =>
      (result.segments?.[s]?.binding.map((b) => (b.kind === "target" ? `goal ${b.bound}` : b.kind === "demand" ? `demand ${b.product}` : b.kind)) ?? []).sort();
    expect(binds(0)).toEqual(["capacity", "demand a"]);
    expect(binds(1)).toEqual(["capacity", "goal min"]);
    expect(binds(2)).toEqual(["capacity", "demand b", "goal min"]);
  });

  /*
   * The same plant without the goal, with a commitment to sell at least 10 b;
   * capacity H hours swept from 0 to 300. Below 10 hours the commitment
   * cannot be met. Hours go to the best margin per hour first:
   *   [10, 90]: b = 10, a = (H − 10)/2 → 100 + 15(H − 10), 1,300 at 90
   *   [90, 130]: b up to 50 → +10 per hour, 1,700 at 130
   *   [130, 230]: c up to 100 → +4 per hour, 2,100 at 230
   *   beyond 230 nothing more to sell: flat.
   */
  it("the value of capacity: 15, 10, 4 and 0 per hour, no plan below the 10 hours a commitment needs", async () => {
    const scenario = threeProducts({
      demand: [
        { market: "m", product: "a", price: 30, max: 40 },
        { market: "m", product: "b", price: 10, min: 10, max: 50 },
        { market: "m", product: "c", price: 4, max: 100 },
      ],
    });
    const result = await sweep(scenario, { parameter: { on: "capacity", plant: "p", resource: "hours" }, from: 0, to: 300, mode: "exact" });
    expect(result.feasible_range).toEqual({ from: 10, to: 300 });
    expectSegments(result, [
      [10, 90, 15, 100],
      [90, 130, 10, 1300],
      [130, 230, 4, 1700],
      [230, 300, 0, 2100],
    ]);
    expect(result.points[0]).toMatchObject({ value: 0, status: "infeasible", objective: null });
    expect(result.solves).toBeLessThanOrEqual(2 * 4 + 4);
  });

  /*
   * Minimizing cost: one product, 1 h, made at p (unit cost 2, 50 hours) or q
   * (unit cost 5, 100 hours); the market must take at least D units (swept).
   *   cost(D) = 2D on [0, 50]; 100 + 5(D − 50) on [50, 150]; no plan above 150.
   * The curve is convex: slopes 2, then 5.
   */
  it("a minimized cost is convex in a demand minimum", async () => {
    const scenario = minimalScenario({
      objective: "min_cost",
      plants: [
        { id: "p", resources: { hours: 50 } },
        { id: "q", resources: { hours: 100 } },
      ],
      routes: [
        { plant: "p", product: "q", uses: { hours: 1 }, unit_cost: 2 },
        { plant: "q", product: "q", uses: { hours: 1 }, unit_cost: 5 },
      ],
      demand: [{ market: "m", product: "q", price: 10, min: 20 }],
    });
    const result = await sweep(scenario, { parameter: { on: "demand", market: "m", field: "min" }, from: 0, to: 200, mode: "exact" });
    expect(result.feasible_range).toEqual({ from: 0, to: 150 });
    expectSegments(result, [
      [0, 50, 2, 0],
      [50, 150, 5, 100],
    ]);
    expect(result.points.at(-1)).toMatchObject({ value: 200, status: "infeasible" });
  });

  /*
   * Several periods moving together: two periods, 100 hours each, product x
   * (1 h, price 10, demand at most 80 a period). Capacity of both periods
   * set to H: margin 2·10·min(H, 80): slope 20 up to 80, then 0.
   * Only the first period (the other at 100): 800 + 10·min(H, 80).
   */
  it("a parameter over several periods moves them together; `periods` narrows it", async () => {
    const scenario = minimalScenario({
      periods: ["y1", "y2"],
      demand: [{ market: "m", product: "q", price: 10, max: 80 }],
    });
    const both = await sweep(scenario, { parameter: { on: "capacity", plant: "p", resource: "hours" }, from: 0, to: 200, mode: "exact" });
    expectSegments(both, [
      [0, 80, 20, 0],
      [80, 200, 0, 1600],
    ]);
    const first = await sweep(scenario, { parameter: { on: "capacity", plant: "p", resource: "hours", periods: ["y1"] }, from: 0, to: 200, mode: "exact" });
    expectSegments(first, [
      [0, 80, 10, 800],
      [80, 200, 0, 1600],
    ]);
  });

  it("a value past which the LP is unbounded everywhere is reported as such, without segments", async () => {
    // No capacity is used and no demand limit: the margin grows without bound whatever the minimum.
    const scenario = minimalScenario({ routes: [{ plant: "p", product: "q", uses: {} }] });
    const result = await sweep(scenario, { parameter: { on: "demand", market: "m", field: "min" }, from: 0, to: 10, mode: "exact" });
    expect(result.segments).toEqual([]);
    expect(result.points.map((p) => p.status)).toEqual(["unbounded", "unbounded"]);
    expect(result.feasible_range).toEqual({ from: 0, to: 10 });
  });
});

describe("grid sweeps, worked by hand", () => {
  /*
   * One product, 1 h, capacity 100; sold at home (price 10) or abroad (price
   * 7), each market taking up to 100. Export share at least s: the plant
   * stays full and exports 100·s, so margin(s) = 1,000 − 300·s: slope −300
   * per unit of share (−3 per share point), from the share row's dual (−3)
   * times the units sold (100). (At s = 0 the share bound only just binds: a
   * breakpoint, where the slope is either side's, 0 or −300.)
   */
  const exportScenario = minimalScenario({
    markets: [{ id: "home" }, { id: "abroad", export: true }],
    demand: [
      { market: "home", product: "q", price: 10, max: 100 },
      { market: "abroad", product: "q", price: 7, max: 100 },
    ],
    targets: [{ id: "exports", kind: "export_share", min: 0.5 }],
  });

  it("an export share: the margin and its slope from the share row's dual at every value", async () => {
    const result = await sweep(exportScenario, { parameter: { on: "target", id: "exports", field: "min" }, values: [0.1, 0.25, 0.5, 0.9] }, { threads: 1 });
    expect(result.mode).toBe("grid");
    expect(result.points.map((p) => [p.value, p.objective, p.slope])).toEqual(
      [
        [0.1, 970],
        [0.25, 925],
        [0.5, 850],
        [0.9, 730],
      ].map(([value = Number.NaN, objective = Number.NaN]) => [value, closeTo(objective, 6), closeTo(-300, 6)]),
    );
    expect(result.feasible_range).toEqual({ from: 0.1, to: 0.9 });
    expect(result.segments).toBeUndefined();
  });

  /*
   * The export price p swept, the share held at 1/2: 50 units home, 50 abroad
   * while home pays more (p < 10): margin 500 + 50p, slope 50 — the units
   * exported (envelope theorem). Above 10 exporting everything pays: 100p,
   * slope 100.
   */
  it("a price: the slope is the quantity it prices", async () => {
    const result = await sweep(exportScenario, { parameter: { on: "demand", market: "abroad", field: "price" }, from: 4, to: 14, steps: 6 }, { threads: 1 });
    expect(result.points.map((p) => [p.value, p.objective, p.slope])).toEqual(
      [
        [4, expect.closeTo(700, 6), expect.closeTo(50, 6)],
        [6, expect.closeTo(800, 6), expect.closeTo(50, 6)],
        [8, expect.closeTo(900, 6), expect.closeTo(50, 6)],
        [12, expect.closeTo(1200, 6), expect.closeTo(100, 6)],
        [14, expect.closeTo(1400, 6), expect.closeTo(100, 6)],
        [10, expect.closeTo(1000, 6), expect.any(Number)],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
  });

  it("whole units: points are solved as integer models; a bound's slope needs duals and is null, a price's is the quantity", async () => {
    const result = await sweep(withGoal, { parameter: { on: "target", id: "goal", field: "min" }, values: [61, 70] }, { integer: true, threads: 1 });
    expect(result.points.map((p) => [p.value, p.objective, p.slope])).toEqual([
      [61, expect.closeTo(1390, 6), null],
      [70, expect.closeTo(1300, 6), null],
    ]);
    const price = await sweep(withGoal, { parameter: { on: "demand", product: "c", field: "price" }, values: [4] }, { integer: true, threads: 1 });
    expect(price.points[0]?.slope).toBe(0);
  });

  it("a value beyond HiGHS' range is bad input at its place in the request, not a silent infinity", async () => {
    const error = await sweep(withGoal, { parameter: { on: "capacity", plant: "p", resource: "hours" }, values: [100, 1e25] }, { threads: 1 }).catch(
      (caught: unknown) => caught,
    );
    expect(isValidationError(error) && error.issues).toEqual([
      {
        path: "sweep.values[1]",
        message: "at 1e+25: plants[0].resources.hours: 1e+25 is beyond what HiGHS accepts (amounts, prices and costs must stay below 1e20)",
      },
    ]);
  });

  it("without duals (javascript-lp-solver) a bound's slope is null, says so, and what binds is what the plan sits at", async () => {
    const result = await sweep(
      withGoal,
      { parameter: { on: "target", id: "goal", field: "min" }, values: [70] },
      { backend: "javascript-lp-solver", threads: 1 },
    );
    expect(result.points[0]).toMatchObject({ status: "optimal", objective: closeTo(1300, 6), slope: null });
    expect(result.points[0]?.binding).toEqual(expect.arrayContaining([{ kind: "target", id: "goal", period: "base", bound: "min" }]));
    expect(result.notes.join(" ")).toMatch(/gives no duals/);
  });
});
