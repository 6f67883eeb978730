import { describe, expect, it } from "vitest";
import { decisionLines, Words } from "../../src/explain/words.js";
import { parseScenario, plan, verifyPlan, type Plan } from "../../src/index.js";
import { minimalScenario, type Json } from "../support/builders.js";
import { present } from "../support/present.js";

/**
 * Investments (docs/format.md §1.7, §2.8) worked out by hand in the comment
 * above each case: the decision, its period and the objective. Solved by HiGHS
 * (a scenario with investments is a mixed-integer model, which `auto` gives
 * to HiGHS too); every plan passes its own verification. Then what each
 * decision is worth, and the verification of builds broken by hand.
 */
function expectPlan(scenario: Json, objective: number, check?: (result: Plan) => void, options: Parameters<typeof plan>[1] = {}): Plan {
  for (const backend of ["auto", "highs"] as const) {
    const result = plan(scenario, { backend, ...options });
    expect(result.status, backend).toBe("optimal");
    expect(result.objective, backend).toBeCloseTo(objective, 6);
    expect(result.verification.feasible, backend).toBe(true);
    expect(result.solver.backend).toBe("highs");
    check?.(result);
  }
  return plan(scenario, { backend: "highs", ...options });
}

const decision = (result: Plan, id: string) =>
  present(
    result.investments?.find((row) => row.id === id),
    `investment ${id}`,
  );

/** Two periods; a plant with no hours of its own; q sells at 10 a unit, at most 100 a period. */
const twoYears = (overrides: Json): Json =>
  minimalScenario({
    periods: ["y1", "y2"],
    plants: [{ id: "site", resources: { hours: 0 } }],
    routes: [{ plant: "site", product: "q", uses: { hours: 1 } }],
    demand: [{ market: "m", product: "q", price: 10, max: 100 }],
    ...overrides,
  });

