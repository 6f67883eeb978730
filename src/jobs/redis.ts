import { FlowProducer, Queue, type Job } from "bullmq";
import { Redis } from "ioredis";
import { newJobId, QueueUnavailable, JobsFull, type JobEngine, type JobRecord } from "./engine.js";
import type { ProgressBounds } from "./decomposition.js";
import type { PreparedJob } from "./prepare.js";
import { internalProblem } from "./problems.js";
import type { JobSettings } from "./settings.js";
import type { JobInput, JobKind, JobProblem, JobStatus, Unit } from "./types.js";

/** Queue names under the prefix: a job is a parent on `jobs`, its units children on `units` (a BullMQ flow). */
export const JOBS_QUEUE = "jobs";
export const UNITS_QUEUE = "units";
/** How long the service waits for Redis before it answers 503. */
const REDIS_WAIT_MS = 5_000;
/** How often `cancel` looks whether the job has stopped, and for how long. */
const CANCEL_POLL_MS = 100;
const CANCEL_WAIT_MS = 10_000;

/** A job's data on the queue: its input and units, once, where every unit reads them. */
export interface ParentData {
  readonly input: JobInput;
  readonly units: readonly Unit[];
  readonly total: number;
  readonly maxRunMs: number;
  readonly maxResultBytes: number;
  /** How long the keys beside the queue (progress, start, cancel) outlive the job: its TTL plus its longest run. */
  readonly keepKeysMs: number;
}

/** A unit's data: its place in the job. */
export interface ChildData {
  readonly index: number;
  readonly unit: Unit;
}

/** What a job's parent returns when it has merged its units: the result's JSON text, and whether it was cancelled. */
export interface ParentReturn {
  readonly status: "succeeded" | "cancelled";
  readonly json?: string;
}

/** The keys beside the queues that say how far a job is and whether it is cancelled. */
export function jobKeys(prefix: string, id: string) {
  return {
    done: `${prefix}:jointplan:${id}:done`,
    started: `${prefix}:jointplan:${id}:started`,
    cancel: `${prefix}:jointplan:${id}:cancel`,
    /** A decomposition's latest bounds (JSON). */
    bounds: `${prefix}:jointplan:${id}:bounds`,
  };
}

