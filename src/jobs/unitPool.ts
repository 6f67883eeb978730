import { Piscina } from "piscina";
import type { UnitReply, UnitRequest } from "./unitWorker.js";

/**
 * Under tsx or vitest this file runs from `src/` as TypeScript, which a worker
 * thread cannot load: the workers then run the build in `dist/` (`npm test`
 * builds before it runs the suites).
 */
export const unitWorkerUrl = import.meta.url.endsWith(".ts")
  ? new URL("../../dist/jobs/unitWorker.js", import.meta.url)
  : new URL("./unitWorker.js", import.meta.url);

/**
 * Worker threads that run job units (piscina), apart from the threads that
 * answer requests: a long job never takes a thread a plan is waiting for. A
 * unit stopped by its signal (a cancel) stops its thread, which piscina
 * replaces; a thread whose HiGHS failed is replaced rather than reused.
 * Threads start with the first unit.
 */
export class UnitPool {
  private pool: Piscina<UnitRequest, UnitReply> | undefined;

  constructor(
    readonly threads: number,
    private readonly workerFile: URL = unitWorkerUrl,
  ) {}

  async run(request: UnitRequest, signal?: AbortSignal): Promise<UnitReply> {
    this.pool ??= new Piscina({ filename: this.workerFile.href, minThreads: this.threads, maxThreads: this.threads, idleTimeout: Infinity });
    const reply = await this.pool.run(request, signal === undefined ? {} : { signal });
    if (reply.retire) await this.pool.threads.find((thread) => thread.threadId === reply.threadId)?.terminate();
    return reply;
  }

  /** Waits for running units, then stops the threads. */
  async close(): Promise<void> {
    await this.pool?.close();
  }

  /** Stops the threads now, running units with them. */
  async destroy(): Promise<void> {
    await this.pool?.destroy();
  }
}
