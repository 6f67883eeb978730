import { threadId, type MessagePort } from "node:worker_threads";
import { highsRuntime } from "../solvers/highsRuntime.js";
import { runTask } from "./run.js";
import type { Task, TaskReport, TaskResult } from "./task.js";

/** What the pool sends a worker: the task, and the port its fallback answers go back on. */
export interface WorkerInput {
  readonly task: Task;
  readonly port: MessagePort;
}

export interface WorkerOutput {
  readonly result: TaskResult;
  /** HiGHS failed in this thread (a WebAssembly trap, out of memory): the thread must be replaced, not reused. */
  readonly retire: boolean;
  readonly threadId: number;
}

/**
 * Share of a task's time left that its solver gets: the rest is for reading,
 * verifying and sending what it found, so that the answer is in before its
 * owner stops the thread at the deadline.
 */
export const SOLVER_SHARE = 0.85;

/**
 * The worker-thread entry of a task pool (piscina loads it once per thread;
 * HiGHS loads with it). It runs the very function the request thread runs for
 * small models, sending each better fallback answer as soon as it has one.
 */
export default async function work({ task, port }: WorkerInput): Promise<WorkerOutput> {
  try {
    port.postMessage({ kind: "started" } satisfies TaskReport);
    const { scenario: _parsed, ...result } = await runTask(task, {
      inline: false,
      solverShare: SOLVER_SHARE,
      fallback: (fallback) => port.postMessage(fallback satisfies TaskReport),
    });
    return { result, retire: !highsRuntime.healthy, threadId };
  } finally {
    port.close();
  }
}
