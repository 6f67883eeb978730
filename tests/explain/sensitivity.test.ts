import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeSensitivity } from "../../src/explain/sensitivity.js";
import { formulate, loadBundledScenario, parseScenario, plan, validateScenario, type Plan, type Scenario } from "../../src/index.js";
import { highsBackend } from "../../src/solvers/highs.js";
import { networkScenarioArbitrary, scenarioArbitrary } from "../arbitraries/scenario.js";
import { setBound, stripRef, type Ref } from "../support/boundEdits.js";
import { minimalScenario } from "../support/builders.js";
import { FACTORY_PLANNING_OPTIMUM, factoryPlanningScenario } from "../support/factoryPlanning.js";
import { solveReference } from "../support/referenceModel.js";
import { objectiveOf, present } from "../support/present.js";

/**
 * Shadow prices, ranges and reduced costs (`explain: true`), checked against
 * re-solving the edited scenario with the independent reference formulation
 * (tests/support/referenceModel.ts), never against src/explain itself.
 */
const runs = Number(process.env["PROPS_RUNS"] ?? 100);
type Bound = NonNullable<Plan["sensitivity"]>["bounds"][number];

/** Objective of the scenario with one bound moved; ∓∞ (the worst) when that is infeasible (a min moved above its max included). */
function objectiveWith(scenario: Scenario, ref: Ref, value: number): number {
  const worst = scenario.objective === "min_cost" ? Infinity : -Infinity;
  const edited = validateScenario(setBound(scenario, ref, value));
  if (!edited.ok) {
    if (edited.issues.every((issue) => issue.message.includes("is greater than max"))) return worst;
    throw new Error(JSON.stringify(edited.issues));
  }
  const result = solveReference(edited.scenario);
  if (result.status === "infeasible") return worst;
  if (result.status === "unbounded") return -worst;
  return objectiveOf(result);
}

const priced = (result: Plan, match: Partial<Bound>) =>
  present(
    (result.sensitivity?.bounds ?? []).find((bound) => Object.entries(match).every(([key, value]) => (bound as Record<string, unknown>)[key] === value)),
    `a bound matching ${JSON.stringify(match)}`,
  );

