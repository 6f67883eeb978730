import { createHash } from "node:crypto";
import { BroadcastChannel } from "node:worker_threads";
import { Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { DecompositionIteration, SubproblemChunk, SubproblemRunner, SubproblemTask } from "../stochastic/decomposition/types.js";
import { connect, jobKeys } from "./redis.js";

/**
 * A stochastic job solved by decomposition (docs/stochastic-decomposition.md):
 * its subproblem chunks on the job workers, and its bounds as the job's
 * progress. Embedded, the job's thread runs the chunks on threads of its
 * own and tells the service its bounds on a broadcast channel; on Redis, the
 * chunks go on a BullMQ queue that every `jointplan worker` takes from, and
 * the bounds are kept beside the job's other keys.
 */

/** Where a unit's thread is told to send its chunks and bounds: Redis (a worker's unit), or nowhere beyond this process (embedded). */
export interface DecompositionPlace {
  readonly redis?: { readonly url: string; readonly prefix: string };
  /** Threads (embedded) or chunks at once per worker (Redis). */
  readonly threads: number;
}

/** The bounds of a job's latest iteration, as its progress shows them. */
export type ProgressBounds = Pick<DecompositionIteration, "iteration" | "lower" | "upper" | "gap">;

/** The queue of subproblem chunks under the prefix. */
export const SUBPROBLEMS_QUEUE = "subproblems";
/** The broadcast channel on which embedded jobs' threads report their bounds. */
const BOUNDS_CHANNEL = "jointplan:decomposition-bounds";
/** Finished chunks are kept this long: a job's thread that is run again (its worker lost) finds those it had. */
const KEEP_CHUNKS_S = 3_600;

/** An embedded job's bounds, told to the service (`listenForBounds`); close it when the job's run ends. */
export function boundsToService(jobId: string): { report: (iteration: DecompositionIteration) => void; close: () => void } {
  const channel = new BroadcastChannel(BOUNDS_CHANNEL);
  channel.unref();
  return {
    report: ({ iteration, lower, upper, gap }) => channel.postMessage({ jobId, bounds: { iteration, lower, upper, gap } satisfies ProgressBounds }),
    close: () => channel.close(),
  };
}

/** Hears embedded jobs' bounds; returns the function that stops listening. */
export function listenForBounds(onBounds: (jobId: string, bounds: ProgressBounds) => void): () => void {
  const channel = new BroadcastChannel(BOUNDS_CHANNEL);
  channel.unref();
  channel.onmessage = (event) => {
    const { data } = event as { data: { jobId: string; bounds: ProgressBounds } };
    onBounds(data.jobId, data.bounds);
  };
  return () => channel.close();
}

/**
 * Subproblem chunks on the Redis queue. A chunk's id is the job's, the op,
 * its first outcome and a digest of the decisions it is solved at: the same
 * iteration asked again (the job's thread run again after its worker was
 * lost) finds the chunk done or under way instead of solving it twice. A
 * chunk whose worker dies is handed to another by BullMQ's stalled-job check,
 * and this side goes on waiting for it.
 */
export class RedisSubproblems implements SubproblemRunner {
  private constructor(
    readonly threads: number,
    private readonly connection: Redis,
    private readonly queue: Queue<SubproblemTask, SubproblemChunk>,
    private readonly events: QueueEvents,
    private readonly jobId: string,
    private readonly prefix: string,
  ) {}

  /** Opens the queue; `threads` counts every worker taking chunks (at least `perWorker`). */
  static async open(url: string, prefix: string, jobId: string, perWorker: number): Promise<RedisSubproblems> {
    const connection = connect(url);
    const queue = new Queue<SubproblemTask, SubproblemChunk>(SUBPROBLEMS_QUEUE, { connection, prefix });
    const events = new QueueEvents(SUBPROBLEMS_QUEUE, { connection: connect(url), prefix });
    await events.waitUntilReady();
    const workers = Math.max(1, await queue.getWorkersCount().catch(() => 1));
    return new RedisSubproblems(workers * Math.max(1, perWorker), connection, queue, events, jobId, prefix);
  }

  async run(task: SubproblemTask, signal?: AbortSignal): Promise<SubproblemChunk> {
    signal?.throwIfAborted();
    const digest = createHash("sha256").update(JSON.stringify(task.fixed)).digest("hex").slice(0, 24);
    const job = await this.queue.add(task.op, task, {
      jobId: `${this.jobId}.${task.op}.${task.from}.${digest}`,
      removeOnComplete: { age: KEEP_CHUNKS_S },
      removeOnFail: { age: KEEP_CHUNKS_S },
    });
    return job.waitUntilFinished(this.events);
  }

  /** Keeps the bounds beside the job's keys, for its progress. */
  async report(bounds: ProgressBounds, keepMs: number): Promise<void> {
    await this.connection.set(jobKeys(this.prefix, this.jobId).bounds, JSON.stringify(bounds), "PX", keepMs);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.queue.close(), this.events.close()]);
    this.connection.disconnect();
  }
}
