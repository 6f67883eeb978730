import type { LinearProgram } from "../formulate/lp.js";

export const backendNames = ["javascript-lp-solver", "highs"] as const;
export type BackendName = (typeof backendNames)[number];

export type SolveStatus = "optimal" | "infeasible" | "unbounded" | "time_limit";

export interface SolveOptions {
  /** Whole values for the columns marked `integer`; false solves the LP relaxation. */
  readonly integer: boolean;
  /** Wall-clock budget; a MIP stopped by it reports `time_limit` with its incumbent, if any. */
  readonly timeLimitMs?: number;
  /** Relative MIP gap at which a search may stop. */
  readonly mipGap?: number;
}

export interface SolveResult {
  readonly status: SolveStatus;
  /** Objective of `values` as the solver reports it; null without a solution. */
  readonly objective: number | null;
  /** One value per LP column, or null without a solution. */
  readonly values: Float64Array | null;
  /** Row duals and column reduced costs, when the backend provides them. */
  readonly duals?: { readonly rows: Float64Array; readonly columns: Float64Array };
}

/** One backend. Everything outside `solvers/` talks to solvers through this only. */
export interface SolverBackend {
  readonly name: BackendName;
  solve(lp: LinearProgram, options: SolveOptions): SolveResult;
}
