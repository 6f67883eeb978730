import { availableParallelism } from "node:os";
import type { Formulation } from "../formulate/index.js";
import type { ColumnTag } from "../formulate/lp.js";
import type { ResolvedPlanOptions } from "../plan/options.js";
import type { PlanStatus } from "../plan/types.js";
import type { Scenario } from "../scenario/schema.js";
import type { BackendName } from "../solvers/types.js";
import { solveDecomposed, type DecompositionInput } from "./decomposition/lshaped.js";
import { createSubproblemPool, inlineSubproblems } from "./decomposition/pool.js";
import type { DecompositionReport, SubproblemRunner } from "./decomposition/types.js";
import { extensiveForm, outcomeValues } from "./extensive.js";
import { checkOutcome, solveChecked } from "./solve.js";

type Models = readonly { readonly probability: number; readonly formulation: Formulation }[];

/** The two-stage model solved, either way: each outcome's plan read back and verified, and the here-and-now decisions. */
export interface TwoStageSolve {
  readonly status: PlanStatus;
  /** Per outcome, its plan in its scenario's terms; undefined without a solution. */
  readonly answers: readonly ReturnType<typeof checkOutcome>[] | undefined;
  /** The here-and-now decisions by column key; undefined without a solution. */
  readonly decisions: Map<string, number> | undefined;
  readonly backend: BackendName;
  readonly sense: "max" | "min";
  /** Size of the model solved: the extensive form, or the decomposition's master. */
  readonly columns: number;
  readonly rows: number;
  readonly solves: number;
  readonly notes: readonly string[];
  readonly decomposition?: DecompositionReport;
}

/** The extensive form in one solve, as `plan()` solves (the backend `auto` picks, a second opinion when in doubt). */
export function solveExtensive(models: Models, isHereAndNow: (tag: ColumnTag) => boolean, scenario: Scenario, settings: ResolvedPlanOptions): TwoStageSolve {
  const form = extensiveForm(models, isHereAndNow);
  const checks = (values: Float64Array) => models.map((model, w) => checkOutcome(model.formulation, outcomeValues(form, w, values)));
  let checked: ReturnType<typeof checks> | undefined;
  const solved = solveChecked(
    form.lp,
    form.mixedInteger,
    scenario,
    settings,
    (values) => {
      checked = checks(values);
      return checked.every((check) => check.evaluation.verification.feasible);
    },
    settings.timeLimitMs,
  );
  const { result } = solved;
  const answers = result.values === null ? undefined : solved.verified && checked !== undefined ? checked : checks(result.values);
  let decisions: Map<string, number> | undefined;
  if (result.values !== null) {
    decisions = new Map();
    for (const [key, column] of form.shared) decisions.set(key, result.values[column] ?? 0);
  }
  return {
    status: result.status,
    answers,
    decisions,
    backend: solved.backend,
    sense: form.lp.sense,
    columns: form.lp.columns.length,
    rows: form.lp.rows.length,
    solves: 1,
    notes: [],
  };
}

/**
 * The two-stage model by the L-shaped decomposition (decomposition/), its
 * subproblems on `runner`, or on `threads` worker threads of a pool of its
 * own (by default the machine's, when there are enough outcomes to share),
 * or on this thread. Each outcome's second stage at the decisions found is
 * read back and verified as the extensive form's are.
 */
export async function solveByDecomposition(
  input: Omit<DecompositionInput, "runner"> & { readonly runner: SubproblemRunner | undefined; readonly threads: number | undefined },
): Promise<TwoStageSolve> {
  const { models } = input;
  const threads = input.threads ?? (models.length >= 8 ? availableParallelism() : 1);
  const pool = input.runner === undefined && threads > 1 ? createSubproblemPool(threads) : undefined;
  const runner = input.runner ?? pool ?? inlineSubproblems;
  try {
    const decomposed = await solveDecomposed({ ...input, runner });
    const { values, report } = decomposed;
    const answers = values.every((own): own is Float64Array => own !== null)
      ? models.map((model, w) => checkOutcome(model.formulation, values[w] ?? null))
      : undefined;
    const notes: string[] = [];
    if (report.stopped === "iterations")
      notes.push(
        `the decomposition stopped at its iteration limit (${report.max_iterations}) with a relative gap of ${report.gap ?? "unknown"}, above ${report.tolerance}: the best plan it found, not proven optimal`,
      );
    return {
      status: decomposed.status,
      answers,
      decisions: decomposed.fixed,
      backend: "highs",
      sense: models[0]?.formulation.lp.sense ?? "max",
      columns: decomposed.master.columns,
      rows: decomposed.master.rows,
      solves: decomposed.solves,
      notes,
      decomposition: report,
    };
  } finally {
    await pool?.close();
  }
}