describe("hand-worked investments", () => {
  /*
   * A line adds 100 hours from the period built, for 1,500 up front: built in y1
   * it earns 100·10 in each of two periods, 2,000 − 1,500 = 500. Undiscounted it
   * pays. At 20%, y2's 1,000 is worth 1,000/1.2 = 833.33: 1,833.33 − 1,500 = 333.33,
   * still positive — so make it 1,900: undiscounted 100, at 20% −66.67. Not built
   * at 20%: the NPV is 0.
   */
  it("an investment that pays undiscounted but not at 20%", () => {
    const line = { id: "line", plant: "site", adds: { hours: 100 }, fixed_cost: 1900 };
    expectPlan(twoYears({ investments: [line] }), 100, (result) => {
      expect(decision(result, "line")).toEqual({ id: "line", plant: "site", built: true, period: "y1", fixed_cost: 1900, operating_cost: 0 });
      expect(result.capacity.map((row) => row.available)).toEqual([100, 100]);
    });
    expectPlan(twoYears({ investments: [line], discount_rate: 0.2 }), 0, (result) => {
      expect(decision(result, "line").built).toBe(false);
      expect(result.periods?.map((row) => row.discount_factor)).toEqual([1, 1 / 1.2]);
    });
  });

  /*
   * Two candidates of one group: a (80 hours, 300 up front, 10 a period to run) and
   * b (100 hours, 500 up front, 0 to run). Built in y1: a earns 2·800 − 300 − 20 =
   * 1,280; b 2·1,000 − 500 = 1,500. Both would earn more, but the group allows one:
   * b, 1,500.
   */
  it("two candidates of a group: the better one is built, not both", () => {
    expectPlan(
      twoYears({
        investments: [
          { id: "a", plant: "site", adds: { hours: 80 }, fixed_cost: 300, operating_cost: 10, group: "cluster" },
          { id: "b", plant: "site", adds: { hours: 100 }, fixed_cost: 500, group: "cluster" },
        ],
      }),
      1500,
      (result) => {
        expect(decision(result, "a").built).toBe(false);
        expect(decision(result, "b")).toMatchObject({ built: true, period: "y1" });
      },
    );
  });

  /*
   * A required investment that does not pay: 100 hours for 3,000, worth at most
   * 2,000. It is built all the same, when it loses least: in y1 it nets
   * 2,000 − 3,000 = −1,000, in y2 1,000 − 3,000 = −2,000. y1, objective −1,000.
   */
  it("a required investment is built even at a loss, when it loses least", () => {
    expectPlan(twoYears({ investments: [{ id: "must", plant: "site", adds: { hours: 100 }, fixed_cost: 3000, required: true }] }), -1000, (result) => {
      expect(decision(result, "must")).toMatchObject({ built: true, period: "y1", fixed_cost: 3000 });
    });
  });

  /*
   * A window: the line may be built in y2 only (earliest y2). It then earns y2's
   * 1,000 for 600 and 50 to run: 350. Without the window it would be built in y1
   * (2,000 − 600 − 100 = 1,300).
   */
  it("a window: built in its first allowed period, not before", () => {
    const line = { id: "line", plant: "site", adds: { hours: 100 }, fixed_cost: 600, operating_cost: 50 };
    expectPlan(twoYears({ investments: [{ ...line, earliest: "y2" }] }), 350, (result) => {
      expect(decision(result, "line")).toEqual({ id: "line", plant: "site", built: true, period: "y2", fixed_cost: 600, operating_cost: 50 });
      expect(result.capacity.map((row) => row.available)).toEqual([0, 100]);
    });
    expectPlan(twoYears({ investments: [line] }), 1300);
  });

  /*
   * Per-period capacity added (a ramp-up): 40 hours in y1, 100 in y2. Built in y1
   * for 500: 400 + 1,000 − 500 = 900.
   */
  it("capacity added per period, and the money of each period", () => {
    expectPlan(twoYears({ investments: [{ id: "ramp", plant: "site", adds: { hours: { y1: 40, y2: 100 } }, fixed_cost: 500 }] }), 900, (result) => {
      expect(result.periods).toEqual([
        { period: "y1", discount_factor: 1, revenue: 400, operating_costs: 0, investment_costs: 500, net: -100, present_value: -100 },
        { period: "y2", discount_factor: 1, revenue: 1000, operating_costs: 0, investment_costs: 0, net: 1000, present_value: 1000 },
      ]);
    });
  });

  /* Continuous units stay continuous: a scenario with investments is mixed-integer in its builds only. */
  it("units stay fractional; only the builds are whole", () => {
    const result = expectPlan(
      twoYears({
        demand: [{ market: "m", product: "q", price: 10, max: 100.5 }],
        investments: [{ id: "line", plant: "site", adds: { hours: 200 }, fixed_cost: 100 }],
      }),
      2 * 1005 - 100,
    );
    expect(result.solver.integer).toBe(false);
    expect(result.production.map((row) => row.units)).toEqual([100.5, 100.5]);
  });
});

