import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isValidationError, parseScenario, plan, validateScenario, verifyPlan, type Plan } from "../../src/index.js";
import { evaluate } from "../../src/plan/verification/index.js";
import { scenarioArbitrary } from "../arbitraries/scenario.js";
import { propertyParameters, propertyRuns, relativeGap } from "../support/properties.js";
import { addCapacity, countResources, renameAndShuffle, scaleMoney, scaleSupply, type Json } from "../support/transform.js";
import { objectiveOf } from "../support/present.js";

/**
 * Invariants every plan must honour, checked on generated scenarios (see
 * tests/arbitraries/scenario.ts). Each `it` names its invariant. Runs:
 * PROPS_RUNS (default 200); replay a failure with PROPS_SEED.
 */
const TOLERANCE = 1e-6;
const lp = scenarioArbitrary({ integer: false });
const marginLp = lp.map((s): Json => ({ ...s, objective: "max_margin" }));
const solve = (input: unknown, options: Parameters<typeof plan>[1] = {}) => plan(input, { backend: "highs", ...options });
const hasPlan = (p: Plan) => p.status === "optimal";

/**
 * Counts the runs in which an invariant was actually exercised (not skipped
 * for lack of a plan), so that no property passes vacuously.
 */
function exercised(minimumShare: number) {
  let count = 0;
  return {
    hit: () => {
      count++;
    },
    check: (runs: number) => expect(count, `exercised in ${count} of ${runs} runs`).toBeGreaterThanOrEqual(Math.ceil(runs * minimumShare)),
  };
}

