import type { Worker } from "node:worker_threads";
import { Piscina } from "piscina";
import type { ServiceConfig } from "./config.js";
import type { Placement } from "./planRequest.js";
import { runPlanTask, runPlanTaskInline, type PlanTask, type PlanTaskResult } from "./planTask.js";

/** What became of a plan request, and where it was solved (for the log). */
export type PlanOutcome =
  | (Exclude<PlanTaskResult, { kind: "to_pool" }> & { readonly placement: Placement; readonly abandoned: boolean })
  | { readonly kind: "overloaded" }
  /**
   * The worker solving it died (crashed, exited or was killed); piscina
   * replaces it, the request may be retried. A task that throws does not kill
   * its worker: it answers `failed` (planTask.ts).
   */
  | { readonly kind: "worker_failed" };

/**
 * Under tsx or vitest this file runs from `src/` as TypeScript, which a worker
 * thread cannot load: the workers then run the build in `dist/` (`npm test`
 * builds before it runs the suites).
 */
export const workerUrl = import.meta.url.endsWith(".ts") ? new URL("../../dist/http/worker.js", import.meta.url) : new URL("./worker.js", import.meta.url);

/**
 * Runs plan tasks inline or on a pool of worker threads, so that a long solve
 * never blocks the event loop. The pool admits `poolSize + queueLimit` tasks;
 * past that a request is `overloaded`. Each pooled task has a deadline: a
 * worker still busy `terminationMarginMs` after it is terminated (piscina
 * replaces it), a task still queued then is dropped, and either way the
 * request is answered `time_limit` by running the task here, past its deadline.
 */
export class PlanService {
  private pool: Piscina<PlanTask, PlanTaskResult> | undefined;
  private admitted = 0;

  /** `workerFile`: the pool's worker entry (tests give one that fails on purpose). */
  constructor(
    private readonly config: ServiceConfig,
    private readonly workerFile: URL = workerUrl,
  ) {}

  /**
   * Starts the worker threads (each loads HiGHS once). The pool is created on
   * first use otherwise: an app that never listens — or fails to, its port
   * taken — never starts workers, and so never stops one half-loaded (Node 20
   * can abort the process when a worker is terminated while it loads its
   * modules).
   */
  start(): void {
    this.workerPool();
  }

  private workerPool(): Piscina<PlanTask, PlanTaskResult> {
    this.pool ??= new Piscina({
      filename: this.workerFile.href,
      minThreads: this.config.poolSize,
      maxThreads: this.config.poolSize,
      // Workers stay up: each loads HiGHS once, and a terminated one is replaced at once.
      idleTimeout: Infinity,
    });
    return this.pool;
  }

  /** Tasks running or waiting in the pool. */
  get pending(): number {
    return this.admitted;
  }

  async run(task: PlanTask, placement: Placement): Promise<PlanOutcome> {
    if (placement === "inline") {
      const result = runPlanTaskInline(task, this.config.inlineMaxColumns);
      if (result.kind !== "to_pool") return { ...result, placement, abandoned: false };
    }
    if (this.admitted >= this.config.poolSize + this.config.queueLimit) return { kind: "overloaded" };

    this.admitted++;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), Math.max(0, task.deadline + this.config.terminationMarginMs - Date.now()));
    try {
      return { ...settled(await this.workerPool().run(task, { signal: abort.signal })), placement: "pool", abandoned: false };
    } catch {
      if (!abort.signal.aborted) return { kind: "worker_failed" };
      // Past its deadline, the task validates and answers time_limit without solving.
      return { ...settled(runPlanTask(task)), placement: "pool", abandoned: true };
    } finally {
      clearTimeout(timer);
      this.admitted--;
    }
  }

  /** The pool's worker threads, for operators and the fault drill of `npm run bench:load`. */
  get workers(): readonly Worker[] {
    return this.pool?.threads ?? [];
  }

  /** Waits for running tasks, then stops the workers. */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}

/** Only the inline run hands a task on; everywhere else a task ends in a plan or in issues. */
function settled(result: PlanTaskResult): Exclude<PlanTaskResult, { kind: "to_pool" }> {
  if (result.kind === "to_pool") throw new Error("a pooled plan task asked for the pool");
  return result;
}
