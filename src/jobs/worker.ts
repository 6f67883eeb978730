import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { taskError, type TaskError } from "../tasks/task.js";
import { createSubproblemPool } from "../stochastic/decomposition/pool.js";
import type { SubproblemChunk, SubproblemTask } from "../stochastic/decomposition/types.js";
import { SUBPROBLEMS_QUEUE } from "./decomposition.js";
import { connect, JOBS_QUEUE, jobKeys, UNITS_QUEUE, type ChildData, type ParentData, type ParentReturn } from "./redis.js";
import type { UnitOutput } from "./types.js";
import { UnitPool } from "./unitPool.js";

export interface JobWorkerOptions {
  readonly redisUrl: string;
  readonly queuePrefix: string;
  /** Units this process runs at once, each on a worker thread of its own. */
  readonly concurrency: number;
  /**
   * How long a unit's lock lasts without renewal: a worker that dies (or stops
   * answering) holding a unit loses it after this long, and another worker
   * takes the unit up again. Locks are renewed at half this while the unit runs.
   */
  readonly lockMs: number;
  /** Told of each unit's failure (a bug): to log it. */
  readonly onError?: (jobId: string, error: TaskError) => void;
  /** The unit threads' entry (tests). */
  readonly workerFile?: URL;
  /** The subproblem threads' entry (tests). */
  readonly subproblemWorkerFile?: URL;
}

export interface JobWorker {
  /** Finishes the units running (taking no more), then lets go of threads and connections. */
  close(): Promise<void>;
}

/** How often a running unit looks whether its job was cancelled. */
const CANCEL_POLL_MS = 200;
/** A unit handed back after a stall is taken up again this many times before it fails its job. */
const MAX_STALLED = 5;
/** The inputs of the jobs whose units this process ran last, by job id. */
const KEPT_INPUTS = 8;

/**
 * A `jointplan worker`: takes units of jobs from the Redis queue and runs
 * them on its own worker threads (so that its event loop stays free to renew
 * their locks), and merges a job's units when its last one is done. Any
 * number of these, on any machines, share the work. A unit whose worker dies
 * is handed to another by BullMQ's stalled-job check once its lock lapses;
 * its value is written once, when it completes, so every sample is counted
 * once.
 */
