import { afterEach, describe, expect, it, vi } from "vitest";
import {
  applyChanges,
  loadBundledScenario,
  parsePlanOptions,
  parseScenario,
  plan,
  prepareMonteCarlo,
  runMonteCarloChunk,
  sampleMultipliers,
  type MonteCarloSpecInput,
  type PlanOptions,
} from "../../src/index.js";
import { mergeMonteCarlo } from "../../src/index.js";
import { sampleLayout } from "../../src/montecarlo/layout.js";
import { WarmLp } from "../../src/solvers/highsParametric.js";
import { UnsolvedModelError } from "../../src/solvers/highsRun.js";
import { selectorOf } from "../../src/montecarlo/prepare.js";
import { relativeGap } from "../support/properties.js";

/**
 * A sample is the scenario with each entry applied as a `scale` change by its
 * multiplier, planned: moving the numbers of one formulation must give what
 * plan(applyChanges(...)) gives, sample by sample.
 */
const scenario = parseScenario(loadBundledScenario("kz-uz-2020"));
const defaultScenario = scenario;

/** Every kind of number a multiplier moves: row bounds, column bounds, prices, costs, a share target's coefficients; two entries on one value. */
const spec: MonteCarloSpecInput = {
  samples: 12,
  seed: 7,
  uncertain: [
    { on: "demand", market: "KZ", field: "max", distribution: { kind: "normal", sd: 0.2 } },
    { on: "demand", family: "car", field: "max", distribution: { kind: "uniform", low: 0.8, high: 1.15 } },
    { on: "capacity", plant: "andijan", resource: "assembly_hours", distribution: { kind: "triangular", low: 0.85, mode: 1, high: 1.05 } },
    { on: "source", part: "electronics", source: "andijan_electronics", field: "capacity", distribution: { kind: "uniform", low: 0.5, high: 1.2 } },
    { on: "demand", market: "UZ", field: "price", distribution: { kind: "normal", sd: 0.05 } },
    { on: "route", plant: "andijan", field: "unit_cost", distribution: { kind: "uniform", low: 0.9, high: 1.1 } },
    { on: "source", part: "engine_small", field: "unit_cost", distribution: { kind: "uniform", low: 0.8, high: 1.2 } },
    { on: "target", id: "export_share", field: "min", distribution: { kind: "uniform", low: 0.8, high: 1.6 } },
    { on: "target", id: "joint_goal", field: "min", distribution: { kind: "uniform", low: 0.9, high: 1.05 } },
  ],
};
const defaultSpec = spec;

/**
 * The joint network (kz-uz-joint-2020): lanes' capacities are row bounds; a lane's cost and duty, a
 * price and a unit cost enter one coefficient together (price − cost − duty·price, unit_cost·(1 + duty) +
 * cost), each scaled by its own entry.
 */
const joint = parseScenario(loadBundledScenario("kz-uz-joint-2020"));
const jointSpec: MonteCarloSpecInput = {
  samples: 8,
  seed: 11,
  uncertain: [
    { on: "delivery", part: "body_kit", plant: "kostanay", field: "capacity", distribution: { kind: "uniform", low: 0.5, high: 1.3 } },
    { on: "delivery", part: "body_kit", plant: "kostanay", field: "duty", distribution: { kind: "uniform", low: 0, high: 2 } },
    { on: "delivery", plant: "kostanay", field: "cost", distribution: { kind: "normal", sd: 0.3 } },
    { on: "source", part: "body_kit", field: "unit_cost", distribution: { kind: "uniform", low: 0.7, high: 1.5 } },
    { on: "shipping", plant: "andijan", market: "KZ", field: "duty", distribution: { kind: "triangular", low: 0.5, mode: 1, high: 1.5 } },
    { on: "shipping", market: "KZ", field: "cost", distribution: { kind: "uniform", low: 0.8, high: 1.4 } },
    { on: "demand", market: "KZ", field: "price", distribution: { kind: "normal", sd: 0.08 } },
  ],
};

