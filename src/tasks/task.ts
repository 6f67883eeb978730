import type { ValidationIssue } from "../scenario/parse.js";

/**
 * Work the service (or a job) hands to a solver thread: the request's parts
 * as posted, not yet validated, with its deadline. Plain data, so that it
 * crosses to a worker thread by structured clone and to a worker process as
 * JSON; validation happens where the task runs, so that a large scenario is
 * never validated on the service's event loop.
 */
export interface Task {
  readonly kind: TaskKind;
  /** A bundled scenario by id, or else the posted document in `body.scenario`. */
  readonly scenarioId?: string;
  /** The request body as posted: `scenario`, `options` and the fields of its kind. */
  readonly body: Readonly<Record<string, unknown>>;
  /** Epoch ms when the request arrived, and by which its answer is due. */
  readonly receivedAt: number;
  readonly deadline: number;
  /** The largest `options.timeLimitMs` the caller accepts. */
  readonly maxTimeLimitMs: number;
}

export const taskKinds = ["plan", "compare", "sweep"] as const;
export type TaskKind = (typeof taskKinds)[number];

/** What the request log says of a solve. */
export interface TaskSummary {
  readonly scenario: string;
  readonly status: string;
  readonly backend: string;
  readonly solveMs: number;
}

/**
 * A finished task's answer: its JSON text — made where the task ran, so that
 * a large answer is not serialized on the caller's thread — and its summary.
 */
export interface TaskAnswer {
  readonly json: string;
  readonly summary: TaskSummary;
}

export type TaskResult =
  | ({ readonly kind: "done" } & TaskAnswer)
  | { readonly kind: "invalid"; readonly issues: readonly ValidationIssue[] }
  /**
   * On the request's thread only: the answer needs more than may run there
   * (an infeasible plan's diagnosis), so the task goes to a worker.
   */
  | { readonly kind: "needs_worker" }
  /** The task threw (a bug, not bad input): the error as plain data, so it crosses back from a worker. */
  | { readonly kind: "failed"; readonly error: TaskError };

export interface TaskError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

/**
 * The answer to give if the task is stopped now: sent by a running task as
 * soon as it has one (a plan with no solution once the model is built), and
 * again whenever it improves (each whole-unit incumbent), so that a solve cut
 * at its deadline still answers with the best plan found, without any work
 * on the caller's side.
 */
export interface TaskFallback extends TaskAnswer {
  readonly kind: "fallback";
}

/** What a running task tells its owner before it answers: that it started, and each better fallback. */
export type TaskReport = { readonly kind: "started" } | TaskFallback;

export function taskError(error: unknown): TaskError {
  const { name, message, stack } = error instanceof Error ? error : new Error(`non-error thrown: ${String(error)}`);
  return { name, message, ...(stack === undefined ? {} : { stack }) };
}
