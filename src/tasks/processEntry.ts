import { runTask } from "./run.js";
import type { Task, TaskReport, TaskResult } from "./task.js";
import { SOLVER_SHARE } from "./worker.js";

/**
 * The entry of a child process that runs one task (`runInProcess`). Once
 * loaded (HiGHS with it) it says so; it takes the task from its parent, sends
 * that it started and each better fallback answer, then its result, and ends.
 */
export type ProcessMessage = { readonly kind: "ready" } | TaskReport | { readonly kind: "result"; readonly result: TaskResult };

const send = (message: ProcessMessage) => process.send?.(message);

process.once("message", (task: Task) => {
  send({ kind: "started" });
  void runTask(task, { inline: false, solverShare: SOLVER_SHARE, fallback: send }).then(({ scenario: _parsed, ...result }) => {
    // Disconnecting drops what is still being written: a large result (a plan with its explanation) is
    // written in pieces, so the channel closes only once the result has gone.
    process.send?.({ kind: "result", result } satisfies ProcessMessage, undefined, {}, () => process.disconnect());
  });
});
send({ kind: "ready" });
