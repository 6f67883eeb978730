import type { ValidationIssue } from "../scenario/parse.js";

/** What a job runs: the body of `POST /v1/plans`, `/v1/comparisons`, `/v1/sweeps`, a Monte Carlo run, or a two-stage stochastic plan. */
export const jobKinds = ["plan", "compare", "sweep", "montecarlo", "stochastic"] as const;
export type JobKind = (typeof jobKinds)[number];

export const jobStatuses = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type JobStatus = (typeof jobStatuses)[number];

/** A problem body (RFC 9457), as the service answers with: why a job failed. */
export interface JobProblem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors: readonly ValidationIssue[];
}

/** A job as `GET /v1/jobs/{id}` answers it (docs/jobs.md). Times are ISO 8601. */
export interface JobView {
  readonly id: string;
  readonly kind: JobKind;
  readonly status: JobStatus;
  /** Samples (Monte Carlo), grid points (sweep) or solves (the rest) done of the total; a decomposition's latest bounds and gap (docs/stochastic-decomposition.md). */
  readonly progress: {
    readonly done: number;
    readonly total: number;
    readonly bounds?: { readonly iteration: number; readonly lower: number | null; readonly upper: number | null; readonly gap: number | null };
  };
  readonly created_at: string;
  readonly started_at?: string;
  readonly finished_at?: string;
  /** The answer the synchronous route would give (a Plan, a Comparison, a SweepResult) or the Monte Carlo result; a cancelled sweep or Monte Carlo keeps what it finished. */
  readonly result?: unknown;
  readonly error?: JobProblem;
}

/**
 * One piece of a job that runs on a thread of its own, on this machine or a
 * worker's: a whole task (a plan, a comparison, an exact sweep), a run of grid
 * values, or a run of Monte Carlo samples. Plain data: it crosses to a worker
 * thread by structured clone and to Redis as JSON.
 */
export type Unit =
  | { readonly type: "whole" }
  | { readonly type: "grid"; readonly values: readonly number[] }
  | { readonly type: "samples"; readonly from: number; readonly to: number };

/** A job as submitted and validated: its kind, its body as posted, and its units in order. */
export interface JobInput {
  readonly kind: JobKind;
  /** The body without `kind`: `scenario` or `scenarioId`, `options`, `changes` and the fields of the kind. */
  readonly body: Readonly<Record<string, unknown>>;
}

/** What a unit gives back: the task's answer, a grid chunk, a Monte Carlo chunk; `size` is what it counted toward progress. */
export interface UnitOutput {
  readonly size: number;
  readonly value: unknown;
  /** The unit did not run: the job was cancelled before it started. */
  readonly skipped?: boolean;
}

/** The size of a unit toward the job's progress. */
export function unitSize(unit: Unit): number {
  switch (unit.type) {
    case "whole":
      return 1;
    case "grid":
      return unit.values.length;
    case "samples":
      return unit.to - unit.from;
  }
}
