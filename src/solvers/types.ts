import type { LinearProgram } from "../formulate/lp.js";

export const backendNames = ["javascript-lp-solver", "highs"] as const;
export type BackendName = (typeof backendNames)[number];

/**
 * `undecided`: the solver ended without deciding — neither a solution nor a
 * proof that none exists (HiGHS in an error state on numbers it cannot
 * handle, after a retry without presolve). `detail` says what it reported.
 */
export type SolveStatus = "optimal" | "infeasible" | "unbounded" | "time_limit" | "undecided";

export interface SolveOptions {
  /** Whole values for the columns marked `integer`; false solves the LP relaxation. */
  readonly integer: boolean;
  /** Wall-clock budget; a MIP stopped by it reports `time_limit` with its incumbent, if any. */
  readonly timeLimitMs?: number;
  /** Relative MIP gap at which a search may stop. */
  readonly mipGap?: number;
  /**
   * Called with each new best whole-unit solution a search finds (one value
   * per column), by backends that report them (HiGHS): a caller that may have
   * to stop the search from outside keeps the best plan found so far.
   */
  readonly onIncumbent?: (values: Float64Array) => void;
}

export interface SolveResult {
  readonly status: SolveStatus;
  /** What the solver reported when that says more than the status (an `undecided` run's own status). */
  readonly detail?: string;
  /** Objective of `values` as the solver reports it; null without a solution. */
  readonly objective: number | null;
  /** One value per LP column, or null without a solution. */
  readonly values: Float64Array | null;
  /**
   * Row duals and column reduced costs of an LP solved to optimality, when the
   * backend provides them: the change in the objective per unit increase of
   * the row's (column's) binding bound, in the LP's own sense (for a maximized
   * margin, a binding capacity row has a dual ≥ 0).
   */
  readonly duals?: { readonly rows: Float64Array; readonly columns: Float64Array };
  /**
   * Simplex basis of an LP solved to optimality, when the backend provides it:
   * one status per row and column (0 at lower bound, 1 basic, 2 at upper bound,
   * 3 free at zero, 4 nonbasic — HiGHS' codes), for warm starts and ranging.
   */
  readonly basis?: { readonly rows: Int32Array; readonly columns: Int32Array };
  /**
   * Integer solves: the relative gap between the solution and the best bound
   * when the search stopped (0 when proven optimal), when the backend knows it.
   */
  readonly mipGap?: number;
}

/** What a backend can do, for the callers that decide where and how to run it (`auto.ts`). */
export interface BackendCapabilities {
  /**
   * Whether a solve stops by itself near `timeLimitMs` (at the solver's own
   * checkpoints), for whole-unit or continuous models. A backend that does
   * not may run far past the limit on a model it is slow on.
   */
  honoursTimeLimit(integer: boolean): boolean;
  /** Whether an optimal LP answer carries duals and a basis (`SolveResult.duals`, `.basis`). */
  readonly duals: boolean;
}

/** One backend. Everything outside `solvers/` talks to solvers through this only. */
export interface SolverBackend {
  readonly name: BackendName;
  readonly capabilities: BackendCapabilities;
  solve(lp: LinearProgram, options: SolveOptions): SolveResult;
}

/**
 * A backend cannot take the model's numbers (HiGHS refuses coefficients of
 * 1e15 or more and treats costs and bounds of 1e20 or more as infinite).
 * `limits` says where its range ends, so that the caller can name the
 * offending fields of the scenario.
 */
export class ModelRejectedError extends Error {
  constructor(
    readonly backend: BackendName,
    readonly limits: { readonly coefficient: number; readonly amount: number },
    detail: string,
  ) {
    super(`${backend} cannot take the model's numbers (${detail})`);
    this.name = "ModelRejectedError";
  }
}
