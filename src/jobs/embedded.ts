import type { TaskError } from "../tasks/task.js";
import { listenForBounds, type ProgressBounds } from "./decomposition.js";
import { JobsFull, newJobId, type JobEngine, type JobRecord } from "./engine.js";
import type { PreparedJob } from "./prepare.js";
import type { JobSettings } from "./settings.js";
import type { JobProblem, JobStatus, UnitOutput } from "./types.js";
import { internalProblem } from "./problems.js";
import { UnitPool } from "./unitPool.js";

/** How long `cancel` waits for a job's running units to stop before it answers. */
const CANCEL_WAIT_MS = 5_000;
/** A unit whose thread died is tried again this many times before its job fails. */
const RETRIES = 1;

interface Job {
  readonly id: string;
  readonly prepared: PreparedJob;
  readonly createdAt: number;
  readonly abort: AbortController;
  readonly outputs: (UnitOutput | undefined)[];
  readonly attempts: number[];
  status: JobStatus;
  startedAt?: number;
  finishedAt?: number;
  /** Units handed to a thread so far (the next one to hand is this index), and those still running. */
  next: number;
  running: number;
  done: number;
  cancelled: boolean;
  merging: boolean;
  /** A decomposition's latest bounds, as its thread told them. */
  bounds?: ProgressBounds;
  resultJson?: string;
  error?: JobProblem;
  readonly settled: Promise<void>;
  settle: () => void;
}

export interface EmbeddedOptions {
  /** The unit workers' entry (tests). */
  readonly workerFile?: URL;
  /** Told of every failure that is a bug, to log it in full (problem bodies say nothing of it). */
  readonly onError?: (jobId: string, error: TaskError) => void;
}

/**
 * Jobs inside the service: kept in memory (a restart loses them), their units
 * run on worker threads of their own, first come first served — a job's units
 * are handed out in order, as threads free up, before the next job's.
 * Finished jobs are kept for `ttlMs`, at most `maxKept` jobs in all.
 */
export class EmbeddedJobs implements JobEngine {
  readonly mode = "embedded";
  private readonly jobs = new Map<string, Job>();
  private readonly pool: UnitPool;
  private inFlight = 0;
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;
  private readonly stopListening: () => void;

  constructor(
    private readonly settings: JobSettings,
    private readonly options: EmbeddedOptions = {},
  ) {
    this.pool = new UnitPool(settings.threads, options.workerFile);
    this.sweeper = setInterval(() => this.expire(), Math.min(settings.ttlMs, 60_000)).unref();
    this.stopListening = listenForBounds((jobId, bounds) => {
      const job = this.jobs.get(jobId);
      if (job !== undefined) job.bounds = bounds;
    });
  }

  submit(prepared: PreparedJob): Promise<JobRecord> {
    this.expire();
    if (this.jobs.size >= this.settings.maxKept) this.dropOldestFinished();
    if (this.jobs.size >= this.settings.maxKept) return Promise.reject(new JobsFull(this.jobs.size));
    const { promise: settled, resolve: settle } = deferred();
    const job: Job = {
      id: newJobId(),
      prepared,
      createdAt: Date.now(),
      abort: new AbortController(),
      outputs: prepared.units.map(() => undefined),
      attempts: prepared.units.map(() => 0),
      status: "queued",
      next: 0,
      running: 0,
      done: 0,
      cancelled: false,
      merging: false,
      settled,
      settle,
    };
    this.jobs.set(job.id, job);
    // The answer to the submission says queued, as it was accepted, even when a free thread starts it at once.
    const accepted = record(job);
    this.pump();
    return Promise.resolve(accepted);
  }

  get(id: string): Promise<JobRecord | undefined> {
    this.expire();
    const job = this.jobs.get(id);
    return Promise.resolve(job === undefined ? undefined : record(job));
  }

  list(limit: number): Promise<JobRecord[]> {
    this.expire();
    const newest = [...this.jobs.values()].reverse().slice(0, limit);
    return Promise.resolve(newest.map((job) => record(job, false)));
  }

