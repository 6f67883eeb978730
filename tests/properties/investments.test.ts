import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadBundledScenario, parseScenario, plan, validateScenario, type Plan } from "../../src/index.js";
import { investmentScenarioArbitrary } from "../arbitraries/scenario.js";
import { propertyParameters, propertyRuns, relativeGap } from "../support/properties.js";
import { solveReference } from "../support/referenceModel.js";
import { put, type Json } from "../support/transform.js";

/**
 * Invariants of investments (docs/format.md §1.7, §2.8) on generated scenarios
 * with one to four candidate investments, groups, windows, required ones,
 * decisions taken and discount rates, ids as hostile as ever
 * (tests/arbitraries/scenario.ts). Each `it` names its invariant. Each runs a
 * quarter of PROPS_RUNS (every solve is mixed-integer); PROPS_SEED replays one.
 */
const runs = Math.max(20, Math.round(propertyRuns / 4));
/** Shrinking replans at every step: bounded, so that a failure reports its counterexample so far. */
const parameters = () => ({ ...propertyParameters(runs), interruptAfterTimeLimit: 180_000, markInterruptAsFailure: true });
/** The decisions are few: the search is run to the proof, so that objectives compare to 1e-6. */
const solve = (input: unknown, options: Parameters<typeof plan>[1] = {}) => plan(input, { backend: "highs", mipGap: 0, ...options });
const copy = (input: Json): Json => JSON.parse(JSON.stringify(input)) as Json;
const optimal = (result: Plan) => result.status === "optimal" && result.objective !== null;
const investmentsOf = (document: Json) => document["investments"] as Json[];

function exercised(minimumShare: number, of: number) {
  let count = 0;
  return {
    hit: () => count++,
    check: () => expect(count, `exercised in ${count} of ${of} runs`).toBeGreaterThanOrEqual(Math.ceil(of * minimumShare)),
  };
}

