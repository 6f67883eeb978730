import type { ResolvedPlanOptions } from "../plan/options.js";
import { formulationsOf } from "../plan/formulationCache.js";
import { planFormulation, planOfSolution } from "../plan/plan.js";
import type { Plan } from "../plan/types.js";
import { isValidationError } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";
import { chooseBackend, modelSize } from "../solvers/index.js";
import { issuesOf, prefixed, readOptions, readScenario, withChanges } from "./request.js";
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
  const posted = readScenario(task, context.parsed);
  const scenario = posted.ok ? withChanges(posted.value, task.body["changes"]) : posted;
  if (!options.ok || !scenario.ok) return { kind: "invalid", issues: issuesOf(options, scenario) };

  const started = performance.now();
  const remaining = task.deadline - Date.now();
  const integer = options.value.integer ?? scenario.value.integer;
  const formulation = formulationsOf(scenario.value).formulation(integer);
  const backend = chooseBackend(options.value.backend, modelSize(formulation.lp, formulation.mixedInteger)).name;
  const unsolved = () => planOfSolution(formulation, null, { backend, ms: 0, integer });
  // The parse cache keeps the posted scenario, before any changes.
  const parsed = task.scenarioId === undefined && posted.ok ? { scenario: posted.value } : {};
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