describe("shadow prices on hand-worked plans", () => {
  /*
   * 100 hours. a: 1 h, price 10, demand at most 60. b: 2 h, price 6 (3 per hour). c: 1 h, price 1.
   * Optimum a = 60, b = 20, c = 0: margin 600 + 120 = 720.
   * One more hour makes half a b: +3 per hour, until b is the only user (hours ≥ 60, no upper end).
   * One more a in demand takes 1 h from b: 10 − 3 = +7 per unit, for a demand max in [0, 100].
   * c would earn 1 for an hour worth 3: reduced cost −2.
   */
  const scenario = minimalScenario({
    products: ["a", "b", "c"].map((id) => ({ id, family: "car" })),
    routes: [
      { plant: "p", product: "a", uses: { hours: 1 } },
      { plant: "p", product: "b", uses: { hours: 2 } },
      { plant: "p", product: "c", uses: { hours: 1 } },
    ],
    demand: [
      { market: "m", product: "a", price: 10, max: 60 },
      { market: "m", product: "b", price: 6 },
      { market: "m", product: "c", price: 1 },
    ],
  });

  for (const backend of ["javascript-lp-solver", "highs"] as const) {
    it(`${backend}: prices the capacity, the demand bound and the unused route`, () => {
      const result = plan(scenario, { backend, explain: true });
      expect(result.objective).toBeCloseTo(720, 9);
      expect(result.capacity[0]).toMatchObject({ shadow_price: 3, range: { from: 60, to: null } });
      expect(priced(result, { kind: "capacity" })).toMatchObject({ value: 100, activity: 100, shadow_price: 3, per: "resource" });
      expect(priced(result, { kind: "demand", product: "a" })).toMatchObject({ bound: "max", shadow_price: 7, range: { from: 0, to: 100 } });
      expect(result.sensitivity?.unused_routes).toEqual([{ plant: "p", product: "c", period: "base", reduced_cost: -2 }]);
      expect(result.sensitivity?.unused_sales).toEqual([expect.objectContaining({ product: "c", reduced_cost: -2 })]);
      expect(result.sensitivity).toMatchObject({ basis: "lp", objective_unit: "USD" });
    });
  }

  /*
   * Degenerate vertex: 100 hours, a: 1 h, price 10, demand at most 100. Both bind at a = 100.
   * One more hour is worth nothing (demand caps a), one more unit of demand is worth nothing
   * (hours cap a); one hour or unit less costs 10. "Per unit increase" is 0 for both.
   */
  it("prices an increase at a degenerate vertex, not the decrease a basis may report", () => {
    const degenerate = minimalScenario({ demand: [{ market: "m", product: "q", price: 10, max: 100 }] });
    const result = plan(degenerate, { explain: true });
    expect(result.capacity[0]).toMatchObject({ shadow_price: 0 });
    expect(priced(result, { kind: "demand" })).toMatchObject({ shadow_price: 0 });
    expect(result.capacity[0]?.range?.from).toBeGreaterThanOrEqual(100 - 1e-9);
  });

  /*
   * A goal of 50 units of b (2 h, margin 6 → 3 per hour) beside a (1 h, margin 10, demand ≤ 60),
   * 100 hours: b = 50 takes all 100 h, a = 0. One more unit of goal: −2 h of a… a is already 0,
   * so the goal's next unit needs 2 more hours than exist: infeasible above 50; below, each unit of
   * goal given up frees 2 h for 2 a: +20 − 6 = +14, so raising it costs 14 (price −14 per unit).
   */
  it("prices a binding units target as the margin one more unit of goal costs", () => {
    const withGoal = minimalScenario({
      products: [
        { id: "a", family: "car" },
        { id: "b", family: "bus" },
      ],
      routes: [
        { plant: "p", product: "a", uses: { hours: 1 } },
        { plant: "p", product: "b", uses: { hours: 2 } },
      ],
      demand: [
        { market: "m", product: "a", price: 10, max: 60 },
        { market: "m", product: "b", price: 6 },
      ],
      targets: [{ id: "buses", kind: "units", min: 50, families: ["bus"] }],
    });
    const result = plan(withGoal, { explain: true });
    expect(result.objective).toBeCloseTo(300, 9);
    expect(result.targets[0]).toMatchObject({ shadow_price: -14, binding: "min" });
    expect(result.targets[0]?.range).toEqual({ from: 20, to: 50 });
  });

  it("says an integer plan is priced on the LP with its whole units fixed", () => {
    const result = plan(minimalScenario({ plants: [{ id: "p", resources: { hours: 10 } }], routes: [{ plant: "p", product: "q", uses: { hours: 3 } }] }), {
      integer: true,
      explain: true,
    });
    expect(result.sensitivity).toMatchObject({ basis: "lp_integer_fixed", unused_routes: [], unused_sales: [] });
    expect(result.sensitivity?.notes.join(" ")).toMatch(/whole-unit quantity fixed/);
    expect(result.capacity[0]).toMatchObject({ used: 9, shadow_price: 0 });
    // Beside them, the LP relaxation's: 10/3 units from 10 hours, so an hour is worth a third of the margin of 10.
    const relaxation = result.sensitivity?.lp_relaxation;
    expect(relaxation).toMatchObject({ basis: "lp_relaxation" });
    expect(relaxation?.notes.join(" ")).toMatch(/LP relaxation of the whole-unit plan: fractional units allowed/);
    const hours = relaxation?.bounds.find((bound) => bound.kind === "capacity");
    expect(hours?.shadow_price).toBeCloseTo(10 / 3, 9);
    expect(hours?.activity).toBeCloseTo(10, 9);
  });

  it("gives an integer plan the prices of its LP relaxation, as planning without integer does", () => {
    const scenario = loadBundledScenario("kz-uz-2020");
    const relaxation = plan(scenario, { integer: true, explain: true }).sensitivity?.lp_relaxation;
    const continuous = plan(scenario, { integer: false, explain: true }).sensitivity;
    const prices = (sensitivity: typeof continuous) => sensitivity?.bounds.map((bound) => [bound.kind, bound.period, bound.shadow_price]);
    expect(prices(relaxation)).toEqual(prices(continuous));
    expect(relaxation?.unused_routes).toEqual(continuous?.unused_routes);
    expect(plan(scenario, { integer: false, explain: true }).sensitivity).not.toHaveProperty("lp_relaxation");
  });

  it("leaves plans alone without explain, and infeasible plans without a price", () => {
    const result = plan(loadBundledScenario("kz-uz-2020"));
    expect(result.sensitivity).toBeUndefined();
    expect(result.capacity[0]).not.toHaveProperty("shadow_price");
    expect(plan(loadBundledScenario("kz-uz-parts-shortage"), { explain: true }).sensitivity).toBeUndefined();
  });

  it("prices nothing, and says why, when its time runs out", () => {
    const formulation = formulate(parseScenario(loadBundledScenario("kz-uz-2020")));
    const solved = highsBackend.solve(formulation.lp, { integer: false });
    const { sensitivity, priced } = analyzeSensitivity(formulation, present(solved.values, "the solver's values"), 0);
    expect(priced).toBe(false);
    expect(sensitivity.bounds).toEqual([]);
    expect(sensitivity.notes.join(" ")).toMatch(/ran out of their time \(under 1 ms, what the solve left of the plan's time limit\)/);
  });

  it("gives the same prices whichever backend found the plan", () => {
    const scenario2020 = loadBundledScenario("kz-uz-2020");
    const fromJs = plan(scenario2020, { backend: "javascript-lp-solver", explain: true });
    const fromHighs = plan(scenario2020, { backend: "highs", explain: true });
    const prices = (result: Plan) => result.sensitivity?.bounds.map((bound) => [bound.kind, bound.period, bound.shadow_price]);
    expect(prices(fromJs)).toEqual(prices(fromHighs));
  });
});

describe("Factory Planning (Williams §12.3), a multi-period model written independently", () => {
  const scenario = parseScenario(factoryPlanningScenario());
  const result = plan(scenario, { explain: true });

  it("reaches the textbook optimum", () => {
    expect(result.objective).toBeCloseTo(FACTORY_PLANNING_OPTIMUM, 2);
  });

  /* The textbook's dual values: grinding in January 8.57, horizontal drilling in February 0.625, boring in March 200, planing in June 800. */
  it("prices the textbook's binding machines at their published values", () => {
    const price = (resource: string, period: string) => result.capacity.find((row) => row.resource === resource && row.period === period)?.shadow_price;
    expect(price("grinding", "jan")).toBeCloseTo(60 / 7, 9);
    expect(price("horizontal_drilling", "feb")).toBeCloseTo(0.625, 9);
    expect(price("boring", "mar")).toBeCloseTo(200, 9);
    expect(price("planing", "jun")).toBeCloseTo(800, 9);
  });

  it("every capacity's price is the slope of the optimum when that capacity moves within its range", () => {
    const z = objectiveOf(result);
    for (const row of result.capacity) {
      const ref: Ref = { kind: "capacity", plant: row.plant, resource: row.resource, period: row.period };
      const { from, to } = row.range ?? { from: null, to: null };
      const up = Math.min(10, to === null ? 10 : to - row.available);
      const down = Math.min(10, from === null ? 10 : row.available - from);
      if (up > 1e-9)
        expect((objectiveWith(scenario, ref, row.available + up) - z) / up, `${row.resource} ${row.period} +`).toBeCloseTo(
          present(row.shadow_price, "a capacity's shadow price"),
          6,
        );
      if (down > 1e-9)
        expect((z - objectiveWith(scenario, ref, row.available - down)) / down, `${row.resource} ${row.period} −`).toBeCloseTo(
          present(row.shadow_price, "a capacity's shadow price"),
          6,
        );
    }
  });
});

describe("properties on generated feasible LPs", () => {
  /*
   * For a maximization the optimum is concave in any right-hand side, so every valid price y
   * of a bound b satisfies (z(b+h) − z(b))/h ≤ y ≤ (z(b) − z(b−h))/h for every h > 0 —
   * degenerate vertices included (convex, reversed, for min_cost). Inside the reported range
   * the optimum is linear with slope y. Share targets are coefficients, not right-hand sides,
   * and are checked separately.
   */
  it("each shadow price lies between the one-sided finite differences, and is the slope inside its range", () => {
    fc.assert(
      // Plain scenarios and joint networks (lane and shipping capacities are right-hand sides too).
      fc.property(
        fc.oneof(scenarioArbitrary({ integer: false, maxPeriods: 2 }), networkScenarioArbitrary({ integer: false, maxPeriods: 2 })),
        fc.nat(),
        (input, pick) => {
          const scenario = parseScenario(input);
          const result = plan(scenario, { explain: true });
          if (result.status !== "optimal") return;
          const z = objectiveOf(result);
          const maximizing = scenario.objective !== "min_cost";
          const bounds = (result.sensitivity?.bounds ?? []).filter((bound) => bound.per !== "percentage_point");
          // A few bounds per scenario keep the suite fast; `pick` rotates which.
          for (const bound of bounds.filter((_, i) => (i + pick) % Math.max(1, Math.ceil(bounds.length / 4)) === 0)) {
            const ref = stripRef(bound);
            const h = 0.5 * Math.max(1, Math.abs(bound.value));
            const right = (objectiveWith(scenario, ref, bound.value + h) - z) / h;
            const left = bound.value - h >= 0 ? (z - objectiveWith(scenario, ref, bound.value - h)) / h : maximizing ? Infinity : -Infinity;
            const slack = (1e-6 * Math.max(1, Math.abs(z))) / h + 1e-6;
            const [low, high] = maximizing ? [right, left] : [left, right];
            expect(bound.shadow_price, JSON.stringify(bound)).toBeGreaterThanOrEqual(low - slack);
            expect(bound.shadow_price, JSON.stringify(bound)).toBeLessThanOrEqual(high + slack);
            const { range } = bound;
            if (range !== null && range.to !== null && range.to > bound.value + 1e-6) {
              const step = Math.min(h, range.to - bound.value);
              expect((objectiveWith(scenario, ref, bound.value + step) - z) / step, `slope above ${JSON.stringify(bound)}`).toBeCloseTo(bound.shadow_price, 4);
            }
            if (range !== null && range.from !== null && range.from < bound.value - 1e-6 && bound.value - Math.min(h, bound.value - range.from) >= 0) {
              const step = Math.min(h, bound.value - range.from);
              expect((z - objectiveWith(scenario, ref, bound.value - step)) / step, `slope below ${JSON.stringify(bound)}`).toBeCloseTo(bound.shadow_price, 4);
            }
          }
        },
      ),
      { numRuns: runs },
    );
  });

  /*
   * An unused route's reduced cost is the objective's change per unit forced into the plan:
   * forcing h units (a route minimum of h) changes the optimum by at most h times it (concavity).
   */
  it("an unused route's reduced cost bounds what forcing it into the plan costs", () => {
    fc.assert(
      fc.property(scenarioArbitrary({ integer: false, maxPeriods: 2 }), (input) => {
        const scenario = parseScenario(input);
        const result = plan(scenario, { explain: true });
        if (result.status !== "optimal") return;
        const z = objectiveOf(result);
        const maximizing = scenario.objective !== "min_cost";
        for (const route of (result.sensitivity?.unused_routes ?? []).slice(0, 3)) {
          expect(maximizing ? route.reduced_cost <= 1e-9 : route.reduced_cost >= -1e-9, JSON.stringify(route)).toBe(true);
          const max = scenario.routes.find((r) => r.plant === route.plant && r.product === route.product)?.max;
          if (max !== undefined) continue; // a route max below the forced amount would be a different question
          const h = 0.5;
          const forced =
            (objectiveWith(scenario, { kind: "route", plant: route.plant, product: route.product, period: route.period, bound: "min" }, h) - z) / h;
          const slack = (1e-6 * Math.max(1, Math.abs(z))) / h + 1e-6;
          if (maximizing) expect(route.reduced_cost, JSON.stringify(route)).toBeGreaterThanOrEqual(forced - slack);
          else expect(route.reduced_cost, JSON.stringify(route)).toBeLessThanOrEqual(forced + slack);
        }
      }),
      { numRuns: Math.ceil(runs / 2) },
    );
  });

  /* A share bound's price is a first-order value: compare it with a small step of a hundredth of a point. */
  it("share targets are priced per percentage point, to first order", () => {
    for (const id of ["kz-uz-2020", "kz-uz-2019-2025"]) {
      const scenario = parseScenario(loadBundledScenario(id));
      const result = plan(scenario, { explain: true });
      for (const bound of (result.sensitivity?.bounds ?? []).filter((b) => b.per === "percentage_point" && b.shadow_price !== 0)) {
        const step = 0.0001;
        const ref = stripRef(bound);
        const perPoint = ((objectiveWith(scenario, ref, bound.value + step) - objectiveOf(result)) / step) * 0.01;
        expect(Math.abs(perPoint - bound.shadow_price), JSON.stringify(bound)).toBeLessThanOrEqual(0.01 * Math.abs(bound.shadow_price));
      }
    }
  });
});
