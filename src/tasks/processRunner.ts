import { fork } from "node:child_process";
import type { PoolOutcome } from "./pool.js";
import type { ProcessMessage } from "./processEntry.js";
import type { Task, TaskFallback } from "./task.js";

/** Under tsx or vitest this file runs from `src/`: the child runs the build in `dist/`, as the pool's threads do. */
const entryUrl = import.meta.url.endsWith(".ts") ? new URL("../../dist/tasks/processEntry.js", import.meta.url) : new URL("./processEntry.js", import.meta.url);

/**
 * Runs one task in a child process, stopped `stopMarginMs` after its
 * deadline if it has not answered by then; the answer is then the best
 * fallback it sent. A process is killed at once, where a worker thread busy
 * inside HiGHS may take a second or more to stop — and a command-line run
 * waits for its threads before it exits. The child starts while the caller
 * goes on; its start-up counts against the deadline.
 */
export function runInProcess(task: Task, stopMarginMs: number): Promise<Exclude<PoolOutcome, { kind: "overloaded" }>> {
  return new Promise((resolve) => {
    const child = fork(entryUrl, [], { serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let fallback: TaskFallback | undefined;
    let started = false;
    let settled = false;
    const settle = (outcome: Exclude<PoolOutcome, { kind: "overloaded" }>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null) child.kill("SIGKILL");
      resolve(outcome);
    };
    const timer = setTimeout(() => settle({ kind: "stopped", started, fallback }), Math.max(0, task.deadline + stopMarginMs - Date.now()));
    child.on("message", (message: ProcessMessage) => {
      if (message.kind === "ready") child.send(task);
      else if (message.kind === "started") started = true;
      else if (message.kind === "fallback") fallback = message;
      else settle({ kind: "result", result: message.result });
    });
    child.on("exit", () => settle({ kind: "worker_failed" }));
    child.on("error", () => settle({ kind: "worker_failed" }));
  });
}
