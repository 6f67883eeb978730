import { describe, expect, it } from "vitest";
import { parseScenario, plan } from "../../src/index.js";

/**
 * javascript-lp-solver stops its branch and bound once Date.now() reaches its
 * start plus the time limit, and then holds no incumbent: its answer reads as
 * "infeasible". A generated scenario (found by the backends' agreement
 * property) whose whole-unit search never ends within a second: with any
 * limit, the plan is a time limit, never "infeasible" — HiGHS proves it has
 * an optimum.
 */
const NEVER_ENDS: unknown = {
  format: "jointplan/v1",
  id: "generated",
  title: "Generated scenario",
  periods: ["valueOf", "1?"],
  integer: true,
  objective: "max_units",
  plants: [
    { id: "gamma", resources: { samarkand: 371 } },
    { id: "beta", resources: { samarkand: { "*": 270, "1?": 399 } } },
    { id: "kz", resources: { samarkand: { valueOf: 350, "1?": 194 } } },
  ],
  products: [
    { id: ".", family: "bus" },
    { id: "[", family: "bus", available_from: "valueOf", available_until: "1?" },
  ],
  routes: [
    { plant: "gamma", product: "[", uses: { samarkand: 3 }, unit_cost: 0, inventory: { holding_cost: 0, initial: 1, final: 2 } },
    { plant: "kz", product: ".", uses: { samarkand: 2 }, unit_cost: 0 },
  ],
  parts: [],
  markets: [
    { id: "obj", export: false },
    { id: "Андижан", export: false },
    { id: "umGX", export: true },
  ],
  demand: [
    { market: "obj", product: ".", price: { "*": 4, valueOf: 0, "1?": 0 } },
    { market: "Андижан", product: "[", price: { valueOf: 8, "1?": 55 }, max: { valueOf: 121, "1?": 148 } },
    { market: "umGX", product: "[", price: { valueOf: 0, "1?": 0 } },
  ],
  targets: [{ id: "delta", kind: "units", periods: ["valueOf", "1?"] }],
};

describe("javascript-lp-solver's time limit", () => {
  it("a search stopped by the limit is a time limit, never an infeasible model", () => {
    const scenario = parseScenario(NEVER_ENDS);
    expect(plan(scenario, { backend: "highs" }).status).toBe("optimal");
    const statuses = new Set<string>();
    for (const timeLimitMs of [1, 2, 3, 5, 8, 13, 21, 34, 55, 89]) {
      for (let run = 0; run < 3; run++) statuses.add(plan(scenario, { backend: "javascript-lp-solver", timeLimitMs }).status);
    }
    expect([...statuses]).toEqual(["time_limit"]);
  });
});
