import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { boundModel } from "../explain/bounds.js";
import type { BoundRef } from "../explain/types.js";
import { formulationsOf } from "../plan/formulationCache.js";
import { parsePlanOptions, type ResolvedPlanOptions } from "../plan/options.js";
import { plan, planOfSolution } from "../plan/plan.js";
import type { Plan } from "../plan/types.js";
import { formatPath, fromZodIssues, parseScenario, ValidationError, type ValidationIssue } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";
import { beyondHighsRange, chooseBackend, modelSize, pricingBackend } from "../solvers/index.js";
import { validateChanges } from "./apply.js";
import { bindingBounds } from "./binding.js";
import { delta } from "./delta.js";
import { columnValues } from "./quantities.js";
import { variantsSchema } from "./schema.js";
import type { Comparison, VariantResult, WhatIfOptions } from "./types.js";

/**
 * Plans a scenario and each variant of it (a name and a list of changes),
 * and tells how each variant differs from the baseline: objective,
 * production by plant, product and period, targets, and what binds
 * (docs/whatif.md). The plan options apply to every plan. Throws
 * `ValidationError` for an invalid scenario or options, or (subject
 * "request", paths under `variants`) invalid variants — every issue of every
 * variant at once.
 */
export async function compare(scenario: unknown, variants: unknown, options: WhatIfOptions = {}): Promise<Comparison> {
  const { signal, deadline, onProgress, ...planOptions } = options;
  const settings = parsePlanOptions(planOptions);
  const parsed = parseScenario(scenario);
  const scenarios = variantScenarios(parsed, variants);
  const total = scenarios.length + 1;
  let done = 0;

  const planOne = async (input: Scenario): Promise<{ plan: Plan; binding: readonly BoundRef[] }> => {
    signal?.throwIfAborted();
    const left = deadline === undefined ? undefined : deadline - Date.now();
    const timeLimitMs = left === undefined ? settings.timeLimitMs : Math.min(settings.timeLimitMs ?? Infinity, Math.floor(left));
    const planned =
      timeLimitMs !== undefined && timeLimitMs < 1
        ? unsolved(input, settings)
        : plan(input, { ...settings, ...(timeLimitMs === undefined ? {} : { timeLimitMs }) });
    const binding = planBinding(input, planned, timeLimitMs);
    onProgress?.(++done, total);
    await yieldToEventLoop();
    return { plan: planned, binding };
  };

  const baseline = await planOne(parsed);
  const results: VariantResult[] = [];
  for (const { name, scenario: changed } of scenarios) {
    const variant = await planOne(changed);
    results.push({ name, plan: variant.plan, binding: variant.binding, delta: delta(baseline, variant) });
  }
  return { baseline: baseline.plan, binding: baseline.binding, variants: results };
}

/** The plan of a scenario whose time ran out before it was solved: no solution, every capacity and target row. */
function unsolved(scenario: Scenario, settings: ResolvedPlanOptions): Plan {
  const integer = settings.integer ?? scenario.integer;
  const formulation = formulationsOf(scenario).formulation(integer);
  const backend = chooseBackend(settings.backend, modelSize(formulation.lp, formulation.mixedInteger)).name;
  return planOfSolution(formulation, null, { backend, ms: 0, integer });
}

/** Each variant's scenario, or every issue of every variant (paths `variants[i]…`): throws `ValidationError` (subject "request"). */
export function variantScenarios(scenario: Scenario, variants: unknown): { name: string; scenario: Scenario }[] {
  const parsed = variantsSchema.safeParse(variants, { reportInput: true });
  if (!parsed.success) {
    const issues = fromZodIssues(parsed.error.issues).map((issue) => ({
      ...issue,
      path: issue.path === "" ? "variants" : `variants${issue.path.startsWith("[") ? "" : "."}${issue.path}`,
    }));
    throw new ValidationError(issues, "request");
  }
  const issues: ValidationIssue[] = [];
  const scenarios = parsed.data.flatMap((variant, v) => {
    const result = validateChanges(scenario, variant.changes);
    if (result.ok) return [{ name: variant.name, scenario: result.scenario }];
    issues.push(...result.issues.map((issue) => ({ path: formatPath(["variants", v, "changes", ...issue.path]), message: issue.message })));
    return [];
  });
  if (issues.length > 0) throw new ValidationError(issues, "request");
  return scenarios;
}

/**
 * What binds in a plan (the rule of a sweep point): for a continuous plan,
 * the bounds with a nonzero dual in HiGHS' optimum of the same LP (by
 * complementary slackness, met with equality by every optimal plan, this one
 * included); for a whole-unit plan, which has no duals, the bounds its
 * quantities sit at. None without a plan.
 */
function planBinding(scenario: Scenario, planned: Plan, timeLimitMs: number | undefined): BoundRef[] {
  if (planned.objective === null || !planned.verification.feasible) return [];
  const formulation = formulationsOf(scenario).formulation(planned.solver.integer);
  const model = boundModel(formulation);
  const { lp } = formulation;
  // A mixed-integer plan (whole units, or investments' builds) has no duals of its own.
  if (!formulation.mixedInteger && planned.status === "optimal" && beyondHighsRange(lp) === undefined) {
    const prices = pricingBackend().solve(lp, { integer: false, ...(timeLimitMs === undefined ? {} : { timeLimitMs: Math.max(1, timeLimitMs) }) });
    if (prices.status === "optimal" && prices.duals !== undefined) return bindingBounds(model, lp, prices);
  }
  return bindingBounds(model, lp, { values: columnValues(formulation, planned) });
}
