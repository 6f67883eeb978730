import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formulate, loadBundledScenario, parseScenario, plan, validateScenario, type Plan } from "../../src/index.js";
import { networkScenarioArbitrary, scenarioArbitrary } from "../arbitraries/scenario.js";
import { propertyRuns } from "../support/properties.js";
import { solveReference } from "../support/referenceModel.js";
import { objectiveOf } from "../support/present.js";

/** Agreement with an independent formulation of docs/format.md §2 (tests/support/referenceModel.ts), and between the backends. */
const runs = propertyRuns;
/** HiGHS' default relative MIP gap: an integer optimum is proven to within this. */
const MIP_GAP = 1e-4;

function relativeGap(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
}

/** The plan has the reference's status and, where the reference has an optimum, its objective to 1e-6 and a verified plan. Whether it has one. */
function expectAsReference(result: Plan, reference: { status: string; objective: number | null }): boolean {
  expect(result.status).toBe(reference.status);
  if (reference.objective === null) return false;
  expect(relativeGap(objectiveOf(result), reference.objective)).toBeLessThanOrEqual(1e-6);
  expect(result.verification.feasible).toBe(true);
  return true;
}

describe("agreement with an independent formulation", () => {
  it("the scenario arbitrary produces valid scenarios", () => {
    fc.assert(
      fc.property(scenarioArbitrary(), (input) => {
        const result = validateScenario(input);
        if (!result.ok) throw new Error(JSON.stringify(result.issues));
      }),
      { numRuns: runs },
    );
  });

  it.each(["kz-uz-2020", "kz-uz-2019-2025", "kz-uz-parts-shortage", "kz-uz-joint-2020"])("bundled %s: same status and objective", (id) => {
    const scenario = parseScenario(loadBundledScenario(id));
    const reference = solveReference(scenario);
    for (const backend of ["javascript-lp-solver", "highs"] as const) {
      const result = plan(scenario, { backend });
      expect(result.status).toBe(reference.status);
      if (reference.objective !== null) expect(relativeGap(objectiveOf(result), reference.objective)).toBeLessThanOrEqual(1e-6);
    }
  });

  const generatedLps = [
    { what: "LP status and objective match on generated scenarios", arbitrary: scenarioArbitrary({ integer: false }) },
    {
      what: "joint network (docs/format.md §2.7), LP status and objective match on generated networks with hostile ids",
      arbitrary: networkScenarioArbitrary({ integer: false }),
    },
  ];
  for (const { what, arbitrary } of generatedLps) {
    for (const backend of ["javascript-lp-solver", "highs"] as const) {
      it(`${backend}: ${what}`, () => {
        fc.assert(
          fc.property(arbitrary, (input) => {
            const scenario = parseScenario(input);
            const reference = solveReference(scenario, false);
            expectAsReference(plan(scenario, { backend }), reference);
          }),
          { numRuns: runs },
        );
      });
    }
  }

  it("bundled kz-uz-cluster-2020-2030 (investments, a mixed-integer model): same status and objective, searched to the proof", () => {
    const scenario = parseScenario(loadBundledScenario("kz-uz-cluster-2020-2030"));
    const reference = solveReference(scenario);
    const result = plan(scenario, { backend: "highs", mipGap: 0 });
    expect(result.status).toBe(reference.status);
    expect(relativeGap(objectiveOf(result), reference.objective ?? NaN)).toBeLessThanOrEqual(1e-6);
  }, 120_000);

  it("the network arbitrary produces valid scenarios of the joint network", () => {
    fc.assert(
      fc.property(networkScenarioArbitrary(), (input) => {
        const result = validateScenario(input);
        if (!result.ok) throw new Error(JSON.stringify(result.issues));
      }),
      { numRuns: runs },
    );
  });

  it("highs: joint network in whole units, status and objective match (deliveries whole per plant)", () => {
    fc.assert(
      fc.property(networkScenarioArbitrary({ maxPeriods: 2, maxProducts: 3 }), (input) => {
        const scenario = parseScenario(input);
        const reference = solveReference(scenario, true);
        // mipGap 0: HiGHS's default relative gap (1e-4) would let it stop short of the 1e-6 compared here.
        const result = plan(scenario, { backend: "highs", integer: true, mipGap: 0 });
        if (expectAsReference(result, reference)) expect(result.procurement.every((row) => Number.isInteger(row.units))).toBe(true);
      }),
      { numRuns: runs },
    );
  });

  it("highs: integer status and objective match on generated scenarios", () => {
    fc.assert(
      fc.property(scenarioArbitrary({ maxPeriods: 2, maxProducts: 3 }), (input) => {
        const scenario = parseScenario(input);
        const reference = solveReference(scenario, true);
        // mipGap 0: HiGHS's default relative gap (1e-4) would let it stop short of the 1e-6 compared here.
        const result = plan(scenario, { backend: "highs", integer: true, mipGap: 0 });
        if (expectAsReference(result, reference)) expect(result.production.every((row) => Number.isInteger(row.units))).toBe(true);
      }),
      { numRuns: runs },
    );
  });

  it("auto: LP and integer status and objective match on generated scenarios (its pick and its fallback)", () => {
    fc.assert(
      fc.property(scenarioArbitrary({ maxPeriods: 2, maxProducts: 3 }), (input) => {
        const scenario = parseScenario(input);
        const reference = solveReference(scenario);
        const result = plan(scenario);
        expect(result.status).toBe(reference.status);
        if (reference.objective !== null) {
          const tolerance = scenario.integer ? 2 * MIP_GAP : 1e-6;
          expect(relativeGap(objectiveOf(result), reference.objective)).toBeLessThanOrEqual(tolerance);
          expect(result.verification.feasible).toBe(true);
        }
      }),
      { numRuns: runs },
    );
  });

  it("the two backends agree with each other: LPs to 1e-6, integer models within the MIP gap", () => {
    let compared = 0;
    let comparedWhole = 0;
    fc.assert(
      fc.property(scenarioArbitrary({ maxPeriods: 2, maxProducts: 3 }), fc.boolean(), (input, wholeUnits) => {
        const scenario = parseScenario(input);
        // javascript-lp-solver's branch and bound is slow beyond toy sizes (see the auto rule): whole units only
        // on small models, with a time limit on its search (its LP simplex cannot be stopped).
        const integer = wholeUnits && formulate(scenario).lp.columns.length <= 30;
        const highs = plan(scenario, { backend: "highs", integer });
        const js = plan(scenario, { backend: "javascript-lp-solver", integer, timeLimitMs: 1_000 });
        if (js.status === "time_limit") return;
        compared++;
        if (integer) comparedWhole++;
        expect(js.status).toBe(highs.status);
        if (highs.objective !== null) {
          // HiGHS stops within its gap of the optimum; javascript-lp-solver searches to the end.
          expect(relativeGap(objectiveOf(js), highs.objective)).toBeLessThanOrEqual(integer ? MIP_GAP : 1e-6);
          expect(js.verification.feasible).toBe(true);
        }
      }),
      { numRuns: runs },
    );
    // Runs where javascript-lp-solver ran out of its search time compare nothing; most must compare.
    expect(compared).toBeGreaterThanOrEqual(Math.ceil(runs * 0.8));
    expect(comparedWhole).toBeGreaterThanOrEqual(Math.ceil(runs * 0.1));
  });
});
