import type { Highs, Model as HighsModel, ModelData } from "highs";
import type { LinearProgram } from "../formulate/lp.js";
import { infoValue, runModel, UnsolvedModelError } from "./highsRun.js";
import { highsRuntime } from "./highsRuntime.js";
import { ModelRejectedError, type SolveOptions, type SolveResult, type SolverBackend } from "./types.js";

export { highsRuntime } from "./highsRuntime.js";

/**
 * HiGHS (WebAssembly) through its persistent model API: the LP is passed as
 * arrays (CSR matrix, index-based), so no names — and no user ids — reach the
 * solver. The runtime loads once per process or worker, at import
 * (`highsRuntime.ts`); it is replaced only if a WebAssembly failure leaves it
 * unusable (`withHighs`).
 */

// Numeric encodings are fixed by the native library: the same in every runtime instance.
const { constants } = highsRuntime.current();

/**
 * Where HiGHS' range ends (its option defaults): a matrix coefficient of
 * `large_matrix_value` or more is an error; a cost or bound of
 * `infinite_cost` / `infinite_bound` or more counts as infinite, which would
 * silently change the model.
 */
const LIMITS = highsRuntime.current().withModel((model) => ({
  coefficient: Number(model.options.get("large_matrix_value")),
  amount: Math.min(Number(model.options.get("infinite_cost")), Number(model.options.get("infinite_bound"))),
}));

/**
 * The LP in HiGHS' array form: rows in CSR, integrality only when `integer`
 * and some column is marked integer. Needs no live runtime (the sensitivity
 * and diagnosis code builds its own models from it).
 */
export function toHighsModelData(lp: LinearProgram, integer: boolean): ModelData {
  const { columns, rows } = lp;
  const numCols = columns.length;
  const numRows = rows.length;
  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols);
  const integrality = new Int32Array(numCols);
  let anyInteger = false;
  for (const [j, column] of columns.entries()) {
    colCost[j] = column.cost;
    colLower[j] = column.lower;
    colUpper[j] = column.upper; // HiGHS' infinity is IEEE Infinity
    if (integer && column.integer) {
      integrality[j] = constants.variableType.integer;
      anyInteger = true;
    }
  }
  const rowLower = new Float64Array(numRows);
  const rowUpper = new Float64Array(numRows);
  let nonZeros = 0;
  for (const row of rows) nonZeros += row.columns.length;
  const starts = new Int32Array(numRows + 1);
  const indices = new Int32Array(nonZeros);
  const values = new Float64Array(nonZeros);
  let at = 0;
  for (const [i, row] of rows.entries()) {
    rowLower[i] = row.lower;
    rowUpper[i] = row.upper;
    starts[i] = at;
    indices.set(row.columns, at);
    values.set(row.values, at);
    at += row.columns.length;
  }
  starts[numRows] = at;
  return {
    numCols,
    numRows,
    sense: lp.sense === "max" ? constants.objectiveSense.maximize : constants.objectiveSense.minimize,
    colCost,
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    matrix: { format: "csr", numRows, numCols, starts, indices, values },
    ...(anyInteger ? { integrality } : {}),
  };
}

function configure(model: HighsModel, options: SolveOptions): void {
  model.options.set({ output_flag: false, log_to_console: false });
  if (options.timeLimitMs !== undefined) model.options.set("time_limit", options.timeLimitMs / 1000);
  if (options.mipGap !== undefined) model.options.set("mip_rel_gap", options.mipGap);
}

function hasFeasibleSolution(model: HighsModel): boolean {
  return infoValue(model, "primal_solution_status") === constants.solutionStatus.feasible;
}

/**
 * The first number of the LP beyond HiGHS' range, described; undefined when
 * HiGHS can take the LP. (Infinite bounds are fine: they mean no bound.)
 */
export function beyondHighsRange(lp: LinearProgram): string | undefined {
  const { coefficient, amount } = LIMITS;
  const tooLarge = (bound: number) => Number.isFinite(bound) && Math.abs(bound) >= amount;
  for (const column of lp.columns) {
    if (Math.abs(column.cost) >= amount) return `a cost of ${column.cost}`;
    if (tooLarge(column.lower) || tooLarge(column.upper)) return `a bound of ${tooLarge(column.lower) ? column.lower : column.upper}`;
  }
  for (const row of lp.rows) {
    if (tooLarge(row.lower) || tooLarge(row.upper)) return `a bound of ${tooLarge(row.lower) ? row.lower : row.upper}`;
    for (const value of row.values) if (Math.abs(value) >= coefficient) return `a coefficient of ${value}`;
  }
  return undefined;
}

