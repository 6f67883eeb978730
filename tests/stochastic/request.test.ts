import { describe, expect, it } from "vitest";
import {
  applyChanges,
  isValidationError,
  loadBundledScenario,
  parseScenario,
  sampleMultipliers,
  stochastic,
  type StochasticResult,
  type ValidationIssue,
} from "../../src/index.js";
import { prepareStochastic } from "../../src/stochastic/outcomes.js";
import { parsePlanOptions } from "../../src/plan/options.js";

/** Requests of the two-stage plan: what is checked (with paths), sampled outcomes, the evaluation on fresh samples. */
const scenario = parseScenario(loadBundledScenario("kz-uz-2020"));
const kazakhDemand = { on: "demand", market: "KZ", field: "max", distribution: { kind: "uniform", low: 0.6, high: 1.3 } } as const;

async function issuesOf(spec: unknown, on: unknown = scenario): Promise<ValidationIssue[]> {
  try {
    await stochastic(on, spec);
  } catch (error) {
    if (isValidationError(error)) {
      expect(error.subject).toBe("request");
      return [...error.issues];
    }
    throw error;
  }
  throw new Error("the request was accepted");
}

/** The result without its timing, which differs from run to run. */
const untimed = (result: StochasticResult) => ({ ...result, solver: { ...result.solver, ms: 0 } });

describe("a two-stage request is checked, every issue with its path", () => {
  it("probabilities that do not sum to 1 within 1e-9", async () => {
    const issues = await issuesOf({
      outcomes: [
        { name: "a", probability: 0.5, changes: [] },
        { name: "b", probability: 0.5 + 2e-9, changes: [] },
      ],
    });
    expect(issues).toEqual([{ path: "outcomes", message: expect.stringMatching(/sum to 1/) as unknown }]);
    // Within 1e-9 is 1.
    await expect(
      stochastic(scenario, {
        outcomes: [
          { name: "a", probability: 0.5, changes: [] },
          { name: "b", probability: 0.5 + 5e-10, changes: [] },
        ],
      }),
    ).resolves.toMatchObject({ status: "optimal" });
  }, 60_000);

  it("an outcome named twice, a kind of decision the scenario does not have, a change that selects nothing, evaluate without sample", async () => {
    const issues = await issuesOf({
      outcomes: [
        { name: "__proto__", probability: 0.25, changes: [] },
        { name: "x", probability: 0.25, changes: [{ on: "demand", market: "nowhere", field: "max", scale: 2 }] },
        { name: "__proto__", probability: 0.5, changes: [] },
      ],
      here_and_now: ["production", "investments", "production"],
      evaluate: { samples: 10, seed: 1 },
    });
    const paths = issues.map((issue) => issue.path);
    expect(paths).toContain("outcomes[2].name");
    expect(paths).toContain("here_and_now[2]");
    expect(paths).toContain("evaluate");
    const more = await issuesOf({
      outcomes: [{ name: "x", probability: 1, changes: [{ on: "demand", market: "nowhere", field: "max", scale: 2 }] }],
      here_and_now: ["investments"],
    });
    expect(more.map((issue) => issue.path).sort()).toEqual(["here_and_now[0]", "outcomes[0].changes[0].market"]);
  });

  it("outcomes and sample together or neither, and the sample's own fields", async () => {
    expect((await issuesOf({ here_and_now: ["production"] })).map((issue) => issue.path)).toEqual([""]);
    expect(
      (await issuesOf({ outcomes: [{ name: "a", probability: 1 }], sample: { count: 2, seed: 1, uncertain: [kazakhDemand] } })).map((issue) => issue.path),
    ).toEqual(["sample"]);
    const sample = await issuesOf({ sample: { count: 0, seed: 1.5, uncertain: [{ ...kazakhDemand, market: "nowhere" }] } });
    expect(sample.map((issue) => issue.path).sort()).toEqual(["sample.count", "sample.seed"]);
    const selector = await issuesOf({ sample: { count: 2, seed: 1, uncertain: [{ ...kazakhDemand, market: "nowhere" }] } });
    expect(selector.map((issue) => issue.path)).toEqual(["sample.uncertain[0].market"]);
    const unknown = await issuesOf({ outcomes: [{ name: "a", probability: 1, weight: 2 }] });
    expect(unknown.map((issue) => issue.path)).toEqual(["outcomes[0].weight"]);
  });
});

