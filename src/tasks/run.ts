import { runPlanTask, type PlanTaskResult, type RunContext } from "./planTask.js";
import { taskError, type Task } from "./task.js";

export type { RunContext } from "./planTask.js";

/**
 * Runs a task of any kind to its result, on whatever thread calls it (the
 * request's, a pool worker, a job worker). A task that throws is a bug, not
 * bad input: it is returned as `failed`, never thrown, so that a worker whose
 * task fails stays alive and its owner can answer for it.
 */
export function runTask(task: Task, context: RunContext): PlanTaskResult {
  try {
    switch (task.kind) {
      case "plan":
        return runPlanTask(task, context);
    }
  } catch (error) {
    return { kind: "failed", error: taskError(error) };
  }
}
