import { Piscina } from "piscina";
import { workerEntry } from "../util/workerThreads.js";
import type { UnitReply, UnitRequest } from "./unitWorker.js";

/** The job units' worker entry (the build's, under tsx or vitest). */
export const unitWorkerUrl = workerEntry(import.meta.url, "jobs/unitWorker");

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
