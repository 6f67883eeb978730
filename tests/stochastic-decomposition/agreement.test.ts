import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stochastic, type StochasticResult } from "../../src/index.js";
import { withOutcomes } from "../arbitraries/outcomes.js";
import { investmentScenarioArbitrary, scenarioArbitrary } from "../arbitraries/scenario.js";
import { propertyParameters, propertyRuns, relativeGap } from "../support/properties.js";

/**
 * The L-shaped decomposition against the extensive form on generated
 * scenarios with hostile ids and outcome names: where both run they agree to
 * 1e-6 on the expected objective, and what the result says around it
 * (each outcome's objective, wait-and-see, EEV) comes out the same way —
 * with production decided here and now (an LP master) and with investments
 * too (a MIP master).
 */
const runs = Math.max(4, Math.floor(propertyRuns / 25));
const TOLERANCE = 1e-6;

function expectAgreement(extensive: StochasticResult, decomposed: StochasticResult): void {
  expect(decomposed.status).toBe(extensive.status);
  if (extensive.expected === null) {
    expect(decomposed.expected).toBeNull();
    return;
  }
  expect(decomposed.decomposition?.stopped).toBe("gap");
  expect(decomposed.expected).not.toBeNull();
  expect(relativeGap(decomposed.expected ?? NaN, extensive.expected)).toBeLessThanOrEqual(TOLERANCE);
  // The decisions found are a verified two-stage plan in every outcome.
  for (const outcome of decomposed.outcomes) expect(outcome.verification.feasible).toBe(true);
  // Through the same result path: the bounds it reported bracket the expectation it reports.
  const { lower, upper } = decomposed.decomposition ?? {};
  expect(lower).not.toBeNull();
  expect(upper).not.toBeNull();
  expect(relativeGap(lower ?? NaN, decomposed.expected ?? NaN)).toBeLessThanOrEqual(TOLERANCE);
  expect(decomposed.wait_and_see).toEqual(extensive.wait_and_see);
  expect(decomposed.eev).toEqual(extensive.eev);
}

describe("the decomposition agrees with the extensive form", () => {
  it("to 1e-6 with production decided here and now (an LP master), on generated scenarios and outcomes", async () => {
    await fc.assert(
      fc.asyncProperty(withOutcomes(scenarioArbitrary({ integer: false })), async ({ input, outcomes }) => {
        const request = { outcomes, here_and_now: ["production"] };
        const extensive = await stochastic(input, { ...request, method: "extensive" }, { backend: "highs" });
        const decomposed = await stochastic(input, { ...request, method: "decomposition" }, { backend: "highs", threads: 1 });
        expectAgreement(extensive, decomposed);
      }),
      propertyParameters(runs),
    );
  }, 600_000);

  it("to 1e-6 with investments and production decided here and now (a MIP master), on generated scenarios and outcomes", async () => {
    await fc.assert(
      fc.asyncProperty(withOutcomes(investmentScenarioArbitrary({ integer: false })), async ({ input, outcomes }) => {
        const request = { outcomes, here_and_now: ["investments", "production"] };
        // Both proven to the same depth: HiGHS' default MIP gap (1e-4) would blur the comparison.
        const options = { backend: "highs" as const, mipGap: 1e-9 };
        const extensive = await stochastic(input, { ...request, method: "extensive" }, options);
        const decomposed = await stochastic(input, { ...request, method: "decomposition" }, { ...options, threads: 1 });
        expectAgreement(extensive, decomposed);
      }),
      propertyParameters(runs),
    );
  }, 600_000);
});