function compareWithPlans(options: PlanOptions, from: number, to: number, scenario = defaultScenario, spec = defaultSpec): void {
  const prepared = prepareMonteCarlo(scenario, spec, parsePlanOptions(options));
  const chunk = runMonteCarloChunk({ scenario, spec: prepared.spec, from, to, options });
  const layout = sampleLayout(scenario);
  expect(chunk.samples.map((sample) => sample.index)).toEqual(Array.from({ length: to - from }, (_, k) => from + k));
  let planned = 0;
  for (const sample of chunk.samples) {
    const multipliers = sampleMultipliers(prepared.spec, sample.index);
    const changed = applyChanges(
      scenario,
      prepared.spec.uncertain.map((entry, e) => ({ ...selectorOf(entry), scale: multipliers[e] })),
    );
    const direct = plan(changed, options);
    expect(sample.objective === null, `sample ${sample.index}: ${sample.status} against ${direct.status}`).toBe(direct.objective === null);
    if (direct.objective === null || sample.objective === null) continue;
    planned++;
    expect(relativeGap(sample.objective, direct.objective), `sample ${sample.index}`).toBeLessThanOrEqual(options.integer === true ? 1e-4 : 1e-9);
    expect(sample.met).toEqual(direct.targets.map((row) => (row.met ? 1 : 0)));
    expect(sample.production).toHaveLength(layout.production.length);
    const made = sample.production.reduce((sum, units) => sum + units, 0);
    const madeDirect = direct.production.reduce((sum, row) => sum + row.units, 0);
    if (options.integer !== true) expect(relativeGap(made, madeDirect)).toBeLessThanOrEqual(0.05);
  }
  expect(planned).toBeGreaterThan(0);
}

describe("samples against plan() of the changed scenario", () => {
  it("continuous, HiGHS kept warm: the same status and objective for every sample", () => {
    compareWithPlans({}, 0, 12);
  });

  it("javascript-lp-solver, a copy of the moved LP per sample", () => {
    compareWithPlans({ backend: "javascript-lp-solver" }, 3, 9);
  });

  it("whole units: each sample a branch and bound of the moved LP", () => {
    compareWithPlans({ integer: true }, 0, 2);
  }, 60_000);

  it("joint network: uncertain lanes (capacity, cost, duty) with prices and unit costs on the same coefficients", () => {
    compareWithPlans({}, 0, 8, joint, jointSpec);
    compareWithPlans({ backend: "javascript-lp-solver" }, 0, 3, joint, jointSpec);
  }, 60_000);
});

describe("an answer the moved model gets wrong", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** HiGHS' answers after the reference solve replaced by `answer`. */
  function spoil(answer: (original: () => ReturnType<WarmLp["solve"]>) => ReturnType<WarmLp["solve"]>): void {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the spied instance as `this`
    const original = WarmLp.prototype.solve;
    let calls = 0;
    vi.spyOn(WarmLp.prototype, "solve").mockImplementation(function (this: WarmLp, timeLimitMs?: number) {
      const solve = () => original.call(this, timeLimitMs);
      return ++calls === 1 ? solve() : answer(solve);
    });
  }

  it("fails verification: the sample is planned again from scratch, and the result counts it", () => {
    spoil((solve) => {
      const right = solve();
      return right.values === null ? right : { ...right, values: new Float64Array(right.values.length) };
    });
    const prepared = prepareMonteCarlo(scenario, spec, parsePlanOptions({}));
    const chunk = runMonteCarloChunk({ scenario, spec: prepared.spec, from: 0, to: 3, options: {} });
    vi.restoreAllMocks();
    const clean = runMonteCarloChunk({ scenario, spec: prepared.spec, from: 0, to: 3, options: {} });
    chunk.samples.forEach((sample, k) => {
      const right = clean.samples[k]?.objective ?? null;
      expect(sample.objective === null).toBe(right === null);
      if (sample.objective !== null && right !== null) expect(relativeGap(sample.objective, right)).toBeLessThanOrEqual(1e-9);
    });
    const replanned = chunk.samples.filter((sample) => sample.replanned === "unverified");
    expect(replanned.length).toBe(clean.samples.filter((sample) => sample.objective !== null).length);
    const notes = mergeMonteCarlo(scenario, prepared.spec, [chunk], "cancelled").notes;
    expect(notes).toContain(`${replanned.length} samples: the solver's answer on the moved model failed verification; planned again from scratch.`);
  });

  it("cannot be had from HiGHS: the sample is planned again from scratch", () => {
    spoil(() => {
      throw new UnsolvedModelError("solveError");
    });
    const prepared = prepareMonteCarlo(scenario, spec, parsePlanOptions({}));
    const chunk = runMonteCarloChunk({ scenario, spec: prepared.spec, from: 0, to: 2, options: {} });
    expect(chunk.samples.map((sample) => sample.replanned)).toEqual(["unsolved", "unsolved"]);
    expect(chunk.samples[0]?.objective).not.toBeNull();
    expect(mergeMonteCarlo(scenario, prepared.spec, [chunk], "cancelled").notes).toContain(
      "2 samples: HiGHS could not solve the moved model; planned again from scratch.",
    );
  });
});
