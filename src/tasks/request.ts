import { parsePlanOptions, type ResolvedPlanOptions } from "../plan/options.js";
import { bundledScenario } from "../scenario/bundled.js";
import { isValidationError, prefixed, validateScenario, type ValidationIssue } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";
import { applyChanges } from "../whatif/apply.js";
import type { Task } from "./task.js";

/** Issue paths relative to a part of the body (the rule lives with the paths, in scenario/parse.ts). */
export { prefixed };

/** Reading a task's request body where it runs: every issue with its path in the body. */

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** The scenario of a task: a bundled one by id, the one parsed before (a parse cache), or the posted document, validated. */
export function readScenario(task: Task, parsed?: Scenario): Read<Scenario> {
  if (task.scenarioId !== undefined) {
    const bundled = bundledScenario(task.scenarioId);
    return bundled === undefined
      ? { ok: false, issues: [{ path: "scenarioId", message: `unknown scenario ${JSON.stringify(task.scenarioId)}` }] }
      : { ok: true, value: bundled };
  }
  if (parsed !== undefined) return { ok: true, value: parsed };
  const checked = validateScenario(task.body["scenario"]);
  return checked.ok ? { ok: true, value: checked.scenario } : { ok: false, issues: prefixed("scenario", checked.issues) };
}

/** The library's own options check (`parsePlanOptions`), with paths in the body, and the caller's maximum time limit. */
export function readOptions(input: unknown, maxTimeLimitMs: number): Read<ResolvedPlanOptions> {
  let value: ResolvedPlanOptions;
  try {
    value = parsePlanOptions(input);
  } catch (error) {
    if (isValidationError(error)) return { ok: false, issues: prefixed("options", error.issues) };
    throw error;
  }
  if (value.timeLimitMs !== undefined && value.timeLimitMs > maxTimeLimitMs) {
    return { ok: false, issues: [{ path: "options.timeLimitMs", message: `must be at most ${maxTimeLimitMs} (this server's maximum)` }] };
  }
  return { ok: true, value };
}

/** The scenario with the request's `changes` applied (what-if levers on a plan request); issues at `changes[i]…`. */
export function withChanges(scenario: Scenario, changes: unknown): Read<Scenario> {
  if (changes === undefined) return { ok: true, value: scenario };
  try {
    return { ok: true, value: applyChanges(scenario, changes, { path: ["changes"] }) };
  } catch (error) {
    if (isValidationError(error)) return { ok: false, issues: error.issues };
    throw error;
  }
}

/** Every issue of the reads that failed, in order. */
export function issuesOf(...reads: readonly Read<unknown>[]): ValidationIssue[] {
  return reads.flatMap((read) => (read.ok ? [] : read.issues));
}
