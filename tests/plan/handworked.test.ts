import { describe, expect, it } from "vitest";
import { plan, type Plan } from "../../src/index.js";
import { minimalScenario, type Json } from "../support/builders.js";

/**
 * Small scenarios whose optimum is worked out by hand in the comment above each.
 * Every one is solved by both backends; the plan must reach the hand-computed
 * objective and pass its own verification.
 */
const backends = ["javascript-lp-solver", "highs"] as const;

function expectOptimum(scenario: Json, objective: number, check?: (result: Plan) => void) {
  for (const backend of backends) {
    const result = plan(scenario, { backend });
    expect(result.status, backend).toBe("optimal");
    expect(result.objective, backend).toBeCloseTo(objective, 6);
    expect(result.verification.feasible, backend).toBe(true);
    expect(result.solver.backend).toBe(backend);
    check?.(result);
  }
}

const units = (result: Plan, product: string, period?: string) =>
  result.production.filter((row) => row.product === product && (period === undefined || row.period === period)).reduce((sum, row) => sum + row.units, 0);

describe("hand-worked optima", () => {
  /*
   * One plant, 100 hours. a: 2 h, price 10, cost 4 → margin 6 (3 per hour).
   * b: 1 h, price 5, cost 1 → margin 4 (4 per hour), demand at most 60.
   * Best per hour first: b = 60 (60 h), then a = 40 h / 2 = 20.
   * Margin 60·4 + 20·6 = 360.
   */
  it("capacity-bound single plant: the best margin per hour fills the plant first", () => {
    const scenario = minimalScenario({
      products: [
        { id: "a", family: "car" },
        { id: "b", family: "car" },
      ],
      routes: [
        { plant: "p", product: "a", uses: { hours: 2 }, unit_cost: 4 },
        { plant: "p", product: "b", uses: { hours: 1 }, unit_cost: 1 },
      ],
      demand: [
        { market: "m", product: "a", price: 10 },
        { market: "m", product: "b", price: 5, max: 60 },
      ],
    });
    expectOptimum(scenario, 360, (result) => {
      expect(units(result, "a")).toBeCloseTo(20, 6);
      expect(units(result, "b")).toBeCloseTo(60, 6);
      expect(result.capacity).toEqual([{ period: "base", plant: "p", resource: "hours", used: 100, available: 100, utilization: 1 }]);
    });
  });

  /*
   * Plants p1 and p2, 100 hours each. x is made at p1 (1 h, price 30), y at p2
   * (1 h, price 25). Both need one chip; the only chip source supplies 150.
   * Chips go to x first: x = 100 (p1 full), y = 50. Margin 100·30 + 50·25 = 4250.
   */
  it("two plants sharing a scarce part: the part goes to the better margin", () => {
    const scenario = minimalScenario({
      plants: [
        { id: "p1", resources: { hours: 100 } },
        { id: "p2", resources: { hours: 100 } },
      ],
      products: [
        { id: "x", family: "car", bom: { chip: 1 } },
        { id: "y", family: "car", bom: { chip: 1 } },
      ],
      routes: [
        { plant: "p1", product: "x", uses: { hours: 1 } },
        { plant: "p2", product: "y", uses: { hours: 1 } },
      ],
      parts: [{ id: "chip", sources: [{ id: "fab", local: true, capacity: 150 }] }],
      demand: [
        { market: "m", product: "x", price: 30 },
        { market: "m", product: "y", price: 25 },
      ],
    });
    expectOptimum(scenario, 4250, (result) => {
      expect(units(result, "x")).toBeCloseTo(100, 6);
      expect(units(result, "y")).toBeCloseTo(50, 6);
      expect(result.procurement).toEqual([{ period: "base", part: "chip", source: "fab", local: true, units: 150, cost: 0 }]);
    });
  });

  /*
   * Periods t1, t2; 10 hours each, 1 h per unit. Price 5 in t1, 20 in t2,
   * demand at most 15 per period; holding cost 1 per unit per period; 2 units
   * must be in stock after t2. Carrying a unit from t1 gains 20 − 5 − 1 while t2
   * demand plus the final stock (15 + 2 = 17) exceed t2 output (10): carry 7.
   * t1: make 10, sell 3, keep 7. t2: make 10, sell 15, keep 2.
   * Margin 3·5 + 15·20 − (7 + 2)·1 = 306.
   */
  it("inventory carried between periods with an end target", () => {
    const scenario = minimalScenario({
      periods: ["t1", "t2"],
      plants: [{ id: "p", resources: { hours: 10 } }],
      routes: [{ plant: "p", product: "q", uses: { hours: 1 }, inventory: { holding_cost: 1, final: 2 } }],
      demand: [{ market: "m", product: "q", price: { t1: 5, t2: 20 }, max: 15 }],
    });
    expectOptimum(scenario, 306, (result) => {
      expect(result.inventory).toEqual([
        { period: "t1", plant: "p", product: "q", units: 7 },
        { period: "t2", plant: "p", product: "q", units: 2 },
      ]);
    });
  });

  /*
   * 100 hours, 1 h per unit; home pays 10, abroad (export) pays 8, no demand
   * limits. Unconstrained, all 100 go home (1000). With an export share of at
   * least 0.6: 60 abroad, 40 home: 40·10 + 60·8 = 880.
   */
  it("export share binding", () => {
    const scenario = minimalScenario({
      markets: [{ id: "home" }, { id: "abroad", export: true }],
      demand: [
        { market: "home", product: "q", price: 10 },
        { market: "abroad", product: "q", price: 8 },
      ],
      targets: [{ id: "exports", kind: "export_share", min: 0.6 }],
    });
    expectOptimum(scenario, 880, (result) => {
      const target = result.targets.find((row) => row.id === "exports");
      expect(target?.value).toBeCloseTo(0.6, 9);
      expect(target?.met).toBe(true);
    });
  });

  /*
   * 100 hours, 1 h per unit, price 10. Each unit needs one k1 (value 2; local
   * costs 5, import 3) and one k2 (value 1; local only, costs 1). Local share by
   * value ≥ 0.75: 2·L + 1·Q ≥ 0.75·3·Q → L ≥ 0.625·Q local k1 per unit made.
   * Cost per unit 0.625·5 + 0.375·3 + 1 = 5.25; margin 4.75 > 0, so Q = 100:
   * 100·4.75 = 475, with 62.5 local and 37.5 imported k1.
   */
  it("local parts share binding, weighted by part value", () => {
    const scenario = minimalScenario({
      products: [{ id: "q", family: "car", bom: { k1: 1, k2: 1 } }],
      parts: [
        {
          id: "k1",
          value: 2,
          sources: [
            { id: "local", local: true, unit_cost: 5 },
            { id: "import", local: false, unit_cost: 3 },
          ],
        },
        { id: "k2", value: 1, sources: [{ id: "local", local: true, unit_cost: 1 }] },
      ],
      targets: [{ id: "localization", kind: "local_parts_share", min: 0.75 }],
    });
    expectOptimum(scenario, 475, (result) => {
      const k1 = result.procurement.filter((row) => row.part === "k1");
      expect(k1.find((row) => row.source === "local")?.units).toBeCloseTo(62.5, 6);
      expect(k1.find((row) => row.source === "import")?.units).toBeCloseTo(37.5, 6);
      expect(result.targets[0]?.value).toBeCloseTo(0.75, 9);
    });
  });

  /*
   * Periods a, b, c; 10 hours each, 1 h per unit. "old" sells at 9 but is made
   * only until a; "new" sells at 8 from b. a: 10 old (90); b, c: 10 new each
   * (160). Total 250 (without the windows it would be 270, all old).
   */
  it("availability window", () => {
    const scenario = minimalScenario({
      periods: ["a", "b", "c"],
      plants: [{ id: "p", resources: { hours: 10 } }],
      products: [
        { id: "old", family: "car", available_until: "a" },
        { id: "new", family: "car", available_from: "b" },
      ],
      routes: [
        { plant: "p", product: "old", uses: { hours: 1 } },
        { plant: "p", product: "new", uses: { hours: 1 } },
      ],
      demand: [
        { market: "m", product: "old", price: 9 },
        { market: "m", product: "new", price: 8 },
      ],
    });
    expectOptimum(scenario, 250, (result) => {
      expect(units(result, "old", "a")).toBe(10);
      expect(units(result, "old", "b") + units(result, "old", "c")).toBe(0);
      expect(units(result, "new", "a")).toBe(0);
    });
  });

  /*
   * min_cost: 30 units must be sold; p1 costs 2 a unit but has 20 hours, p2
   * costs 3. Cheapest: 20 at p1, 10 at p2 → 20·2 + 10·3 = 70.
   */
  it("min_cost meets demand minimums at the least cost", () => {
    const scenario = minimalScenario({
      objective: "min_cost",
      plants: [
        { id: "p1", resources: { hours: 20 } },
        { id: "p2", resources: { hours: 100 } },
      ],
      routes: [
        { plant: "p1", product: "q", uses: { hours: 1 }, unit_cost: 2 },
        { plant: "p2", product: "q", uses: { hours: 1 }, unit_cost: 3 },
      ],
      demand: [{ market: "m", product: "q", min: 30 }],
    });
    expectOptimum(scenario, 70);
  });

  /*
   * max_units: 100 hours; a takes 2 h, b takes 1 h but at most 30 sell.
   * b = 30 (30 h), a = 70 h / 2 = 35: 65 units.
   */
  it("max_units makes as many units as the plant allows", () => {
    const scenario = minimalScenario({
      objective: "max_units",
      products: [
        { id: "a", family: "car" },
        { id: "b", family: "car" },
      ],
      routes: [
        { plant: "p", product: "a", uses: { hours: 2 } },
        { plant: "p", product: "b", uses: { hours: 1 } },
      ],
      demand: [
        { market: "m", product: "a" },
        { market: "m", product: "b", max: 30 },
      ],
    });
    expectOptimum(scenario, 65);
  });

  /*
   * A units target as the joint goal: 100 hours; a (1 h, margin 1) and b (2 h,
   * margin 5). Margin alone: 50 b = 250 and 50 units. A goal of 80 units needs
   * a + b ≥ 80 with a + 2b ≤ 100 → b ≤ 20: a = 60, b = 20 → 60 + 100 = 160.
   */
  it("units target (the joint goal) trades margin for volume", () => {
    const scenario = minimalScenario({
      products: [
        { id: "a", family: "car" },
        { id: "b", family: "bus" },
      ],
      routes: [
        { plant: "p", product: "a", uses: { hours: 1 } },
        { plant: "p", product: "b", uses: { hours: 2 } },
      ],
      demand: [
        { market: "m", product: "a", price: 1 },
        { market: "m", product: "b", price: 5 },
      ],
      targets: [{ id: "goal", kind: "units", min: 80 }],
    });
    expectOptimum(scenario, 160, (result) => {
      expect(result.targets).toEqual([{ id: "goal", period: "base", value: 80, min: 80, max: null, met: true }]);
    });
  });
});