describe("what each decision is worth", () => {
  /*
   * Three periods at 10%: plant B has 50 hours; a (at A: 100 hours, 700 up front,
   * 50 a period) and b (at B: 40 hours, 100 up front, 20 a period, from y2) share a
   * group. Demand 60, 120, 150 at 10. NPVs: a in y2 500 + 450/1.1 + 1,450/1.21 =
   * 2,107.44; a in y1 −150 + 1,150/1.1 + 1,450/1.21 = 2,093.80; a in y3 (B alone
   * until then) 500 + 500/1.1 + 750/1.21 = 1,574.38; b in y2, a not built,
   * 500 + 780/1.1 + 880/1.21 = 1,936.36.
   */
  const scenario = minimalScenario({
    periods: ["y1", "y2", "y3"],
    discount_rate: 0.1,
    plants: [
      { id: "A", resources: { hours: 0 } },
      { id: "B", resources: { hours: 50 } },
    ],
    routes: [
      { plant: "A", product: "q", uses: { hours: 1 } },
      { plant: "B", product: "q", uses: { hours: 1 } },
    ],
    demand: [{ market: "m", product: "q", price: 10, max: { y1: 60, y2: 120, y3: 150 } }],
    investments: [
      { id: "a", plant: "A", adds: { hours: 100 }, fixed_cost: 700, operating_cost: 50, group: "site" },
      { id: "b", plant: "B", adds: { hours: 40 }, fixed_cost: 100, operating_cost: 20, group: "site", earliest: "y2" },
    ],
  });

  it("re-optimises each decision reversed and moved, and names what the plan would build instead", () => {
    const result = plan(scenario, { explain: true });
    expect(result.objective).toBeCloseTo(500 + 450 / 1.1 + 1450 / 1.21, 6);
    expect(result.sensitivity?.basis).toBe("lp_builds_fixed");
    const [a, b] = result.sensitivity?.decisions ?? [];
    expect(a).toMatchObject({ id: "a", built: true, period: "y2" });
    expect(a?.reversed).toMatchObject({ period: null, status: "optimal", instead: [{ id: "b", period: "y2" }] });
    expect(a?.reversed.objective).toBeCloseTo(500 + 780 / 1.1 + 880 / 1.21, 6);
    expect(a?.earlier?.period).toBe("y1");
    expect(a?.earlier?.objective).toBeCloseTo(-150 + 1150 / 1.1 + 1450 / 1.21, 6);
    expect(a?.later?.period).toBe("y3");
    expect(a?.worth).toBeCloseTo((result.objective ?? 0) - (a?.reversed.objective ?? 0), 6);
    expect(b).toMatchObject({ id: "b", built: false, period: null, reversed: { period: "y2", instead: [{ id: "a", period: null }] } });
  });

  it("says it in words", () => {
    const result = plan(scenario, { explain: true });
    const lines = decisionLines(new Words(parseScenario(scenario)), result.sensitivity?.decisions ?? [], "USD");
    expect(lines[0]).toBe(
      "Building a in y2 adds 171 USD of net present value over not building it (the plan would then build b in y2); built in y1 it would add 157, built in y3 it would cost 362.",
    );
    expect(lines[1]).toBe("Not building b: building it (best in y2) would lose 171 USD of net present value (the plan would then not build a).");
  });
});

describe("verification of builds", () => {
  const scenario = twoYears({
    investments: [
      { id: "a", plant: "site", adds: { hours: 100 }, fixed_cost: 300, group: "g", earliest: "y1", latest: "y1" },
      { id: "b", plant: "site", adds: { hours: 50 }, fixed_cost: 100, group: "g" },
    ],
  });
  const original = plan(scenario, { backend: "highs" });
  type Editable = { -readonly [K in keyof Plan]: Plan[K] };
  const tamper = (edit: (plan: Editable) => void) => {
    const copy = structuredClone(original) as Editable;
    edit(copy);
    return verifyPlan(scenario, copy);
  };

  it("passes the plan as produced (a in y1: 2,000 − 300)", () => {
    expect(original.objective).toBeCloseTo(1700, 6);
    expect(verifyPlan(scenario, original)).toEqual(original.verification);
  });

  it("flags production on capacity that was never built", () => {
    const result = tamper((p) => {
      p.investments = (p.investments ?? []).map((row) => ({ ...row, built: false, period: null, fixed_cost: 0, operating_cost: 0 }));
    });
    expect(result.violations.join("\n")).toMatch(/capacity of "hours" at "site" in "y1": 100 used of 0/);
  });

  it("flags two of a group built, a build outside its window, misreported costs, and a missing row", () => {
    const both = tamper((p) => {
      p.investments = (p.investments ?? []).map((row) => (row.id === "b" ? { ...row, built: true, period: "y2", fixed_cost: 100 } : row));
    });
    expect(both.violations.join("\n")).toMatch(/group "g": 2 investments built \("a", "b"\), at most one may be/);
    const outside = tamper((p) => {
      p.investments = (p.investments ?? []).map((row) => (row.id === "a" ? { ...row, period: "y2" } : row));
    });
    expect(outside.violations.join("\n")).toMatch(/investment "a" built in "y2": outside its window \("y1" to "y1"\)/);
    const costs = tamper((p) => {
      p.investments = (p.investments ?? []).map((row) => (row.id === "a" ? { ...row, fixed_cost: 1 } : row));
    });
    expect(costs.violations.join("\n")).toMatch(/investment "a" built in "y1": costs 1 fixed and 0 operating, the scenario makes them 300 and 0/);
    const missing = tamper((p) => {
      p.investments = (p.investments ?? []).filter((row) => row.id !== "b");
    });
    expect(missing.violations.join("\n")).toMatch(/investment "b": the plan does not say whether it is built/);
  });
});