  async cancel(id: string): Promise<JobRecord | undefined> {
    const job = this.jobs.get(id);
    if (job === undefined) return undefined;
    if (job.finishedAt === undefined && !job.cancelled) {
      job.cancelled = true;
      job.abort.abort();
      this.settleIfIdle(job);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([job.settled, new Promise((resolve) => (timer = setTimeout(resolve, CANCEL_WAIT_MS)))]);
    clearTimeout(timer);
    return record(job);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    this.stopListening();
    for (const job of this.jobs.values()) {
      if (job.finishedAt === undefined) job.abort.abort();
    }
    await this.pool.close();
  }

  /** Hands units to free threads: the oldest job's next unit first. */
  private pump(): void {
    if (this.closed) return;
    for (const job of this.jobs.values()) {
      while (this.inFlight < this.pool.threads && !job.cancelled && job.error === undefined && job.next < job.prepared.units.length) {
        this.dispatch(job, job.next++);
      }
      if (this.inFlight >= this.pool.threads) return;
    }
  }

  private dispatch(job: Job, index: number): void {
    const unit = job.prepared.units[index];
    if (unit === undefined) return;
    this.inFlight++;
    job.running++;
    job.attempts[index] = (job.attempts[index] ?? 0) + 1;
    if (job.status === "queued") {
      job.status = "running";
      job.startedAt = Date.now();
    }
    const request = {
      op: "run" as const,
      input: job.prepared.input,
      unit,
      key: job.id,
      limits: { maxRunMs: this.settings.maxRunMs, decomposition: { threads: this.settings.threads } },
    };
    this.pool
      .run(request, job.abort.signal)
      .then(
        (reply) => {
          if (reply.ok && reply.output !== undefined) {
            job.outputs[index] = reply.output;
            job.done += reply.output.size;
          } else if (!reply.ok) {
            this.fail(job, reply.problem, reply.error);
          }
        },
        (error: unknown) => {
          if (job.cancelled || this.closed) return;
          // The thread died under the unit (not the unit's own error, which is a reply): once more on a fresh thread.
          if ((job.attempts[index] ?? 0) <= RETRIES) {
            this.requeue(job, index);
            return;
          }
          this.fail(job, undefined, { name: "WorkerFailed", message: error instanceof Error ? error.message : String(error) });
        },
      )
      .finally(() => {
        this.inFlight--;
        job.running--;
        this.settleIfIdle(job);
        this.pump();
      });
  }

  /** A unit to run again: handed out before the job's later ones. */
  private requeue(job: Job, index: number): void {
    queueMicrotask(() => {
      if (this.inFlight < this.pool.threads) this.dispatch(job, index);
      else setTimeout(() => this.requeue(job, index), 10);
    });
  }

  private fail(job: Job, problem: JobProblem | undefined, error: TaskError | undefined): void {
    if (job.error !== undefined) return;
    if (error !== undefined) this.options.onError?.(job.id, error);
    job.error = problem ?? internalProblem();
    job.abort.abort();
  }

  /** Once nothing of the job runs and nothing more will start: its result, or its problem. */
  private settleIfIdle(job: Job): void {
    if (job.running > 0 || job.merging || job.finishedAt !== undefined) return;
    const allDone = job.outputs.every((output) => output !== undefined);
    if (!allDone && !job.cancelled && job.error === undefined) return;
    if (job.error !== undefined) {
      this.finish(job, "failed");
      return;
    }
    const partial = job.prepared.units[0]?.type !== "whole";
    if (job.cancelled && (!partial || job.done === 0)) {
      this.finish(job, "cancelled");
      return;
    }
    job.merging = true;
    const stopped = job.cancelled ? { stopped: "cancelled" as const } : {};
    const request = {
      op: "merge" as const,
      input: job.prepared.input,
      units: job.prepared.units,
      outputs: job.outputs,
      key: job.id,
      limits: { maxRunMs: this.settings.maxRunMs, maxBytes: this.settings.maxResultBytes },
      ...stopped,
    };
    this.pool
      .run(request)
      .then(
        (reply) => {
          if (reply.ok) {
            if (reply.json !== undefined) job.resultJson = reply.json;
          } else {
            if (reply.error !== undefined) this.options.onError?.(job.id, reply.error);
            job.error = reply.problem ?? internalProblem();
          }
        },
        (error: unknown) => {
          this.options.onError?.(job.id, { name: "WorkerFailed", message: error instanceof Error ? error.message : String(error) });
          job.error = internalProblem();
        },
      )
      .finally(() => {
        job.merging = false;
        this.finish(job, job.error !== undefined ? "failed" : job.cancelled ? "cancelled" : "succeeded");
      });
  }

  private finish(job: Job, status: JobStatus): void {
    job.status = status;
    job.finishedAt = Date.now();
    job.outputs.fill(undefined); // the result holds what they said
    job.settle();
  }

  private expire(): void {
    const now = Date.now();
    for (const [id, job] of this.jobs) {
      if (job.finishedAt !== undefined && now - job.finishedAt >= this.settings.ttlMs) this.jobs.delete(id);
    }
  }

  private dropOldestFinished(): void {
    let oldest: Job | undefined;
    for (const job of this.jobs.values()) {
      if (job.finishedAt !== undefined && (oldest?.finishedAt === undefined || job.finishedAt < oldest.finishedAt)) oldest = job;
    }
    if (oldest !== undefined) this.jobs.delete(oldest.id);
  }
}

function record(job: Job, withResult = true): JobRecord {
  return {
    id: job.id,
    kind: job.prepared.input.kind,
    status: job.status,
    progress: { done: job.done, total: job.prepared.total, ...(job.bounds === undefined ? {} : { bounds: job.bounds }) },
    createdAt: job.createdAt,
    ...(job.startedAt === undefined ? {} : { startedAt: job.startedAt }),
    ...(job.finishedAt === undefined ? {} : { finishedAt: job.finishedAt }),
    ...(withResult && job.resultJson !== undefined ? { resultJson: job.resultJson } : {}),
    ...(job.error === undefined ? {} : { error: job.error }),
  };
}

/** A promise and what resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: (() => void) | undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve: () => resolve?.() };
}
