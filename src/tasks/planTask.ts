import { parsePlanOptions, type ResolvedPlanOptions } from "../plan/options.js";
import { formulationsOf } from "../plan/formulationCache.js";
import { planFormulation, planOfSolution } from "../plan/plan.js";
import type { Plan } from "../plan/types.js";
import { bundledScenario } from "../scenario/bundled.js";
import { isValidationError, validateScenario, type ValidationIssue } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";
import { chooseBackend, modelSize } from "../solvers/index.js";
import type { Task, TaskAnswer, TaskFallback, TaskResult } from "./task.js";

/** Where a task runs, and what it may hand back. */
export interface RunContext {
  /** The posted scenario, parsed before (a service's parse cache). */
  readonly parsed?: Scenario;
  /**
   * On the request's own thread: a plan whose answer needs more than may run
   * there (an infeasible plan's diagnosis) is handed back as `needs_worker`.
   */
  readonly inline: boolean;
  /**
   * Receives the answer to give if the task is stopped now (pooled tasks:
   * their owner stops them at the deadline).
   */
  readonly fallback?: (fallback: TaskFallback) => void;
  /**
   * The part of the time left that the solver gets (1 on the request's
   * thread). A task stopped from outside keeps the rest to read, verify and
   * send what the solver found: the solver usually stops first by itself.
   */
  readonly solverShare: number;
}

/** A plan task's result; `scenario` is the parsed posted scenario (for a parse cache). */
export type PlanTaskResult = TaskResult & { readonly scenario?: Scenario };

/**
 * Runs `POST /v1/plans` (and plan jobs): validates the options and the
 * scenario, reporting every issue of both with its path in the request body,
 * then plans with what is left of the request's time. A task that starts
 * after its deadline (it waited too long for a worker) answers `time_limit`
 * without solving.
 */
export function runPlanTask(task: Task, context: RunContext): PlanTaskResult {
  const options = readOptions(task.body["options"], task.maxTimeLimitMs);
  const scenario = readScenario(task, context);
  if (!options.ok || !scenario.ok) return { kind: "invalid", issues: [...(options.ok ? [] : options.issues), ...(scenario.ok ? [] : scenario.issues)] };

  const started = performance.now();
  const remaining = task.deadline - Date.now();
  const integer = options.value.integer ?? scenario.value.integer;
  const formulation = formulationsOf(scenario.value).formulation(integer);
  const backend = chooseBackend(options.value.backend, modelSize(formulation.lp, integer)).name;
  const unsolved = () => planOfSolution(formulation, null, { backend, ms: 0, integer });
  const parsed = task.scenarioId === undefined ? { scenario: scenario.value } : {};
  if (remaining < 1) return { kind: "done", ...answer(unsolved()), ...parsed };
  context.fallback?.({ kind: "fallback", ...answer(unsolved()) });

  const settings: ResolvedPlanOptions = { ...options.value, timeLimitMs: Math.max(1, Math.floor(remaining * context.solverShare)) };
  const hooks = context.fallback === undefined ? {} : { onIncumbent: (incumbent: Plan) => context.fallback?.({ kind: "fallback", ...answer(incumbent) }) };
  try {
    if (context.inline && settings.explain === undefined) {
      // Unasked, an infeasible plan is diagnosed: that takes a hundred times the solve, and a worker.
      const unexplained = planFormulation(formulation, { ...settings, explain: false }, started, hooks);
      return unexplained.status === "infeasible" ? { kind: "needs_worker" } : { kind: "done", ...answer(unexplained), ...parsed };
    }
    return { kind: "done", ...answer(planFormulation(formulation, settings, started, hooks)), ...parsed };
  } catch (error) {
    // The solver cannot take the scenario's numbers: plan() names the fields beyond its range.
    if (isValidationError(error)) return { kind: "invalid", issues: prefixed(error.subject, error.issues) };
    throw error;
  }
}

/** A plan as an answer: its JSON text and its summary. */
export function answer(plan: Plan): TaskAnswer {
  return {
    json: JSON.stringify(plan),
    summary: { scenario: plan.scenario, status: plan.status, backend: plan.solver.backend, solveMs: Math.round(plan.solver.ms * 1000) / 1000 },
  };
}

type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

function readScenario(task: Task, context: RunContext): Read<Scenario> {
  if (task.scenarioId !== undefined) {
    const bundled = bundledScenario(task.scenarioId);
    return bundled === undefined
      ? { ok: false, issues: [{ path: "scenarioId", message: `unknown scenario ${JSON.stringify(task.scenarioId)}` }] }
      : { ok: true, value: bundled };
  }
  if (context.parsed !== undefined) return { ok: true, value: context.parsed };
  const checked = validateScenario(task.body["scenario"]);
  return checked.ok ? { ok: true, value: checked.scenario } : { ok: false, issues: prefixed("scenario", checked.issues) };
}

/** The library's own options check (`parsePlanOptions`), with paths in the body, and the caller's maximum time limit. */
function readOptions(input: unknown, maxTimeLimitMs: number): Read<ResolvedPlanOptions> {
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

/** Paths relative to a part of the request body: `routes[0].plant` → `scenario.routes[0].plant`. */
export function prefixed(prefix: string, issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.map(({ path, message }) => ({
    path: path === "" ? prefix : path.startsWith("[") ? `${prefix}${path}` : `${prefix}.${path}`,
    message,
  }));
}
