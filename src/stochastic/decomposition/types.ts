import type { PlanOptions } from "../../plan/options.js";

/**
 * The L-shaped decomposition's chunks, runners and report
 * (docs/stochastic-decomposition.md). Tasks and chunks are plain JSON: they
 * cross to a worker thread by structured clone and to Redis as JSON.
 */

/** What a chunk solves for each of its outcomes. */
export type SubproblemOp =
  /** The outcome's model alone as an LP (whole units relaxed): a bound on its objective whatever is decided here and now. */
  | "bound"
  /** The second stage at the here-and-now decisions `fixed`: its objective and slope (an optimality cut) or, without a plan, a feasibility cut. */
  | "cut"
  /** The second stage at `fixed`, with its solution (the final plan's outcomes). */
  | "values";

/** A run of outcomes of one decomposition, solved where a runner sends it. */
export interface SubproblemTask {
  /** Tasks of one run share a key: a thread keeps the run's validated outcomes and models between its chunks. */
  readonly key: string;
  /** The scenario (a worker validates it again) and the two-stage request as posted. */
  readonly scenario: unknown;
  readonly spec: unknown;
  /** Plan options (plain data only). */
  readonly options: PlanOptions;
  readonly op: SubproblemOp;
  /** Outcomes `from` (inclusive) to `to` (exclusive). */
  readonly from: number;
  readonly to: number;
  /** The here-and-now columns by key (`columnKey`), in the master's order. */
  readonly keys: readonly string[];
  /** Their values, in the order of `keys` (ignored by `bound`). */
  readonly fixed: readonly number[];
}

/** One outcome's answer in a chunk. */
export interface SubproblemAnswer {
  readonly outcome: number;
  /**
   * `optimal`: `value` is the outcome's objective at the fixed decisions and
   * `slope` its rate of change per unit of each here-and-now column (an
   * optimality cut); `infeasible`: `value` is minus the least total violation
   * of the outcome's rows at the fixed decisions and `slope` its rate of
   * change (a feasibility cut); otherwise the solver's status, no cut.
   */
  readonly status: "optimal" | "infeasible" | "unbounded" | "time_limit" | "undecided";
  readonly value: number | null;
  /** Per key of the task, in its order; empty without a cut. */
  readonly slope: readonly number[];
  /** `values` only: one value per column of the outcome's model. */
  readonly values?: readonly number[];
}

export interface SubproblemChunk {
  readonly from: number;
  readonly to: number;
  readonly answers: readonly SubproblemAnswer[];
}

/** Runs one chunk elsewhere (a worker thread, a `jointplan worker` on Redis) and returns it; rejects when the chunk was lost. */
export interface SubproblemRunner {
  /** How many chunks it runs at once. */
  readonly threads: number;
  run(task: SubproblemTask, signal?: AbortSignal): Promise<SubproblemChunk>;
}

/** Why the decomposition stopped. */
export type DecompositionStop = "gap" | "iterations" | "infeasible" | "unsolved";

/** One iteration's bounds, in the objective's own terms (for a margin: lower = the best plan found, upper = the master's bound). */
export interface DecompositionIteration {
  readonly iteration: number;
  /** Null until a plan feasible in every outcome is found (a maximised margin) or until the master has a bound (a minimised cost). */
  readonly lower: number | null;
  readonly upper: number | null;
  /** (upper − lower) / max(|upper|, |lower|, 1); null while either bound is missing. */
  readonly gap: number | null;
  readonly optimality_cuts: number;
  readonly feasibility_cuts: number;
}

/** The decomposition's report on the result. */
export interface DecompositionReport {
  readonly method: "decomposition";
  readonly stopped: DecompositionStop;
  readonly iterations: number;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly gap: number | null;
  /** The relative gap it stops at and its iteration limit. */
  readonly tolerance: number;
  readonly max_iterations: number;
  readonly optimality_cuts: number;
  readonly feasibility_cuts: number;
  /** Chunks run again after their worker was lost. */
  readonly retried_chunks: number;
  /** Second stages HiGHS left undecided: no cut from them that iteration, and that proposal counted as no plan. */
  readonly unanswered_subproblems: number;
  /** Outcomes per chunk and how many workers ran them. */
  readonly chunk_outcomes: number;
  readonly workers: number;
  readonly history: readonly DecompositionIteration[];
}