/** A connection to Redis from JOINTPLAN_REDIS_URL (redis:// or rediss:// for TLS, with the password in the URL); BullMQ's blocking calls need `maxRetriesPerRequest: null`. */
export function connect(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/**
 * Jobs on a BullMQ queue in Redis: this side (the service) only enqueues and
 * reads; `jointplan worker` processes (`worker.ts`) run the units. A job is a
 * flow: a parent on the `jobs` queue with one child per unit on `units`, so
 * that many workers share one job; when every child is done a worker merges
 * their values, in unit order, into the result. State is in Redis, so any
 * replica of the service answers for any job.
 */
export class RedisJobs implements JobEngine {
  readonly mode = "redis";
  private readonly connection: Redis;
  private readonly queue: Queue;
  private readonly flows: FlowProducer;

  constructor(
    url: string,
    private readonly settings: JobSettings,
  ) {
    this.connection = connect(url);
    // An unreachable Redis is answered per request (503); ioredis keeps reconnecting meanwhile.
    this.connection.on("error", ignore);
    const options = { connection: this.connection, prefix: settings.queuePrefix };
    this.queue = new Queue(JOBS_QUEUE, options);
    this.flows = new FlowProducer(options);
    this.queue.on("error", ignore);
    this.flows.on("error", ignore);
  }

  async submit(prepared: PreparedJob): Promise<JobRecord> {
    const counts = await this.wait(this.queue.getJobCounts("waiting-children", "waiting", "active", "prioritized", "delayed"));
    const open = Object.values(counts).reduce((sum, count) => sum + count, 0);
    if (open >= this.settings.maxKept) throw new JobsFull(open);
    const id = newJobId();
    const keep = { age: Math.ceil(this.settings.ttlMs / 1000), count: this.settings.maxKept };
    const data: ParentData = {
      input: prepared.input,
      units: prepared.units,
      total: prepared.total,
      maxRunMs: this.settings.maxRunMs,
      maxResultBytes: this.settings.maxResultBytes,
      keepKeysMs: this.settings.ttlMs + this.settings.maxRunMs,
    };
    const flow = await this.wait(
      this.flows.add({
        name: prepared.input.kind,
        queueName: JOBS_QUEUE,
        data,
        opts: { jobId: id, removeOnComplete: keep, removeOnFail: keep },
        children: prepared.units.map((unit, index) => ({
          name: "unit",
          queueName: UNITS_QUEUE,
          data: { index, unit } satisfies ChildData,
          opts: { jobId: `${id}.${index}`, failParentOnFailure: true, removeOnComplete: true, removeOnFail: keep },
        })),
      }),
    );
    // Created when the queue took it, as GET reads it back.
    return { id, kind: prepared.input.kind, status: "queued", progress: { done: 0, total: prepared.total }, createdAt: flow.job.timestamp };
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const job = await this.wait(this.queue.getJob(id));
    return job === undefined ? undefined : this.wait(this.recordOf(job as Job<ParentData, ParentReturn>, true));
  }

  async list(limit: number): Promise<JobRecord[]> {
    const jobs = await this.wait(
      this.queue.getJobs(["waiting-children", "waiting", "active", "completed", "failed", "prioritized", "delayed"], 0, limit - 1, false),
    );
    const newest = (jobs as Job<ParentData, ParentReturn>[])
      .filter((job) => job.id !== undefined)
      .sort((a, b) => b.timestamp - a.timestamp)
      .slice(0, limit);
    return this.wait(Promise.all(newest.map((job) => this.recordOf(job, false))));
  }

  async cancel(id: string): Promise<JobRecord | undefined> {
    const job = await this.wait(this.queue.getJob(id));
    if (job === undefined) return undefined;
    const state = await this.wait(job.getState());
    if (state !== "completed" && state !== "failed") {
      // Workers look for this key before each unit and while one runs; the parent merges what was finished.
      await this.wait(this.connection.set(jobKeys(this.settings.queuePrefix, id).cancel, "1", "PX", this.settings.ttlMs + this.settings.maxRunMs));
      // With no worker connected nothing can stop the job now: answer at once; the first worker to come skips its chunks and ends it.
      const until = (await this.workersConnected()) ? Date.now() + CANCEL_WAIT_MS : 0;
      while (Date.now() < until) {
        const now = await this.wait(job.getState());
        if (now === "completed" || now === "failed" || now === "unknown") break;
        await new Promise((resolve) => setTimeout(resolve, CANCEL_POLL_MS));
      }
    }
    return this.get(id);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.queue.close(), this.flows.close()]);
    this.connection.disconnect();
  }

  /** Whether any `jointplan worker` is connected to this prefix's queue (true when Redis will not say: CLIENT LIST refused). */
  private async workersConnected(): Promise<boolean> {
    try {
      return (await this.wait(this.queue.getWorkersCount())) > 0;
    } catch (error) {
      if (error instanceof QueueUnavailable) throw error;
      return true;
    }
  }

  private async recordOf(read: Job<ParentData, ParentReturn>, withResult: boolean): Promise<JobRecord> {
    const id = read.id ?? "";
    const keys = jobKeys(this.settings.queuePrefix, id);
    const [state, doneSizes, started, cancelled, bounds] = await Promise.all([
      read.getState(),
      this.connection.hvals(keys.done),
      this.connection.get(keys.started),
      this.connection.exists(keys.cancel),
      this.connection.get(keys.bounds),
    ]);
    // The job was read before its state: if it finished in between, read it again for its return value or failure.
    const finishedSince = (state === "completed" || state === "failed") && read.finishedOn === undefined;
    const job = (finishedSince ? ((await this.queue.getJob(id)) as Job<ParentData, ParentReturn> | undefined) : undefined) ?? read;
    const done = doneSizes.reduce((sum, size) => sum + Number(size), 0);
    const total = job.data.total;
    let status: JobStatus;
    let resultJson: string | undefined;
    let error: JobProblem | undefined;
    if (state === "completed") {
      status = job.returnvalue.status;
      resultJson = job.returnvalue.json;
    } else if (state === "failed") {
      status = "failed";
      error = problemOf(job.failedReason);
    } else {
      status = started === null && state !== "active" ? "queued" : "running";
      if (cancelled === 1 && status === "queued") status = "running";
    }
    const startedAt = started === null ? job.processedOn : Number(started);
    return {
      id,
      kind: job.name as JobKind,
      status,
      progress: { done: Math.min(done, total), total, ...(bounds === null ? {} : { bounds: JSON.parse(bounds) as ProgressBounds }) },
      createdAt: job.timestamp,
      ...(startedAt === undefined ? {} : { startedAt }),
      ...(job.finishedOn === undefined ? {} : { finishedAt: job.finishedOn }),
      ...(withResult && resultJson !== undefined ? { resultJson } : {}),
      ...(error === undefined ? {} : { error }),
    };
  }

  /** A Redis call that must answer in time, else the queue is out of reach. */
  private async wait<T>(call: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new QueueUnavailable(new Error("Redis did not answer in time"))), REDIS_WAIT_MS)),
    );
    try {
      return await Promise.race([call, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A failed job's problem: the one its worker wrote (a JSON problem body), or a bug's, which says nothing more. */
export function problemOf(failedReason: string | undefined): JobProblem {
  if (failedReason?.startsWith("{") === true) {
    try {
      const parsed = JSON.parse(failedReason) as Partial<JobProblem>;
      if (typeof parsed.type === "string" && typeof parsed.detail === "string" && typeof parsed.status === "number") {
        return { type: parsed.type, title: parsed.title ?? "Job failed", status: parsed.status, detail: parsed.detail, errors: parsed.errors ?? [] };
      }
    } catch {
      // not a problem body: a bug's message
    }
  }
  return internalProblem();
}

/** Connection errors: answered per call (503) while ioredis reconnects, not thrown at the process. */
function ignore(): void {
  // nothing: see above
}
