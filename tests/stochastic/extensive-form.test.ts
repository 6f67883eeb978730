import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyChanges, parseScenario, stochastic, type Scenario, type StochasticResult } from "../../src/index.js";
import { withOutcomes } from "../arbitraries/outcomes.js";
import { idArbitrary, scenarioArbitrary } from "../arbitraries/scenario.js";
import { propertyParameters, propertyRuns, relativeGap } from "../support/properties.js";
import { addReferenceCopy, emptyReferenceLp, solveReference, solveReferenceLp, type ReferenceCopy } from "../support/referenceModel.js";

/**
 * The two-stage plan against an extensive form written here from the text of
 * its section — one copy of the independent model (tests/support/referenceModel.ts)
 * per outcome, make shared, unsold allowed, the objective weighted by the
 * probabilities — on generated scenarios with hostile ids and outcome names.
 */
const runs = Math.max(10, Math.floor(propertyRuns / 5));
const TOLERANCE = 1e-6;

/** A scenario and 1–3 outcomes, each scaling one plant's capacity and every price by its own factor. */
const drawnArbitrary = withOutcomes(scenarioArbitrary({ integer: false }));

/** The extensive form of the outcomes, written independently; `fixed` fixes make[r][t] (by the key the copies share). */
function referenceExtensive(outcomes: readonly { probability: number; scenario: Scenario }[], fixed?: Map<string, number>) {
  const lp = emptyReferenceLp();
  const names = new Map<string, string>();
  for (const { probability, scenario } of outcomes) {
    const copy: ReferenceCopy = { probability, shared: { kinds: new Set(["make"]), names }, unsold: true };
    addReferenceCopy(lp, scenario, copy);
  }
  if (fixed !== undefined) {
    for (const [key, name] of names) {
      const value = fixed.get(key) ?? 0;
      const [lower, upper] = lp.bounds.get(name) ?? [0, Infinity];
      lp.bounds.set(name, [Math.max(lower, value), Math.min(upper, value)]);
    }
  }
  return solveReferenceLp(lp, false);
}

/** The engine's here-and-now production as the shared keys of the reference: make of route r in period t. */
function productionByKey(scenario: Scenario, production: StochasticResult["here_and_now"]["production"]): Map<string, number> {
  const fixed = new Map<string, number>();
  for (const row of production) {
    const r = scenario.routes.findIndex((route) => route.plant === row.plant && route.product === row.product);
    fixed.set(JSON.stringify(["make", r, scenario.periods.indexOf(row.period)]), row.units);
  }
  return fixed;
}

const close = (actual: number | null, expected: number | null) => {
  expect(actual === null).toBe(expected === null);
  if (actual !== null && expected !== null) expect(relativeGap(actual, expected)).toBeLessThanOrEqual(TOLERANCE);
};