export async function startJobWorker(options: JobWorkerOptions): Promise<JobWorker> {
  const pool = new UnitPool(options.concurrency, options.workerFile);
  const prefix = options.queuePrefix;
  const connection: Redis = connect(options.redisUrl);
  const jobsQueue = new Queue<ParentData, ParentReturn>(JOBS_QUEUE, { connection, prefix });
  const inputs = new Map<string, ParentData>();

  const parentData = async (id: string): Promise<ParentData> => {
    const known = inputs.get(id);
    if (known !== undefined) return known;
    const parent = await jobsQueue.getJob(id);
    if (parent === undefined) throw new UnrecoverableError(`the job ${id} of this unit is gone`);
    inputs.set(id, parent.data);
    if (inputs.size > KEPT_INPUTS) inputs.delete(inputs.keys().next().value ?? id);
    return parent.data;
  };

  const runUnit = async (job: Job<ChildData, UnitOutput>): Promise<UnitOutput> => {
    const parentId = job.parent?.id;
    if (parentId === undefined) throw new UnrecoverableError("a unit without its job");
    const keys = jobKeys(prefix, parentId);
    if ((await connection.exists(keys.cancel)) === 1) return { size: 0, value: null, skipped: true };
    const data = await parentData(parentId);
    await connection.set(keys.started, String(Date.now()), "PX", data.keepKeysMs, "NX");
    const abort = new AbortController();
    const watch = setInterval(() => {
      connection.exists(keys.cancel).then((cancelled) => {
        if (cancelled === 1) abort.abort();
      }, lookAgainLater);
    }, CANCEL_POLL_MS);
    try {
      const limits = { maxRunMs: data.maxRunMs, decomposition: { threads: options.concurrency, redis: { url: options.redisUrl, prefix } } };
      const reply = await pool.run({ op: "run", input: data.input, unit: job.data.unit, key: parentId, limits }, abort.signal);
      if (!reply.ok) {
        if (reply.error !== undefined) options.onError?.(parentId, reply.error);
        throw new UnrecoverableError(reply.problem === undefined ? (reply.error?.message ?? "the unit failed") : JSON.stringify(reply.problem));
      }
      const output = reply.output ?? { size: 0, value: null, skipped: true };
      // Progress by unit: written again the same if the unit is run again after a stall.
      await connection.hset(keys.done, String(job.data.index), String(output.size));
      await connection.pexpire(keys.done, data.keepKeysMs);
      return output;
    } catch (error) {
      if (abort.signal.aborted) return { size: 0, value: null, skipped: true };
      throw error;
    } finally {
      clearInterval(watch);
    }
  };

  const mergeJob = async (job: Job<ParentData, ParentReturn>): Promise<ParentReturn> => {
    const id = job.id ?? "";
    // The units' outputs as the job holds them (BullMQ's getChildrenValues, unparsed): JSON text, parsed on the merge thread — a
    // million-sample run's is over a gigabyte, which this event loop neither parses nor copies as objects.
    const values = await connection.hgetall(jobsQueue.toKey(`${id}:processed`));
    const byIndex = new Map<number, string>();
    for (const [key, text] of Object.entries(values)) {
      // Child keys end in the child's id, `${parent}.${index}`.
      const index = Number(key.slice(key.lastIndexOf(".") + 1));
      byIndex.set(index, text);
    }
    const outputs = job.data.units.map((_, index) => byIndex.get(index));
    const cancelled = (await connection.exists(jobKeys(prefix, id).cancel)) === 1 || outputs.some(skippedUnit);
    const partial = job.data.units[0]?.type !== "whole";
    const skipped = outputs.every((output) => output === undefined || skippedUnit(output));
    if (cancelled && (!partial || skipped)) return { status: "cancelled" };
    const reply = await pool.run({
      op: "merge",
      input: job.data.input,
      units: job.data.units,
      outputs,
      key: id,
      limits: { maxRunMs: job.data.maxRunMs, maxBytes: job.data.maxResultBytes },
      ...(cancelled ? { stopped: "cancelled" as const } : {}),
    });
    if (!reply.ok) {
      if (reply.error !== undefined) options.onError?.(id, reply.error);
      throw new UnrecoverableError(reply.problem === undefined ? (reply.error?.message ?? "the merge failed") : JSON.stringify(reply.problem));
    }
    return { status: cancelled ? "cancelled" : "succeeded", ...(reply.json === undefined ? {} : { json: reply.json }) };
  };

  const common = { connection, prefix, lockDuration: options.lockMs, stalledInterval: options.lockMs, maxStalledCount: MAX_STALLED };
  const units = new Worker<ChildData, UnitOutput>(UNITS_QUEUE, runUnit, { ...common, concurrency: options.concurrency });
  const parents = new Worker<ParentData, ParentReturn>(JOBS_QUEUE, mergeJob, { ...common, concurrency: 1 });
  // A decomposition's subproblem chunks (docs/stochastic-decomposition.md), on threads of their own: a job's unit waiting for its
  // chunks holds a unit thread, so that chunks never wait behind the units that wait for them.
  const subproblemPool = createSubproblemPool(options.concurrency, options.subproblemWorkerFile);
  const subproblems = new Worker<SubproblemTask, SubproblemChunk>(SUBPROBLEMS_QUEUE, (job) => subproblemPool.run(job.data), {
    ...common,
    concurrency: options.concurrency,
  });
  const report = (error: Error) => options.onError?.("", taskError(error));
  units.on("error", report);
  parents.on("error", report);
  subproblems.on("error", report);
  await Promise.all([units.waitUntilReady(), parents.waitUntilReady(), subproblems.waitUntilReady()]);

  return {
    async close() {
      await Promise.all([units.close(), parents.close(), subproblems.close()]);
      await Promise.allSettled([jobsQueue.close(), pool.close(), subproblemPool.close()]);
      connection.disconnect();
    },
  };
}

/** Whether a unit's output (its JSON text) says it did not run: `runUnit` above answers exactly `{ size: 0, value: null, skipped: true }`, short text. */
function skippedUnit(text: string | undefined): boolean {
  return text !== undefined && text.length <= SKIPPED_TEXT_MAX && (JSON.parse(text) as UnitOutput).skipped === true;
}
const SKIPPED_TEXT_MAX = JSON.stringify({ size: 0, value: null, skipped: true } satisfies UnitOutput).length;

/** Redis out of reach for a moment: the unit goes on, and the next look may see the cancel. */
function lookAgainLater(): void {
  // nothing to do until the next look
}
