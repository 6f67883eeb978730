import type { PlanOptions } from "../plan/options.js";
import type { PlanStatus } from "../plan/types.js";
import type { MonteCarloSpec } from "./schema.js";

/** Monte Carlo's options, chunks and result (docs/montecarlo.md). Chunks and results are plain JSON. */

export interface MonteCarloOptions extends PlanOptions {
  /** Stops the run: it keeps the samples of the chunks it finished (`stopped: "cancelled"`). */
  readonly signal?: AbortSignal;
  /** Epoch milliseconds (`Date.now()`) by which the run must end: every solve gets at most what is left, and no sample starts after it. */
  readonly deadline?: number;
  /** Called as samples finish, with how many are done of how many. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Worker threads the run may use: 1 solves every sample here; the default
   * is the machine's available parallelism, used when the samples left would
   * take long enough to repay starting the workers.
   */
  readonly threads?: number;
  /** Runs the chunks instead (a service's or a job system's workers): when given, every sample goes to it. */
  readonly pool?: MonteCarloChunkRunner;
  /** Each sample is the second stage of a two-stage plan (docs/stochastic.md): its here-and-now decisions fixed, unsold units allowed. */
  readonly secondStage?: SecondStage;
  /** Called once with every sample counted, in index order, before the result is merged. */
  readonly onSamples?: (samples: readonly SampleOutcome[]) => void;
}

/**
 * The second stage of a two-stage plan, as a Monte Carlo sample solves it
 * (the stochastic plan's evaluation): the decisions taken before the sample
 * is known, fixed, by column key (`columnKey` of stochastic/extensive.ts),
 * and unsold units allowed. Plain data.
 */
export interface SecondStage {
  readonly here_and_now: readonly ("investments" | "production" | "procurement")[];
  readonly fixed: readonly (readonly [key: string, value: number])[];
}

/** One chunk of a run: the samples `from` (inclusive) to `to` (exclusive). Plain data, so that it crosses to a worker or a queue. */
export interface MonteCarloChunkTask {
  /** The scenario (parsed or not: a worker validates it again). */
  readonly scenario: unknown;
  readonly spec: MonteCarloSpec;
  readonly from: number;
  readonly to: number;
  /** Plan options (only plain data: no signal, no callbacks), and the run's deadline. */
  readonly options: PlanOptions & { readonly deadline?: number };
  /**
   * Chunks of one run share a key: a thread that solved a chunk with the same
   * key reuses its validated request and formulated model. Without a key
   * every chunk stands alone.
   */
  readonly key?: string;
  /**
   * The scenario and the spec were validated together before (`prepareMonteCarlo`,
   * as a job is when it is submitted): the chunk reads them again but does
   * not validate the scenario at the corners of the multipliers' ranges.
   */
  readonly checked?: boolean;
  /** Solve each sample as the second stage of a two-stage plan. */
  readonly secondStage?: SecondStage;
}

/** What one sample came to, in the fixed orders of the scenario's sample layout. */
export interface SampleOutcome {
  readonly index: number;
  readonly status: PlanStatus;
  /** The objective of the verified plan of the sample; null without one. */
  readonly objective: number | null;
  /** Per target row (each target, each period it applies in): 1 where the plan meets it. Empty without a plan. */
  readonly met: readonly (0 | 1)[];
  /** Units made per (period, plant, product) the scenario allows, in its order. Empty without a plan. */
  readonly production: readonly number[];
  /** Present when the sample was planned again from scratch by `plan()`: the moved model's answer failed verification, or HiGHS could not finish it. */
  readonly replanned?: "unverified" | "unsolved";
}

/** The samples of one chunk, in index order. */
export interface MonteCarloChunk {
  readonly from: number;
  /** The first sample not done: the task's `to`, or less when the chunk stopped at the deadline. */
  readonly to: number;
  readonly samples: readonly SampleOutcome[];
  /** Solves made for these samples (a plan's second opinion included). */
  readonly solves: number;
  readonly notes: readonly string[];
  readonly stopped?: "deadline";
}

/** Runs one chunk elsewhere (a worker thread, another process, another machine) and returns it. */
export interface MonteCarloChunkRunner {
  readonly threads: number;
  run(task: MonteCarloChunkTask, signal?: AbortSignal): Promise<MonteCarloChunk>;
}

export interface ObjectiveStats {
  readonly mean: number;
  readonly p5: number;
  readonly p50: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
}

export interface TargetOutcome {
  readonly id: string;
  readonly period: string;
  /** Share of the samples counted whose plan meets the target in the period (a sample without a plan meets none); null when no sample was counted. */
  readonly met_share: number | null;
}

export interface ProductionQuantiles {
  readonly period: string;
  readonly plant: string;
  readonly product: string;
  readonly p5: number;
  readonly p50: number;
  readonly p95: number;
}

export interface MonteCarloResult {
  /** Samples counted (every sample requested, unless the run stopped). */
  readonly samples: number;
  readonly requested: number;
  readonly seed: number;
  /** Samples with a verified plan. */
  readonly feasible: number;
  /** Samples counted by status (only the statuses that occur, in the order optimal, time_limit, infeasible, unbounded, undecided). */
  readonly statuses: Partial<Record<PlanStatus, number>>;
  /** Solves made for the samples. */
  readonly solves: number;
  /** Over the samples with a plan; null when none has one. */
  readonly objective: ObjectiveStats | null;
  readonly targets: readonly TargetOutcome[];
  /** Over the samples with a plan; rows where none of them makes anything are left out. */
  readonly production: readonly ProductionQuantiles[];
  /** Present when the run stopped before it finished: the figures are those of the samples counted. */
  readonly stopped?: "cancelled" | "deadline";
  readonly notes: readonly string[];
}
