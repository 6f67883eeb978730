import highsModule, {
  type Highs,
  type InitOptions,
  type InterruptCallbackEvent,
  type Model as HighsModel,
  type ModelData,
  type ModelStatusCode,
} from "highs";
import type { LinearProgram } from "../formulate/lp.js";
import { ReplaceableRuntime } from "./replaceableRuntime.js";
import { ModelRejectedError, type SolveOptions, type SolveResult, type SolveStatus, type SolverBackend } from "./types.js";

/**
 * HiGHS (WebAssembly) through its persistent model API: the LP is passed as
 * arrays (CSR matrix, index-based), so no names — and no user ids — reach the
 * solver. The runtime loads once per process or worker, at import; it is
 * replaced only if a WebAssembly failure leaves it unusable.
 */
// The package's types describe a CommonJS module while Node loads its ES build,
// whose default export is the loader itself: accept either shape.
type HighsLoader = (options?: InitOptions) => Promise<Highs>;
const loadHighs: HighsLoader =
  (highsModule as unknown as { default?: HighsLoader }).default ?? (highsModule as unknown as HighsLoader);

/** The process's HiGHS runtime (`highsRuntime.ready()` waits for a reload after a failure). */
export const highsRuntime = new ReplaceableRuntime<Highs>("HiGHS", () => loadHighs(), await loadHighs());

// Numeric encodings are fixed by the native library: the same in every runtime instance.
const { constants } = highsRuntime.current();
const MODEL = constants.modelStatus;
const STATUS_NAMES = new Map<number, string>(Object.entries(MODEL).map(([name, code]) => [code, name]));

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

/** Model statuses of a search stopped by a limit: the incumbent, if any, is returned with `time_limit`. */
const STOPPED_EARLY = new Set<ModelStatusCode>([
  MODEL.timeLimit,
  MODEL.iterationLimit,
  MODEL.interrupted,
  MODEL.solutionLimit,
  MODEL.objectiveBound,
  MODEL.objectiveTarget,
]);
/** Model statuses of a failed solve, retried once without presolve (where such failures usually arise). */
const FAILED = new Set<ModelStatusCode>([MODEL.presolveError, MODEL.solveError, MODEL.postsolveError, MODEL.unknown]);

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
  for (let j = 0; j < numCols; j++) {
    const column = columns[j] as LinearProgram["columns"][number];
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
  for (let i = 0; i < numRows; i++) {
    const row = rows[i] as LinearProgram["rows"][number];
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

/** An info value, or undefined where HiGHS holds none (its info is not valid after every kind of stop). */
function info(model: HighsModel, name: string): number | undefined {
  try {
    return Number(model.info.get(name));
  } catch {
    return undefined;
  }
}

function hasFeasibleSolution(model: HighsModel): boolean {
  return info(model, "primal_solution_status") === constants.solutionStatus.feasible;
}

/**
 * Runs the solver. With a time limit, HiGHS' own `time_limit` is backed by an
 * interrupt at its simplex, interior-point and branch-and-bound checkpoints,
 * which stops closer to the deadline than its internal clock checks alone.
 */
function runUntil(model: HighsModel, deadline: number | undefined): ModelStatusCode {
  if (deadline === undefined) return model.run().modelStatus;
  const stopAtDeadline = (event: InterruptCallbackEvent): undefined => {
    if (performance.now() >= deadline) event.interrupt();
  };
  return model.run({
    [constants.callbackType.simplexInterrupt]: stopAtDeadline,
    [constants.callbackType.ipmInterrupt]: stopAtDeadline,
    [constants.callbackType.mipInterrupt]: stopAtDeadline,
  }).modelStatus;
}

/**
 * HiGHS may answer "unbounded or infeasible" (its presolve or dual simplex
 * cannot tell). A solve of the same constraints with a zero objective and no
 * presolve tells which, within what is left of the time limit.
 */
function separateUnboundedFromInfeasible(model: HighsModel, numCols: number, deadline: number | undefined): SolveStatus {
  model.changeColsCost({ kind: "range", from: 0, to: numCols - 1 }, new Float64Array(numCols));
  model.options.set("presolve", "off");
  const feasibility = runUntil(model, deadline);
  if (feasibility === MODEL.optimal) return "unbounded";
  if (STOPPED_EARLY.has(feasibility)) return "time_limit";
  return "infeasible";
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

/** HiGHS ran but ended in an error state (after a retry without presolve); the runtime is sound. */
class UnsolvedModelError extends Error {
  constructor(status: ModelStatusCode) {
    super(`HiGHS could not solve the model (model status "${STATUS_NAMES.get(status) ?? status}")`);
    this.name = "UnsolvedModelError";
  }
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
    let status = runUntil(model, deadline);
    if (FAILED.has(status)) {
      model.clearSolver();
      model.options.set("presolve", "off");
      status = runUntil(model, deadline);
    }
    if (status === MODEL.empty || status === MODEL.optimal) {
      const solution = model.getSolution();
      const objective = model.getObjectiveValue();
      if (integer) return { status: "optimal", objective, values: solution.colValue, ...mipGap(model) };
      const basis = info(model, "basis_validity") === constants.basisValidity.valid ? model.getBasis() : undefined;
      return {
        status: "optimal",
        objective,
        values: solution.colValue,
        duals: { rows: solution.rowDual, columns: solution.colDual },
        ...(basis === undefined ? {} : { basis: { rows: basis.rowStatus, columns: basis.colStatus } }),
      };
    }
    if (status === MODEL.infeasible) return { status: "infeasible", objective: null, values: null };
    if (status === MODEL.unbounded) return { status: "unbounded", objective: null, values: null };
    if (status === MODEL.unboundedOrInfeasible) {
      return { status: separateUnboundedFromInfeasible(model, lp.columns.length, deadline), objective: null, values: null };
    }
    if (STOPPED_EARLY.has(status)) {
      if (!hasFeasibleSolution(model)) return { status: "time_limit", objective: null, values: null };
      return {
        status: "time_limit",
        objective: model.getObjectiveValue(),
        values: model.getSolution().colValue,
        ...(integer ? mipGap(model) : {}),
      };
    }
    throw new UnsolvedModelError(status);
  } finally {
    model.dispose();
  }
}

/** The MIP gap HiGHS reached, when it is a number (it is not before a bound and an incumbent exist). */
function mipGap(model: HighsModel): { mipGap?: number } {
  const gap = info(model, "mip_gap");
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
  solve(lp: LinearProgram, options: SolveOptions): SolveResult {
    return withHighs((runtime) => solveWith(runtime, lp, options));
  },
};
