import { MessageChannel, type Worker } from "node:worker_threads";
import { Piscina } from "piscina";
import { workerEntry } from "../util/workerThreads.js";
import type { Task, TaskFallback, TaskReport, TaskResult } from "./task.js";
import type { WorkerInput, WorkerOutput } from "./worker.js";

/** What became of a task sent to the pool. */
export type PoolOutcome =
  | { readonly kind: "result"; readonly result: TaskResult }
  /**
   * Its deadline passed: the thread running it was stopped (and replaced), or
   * it never left the queue (`started: false`). `fallback` is the best answer
   * it sent before, if any (a plan with no solution once the model was built,
   * or the best whole-unit plan found).
   */
  | { readonly kind: "stopped"; readonly started: boolean; readonly fallback: TaskFallback | undefined }
  /** Every thread is busy and the queue is full. */
  | { readonly kind: "overloaded" }
  /**
   * The thread running it died (crashed, exited or was killed) before it
   * answered; it is replaced, and the task may be retried. A task that throws
   * does not kill its thread: it is a `failed` result.
   */
  | { readonly kind: "worker_failed" };

export interface TaskPoolOptions {
  /** Worker threads. */
  readonly size: number;
  /** Tasks that may wait for a thread; one more is `overloaded`. */
  readonly queueLimit: number;
  /** How long past its deadline a task may run before its thread is stopped. */
  readonly stopMarginMs: number;
  /** The worker entry (tests give one that fails on purpose). */
  readonly workerFile?: URL;
}

/** The pool's worker entry (the build's, under tsx or vitest). */
export const workerUrl = workerEntry(import.meta.url, "tasks/worker");

/**
 * Worker threads that run tasks, so that a long solve never blocks the
 * caller's event loop, each task bounded by its deadline from outside: a
 * solver that does not stop in time is stopped with its thread, and the task
 * answers with the best fallback it sent. A thread whose HiGHS failed is
 * replaced rather than reused.
 */
export class TaskPool {
  private pool: Piscina<WorkerInput, WorkerOutput> | undefined;
  private admitted = 0;

  constructor(private readonly options: TaskPoolOptions) {}

  /**
   * Starts the worker threads (each loads HiGHS once). Otherwise they start
   * with the first task: a service that never listens — or fails to, its port
   * taken — never starts workers, and so never stops one half-loaded (Node 20
   * can abort the process when a worker is terminated while it loads its
   * modules).
   */
  start(): void {
    this.workerPool();
  }

  private workerPool(): Piscina<WorkerInput, WorkerOutput> {
    this.pool ??= new Piscina({
      filename: (this.options.workerFile ?? workerUrl).href,
      minThreads: this.options.size,
      maxThreads: this.options.size,
      // Threads stay up: each loads HiGHS once, and a stopped one is replaced at once.
      idleTimeout: Infinity,
    });
    return this.pool;
  }

  /** Tasks running or waiting. */
  get pending(): number {
    return this.admitted;
  }

  /** The worker threads, for operators and fault drills. */
  get workers(): readonly Worker[] {
    return this.pool?.threads ?? [];
  }

  async run(task: Task): Promise<PoolOutcome> {
    if (this.admitted >= this.options.size + this.options.queueLimit) return { kind: "overloaded" };
    this.admitted++;
    const { port1: fallbacks, port2: port } = new MessageChannel();
    let fallback: TaskFallback | undefined;
    let started = false;
    fallbacks.on("message", (report: TaskReport) => {
      started = true;
      if (report.kind === "fallback") fallback = report;
    });
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), Math.max(0, task.deadline + this.options.stopMarginMs - Date.now()));
    try {
      const output = await this.workerPool().run({ task, port }, { signal: abort.signal, transferList: [port] });
      if (output.retire) await this.retire(output.threadId);
      return { kind: "result", result: output.result };
    } catch {
      if (!abort.signal.aborted) return { kind: "worker_failed" };
      // A message sent just before the thread was stopped is still on its way: take it.
      await new Promise((resolve) => setImmediate(resolve));
      return { kind: "stopped", started, fallback };
    } finally {
      clearTimeout(timer);
      fallbacks.close();
      this.admitted--;
    }
  }

  /** Stops a thread whose solver failed; piscina starts a fresh one in its place. */
  private async retire(threadId: number): Promise<void> {
    const worker = this.workers.find((thread) => thread.threadId === threadId);
    if (worker !== undefined) await worker.terminate();
  }

  /** Waits for running tasks, then stops the threads. */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}