describe("properties of every plan", () => {
  it("every optimal plan passes verification with max violation ≤ 1e-6 (both backends; LP and whole units)", () => {
    const seen = exercised(0.3);
    fc.assert(
      fc.property(scenarioArbitrary(), (input) => {
        const scenario = parseScenario(input);
        const runs: Plan[] = [solve(scenario)];
        if (!scenario.integer) runs.push(plan(scenario, { backend: "javascript-lp-solver" }));
        for (const result of runs) {
          if (!hasPlan(result)) continue;
          seen.hit();
          expect(result.verification.feasible).toBe(true);
          expect(result.verification.max_violation).toBeLessThanOrEqual(TOLERANCE);
          expect(verifyPlan(scenario, result)).toEqual(result.verification);
          if (result.solver.integer) {
            for (const row of [...result.production, ...result.sales, ...result.inventory, ...result.procurement]) {
              expect(Number.isInteger(row.units)).toBe(true);
            }
          }
        }
      }),
      propertyParameters(),
    );
    seen.check(propertyRuns);
  });

  it("more capacity never lowers a max_margin optimum", () => {
    const seen = exercised(0.3);
    fc.assert(
      fc.property(marginLp, fc.nat(), fc.integer({ min: 1, max: 500 }), (input, which, extra) => {
        const before = solve(input);
        if (!hasPlan(before)) return;
        const after = solve(addCapacity(input, which % countResources(input), extra));
        seen.hit();
        expect(["optimal", "unbounded"]).toContain(after.status);
        if (hasPlan(after)) expect(objectiveOf(after) - objectiveOf(before)).toBeGreaterThanOrEqual(-TOLERANCE * Math.max(1, Math.abs(objectiveOf(before))));
      }),
      propertyParameters(),
    );
    seen.check(propertyRuns);
  });

  it("more parts supply never lowers a max_margin optimum", () => {
    const seen = exercised(0.3);
    const withParts = marginLp.filter((s) => (s["parts"] as unknown[]).length > 0);
    fc.assert(
      fc.property(withParts, fc.nat(), fc.constantFrom(1.5, 2, 10), (input, which, factor) => {
        const before = solve(input);
        if (!hasPlan(before)) return;
        const after = solve(scaleSupply(input, which % (input["parts"] as unknown[]).length, factor));
        seen.hit();
        expect(["optimal", "unbounded"]).toContain(after.status);
        if (hasPlan(after)) expect(objectiveOf(after) - objectiveOf(before)).toBeGreaterThanOrEqual(-TOLERANCE * Math.max(1, Math.abs(objectiveOf(before))));
      }),
      propertyParameters(),
    );
    seen.check(propertyRuns);
  });

  it("a tighter target never raises a max_margin optimum", () => {
    const seen = exercised(0.3);
    const extraTarget = fc.oneof(
      fc.record({ kind: fc.constant("units"), min: fc.integer({ min: 1, max: 300 }) }),
      fc.record({ kind: fc.constant("units"), max: fc.integer({ min: 0, max: 300 }) }),
      fc.record({ kind: fc.constant("export_share"), min: fc.constantFrom(0.1, 0.5, 0.9) }),
      fc.record({ kind: fc.constant("export_share"), max: fc.constantFrom(0.1, 0.5, 0.9) }),
      fc.record({ kind: fc.constant("local_parts_share"), min: fc.constantFrom(0.1, 0.5, 0.9) }),
    );
    fc.assert(
      fc.property(marginLp, extraTarget, (input, target) => {
        const before = solve(input);
        if (before.status !== "optimal") return;
        const tighter = { ...input, targets: [...(input["targets"] as Json[]), { id: "tighter target", ...target }] };
        const after = solve(tighter);
        seen.hit();
        expect(["optimal", "infeasible"]).toContain(after.status);
        if (hasPlan(after)) expect(objectiveOf(after) - objectiveOf(before)).toBeLessThanOrEqual(TOLERANCE * Math.max(1, Math.abs(objectiveOf(before))));
      }),
      propertyParameters(),
    );
    seen.check(propertyRuns);
  });

  it("the integer optimum never beats the LP optimum", () => {
    const seen = exercised(0.3);
    fc.assert(
      fc.property(scenarioArbitrary({ maxPeriods: 2, maxProducts: 3 }), (input) => {
        const relaxed = solve(input, { integer: false });
        const whole = solve(input, { integer: true });
        if (relaxed.status === "infeasible") expect(whole.status).toBe("infeasible");
        if (whole.status !== "optimal" || relaxed.status !== "optimal") return;
        seen.hit();
        const lpValue = objectiveOf(relaxed);
        const intValue = objectiveOf(whole);
        const slack = TOLERANCE * Math.max(1, Math.abs(lpValue));
        if (input["objective"] === "min_cost") expect(intValue).toBeGreaterThanOrEqual(lpValue - slack);
        else expect(intValue).toBeLessThanOrEqual(lpValue + slack);
      }),
      propertyParameters(),
    );
    seen.check(propertyRuns);
  });

  it("renaming every id and shuffling every collection leaves the objective unchanged and maps the plan back", () => {
    const seen = exercised(0.3);
    fc.assert(
      fc.property(lp, fc.integer(), (input, seed) => {
        const original = parseScenario(input);
        const { scenario: renamed, mapBack } = renameAndShuffle(input, seed);
        const before = solve(original);
        const after = solve(renamed);
        expect(after.status).toBe(before.status);
        if (!hasPlan(before)) return;
        expect(relativeGap(objectiveOf(after), objectiveOf(before))).toBeLessThanOrEqual(TOLERANCE);
        seen.hit();
        const quantities = mapBack(after);
        const back = evaluate(original, quantities, false);
        expect(back.verification.feasible).toBe(true);
        expect(relativeGap(back.objective, objectiveOf(before))).toBeLessThanOrEqual(TOLERANCE);
      }),
      propertyParameters(),
    );
    seen.check(propertyRuns);
  });

  it("multiplying every price and cost by k multiplies the objective by k", () => {
    const seen = exercised(0.3);
    fc.assert(
      fc.property(lp, fc.constantFrom(0.25, 2, 10, 1000), (input, k) => {
        const before = solve(input);
        const after = solve(scaleMoney(input, k));
        expect(after.status).toBe(before.status);
        if (!hasPlan(before)) return;
        seen.hit();
        const expected = input["objective"] === "max_units" ? objectiveOf(before) : objectiveOf(before) * k;
        expect(relativeGap(objectiveOf(after), expected)).toBeLessThanOrEqual(TOLERANCE);
      }),
      propertyParameters(),
    );
    seen.check(propertyRuns);
  });

  it("export-share and local-share targets are honoured exactly at their bound when binding", () => {
    const seen = exercised(0.01);
    const withShareTarget = marginLp.chain((input) => {
      const periods = (input["periods"] as string[] | undefined) ?? ["base"];
      return fc.record({
        input: fc.constant(input),
        kind: fc.constantFrom("export_share", "local_parts_share"),
        bound: fc.constantFrom("min", "max"),
        share: fc.constantFrom(0.2, 0.5, 0.8),
        period: fc.constantFrom(...periods),
      });
    });
    fc.assert(
      fc.property(withShareTarget, ({ input, kind, bound, share, period }) => {
        const free = solve(input);
        const bounded = solve({ ...input, targets: [...(input["targets"] as Json[]), { id: "probe", kind, [bound]: share, periods: [period] }] });
        if (free.status !== "optimal" || bounded.status !== "optimal") return;
        const scale = Math.max(1, Math.abs(objectiveOf(free)));
        const binding = objectiveOf(free) - objectiveOf(bounded) > 1e-5 * scale;
        if (!binding) return;
        // Binding: the target is active in every optimal plan (an LP optimum with slack here would be optimal without it).
        seen.hit();
        const row = bounded.targets.find((target) => target.id === "probe" && target.period === period);
        expect(row?.met).toBe(true);
        if (row?.value !== null && row?.value !== undefined) expect(Math.abs(row.value - share)).toBeLessThanOrEqual(1e-6);
      }),
      propertyParameters(),
    );
    seen.check(propertyRuns);
  });

  it("a scenario is infeasible exactly when the diagnosis proposes relaxations", () => {
    const seen = exercised(0.1);
    fc.assert(
      fc.property(lp, (input) => {
        const result = solve(input, { explain: true });
        const relaxations = result.diagnosis?.relaxations ?? [];
        if (result.status === "infeasible") {
          seen.hit();
          expect(relaxations.length).toBeGreaterThan(0);
          for (const change of relaxations) expect(change.by).toBeGreaterThan(0);
        } else {
          expect(relaxations).toEqual([]);
        }
      }),
      propertyParameters(),
    );
    seen.check(propertyRuns);
  });

  it("parseScenario never throws anything but a ValidationError on arbitrary JSON", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true, withSparseArray: true })),
        (input) => {
          const result = validateScenario(input);
          expect(result.ok).toBe(false);
          try {
            parseScenario(input);
          } catch (error) {
            expect(isValidationError(error)).toBe(true);
          }
        },
      ),
      propertyParameters(),
    );
  });
});