describe("sampled outcomes", () => {
  const spec = { sample: { count: 4, seed: 11, uncertain: [kazakhDemand] }, here_and_now: ["production"] };

  it("outcome i is Monte Carlo's sample i of the same seed, each with probability 1/count", () => {
    const prepared = prepareStochastic(scenario, spec, parsePlanOptions({}));
    expect(prepared.outcomes.map((outcome) => outcome.probability)).toEqual([0.25, 0.25, 0.25, 0.25]);
    prepared.outcomes.forEach((outcome, i) => {
      const [multiplier = NaN] = sampleMultipliers({ seed: 11, uncertain: [kazakhDemand] }, i);
      const scaled = applyChanges(scenario, [{ on: "demand", market: "KZ", field: "max", scale: multiplier }]);
      expect(outcome.scenario.demand).toEqual(scaled.demand);
    });
  });

  it("the same seed gives the same JSON twice; another seed other outcomes", async () => {
    const first = await stochastic(scenario, spec);
    const second = await stochastic(scenario, spec);
    expect(JSON.stringify(untimed(second))).toBe(JSON.stringify(untimed(first)));
    const other = await stochastic(scenario, { ...spec, sample: { ...spec.sample, seed: 12 } });
    expect(other.outcomes.map((outcome) => outcome.objective)).not.toEqual(first.outcomes.map((outcome) => outcome.objective));
  }, 120_000);

  it("the evaluation fixes the here-and-now decisions on fresh samples: the same on one thread and on two, each sample its second stage", async () => {
    const evaluated = { ...spec, evaluate: { samples: 24, seed: 99 } };
    const inline = await stochastic(scenario, evaluated, { threads: 1 });
    const threaded = await stochastic(scenario, evaluated, { threads: 2 });
    expect(threaded.evaluation).toEqual(inline.evaluation);
    const evaluation = inline.evaluation;
    if (evaluation === undefined) throw new Error("no evaluation");
    expect(evaluation.samples).toBe(24);
    // Each fresh sample alone, its production fixed at the two-stage plan's: the mean and interval from them.
    const objectives: number[] = [];
    let infeasible = 0;
    for (let index = 0; index < 24; index++) {
      const [multiplier = NaN] = sampleMultipliers({ seed: 99, uncertain: [kazakhDemand] }, index);
      // Every route's production fixed at the two-stage plan's (0 where it makes nothing), through its min and max.
      const made = (plant: string, product: string, period: string) =>
        inline.here_and_now.production.find((row) => row.plant === plant && row.product === product && row.period === period)?.units ?? 0;
      const fixedProduction = scenario.routes.flatMap((route) =>
        scenario.periods.flatMap((period) =>
          (["max", "min"] as const).map((field) => ({
            on: "route",
            plant: route.plant,
            product: route.product,
            field,
            set: made(route.plant, route.product, period),
            periods: [period],
          })),
        ),
      );
      const fixed = await stochastic(applyChanges(scenario, [{ on: "demand", market: "KZ", field: "max", scale: multiplier }]), {
        outcomes: [{ name: "sample", probability: 1, changes: fixedProduction }],
        here_and_now: ["production"],
      });
      if (fixed.expected === null) infeasible++;
      else objectives.push(fixed.expected);
    }
    expect(evaluation.infeasible).toBe(infeasible);
    const mean = objectives.reduce((sum, value) => sum + value, 0) / objectives.length;
    expect(Math.abs((evaluation.mean ?? NaN) - mean)).toBeLessThanOrEqual(1e-6 * Math.abs(mean));
    const [low = NaN, high = NaN] = evaluation.ci95 ?? [];
    expect(low).toBeLessThanOrEqual(mean);
    expect(high).toBeGreaterThanOrEqual(mean);
  }, 300_000);
});
