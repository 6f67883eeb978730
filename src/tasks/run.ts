import { runPlanTask, type PlanTaskResult, type RunContext } from "./planTask.js";
import { taskError, type Task, type TaskKind } from "./task.js";

export type { RunContext } from "./planTask.js";

/** What runs a task of each kind. */
const runners: Readonly<Record<TaskKind, (task: Task, context: RunContext) => PlanTaskResult>> = {
  plan: runPlanTask,
};

/**
 * Runs a task of any kind to its result, on whatever thread calls it (the
 * request's, a pool worker, a job worker). A task that throws is a bug, not
 * bad input: it is returned as `failed`, never thrown, so that a worker whose
 * task fails stays alive and its owner can answer for it.
 */
export function runTask(task: Task, context: RunContext): PlanTaskResult {
  try {
    return runners[task.kind](task, context);
  } catch (error) {
    return { kind: "failed", error: taskError(error) };
  }
}
