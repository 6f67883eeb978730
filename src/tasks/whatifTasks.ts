import { isValidationError } from "../scenario/parse.js";
import { compare } from "../whatif/compare.js";
import { sweep } from "../whatif/sweep.js";
import { issuesOf, prefixed, readOptions, readScenario, withChanges } from "./request.js";
import type { RunContext } from "./planTask.js";
import type { Task, TaskResult } from "./task.js";

/**
 * `POST /v1/comparisons` and `POST /v1/sweeps` (and their jobs): the request
 * read as a plan's is — options, scenario and the `changes` applied to it
 * first (a comparison's baseline, a sweep's scenario), every issue with its path —
 * then the library's `compare` or `sweep` within the request's time, on the
 * thread the task runs on (a sweep too: the service's worker threads are its
 * parallelism). A run that reaches its deadline ends by itself with what it
 * finished: a sweep says `stopped: "deadline"`, a comparison's remaining
 * plans have no solution.
 */
export async function runCompareTask(task: Task, context: RunContext): Promise<TaskResult> {
  const started = performance.now();
  const options = readOptions(task.body["options"], task.maxTimeLimitMs);
  const posted = readScenario(task, context.parsed);
  const scenario = posted.ok ? withChanges(posted.value, task.body["changes"]) : posted;
  if (!options.ok || !scenario.ok) return { kind: "invalid", issues: issuesOf(options, scenario) };
  try {
    const result = await compare(scenario.value, task.body["variants"], { ...options.value, deadline: solverDeadline(task, context) });
    const summary = { scenario: scenario.value.id, status: `${result.variants.length} variants`, backend: options.value.backend, solveMs: elapsed(started) };
    return { kind: "done", json: JSON.stringify(result), summary };
  } catch (error) {
    if (isValidationError(error)) return { kind: "invalid", issues: error.subject === "request" ? error.issues : prefixed(error.subject, error.issues) };
    throw error;
  }
}

export async function runSweepTask(task: Task, context: RunContext): Promise<TaskResult> {
  const started = performance.now();
  const options = readOptions(task.body["options"], task.maxTimeLimitMs);
  const posted = readScenario(task, context.parsed);
  const scenario = posted.ok ? withChanges(posted.value, task.body["changes"]) : posted;
  if (!options.ok || !scenario.ok) return { kind: "invalid", issues: issuesOf(options, scenario) };
  try {
    const result = await sweep(scenario.value, task.body["sweep"], { ...options.value, threads: 1, deadline: solverDeadline(task, context) });
    const summary = { scenario: scenario.value.id, status: `${result.points.length} points`, backend: options.value.backend, solveMs: elapsed(started) };
    return { kind: "done", json: JSON.stringify(result), summary };
  } catch (error) {
    if (isValidationError(error)) return { kind: "invalid", issues: error.subject === "request" ? error.issues : prefixed(error.subject, error.issues) };
    throw error;
  }
}

/** Epoch ms by which the library's run ends: the request's deadline, less the share kept for sending the answer. */
function solverDeadline(task: Task, context: RunContext): number {
  const now = Date.now();
  return now + Math.max(1, Math.floor((task.deadline - now) * context.solverShare));
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 1000) / 1000;