function solveWith(runtime: Highs, lp: LinearProgram, options: SolveOptions): SolveResult {
  const integer = options.integer && lp.columns.some((column) => column.integer);
  const deadline = options.timeLimitMs === undefined ? undefined : performance.now() + options.timeLimitMs;
  const beyond = beyondHighsRange(lp);
  if (beyond !== undefined) throw new ModelRejectedError("highs", LIMITS, beyond);
  let model: HighsModel;
  try {
    model = runtime.createModel(toHighsModelData(lp, integer));
  } catch (error) {
    if (!(error instanceof runtime.errors.HighsError)) throw error;
    throw new ModelRejectedError("highs", LIMITS, error.message);
  }
  try {
    configure(model, options);
    // Whether the objective was cleared to tell unbounded from infeasible: a point found then is no plan.
    const cleared = { objective: false };
    const clearObjective = () => {
      cleared.objective = true;
      model.changeColsCost({ kind: "range", from: 0, to: lp.columns.length - 1 }, new Float64Array(lp.columns.length));
      // Put back: a feasible model is solved once more with its objective (runModel).
      return () =>
        model.changeColsCost(
          { kind: "range", from: 0, to: lp.columns.length - 1 },
          Float64Array.from(lp.columns, (column) => column.cost),
        );
    };
    const run = runModel(model, deadline, clearObjective, {
      confirmInfeasible: !integer,
      ...(integer && options.onIncumbent !== undefined ? { onIncumbent: options.onIncumbent } : {}),
    });
    switch (run.outcome) {
      case "optimal": {
        const solution = model.getSolution();
        const objective = model.getObjectiveValue();
        if (integer) {
          const optimum = { status: "optimal" as const, objective, values: solution.colValue, ...mipGap(model) };
          // HiGHS' branch and bound can return a huge "optimum" of a model whose relaxation is
          // unbounded (a product made with no resource and sold without limit): with a whole-unit
          // point found, such a model is unbounded. Its LP relaxation, cheap beside the search, decides.
          model.clearIntegrality();
          const relaxation = runModel(model, deadline, clearObjective, { confirmInfeasible: true });
          return relaxation.outcome === "unbounded" ? { status: "unbounded", objective: null, values: null } : optimum;
        }
        const basis = infoValue(model, "basis_validity") === constants.basisValidity.valid ? model.getBasis() : undefined;
        return {
          status: "optimal",
          objective,
          values: solution.colValue,
          duals: { rows: solution.rowDual, columns: solution.colDual },
          ...(basis === undefined ? {} : { basis: { rows: basis.rowStatus, columns: basis.colStatus } }),
        };
      }
      case "infeasible":
      case "unbounded":
        return { status: run.outcome, objective: null, values: null };
      case "stopped":
        // A search stopped by a limit: the incumbent, if any, is returned with `time_limit`.
        if (cleared.objective || !hasFeasibleSolution(model)) return { status: "time_limit", objective: null, values: null };
        return {
          status: "time_limit",
          objective: model.getObjectiveValue(),
          values: model.getSolution().colValue,
          ...(integer ? mipGap(model) : {}),
        };
      case "failed":
        return {
          status: "undecided",
          objective: null,
          values: null,
          detail: `HiGHS ended in model status "${run.status}", also after a retry without presolve`,
        };
    }
  } finally {
    model.dispose();
  }
}

/** The MIP gap HiGHS reached, when it is a number (it is not before a bound and an incumbent exist). */
function mipGap(model: HighsModel): { mipGap?: number } {
  const gap = infoValue(model, "mip_gap");
  return gap !== undefined && Number.isFinite(gap) ? { mipGap: gap } : {};
}

/**
 * Runs `work` on the process's HiGHS runtime. HiGHS' own errors (a native
 * error status, a rejected input) leave the runtime sound and are rethrown as
 * they are. Anything else — a WebAssembly trap or abort — may have left it
 * unusable: the runtime is replaced (loaded afresh in the background) and the
 * error rethrown with a note; calls before the new runtime is ready throw.
 */
export function withHighs<T>(work: (highs: Highs) => T): T {
  const runtime = highsRuntime.current();
  try {
    return work(runtime);
  } catch (error) {
    if (error instanceof runtime.errors.HighsError || error instanceof UnsolvedModelError || error instanceof ModelRejectedError) throw error;
    highsRuntime.discard(error);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`HiGHS failed (${message}); a fresh HiGHS runtime is being loaded`, { cause: error });
  }
}

export const highsBackend: SolverBackend = {
  name: "highs",
  // Interrupted at its simplex, interior-point and branch-and-bound checkpoints (highsRun.ts).
  capabilities: { honoursTimeLimit: () => true, duals: true },
  solve(lp: LinearProgram, options: SolveOptions): SolveResult {
    return withHighs((runtime) => solveWith(runtime, lp, options));
  },
};
