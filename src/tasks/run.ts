import { runPlanTask, type PlanTaskResult, type RunContext } from "./planTask.js";
import { taskError, type Task, type TaskKind } from "./task.js";
import { runCompareTask, runSweepTask } from "./whatifTasks.js";

export type { RunContext } from "./planTask.js";

/** What runs a task of each kind. */
const runners: Readonly<Record<TaskKind, (task: Task, context: RunContext) => PlanTaskResult | Promise<PlanTaskResult>>> = {
  plan: runPlanTask,
  compare: runCompareTask,
  sweep: runSweepTask,
};

/**
 * Runs a task of any kind to its result, on whatever thread calls it (the
 * request's, a pool worker, a job worker). A task that throws is a bug, not
 * bad input: it is returned as `failed`, never thrown, so that a worker whose
 * task fails stays alive and its owner can answer for it.
 */
export async function runTask(task: Task, context: RunContext): Promise<PlanTaskResult> {
  try {
    return await runners[task.kind](task, context);
  } catch (error) {
    return { kind: "failed", error: taskError(error) };
  }
}
