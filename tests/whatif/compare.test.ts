import { describe, expect, it } from "vitest";
import { compare, isValidationError, loadBundledScenario, plan, type ValidationIssue } from "../../src/index.js";
import { minimalScenario } from "../support/builders.js";

/*
 * One plant, 100 hours; a (2 h, price 30, at most 40), b (1 h, price 10, at
 * most 50); a goal of 70 units. Baseline: the goal takes hours from a to b —
 * a = 30, b = 40, margin 900 + 400 = 1,300; the hours and the goal bind.
 * With 120 hours a reaches its demand limit: a = 40 (80 h), b = 40 (40 h),
 * 80 units, margin 1,600: the goal no longer binds, a's demand does.
 */
const scenario = minimalScenario({
  products: [
    { id: "a", family: "car" },
    { id: "b", family: "car" },
  ],
  routes: [
    { plant: "p", product: "a", uses: { hours: 2 } },
    { plant: "p", product: "b", uses: { hours: 1 } },
  ],
  demand: [
    { market: "m", product: "a", price: 30, max: 40 },
    { market: "m", product: "b", price: 10, max: 50 },
  ],
  targets: [{ id: "goal", kind: "units", min: 70 }],
});

const moreHours = { name: "120 hours", changes: [{ on: "capacity", plant: "p", resource: "hours", set: 120 }] };
const tooMuch = { name: "goal 200", changes: [{ on: "target", id: "goal", field: "min", set: 200 }] };

async function issuesOf(variants: unknown): Promise<ValidationIssue[]> {
  try {
    await compare(scenario, variants);
    return [];
  } catch (error) {
    if (!isValidationError(error)) throw error;
    expect(error.subject).toBe("request");
    return [...error.issues];
  }
}

describe("compare", () => {
  it("plans the baseline and each variant and tells what changed: objective, production, targets, what binds", async () => {
    const result = await compare(scenario, [moreHours]);
    expect(result.baseline.objective).toBeCloseTo(1300, 6);
    const [variant] = result.variants;
    expect(variant?.name).toBe("120 hours");
    expect(variant?.plan.objective).toBeCloseTo(1600, 6);
    expect(variant?.delta.objective).toBeCloseTo(300, 6);
    expect(variant?.delta.production).toEqual([
      { period: "base", plant: "p", product: "a", baseline: 30, variant: 40, change: 10 },
      { period: "base", plant: "p", product: "b", baseline: 40, variant: 40, change: 0 },
    ]);
    expect(variant?.delta.targets).toEqual([{ id: "goal", period: "base", baseline: 70, variant: 80, met: true }]);
    expect(variant?.delta.binding).toEqual({
      became: [{ kind: "demand", market: "m", product: "a", period: "base", bound: "max" }],
      released: [{ kind: "target", id: "goal", period: "base", bound: "min" }],
    });
    expect(result.binding).toEqual(
      expect.arrayContaining([
        { kind: "capacity", plant: "p", resource: "hours", period: "base" },
        { kind: "target", id: "goal", period: "base", bound: "min" },
      ]),
    );
  });

  it("a variant without a plan has no objective, production or targets to compare; what bound is released", async () => {
    const result = await compare(scenario, [tooMuch]);
    const [variant] = result.variants;
    expect(variant?.plan.status).toBe("infeasible");
    expect(variant?.delta.objective).toBeNull();
    expect(variant?.delta.production.every((row) => row.variant === null && row.change === null)).toBe(true);
    expect(variant?.delta.targets).toEqual([{ id: "goal", period: "base", baseline: 70, variant: null, met: false }]);
    expect(variant?.delta.binding.became).toEqual([]);
    expect(variant?.delta.binding.released).toEqual(result.binding);
    // An infeasible plan comes with its diagnosis, as plan() gives it.
    expect(variant?.plan.diagnosis?.relaxations.length).toBeGreaterThan(0);
  });

  it("delta.objective is the difference of two independent plans", async () => {
    const kz = loadBundledScenario("kz-uz-2020");
    const changes = [{ on: "demand", market: "KZ", field: "max", scale: 0.8 }];
    const result = await compare(kz, [{ name: "Kazakh demand −20%", changes }]);
    const baseline = plan(kz);
    const { applyChanges } = await import("../../src/index.js");
    const variant = plan(applyChanges(kz, changes));
    expect(result.variants[0]?.delta.objective).toBeCloseTo((variant.objective ?? NaN) - (baseline.objective ?? NaN), 4);
  });

  it("plan options apply to every plan; progress is reported plan by plan", async () => {
    const progress: [number, number][] = [];
    const result = await compare(scenario, [moreHours, tooMuch], {
      backend: "highs",
      integer: true,
      onProgress: (done, total) => progress.push([done, total]),
    });
    for (const planned of [result.baseline, ...result.variants.map((variant) => variant.plan)]) {
      expect(planned.solver).toMatchObject({ backend: "highs", integer: true });
    }
    expect(progress).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    // Whole units: what binds is what the plan sits at.
    expect(result.binding).toEqual(expect.arrayContaining([{ kind: "target", id: "goal", period: "base", bound: "min" }]));
  });

  it("a cancelled comparison stops with the signal's reason", async () => {
    const controller = new AbortController();
    controller.abort(new Error("cancelled by the job"));
    await expect(compare(scenario, [moreHours], { signal: controller.signal })).rejects.toThrow("cancelled by the job");
  });

  it("past its deadline every plan answers time_limit without solving", async () => {
    const result = await compare(scenario, [moreHours], { deadline: Date.now() - 1 });
    expect([result.baseline.status, result.variants[0]?.plan.status]).toEqual(["time_limit", "time_limit"]);
  });

  it("every problem of every variant at once, with its path; names must be unique", async () => {
    expect(
      await issuesOf([
        { name: "a", changes: [{ on: "target", id: "nope", field: "min", set: 1 }] },
        { name: "b", changes: [] },
        {
          name: "c",
          changes: [
            { on: "capacity", plant: "p", resource: "hours", set: 1 },
            { on: "capacity", plant: "q", resource: "hours", set: 1 },
          ],
        },
      ]),
    ).toEqual([
      { path: "variants[0].changes[0].id", message: 'unknown target "nope"' },
      { path: "variants[2].changes[1].plant", message: 'unknown plant "q"' },
    ]);
    expect(await issuesOf([moreHours, { ...tooMuch, name: "120 hours" }])).toEqual([
      { path: "variants[1].name", message: 'duplicate variant name "120 hours" (also variants[0])' },
    ]);
    expect(await issuesOf([])).toEqual([{ path: "variants", message: "needs at least one variant" }]);
    expect(await issuesOf([{ name: "", changes: {} }])).toEqual([
      { path: "variants[0].name", message: "must not be empty" },
      { path: "variants[0].changes", message: "expected a list of changes" },
    ]);
  });
});
