import { describe, expect, it } from "vitest";
import {
  applyChanges,
  compare,
  isValidationError,
  parsePlanOptions,
  parseScenario,
  plan,
  prepareMonteCarlo,
  runMonteCarloChunk,
  sampleMultipliers,
  sweep,
} from "../../src/index.js";
import { selectorOf } from "../../src/montecarlo/prepare.js";
import { minimalScenario } from "../support/builders.js";
import { relativeGap } from "../support/properties.js";

/**
 * What-ifs of investments (docs/whatif.md, docs/investments.md): the Change
 * `{ on: "investment", id, field: fixed_cost | operating_cost | built }`, grid
 * sweeps and comparisons over it, exact mode refused, Monte Carlo over its
 * costs — each point and sample against plan() of the changed scenario.
 */
const scenario = parseScenario(
  minimalScenario({
    periods: ["y1", "y2", "y3"],
    discount_rate: 0.05,
    plants: [
      { id: "A", resources: { hours: 0 } },
      { id: "B", resources: { hours: 40 } },
    ],
    routes: [
      { plant: "A", product: "q", uses: { hours: 1 } },
      { plant: "B", product: "q", uses: { hours: 1 } },
    ],
    demand: [{ market: "m", product: "q", price: 10, max: { y1: 60, y2: 100, y3: 140 } }],
    investments: [
      { id: "a", plant: "A", adds: { hours: 100 }, fixed_cost: 900, operating_cost: 30, group: "site" },
      { id: "b", plant: "B", adds: { hours: 60 }, fixed_cost: 500, operating_cost: { y1: 10, "*": 20 }, group: "site" },
    ],
  }),
);

describe("investment changes", () => {
  it("built: set 1 forces, set 0 forbids; other operations and values are refused at their path", () => {
    const forced = applyChanges(scenario, [{ on: "investment", id: "a", field: "built", set: 1 }]);
    expect(forced.investments[0]?.built).toBe(true);
    const forbidden = plan(applyChanges(scenario, [{ on: "investment", id: "b", field: "built", set: 0 }]));
    expect(forbidden.investments?.find((row) => row.id === "b")?.built).toBe(false);
    for (const [change, path, message] of [
      [{ on: "investment", id: "zz", field: "fixed_cost", set: 1 }, "[0].id", /unknown investment "zz"/],
      [{ on: "investment", id: "a", field: "built", scale: 2 }, "[0].scale", /built takes "set": 1/],
      [{ on: "investment", id: "a", field: "built", set: 0.5 }, "[0].set", /built takes "set": 1/],
      [{ on: "investment", id: "a", field: "fixed_cost", set: 1, periods: ["y1"] }, "[0].periods", /fixed_cost is one number for every period/],
      [{ on: "investment", id: "a", field: "fixed_cost", add: -1000 }, "[0].add", /must not be negative/],
    ] as const) {
      try {
        applyChanges(scenario, [change]);
        expect.unreachable(JSON.stringify(change));
      } catch (error) {
        expect(isValidationError(error)).toBe(true);
        const issues = (error as { issues: { path: string; message: string }[] }).issues;
        expect(
          issues.some((issue) => issue.path === path && message.test(issue.message)),
          `${JSON.stringify(change)}: ${JSON.stringify(issues)}`,
        ).toBe(true);
      }
    }
  });

  it("a grid over a fixed cost plans each point as the changed scenario; exact mode says to use grid", async () => {
    const values = [0, 400, 900, 2000];
    const result = await sweep(scenario, { parameter: { on: "investment", id: "a", field: "fixed_cost" }, values }, { threads: 1 });
    result.points.forEach((point, n) => {
      const direct = plan(applyChanges(scenario, [{ on: "investment", id: "a", field: "fixed_cost", set: values[n] }]));
      expect(point.status).toBe(direct.status);
      expect(relativeGap(point.objective ?? NaN, direct.objective ?? NaN)).toBeLessThanOrEqual(1e-9);
    });
    await expect(sweep(scenario, { parameter: { on: "investment", id: "a", field: "fixed_cost" }, from: 0, to: 100, mode: "exact" })).rejects.toThrow(
      /use mode "grid"/,
    );
  });

  it("a comparison forcing each candidate gives each the plan of the changed scenario", async () => {
    const variants = ["a", "b"].map((id) => ({ name: id, changes: [{ on: "investment" as const, id, field: "built" as const, set: 1 }] }));
    const result = await compare(scenario, variants);
    for (const variant of result.variants) {
      const direct = plan(applyChanges(scenario, variants.find((v) => v.name === variant.name)?.changes ?? []));
      expect(relativeGap(variant.plan.objective ?? NaN, direct.objective ?? NaN)).toBeLessThanOrEqual(1e-9);
      expect(variant.plan.investments?.find((row) => row.id === variant.name)?.built).toBe(true);
    }
  });

  it("Monte Carlo over investment costs: each sample is the changed scenario's plan (a mixed-integer solve)", () => {
    const spec = {
      samples: 6,
      seed: 3,
      uncertain: [
        { on: "investment", id: "a", field: "fixed_cost", distribution: { kind: "uniform", low: 0.2, high: 2.5 } },
        { on: "investment", id: "b", field: "operating_cost", distribution: { kind: "normal", sd: 0.5 } },
        { on: "demand", field: "price", distribution: { kind: "uniform", low: 0.8, high: 1.2 } },
      ],
    } as const;
    const prepared = prepareMonteCarlo(scenario, spec, parsePlanOptions({}));
    const chunk = runMonteCarloChunk({ scenario, spec: prepared.spec, from: 0, to: 6, options: {} });
    for (const sample of chunk.samples) {
      const multipliers = sampleMultipliers(prepared.spec, sample.index);
      const changed = applyChanges(
        scenario,
        prepared.spec.uncertain.map((entry, e) => ({ ...selectorOf(entry), scale: multipliers[e] })),
      );
      const direct = plan(changed);
      expect(relativeGap(sample.objective ?? NaN, direct.objective ?? NaN), `sample ${sample.index}`).toBeLessThanOrEqual(1e-6);
    }
    expect(() =>
      prepareMonteCarlo(
        scenario,
        { ...spec, uncertain: [{ on: "investment", id: "a", field: "built", distribution: { kind: "normal", sd: 0.1 } }] },
        parsePlanOptions({}),
      ),
    ).toThrow(/a decision is not a number to sample/);
  });
});
