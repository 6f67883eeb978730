import type { FastifyInstance } from "fastify";
import { expect } from "vitest";
import type { JobStatus, JobView } from "../../src/jobs/types.js";
import type { Json } from "./builders.js";
import { sleep } from "./http.js";
import { relativeGap } from "./properties.js";

/**
 * What the job suites share: submitting a job through `POST /v1/jobs` and
 * reading it back until it reaches a status, by `app.inject()` on any app
 * (embedded or on Redis), and comparing results without their timings.
 */

export const FINISHED: readonly JobStatus[] = ["succeeded", "failed", "cancelled"];

/** A job's id as the service hands it out: 144 random bits, base64url. */
export const JOB_ID = /^[A-Za-z0-9_-]{24}$/;

/** A problem body's issues. */
export interface Problem {
  readonly status: number;
  readonly detail: string;
  readonly errors: { readonly path: string; readonly message: string }[];
}

/** Posts `body` to `POST /v1/jobs`, expects 202 with its Location, and returns the job as answered. */
export async function submitJob(app: FastifyInstance, body: unknown): Promise<JobView> {
  const answer = await app.inject({ method: "POST", url: "/v1/jobs", payload: body as Json });
  if (answer.statusCode !== 202) throw new Error(`POST /v1/jobs answered ${answer.statusCode}: ${answer.body.slice(0, 2_000)}`);
  const job = answer.json<JobView>();
  expect(answer.headers.location).toBe(`/v1/jobs/${job.id}`);
  return job;
}

/** `GET /v1/jobs/{id}`: the job, or undefined on a 404 (any other answer fails). */
export async function getJob(app: FastifyInstance, id: string): Promise<JobView | undefined> {
  const answer = await app.inject({ method: "GET", url: `/v1/jobs/${id}` });
  if (answer.statusCode === 404) return undefined;
  if (answer.statusCode !== 200) throw new Error(`GET /v1/jobs/${id} answered ${answer.statusCode}: ${answer.body.slice(0, 2_000)}`);
  return answer.json<JobView>();
}

/** `DELETE /v1/jobs/{id}`, expecting 200: the job as the service answers once it has stopped. */
export async function cancelJob(app: FastifyInstance, id: string): Promise<JobView> {
  const answer = await app.inject({ method: "DELETE", url: `/v1/jobs/${id}` });
  if (answer.statusCode !== 200) throw new Error(`DELETE /v1/jobs/${id} answered ${answer.statusCode}: ${answer.body.slice(0, 2_000)}`);
  return answer.json<JobView>();
}

/**
 * Reads the job every `everyMs` until `until` holds of it (a status, a list
 * of them, or a test of the view); fails naming what it waited for and the
 * job as last seen after `timeoutMs` (generous: a loaded 2-core machine is
 * slow, not wrong).
 */
export async function pollJob(
  app: FastifyInstance,
  id: string,
  until: JobStatus | readonly JobStatus[] | ((job: JobView) => boolean),
  { timeoutMs = 60_000, everyMs = 20 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<JobView> {
  const test = typeof until === "function" ? until : (job: JobView) => (typeof until === "string" ? [until] : until).includes(job.status);
  const started = Date.now();
  let last: JobView | undefined;
  for (;;) {
    last = await getJob(app, id);
    if (last === undefined) throw new Error(`job ${id} is gone (404) while waiting for it`);
    if (test(last)) return last;
    if (Date.now() - started > timeoutMs) {
      const { result: _result, ...seen } = last;
      throw new Error(`timed out after ${timeoutMs} ms waiting for job ${id} (${String(until)}); last seen ${JSON.stringify(seen)}`);
    }
    await sleep(everyMs);
  }
}

/** Submits a job and waits until it has finished (succeeded, failed or cancelled). */
export async function runJob(app: FastifyInstance, body: unknown, timeoutMs?: number): Promise<JobView> {
  const job = await submitJob(app, body);
  return pollJob(app, job.id, FINISHED, timeoutMs === undefined ? {} : { timeoutMs });
}

/** A value with every `ms` field (solve timings) taken out, at any depth: what two runs of the same work agree on. */
export function untimed<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => untimed(item)) as T;
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "ms")
      .map(([key, item]) => [key, untimed(item)]),
  ) as T;
}

/**
 * A grid's points as two runs of it agree on them when HiGHS warm-starts each
 * point from whichever point its thread solved before (chunks shared out
 * differently): the same values in the same order, the same statuses, the
 * same objectives to 1e-9 (the last bits, and at a degenerate optimum the
 * duals behind slope and binding, may differ).
 */
export function expectSamePoints(actual: readonly SweepPointLike[], expected: readonly SweepPointLike[]): void {
  expect(actual.map((point) => point.value)).toEqual(expected.map((point) => point.value));
  actual.forEach((point, i) => {
    const other = expected[i];
    expect(point.status, `status at ${point.value}`).toBe(other?.status);
    if (other?.objective === null || other?.objective === undefined) expect(point.objective, `objective at ${point.value}`).toBeNull();
    else expect(relativeGap(point.objective ?? Number.NaN, other.objective), `objective at ${point.value}`).toBeLessThanOrEqual(1e-9);
  });
}

export interface SweepPointLike {
  readonly value: number;
  readonly status: string;
  readonly objective: number | null;
}
