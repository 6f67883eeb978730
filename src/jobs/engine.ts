import { randomBytes } from "node:crypto";
import type { ProgressBounds } from "./decomposition.js";
import type { PreparedJob } from "./prepare.js";
import type { JobKind, JobProblem, JobStatus, JobView } from "./types.js";

/**
 * Where jobs run: inside the service on worker threads (`embedded.ts`), or
 * on a BullMQ queue in Redis that `jointplan worker` processes take from
 * (`redis.ts`). The service talks to either through this.
 */
export interface JobEngine {
  readonly mode: "embedded" | "redis";
  /** Queues a job checked by `prepareJob`. Throws `JobsFull` when no more jobs may be kept. */
  submit(job: PreparedJob): Promise<JobRecord>;
  /** A job by id; undefined when unknown or expired. */
  get(id: string): Promise<JobRecord | undefined>;
  /** The most recent jobs, newest first, without their results. */
  list(limit: number): Promise<JobRecord[]>;
  /**
   * Cancels a job: its running units stop, waiting ones never start, and a
   * sweep or Monte Carlo job keeps what it finished. Resolves with the job as
   * it is once cancelled (or after a few seconds, still stopping); a finished
   * job is left as it is. Undefined when unknown.
   */
  cancel(id: string): Promise<JobRecord | undefined>;
  /** Stops taking jobs and lets go of threads and connections. */
  close(): Promise<void>;
}

/** A job as an engine keeps it; `resultJson` is the result's JSON text, spliced into answers as it is. */
export interface JobRecord {
  readonly id: string;
  readonly kind: JobKind;
  readonly status: JobStatus;
  readonly progress: { readonly done: number; readonly total: number; readonly bounds?: ProgressBounds };
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly resultJson?: string;
  readonly error?: JobProblem;
}

/** No room for another job: every kept job is still queued or running. */
export class JobsFull extends Error {
  constructor(readonly kept: number) {
    super(`${kept} jobs are queued or running, as many as this server keeps`);
    this.name = "JobsFull";
  }
}

/** The job queue (Redis) did not answer in time. */
export class QueueUnavailable extends Error {
  constructor(cause: unknown) {
    super("the job queue cannot be reached", { cause });
    this.name = "QueueUnavailable";
  }
}

/** A job id: 144 random bits, URL-safe — not guessable, so knowing an id is what lets a caller read a job. */
export function newJobId(): string {
  return randomBytes(18).toString("base64url");
}

/** What an id must look like to be looked up at all. */
export const jobIdPattern = /^[A-Za-z0-9_-]{24}$/;

/** The job as `GET /v1/jobs/{id}` answers it, as JSON text: the result's text spliced in, never parsed and written again. */
export function jobJson(record: JobRecord, withResult = true): string {
  const { resultJson, ...view } = viewOf(record);
  const head = JSON.stringify(view);
  if (!withResult || resultJson === undefined) return head;
  return `${head.slice(0, -1)},"result":${resultJson}}`;
}

/** The job as the API shapes it (docs/jobs.md), its result parsed. */
export function jobView(record: JobRecord): JobView {
  const { resultJson, ...view } = viewOf(record);
  return resultJson === undefined ? view : { ...view, result: JSON.parse(resultJson) as unknown };
}

function viewOf(record: JobRecord): Omit<JobView, "result"> & { resultJson?: string } {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const started = iso(record.startedAt);
  const finished = iso(record.finishedAt);
  return {
    id: record.id,
    kind: record.kind,
    status: record.status,
    progress: {
      done: record.progress.done,
      total: record.progress.total,
      ...(record.progress.bounds === undefined ? {} : { bounds: record.progress.bounds }),
    },
    created_at: new Date(record.createdAt).toISOString(),
    ...(started === undefined ? {} : { started_at: started }),
    ...(finished === undefined ? {} : { finished_at: finished }),
    ...(record.error === undefined ? {} : { error: record.error }),
    ...(record.resultJson === undefined ? {} : { resultJson: record.resultJson }),
  };
}
