import type { DecompositionIteration, DecompositionReport, SubproblemRunner } from "./decomposition/types.js";
import type { MonteCarloChunkRunner } from "../montecarlo/types.js";
import type { PlanOptions } from "../plan/options.js";
import type { InvestmentRow, PlanStatus, ProcurementRow, ProductionRow, SalesRow, TargetRow, UnsoldRow, Verification } from "../plan/types.js";
import type { BackendName } from "../solvers/types.js";
import type { HereAndNowKind } from "./schema.js";

/** The two-stage stochastic plan's options and result (docs/stochastic.md). Results are plain JSON. */

export interface StochasticOptions extends PlanOptions {
  /** Called as solves finish, with how many are done of how many. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Stops the run between solves (the call then throws the signal's reason). */
  readonly signal?: AbortSignal;
  /** Worker threads the evaluation's samples may use (as `monteCarlo`'s `threads`). */
  readonly threads?: number;
  /** Runs the evaluation's chunks instead (a service's or a job system's workers). */
  readonly pool?: MonteCarloChunkRunner;
  /** Runs a decomposition's subproblem chunks instead (a job system's workers); otherwise `subproblemThreads` worker threads of its own. */
  readonly subproblems?: SubproblemRunner;
  /** Worker threads a decomposition's subproblems may use: 1 solves them on this thread; by default the machine's, with 8 outcomes or more. */
  readonly subproblemThreads?: number;
  /** Names the run's chunks (a job's id): a run asked again with the same key may find its chunks done. Random by default. */
  readonly runKey?: string;
  /** Called after each iteration of a decomposition with its bounds and gap. */
  readonly onIteration?: (iteration: DecompositionIteration) => void;
  /** The plan runs as a job: `method: "auto"` then decomposes (docs/stochastic-decomposition.md). */
  readonly asJob?: boolean;
}

/** The decisions taken before the outcome is known. */
export interface HereAndNow {
  /** What the request decides here and now. */
  readonly decided: readonly HereAndNowKind[];
  /** Units made (when production is decided here and now; otherwise empty). */
  readonly production: readonly ProductionRow[];
  /** Parts bought (when procurement is decided here and now; otherwise empty). */
  readonly procurement: readonly ProcurementRow[];
  /** Each investment's decision (when investments are decided here and now; otherwise empty). */
  readonly investments: readonly InvestmentRow[];
}

export interface OutcomeResult {
  readonly name: string;
  readonly probability: number;
  /** The verified objective of the outcome's part of the two-stage plan; null without a plan. */
  readonly objective: number | null;
  /** The objective had this outcome been known before deciding (solved alone); null when it has no plan. */
  readonly alone: number | null;
  readonly targets: readonly TargetRow[];
  readonly sales: readonly SalesRow[];
  readonly unsold: readonly UnsoldRow[];
  /** What was made, when production waits for the outcome (otherwise the here-and-now production). */
  readonly production?: readonly ProductionRow[];
  readonly verification: Verification;
}

export interface MeanValuePlan {
  readonly status: PlanStatus;
  /** The objective of the mean outcome's plan in the mean outcome; null without a plan. */
  readonly objective: number | null;
  /** Its here-and-now decisions: what EEV fixes in each outcome. */
  readonly here_and_now: HereAndNow;
  readonly verification: Verification;
}

export interface StochasticEvaluation {
  readonly samples: number;
  readonly seed: number;
  /** Mean objective over the samples with a plan; null when none has one. */
  readonly mean: number | null;
  /** 95% confidence interval of the mean (normal approximation: mean ± 1.96·s/√n); null with fewer than two samples with a plan. */
  readonly ci95: readonly [number, number] | null;
  /** Samples in which the here-and-now decisions leave no plan. */
  readonly infeasible: number;
}

export interface StochasticResult {
  readonly scenario: string;
  /** The extensive form's status: `optimal`, or why there is no two-stage plan. */
  readonly status: PlanStatus;
  readonly here_and_now: HereAndNow;
  /** Σ probability · objective over the outcomes; null without a plan. */
  readonly expected: number | null;
  readonly outcomes: readonly OutcomeResult[];
  /** Σ probability · the objective of each outcome solved alone; null when some outcome has no plan alone. */
  readonly wait_and_see: number | null;
  /** |wait_and_see − expected|: what knowing the outcome before deciding is worth. */
  readonly evpi: number | null;
  readonly mean_value: MeanValuePlan;
  /** Σ probability · objective of each outcome with the mean-value plan's here-and-now decisions fixed; null when some outcome then has no plan. */
  readonly eev: number | null;
  /** Outcomes the mean-value plan's decisions leave without a plan. */
  readonly eev_without_plan: number;
  /** |expected − eev|: what planning for the outcomes instead of their mean is worth; null when EEV has none. */
  readonly vss: number | null;
  /** True when the mean-value plan leaves some outcome without a plan: planning for the mean is then infinitely worse. */
  readonly vss_unbounded: boolean;
  readonly evaluation?: StochasticEvaluation;
  /** Present when the plan was solved by decomposition: how it stopped, its bounds, gap and iterations. */
  readonly decomposition?: DecompositionReport;
  readonly solver: {
    readonly backend: BackendName;
    readonly ms: number;
    /** Size of the extensive form (of the decomposition's master, when decomposed). */
    readonly columns: number;
    readonly rows: number;
    readonly solves: number;
  };
  readonly currency: string;
  readonly objective_sense: "max" | "min";
  readonly notes: readonly string[];
}