describe("plans without an optimum", () => {
  /* Demand of at least 200 against 100 hours at 1 h per unit: infeasible. */
  it("reports infeasible when demand minimums exceed capacity", () => {
    const scenario = minimalScenario({ demand: [{ market: "m", product: "q", price: 10, min: 200 }] });
    for (const backend of backends) {
      const result = plan(scenario, { backend });
      expect(result.status).toBe("infeasible");
      expect(result.objective).toBeNull();
      expect(result.production).toEqual([]);
    }
  });

  /* A product that uses no resource, sells at 10 with no demand limit: margin grows without bound. */
  it("reports unbounded when nothing limits a profitable product", () => {
    const scenario = minimalScenario({ routes: [{ plant: "p", product: "q", uses: {} }] });
    for (const backend of backends) {
      const result = plan(scenario, { backend });
      expect(result.status, backend).toBe("unbounded");
      expect(result.objective).toBeNull();
    }
  });

  /* A final stock above the yard limit cannot hold, whatever the solver. */
  it("reports infeasible for contradictory bounds before calling a solver", () => {
    const scenario = minimalScenario({
      routes: [{ plant: "p", product: "q", uses: { hours: 1 }, inventory: { max: 5, final: 8 } }],
    });
    expect(plan(scenario).status).toBe("infeasible");
  });
});

describe("integer plans", () => {
  /* 10 hours at 3 h per unit, margin 1: the LP makes 3.33, whole units make 3. */
  it("returns whole units with integer: true or the integer option", () => {
    const scenario = minimalScenario({
      plants: [{ id: "p", resources: { hours: 10 } }],
      routes: [{ plant: "p", product: "q", uses: { hours: 3 } }],
      demand: [{ market: "m", product: "q", price: 1 }],
    });
    expect(plan(scenario).objective).toBeCloseTo(10 / 3, 6);
    for (const backend of backends) {
      const byOption = plan(scenario, { backend, integer: true });
      expect(byOption.objective).toBe(3);
      expect(byOption.solver.integer).toBe(true);
      expect(byOption.production.every((row) => Number.isInteger(row.units))).toBe(true);
    }
    expect(plan({ ...scenario, integer: true }).objective).toBe(3);
    expect(plan({ ...scenario, integer: true }, { integer: false }).objective).toBeCloseTo(10 / 3, 6);
  });
});
