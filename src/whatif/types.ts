import type { BoundRef } from "../explain/types.js";
import type { PlanOptions } from "../plan/options.js";
import type { Plan, PlanStatus } from "../plan/types.js";
import type { SweepMode, SweepParameter } from "./schema.js";

/** Results of compare and sweep: plain JSON, as every face returns them (docs/whatif.md). */

/**
 * Options of compare and sweep: the plan options, which apply to every solve,
 * plus what a service or a job needs to stop and to follow a long run.
 */
export interface WhatIfOptions extends PlanOptions {
  /** Stops the run: a sweep keeps the points it finished (`stopped: "cancelled"`), a comparison throws the signal's reason. */
  readonly signal?: AbortSignal;
  /** Epoch milliseconds (`Date.now()`) by which the run must end: every solve gets at most what is left, and none starts after it. */
  readonly deadline?: number;
  /** Called after each plan or sweep point with how many are done of how many (a grid's total is known; exact mode's grows as it goes). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SweepOptions extends WhatIfOptions {
  /**
   * Worker threads a grid may use: 1 solves every point here; the default is
   * the machine's available parallelism, used when the grid is large enough
   * to repay starting the workers.
   */
  readonly threads?: number;
  /** A pool to run grid chunks on (a service keeps one): when given, every point after the first goes to it. */
  readonly pool?: SweepChunkRunner;
}

/** Runs one chunk of a grid elsewhere (a worker thread, another process) and returns its points. */
export interface SweepChunkRunner {
  readonly threads: number;
  run(task: SweepChunkTask, signal?: AbortSignal): Promise<SweepChunk>;
}

/** One chunk of a grid sweep: plain data, so that it crosses to a worker or a queue. */
export interface SweepChunkTask {
  /** The scenario (parsed or not: a worker validates it again). */
  readonly scenario: unknown;
  readonly parameter: SweepParameter;
  readonly values: readonly number[];
  /** Plan options (only plain data: no signal, no callbacks). */
  readonly options: PlanOptions & { readonly deadline?: number };
  /**
   * Chunks of one validated grid share a key: a worker that solved a chunk
   * with the same key reuses its formulation and warm model (and trusts the
   * values, validated with the grid). Without a key every chunk stands alone.
   */
  readonly key?: string;
}

/** The points of one chunk, in the order of its values. */
export interface SweepChunk {
  readonly points: readonly SweepPoint[];
  /** LP solves made, a plan's fallback solve included. */
  readonly solves: number;
  readonly notes: readonly string[];
}

export interface SweepPoint {
  readonly value: number;
  readonly status: PlanStatus;
  /** The objective of the verified plan at this value; null without one. */
  readonly objective: number | null;
  /**
   * d objective / d value from the duals (bounds, shares) or the envelope
   * theorem (prices, costs); at a breakpoint one of its one-sided slopes
   * (grid) or null (exact: the segments on either side give them); null
   * without a plan, or where the solve gives no duals.
   */
  readonly slope: number | null;
  /** The scenario's bounds that bind at this value's optimum. */
  readonly binding: readonly BoundRef[];
  /** Time spent on this point: solve, report, verification. */
  readonly ms: number;
}

export interface SweepSegment {
  readonly from: number;
  readonly to: number;
  readonly objective_from: number;
  readonly objective_to: number;
  /** (objective_to − objective_from) / (to − from). */
  readonly slope: number;
  /** What binds throughout the segment (the bounds with a nonzero dual in a dual solution optimal on all of it). */
  readonly binding: readonly BoundRef[];
}

export interface SweepResult {
  readonly parameter: SweepParameter;
  readonly mode: SweepMode;
  /** LP solves made (exact mode: the two range LPs, the ends and every probe). */
  readonly solves: number;
  readonly points: readonly SweepPoint[];
  /** Exact mode: the pieces of the optimal objective between the ends of the feasible range. */
  readonly segments?: readonly SweepSegment[];
  /**
   * Where a plan exists within the swept range: exact mode, the exact
   * interval; grid, the smallest and largest value with a plan (the true ends
   * lie within one step beyond them). Null where no value has a plan.
   */
  readonly feasible_range: { readonly from: number; readonly to: number } | null;
  /** Present when the run stopped before it finished: the points are those it finished. */
  readonly stopped?: "cancelled" | "deadline";
  readonly notes: readonly string[];
}

export interface ProductionDelta {
  readonly period: string;
  readonly plant: string;
  readonly product: string;
  readonly baseline: number | null;
  readonly variant: number | null;
  readonly change: number | null;
}

export interface TargetDelta {
  readonly id: string;
  readonly period: string;
  readonly baseline: number | null;
  readonly variant: number | null;
  /** Whether the variant's plan meets the target (false without a plan). */
  readonly met: boolean;
}

export interface Delta {
  /** variant − baseline objective; null when either has none. */
  readonly objective: number | null;
  readonly production: readonly ProductionDelta[];
  readonly targets: readonly TargetDelta[];
  readonly binding: { readonly became: readonly BoundRef[]; readonly released: readonly BoundRef[] };
}

export interface VariantResult {
  readonly name: string;
  readonly plan: Plan;
  /** What binds in the variant's plan (the same rule as a sweep point's `binding`). */
  readonly binding: readonly BoundRef[];
  readonly delta: Delta;
}

export interface Comparison {
  readonly baseline: Plan;
  /** What binds in the baseline plan. */
  readonly binding: readonly BoundRef[];
  readonly variants: readonly VariantResult[];
}