describe("the two-stage plan matches an independent extensive form", () => {
  it("expected, wait-and-see, EVPI, the mean-value plan, EEV and VSS on generated scenarios with hostile ids and names", async () => {
    await fc.assert(
      fc.asyncProperty(drawnArbitrary, async ({ input, outcomes }) => {
        const scenario = parseScenario(input);
        const result = await stochastic(scenario, { outcomes, here_and_now: ["production"] }, { backend: "highs" });
        const changed = outcomes.map((outcome) => ({ probability: outcome.probability, scenario: applyChanges(scenario, outcome.changes) }));

        const extensive = referenceExtensive(changed);
        expect(result.status).toBe(extensive.status);
        close(result.expected, extensive.objective);
        expect(result.outcomes.map((outcome) => outcome.name)).toEqual(outcomes.map((outcome) => outcome.name));
        if (result.expected === null) return;
        for (const outcome of result.outcomes) expect(outcome.verification.feasible).toBe(true);

        // Wait and see: each outcome alone, unsold allowed.
        const alone = changed.map(({ scenario: outcome }) => {
          const lp = emptyReferenceLp();
          addReferenceCopy(lp, outcome, { probability: 1, unsold: true });
          return solveReferenceLp(lp, false).objective;
        });
        result.outcomes.forEach((outcome, w) => close(outcome.alone, alone[w] ?? null));
        const waitAndSee = alone.reduce<number>((sum, value, w) => sum + (changed[w]?.probability ?? 0) * (value ?? NaN), 0);
        close(result.wait_and_see, waitAndSee);
        close(result.evpi, Math.abs(waitAndSee - (extensive.objective ?? NaN)));

        // The mean outcome: every factor at its expectation.
        const meanCapacity = new Map<string, number>();
        let meanPrice = 0;
        outcomes.forEach((outcome) => {
          const [capacity, price] = outcome.changes as [{ plant: string; resource: string; scale: number }, { scale: number }];
          const key = JSON.stringify([capacity.plant, capacity.resource]);
          meanCapacity.set(key, (meanCapacity.get(key) ?? 0) + outcome.probability * capacity.scale);
          meanPrice += outcome.probability * price.scale;
        });
        // A capacity no outcome scales stays; one some outcomes scale is scaled by the probability-weighted factor (1 where not scaled).
        const meanChanges = [...meanCapacity].map(([key, weighted]) => {
          const [plant, resource] = JSON.parse(key) as [string, string];
          const untouched = outcomes.filter(
            (outcome) => JSON.stringify([(outcome.changes[0] as { plant: string }).plant, (outcome.changes[0] as { resource: string }).resource]) !== key,
          );
          const scale = weighted + untouched.reduce((sum, outcome) => sum + outcome.probability, 0);
          return { on: "capacity", plant, resource, scale };
        });
        const meanScenario = applyChanges(scenario, [...meanChanges, { on: "demand", field: "price", scale: meanPrice }]);
        const meanLp = emptyReferenceLp();
        addReferenceCopy(meanLp, meanScenario, { probability: 1, unsold: true });
        const meanValue = solveReferenceLp(meanLp, false);
        close(result.mean_value.objective, meanValue.objective);

        // EEV: the engine's mean-value decisions fixed in every outcome of the independent model (a degenerate mean
        // outcome may have several optimal plans: their decisions, not the decisions of another, are what EEV prices).
        if (meanValue.objective === null) {
          expect(result.eev).toBeNull();
          expect(result.vss).toBeNull();
          return;
        }
        const decisions = productionByKey(scenario, result.mean_value.here_and_now.production);
        const fixedOutcomes = changed.map(({ scenario: outcome }) => referenceExtensive([{ probability: 1, scenario: outcome }], decisions));
        const withoutPlan = fixedOutcomes.filter((solved) => solved.objective === null).length;
        expect(result.eev_without_plan).toBe(withoutPlan);
        expect(result.vss_unbounded).toBe(withoutPlan > 0);
        if (withoutPlan === 0) {
          const eev = fixedOutcomes.reduce((sum, solved, w) => sum + (changed[w]?.probability ?? 0) * (solved.objective ?? NaN), 0);
          close(result.eev, eev);
          close(result.vss, Math.abs((extensive.objective ?? NaN) - eev));
        } else {
          expect(result.eev).toBeNull();
          expect(result.vss).toBeNull();
        }

        // The order of the figures: wait-and-see ≥ the two-stage plan ≥ the mean-value plan's when maximising, the reverse when minimising cost.
        const slack = 1e-6 * Math.max(1, Math.abs(result.expected));
        const better = scenario.objective === "min_cost" ? -1 : 1;
        expect(better * ((result.wait_and_see ?? NaN) - result.expected)).toBeGreaterThanOrEqual(-slack);
        if (result.eev !== null) expect(better * (result.expected - result.eev)).toBeGreaterThanOrEqual(-slack);
        expect(result.evpi ?? 0).toBeGreaterThanOrEqual(0);
        expect(result.vss ?? 0).toBeGreaterThanOrEqual(0);
      }),
      propertyParameters(runs),
    );
  }, 600_000);

  it("one outcome of probability 1: the two-stage plan is the plan with unsold units allowed, EVPI and VSS are 0", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary({ integer: false }), idArbitrary, async (input, name) => {
        const scenario = parseScenario(input);
        const result = await stochastic(scenario, { outcomes: [{ name, probability: 1, changes: [] }] }, { backend: "highs" });
        const plain = solveReference(scenario, false);
        const lp = emptyReferenceLp();
        addReferenceCopy(lp, scenario, { probability: 1, unsold: true });
        const withUnsold = solveReferenceLp(lp, false);
        close(result.expected, withUnsold.objective);
        // Leaving units unsold is an option, never an obligation: it can only help (a larger margin, a smaller cost).
        if (plain.objective !== null && withUnsold.objective !== null) {
          const slack = 1e-6 * Math.max(1, Math.abs(plain.objective));
          if (scenario.objective === "min_cost") expect(withUnsold.objective).toBeLessThanOrEqual(plain.objective + slack);
          else expect(withUnsold.objective).toBeGreaterThanOrEqual(plain.objective - slack);
        }
        if (result.expected !== null) {
          expect(result.evpi).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(result.expected)));
          expect(result.vss).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(result.expected)));
        }
      }),
      propertyParameters(runs),
    );
  }, 600_000);
});
