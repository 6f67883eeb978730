import { parsePlanOptions, type ResolvedPlanOptions } from "../plan/options.js";
import { compileScenario } from "../plan/compiled.js";
import { plan, planWithoutSolution } from "../plan/plan.js";
import type { Plan } from "../plan/types.js";
import type { Scenario } from "../scenario/schema.js";
import { isValidationError, validateScenario, type ValidationIssue } from "../scenario/parse.js";
import { catalog } from "./catalog.js";
import { solvesInline } from "./planRequest.js";

/**
 * One `POST /v1/plans` after its envelope was checked: what a worker thread
 * (or, for small models, the request's own thread) receives. Plain data, so it
 * crosses to a worker by structured clone.
 */
export interface PlanTask {
  /** The posted scenario, as parsed from JSON (exactly one of scenario, scenarioId). */
  readonly scenario?: unknown;
  readonly scenarioId?: string;
  /** The posted options, not yet validated. */
  readonly options: unknown;
  /** Epoch ms when the request arrived. */
  readonly receivedAt: number;
  /** Epoch ms by which the answer is due: arrival plus the request's time limit. */
  readonly deadline: number;
  readonly maxTimeLimitMs: number;
}

export type PlanTaskResult =
  /** `scenario`: on the request's thread, the parsed scenario the plan was made of (for the service's parse cache). */
  | { readonly kind: "plan"; readonly plan: Plan; readonly scenario?: Scenario }
  | { readonly kind: "invalid"; readonly issues: readonly ValidationIssue[] }
  /**
   * On the request's thread only: the solve is not cheap after all (the LP, now
   * formulated, is too large for its backend to run here), or the plan is
   * infeasible and its diagnosis is due; either takes a worker.
   */
  | { readonly kind: "to_pool" }
  /**
   * The task threw (a bug, not a bad request): the error as plain data, so it
   * crosses back from a worker; the service logs it and answers 500.
   */
  | { readonly kind: "failed"; readonly error: TaskError };

export interface TaskError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

/**
 * Validates the options and the scenario, reporting every issue of both with
 * its path in the request body, then plans through the library's `plan()` with
 * what is left of the request's time. A task that starts after its deadline
 * (it waited too long for a worker, or the solve it ran was abandoned) answers
 * `time_limit` without solving.
 */
export function runPlanTask(task: PlanTask): PlanTaskResult {
  return planTask(task);
}

/**
 * The same, on the request's own thread, for a small model (`solvesInline`):
 * the solve takes about a millisecond. The rule is checked again on the LP
 * itself (the request was placed on an estimate of its size), and an
 * explanation (the diagnosis of an infeasible plan) takes a hundred times the
 * solve: a plan that turns out to need either is handed to the pool
 * (`to_pool`) rather than solved or explained here. A request that asks for
 * `explain` goes to the pool in the first place.
 */
export function runPlanTaskInline(task: PlanTask, inlineMaxColumns: number): PlanTaskResult {
  return planTask(task, inlineMaxColumns);
}

/** `inlineMaxColumns` is set when the task runs on the request's thread. */
function planTask(task: PlanTask, inlineMaxColumns?: number): PlanTaskResult {
  try {
    return planChecked(task, inlineMaxColumns);
  } catch (error) {
    // Returned, not thrown: a worker whose task throws is still alive, and only a dead one is a 503.
    const { name, message, stack } = error instanceof Error ? error : new Error(`non-error thrown: ${String(error)}`);
    return { kind: "failed", error: { name, message, ...(stack === undefined ? {} : { stack }) } };
  }
}

function planChecked(task: PlanTask, inlineMaxColumns: number | undefined): PlanTaskResult {
  const options = readOptions(task.options, task.maxTimeLimitMs);
  const scenario = task.scenarioId === undefined ? task.scenario : catalog().get(task.scenarioId)?.scenario;
  if (!options.ok) {
    const checked = validateScenario(scenario);
    return invalid([...options.issues, ...(checked.ok ? [] : prefixed("scenario", checked.issues))]);
  }
  const remaining = task.deadline - Date.now();
  try {
    if (remaining < 1) return { kind: "plan", plan: planWithoutSolution(scenario, options.value, Date.now() - task.receivedAt) };
    const settings = { ...options.value, timeLimitMs: Math.floor(remaining) };
    if (inlineMaxColumns === undefined) return { kind: "plan", plan: plan(scenario, settings) };
    const compiled = compileScenario(scenario); // validated once: plan() finds it compiled
    const integer = settings.integer ?? compiled.scenario.integer;
    const columns = compiled.formulation(integer).lp.columns.length;
    if (!solvesInline({ integer, columns, backend: settings.backend, explain: settings.explain }, inlineMaxColumns)) return { kind: "to_pool" };
    if (settings.explain === false) return { kind: "plan", plan: plan(compiled.scenario, settings), scenario: compiled.scenario };
    // Without an explanation asked for, explain: false gives the same plan unless it is infeasible.
    const unexplained = plan(compiled.scenario, { ...settings, explain: false });
    return unexplained.status === "infeasible" ? { kind: "to_pool" } : { kind: "plan", plan: unexplained, scenario: compiled.scenario };
  } catch (error) {
    // plan() validates the scenario (or finds it in its compiled cache) and throws every issue.
    if (isValidationError(error)) return invalid(prefixed(error.subject, error.issues));
    throw error;
  }
}

/** The library's own options check (`parsePlanOptions`), with paths in the body, and the server's maximum time limit. */
function readOptions(input: unknown, maxTimeLimitMs: number): { ok: true; value: ResolvedPlanOptions } | { ok: false; issues: ValidationIssue[] } {
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

const invalid = (issues: readonly ValidationIssue[]): PlanTaskResult => ({ kind: "invalid", issues });

/** Paths relative to a part of the request body: `routes[0].plant` → `scenario.routes[0].plant`. */
export function prefixed(prefix: string, issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.map(({ path, message }) => ({
    path: path === "" ? prefix : path.startsWith("[") ? `${prefix}${path}` : `${prefix}.${path}`,
    message,
  }));
}