describe("properties of investments", () => {
  it("status and objective match an independent formulation of §2.8 (fractional units) and every plan verifies", () => {
    const seen = exercised(0.3, runs);
    fc.assert(
      fc.property(investmentScenarioArbitrary({ integer: false }), (input) => {
        const scenario = parseScenario(input);
        const reference = solveReference(scenario, false);
        const result = solve(scenario);
        expect(result.status).toBe(reference.status);
        if (reference.objective === null) return;
        seen.hit();
        expect(relativeGap(result.objective ?? NaN, reference.objective)).toBeLessThanOrEqual(1e-6);
        expect(result.verification.feasible).toBe(true);
        expect(result.investments?.length).toBe(scenario.investments.length);
      }),
      parameters(),
    );
    seen.check();
  });

  it("in whole units too: status and objective match the independent formulation", () => {
    fc.assert(
      fc.property(investmentScenarioArbitrary({ maxPeriods: 2, maxProducts: 3 }), (input) => {
        const scenario = parseScenario(input);
        const reference = solveReference(scenario, true);
        const result = plan(scenario, { backend: "highs", integer: true });
        expect(result.status).toBe(reference.status);
        // Whole units keep HiGHS' own gap on both sides.
        if (reference.objective !== null) expect(relativeGap(result.objective ?? NaN, reference.objective)).toBeLessThanOrEqual(2e-4);
      }),
      { ...parameters(), numRuns: Math.ceil(runs / 2) },
    );
  });

  it("forcing the plan's own decisions (each in its period, or never) gives the same objective", () => {
    const seen = exercised(0.3, runs);
    fc.assert(
      fc.property(investmentScenarioArbitrary({ integer: false }), (input) => {
        const result = solve(input);
        if (!optimal(result)) return;
        seen.hit();
        const forced = copy(input);
        investmentsOf(forced).forEach((investment, i) => {
          const row = result.investments?.[i];
          if (row?.period === null || row === undefined) {
            investment["built"] = false;
            investment["required"] = false;
          } else {
            Object.assign(investment, { built: true, earliest: row.period, latest: row.period });
          }
        });
        const again = solve(forced);
        expect(again.status).toBe("optimal");
        expect(relativeGap(again.objective ?? NaN, result.objective ?? NaN)).toBeLessThanOrEqual(1e-6);
      }),
      parameters(),
    );
    seen.check();
  });

  it("a free investment (no fixed or operating cost) never makes the objective worse", () => {
    const seen = exercised(0.3, runs);
    fc.assert(
      fc.property(investmentScenarioArbitrary({ integer: false }), fc.nat(), fc.integer({ min: 1, max: 300 }), (input, pick, amount) => {
        const before = solve(input);
        if (!optimal(before)) return;
        const freed = copy(input);
        const plants = freed["plants"] as Json[];
        const plant = plants[pick % plants.length] as Json & { id: string; resources: Json };
        const resource = Object.keys(plant.resources)[pick % Object.keys(plant.resources).length] ?? "";
        const adds: Json = {};
        put(adds, resource, amount);
        investmentsOf(freed).push({ id: "\u0000free", plant: plant.id, adds });
        const after = solve(freed);
        seen.hit();
        expect(after.status).toBe("optimal");
        const gain = freed["objective"] === "min_cost" ? (before.objective ?? 0) - (after.objective ?? 0) : (after.objective ?? 0) - (before.objective ?? 0);
        expect(gain).toBeGreaterThanOrEqual(-1e-6 * Math.max(1, Math.abs(before.objective ?? 0)));
      }),
      parameters(),
    );
    seen.check();
  });

  it("discount rate 0 plans exactly as no discounting", () => {
    fc.assert(
      fc.property(investmentScenarioArbitrary({ integer: false }), (input) => {
        const without = copy(input);
        Reflect.deleteProperty(without, "discount_rate");
        const zero = { ...copy(input), discount_rate: 0 };
        const a = solve(without);
        const b = solve(zero);
        expect(b.status).toBe(a.status);
        expect(b.objective).toBe(a.objective);
        expect(b.investments).toEqual(a.investments);
      }),
      parameters(),
    );
  });

  it("a group of one plans as no group", () => {
    fc.assert(
      fc.property(investmentScenarioArbitrary({ integer: false }), (input) => {
        const ungrouped = copy(input);
        const singletons = copy(input);
        investmentsOf(ungrouped).forEach((investment) => Reflect.deleteProperty(investment, "group"));
        // Each in a group of its own; a required one alone in its group stays valid.
        investmentsOf(singletons).forEach((investment, i) => (investment["group"] = `\u0000alone ${i}`));
        fc.pre(validateScenario(ungrouped).ok && validateScenario(singletons).ok);
        const a = solve(ungrouped);
        const b = solve(singletons);
        expect(b.status).toBe(a.status);
        if (optimal(a)) expect(relativeGap(b.objective ?? NaN, a.objective ?? NaN)).toBeLessThanOrEqual(1e-6);
      }),
      parameters(),
    );
  });

  it("a plan stopped by its time limit is within its reported gap of the optimum found without a limit", () => {
    fc.assert(
      fc.property(investmentScenarioArbitrary({ integer: false, maxPlants: 3, maxPeriods: 3 }), fc.constantFrom(1, 5, 20), (input, timeLimitMs) => {
        const limited = plan(input, { backend: "highs", timeLimitMs });
        if (limited.status !== "time_limit" || limited.objective === null || limited.solver.gap === undefined) return;
        const best = solve(input);
        if (!optimal(best)) return;
        expect(Math.abs((best.objective ?? 0) - limited.objective)).toBeLessThanOrEqual(
          limited.solver.gap * Math.max(1, Math.abs(limited.objective)) * (1 + 1e-6) + 1e-6,
        );
      }),
      { ...parameters(), numRuns: Math.ceil(runs / 2) },
    );
  });
});

describe("the cluster scenario under time limits", () => {
  const scenario = parseScenario(loadBundledScenario("kz-uz-cluster-2020-2030"));
  const best = plan(scenario, { backend: "highs", mipGap: 0 });

  it.each([300, 1000])(
    "a %d ms limit gives a plan whose gap bounds its distance to the optimum",
    (timeLimitMs) => {
      const limited = plan(scenario, { backend: "highs", timeLimitMs });
      if (limited.objective === null) {
        expect(limited.status).toBe("time_limit");
        return;
      }
      expect(limited.verification.feasible).toBe(true);
      const gap = limited.solver.gap ?? 0;
      expect(Math.abs((best.objective ?? 0) - limited.objective)).toBeLessThanOrEqual(
        gap * Math.abs(limited.objective) * (1 + 1e-6) + 1e-6 * Math.abs(best.objective ?? 1),
      );
    },
    60_000,
  );
});
