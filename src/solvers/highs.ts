import highsModule, { type Highs, type InitOptions, type Model as HighsModel, type ModelData } from "highs";
import type { LinearProgram } from "../formulate/lp.js";
import type { SolveOptions, SolveResult, SolveStatus, SolverBackend } from "./types.js";

/**
 * HiGHS (WebAssembly) through its persistent model API: the LP is passed as
 * arrays (CSR matrix, index-based), so no names — and no user ids — reach the
 * solver. The runtime loads once per process or worker, at import.
 */
// The package's types describe a CommonJS module while Node loads its ES build,
// whose default export is the loader itself: accept either shape.
type HighsLoader = (options?: InitOptions) => Promise<Highs>;
const loadHighs: HighsLoader =
  (highsModule as unknown as { default?: HighsLoader }).default ?? (highsModule as unknown as HighsLoader);
const highs: Highs = await loadHighs();

// HiGHS model status codes (highs types: ModelStatusCode).
const MODEL_STATUS = {
  empty: 6,
  optimal: 7,
  infeasible: 8,
  unboundedOrInfeasible: 9,
  unbounded: 10,
  timeLimit: 13,
  iterationLimit: 14,
  interrupted: 17,
} as const;
const FEASIBLE_SOLUTION = 2;

/** The LP in HiGHS' array form. */
export function toHighsModelData(lp: LinearProgram, integer: boolean): ModelData {
  const numCols = lp.columns.length;
  const numRows = lp.rows.length;
  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols);
  const integrality = new Int32Array(numCols);
  lp.columns.forEach((column, j) => {
    colCost[j] = column.cost;
    colLower[j] = column.lower;
    colUpper[j] = column.upper === Infinity ? highs.infinity : column.upper;
    integrality[j] = integer && column.integer ? highs.constants.variableType.integer : highs.constants.variableType.continuous;
  });
  const rowLower = new Float64Array(numRows);
  const rowUpper = new Float64Array(numRows);
  let nonZeros = 0;
  for (const row of lp.rows) nonZeros += row.columns.length;
  const starts = new Int32Array(numRows + 1);
  const indices = new Int32Array(nonZeros);
  const values = new Float64Array(nonZeros);
  let at = 0;
  lp.rows.forEach((row, i) => {
    rowLower[i] = row.lower === -Infinity ? -highs.infinity : row.lower;
    rowUpper[i] = row.upper === Infinity ? highs.infinity : row.upper;
    starts[i] = at;
    for (let n = 0; n < row.columns.length; n++) {
      indices[at] = row.columns[n] as number;
      values[at] = row.values[n] as number;
      at++;
    }
  });
  starts[numRows] = at;
  return {
    numCols,
    numRows,
    sense: lp.sense === "max" ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
    colCost,
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    matrix: { format: "csr", numRows, numCols, starts, indices, values },
    ...(integer && lp.columns.some((column) => column.integer) ? { integrality } : {}),
  };
}

function configure(model: HighsModel, options: SolveOptions): void {
  model.options.set({ output_flag: false, log_to_console: false });
  if (options.timeLimitMs !== undefined) model.options.set("time_limit", options.timeLimitMs / 1000);
  if (options.mipGap !== undefined) model.options.set("mip_rel_gap", options.mipGap);
}

function hasFeasibleSolution(model: HighsModel): boolean {
  try {
    return model.info.get("primal_solution_status") === FEASIBLE_SOLUTION;
  } catch {
    return false;
  }
}

/** HiGHS may answer "unbounded or infeasible"; a solve with a zero objective tells which. */
function separateUnboundedFromInfeasible(model: HighsModel, numCols: number): SolveStatus {
  model.changeColsCost({ kind: "range", from: 0, to: numCols - 1 }, new Float64Array(numCols));
  model.options.set("presolve", "off");
  const feasibility = model.run().modelStatus;
  return feasibility === MODEL_STATUS.optimal ? "unbounded" : "infeasible";
}

export const highsBackend: SolverBackend = {
  name: "highs",
  solve(lp: LinearProgram, options: SolveOptions): SolveResult {
    const integer = options.integer && lp.columns.some((column) => column.integer);
    const model = highs.createModel(toHighsModelData(lp, integer));
    try {
      configure(model, options);
      const status = model.run().modelStatus;
      switch (status) {
        case MODEL_STATUS.empty:
        case MODEL_STATUS.optimal: {
          const solution = model.getSolution();
          return {
            status: "optimal",
            objective: model.getObjectiveValue(),
            values: solution.colValue,
            ...(integer ? {} : { duals: { rows: solution.rowDual, columns: solution.colDual } }),
          };
        }
        case MODEL_STATUS.infeasible:
          return { status: "infeasible", objective: null, values: null };
        case MODEL_STATUS.unbounded:
          return { status: "unbounded", objective: null, values: null };
        case MODEL_STATUS.unboundedOrInfeasible:
          return { status: separateUnboundedFromInfeasible(model, lp.columns.length), objective: null, values: null };
        case MODEL_STATUS.timeLimit:
        case MODEL_STATUS.iterationLimit:
        case MODEL_STATUS.interrupted: {
          if (!hasFeasibleSolution(model)) return { status: "time_limit", objective: null, values: null };
          return { status: "time_limit", objective: model.getObjectiveValue(), values: model.getSolution().colValue };
        }
        default:
          throw new Error(`HiGHS stopped with model status ${status}`);
      }
    } finally {
      model.dispose();
    }
  },
};
