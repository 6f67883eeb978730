import lpSolverModule, { type Model as JsLpModel, type SolverAPI } from "javascript-lp-solver";
import type { LinearProgram } from "../formulate/lp.js";
import { at } from "../util/invariant.js";
import type { SolveOptions, SolveResult, SolverBackend } from "./types.js";

/**
 * javascript-lp-solver adapter. Its result object mixes its own keys
 * (`feasible`, `result`, `bounded` …) with variable names, so every name it
 * sees is generated here from positions: columns `x0…`, rows `r0…`, column
 * bounds `b0…`, the objective `objective`. User ids never reach it.
 */

// The package's types describe a CommonJS module while Node loads its ES build,
// whose default export is the solver itself: accept either shape.
const solver: SolverAPI = (lpSolverModule as unknown as { default?: SolverAPI }).default ?? (lpSolverModule as unknown as SolverAPI);

const OBJECTIVE = "objective";

/** Generated names by position, kept between solves: the same index always has the same name. */
class NameTable {
  private readonly names: string[] = [];
  constructor(private readonly prefix: string) {}
  get(index: number): string {
    const name = this.names[index];
    if (name !== undefined) return name;
    for (let n = this.names.length; n <= index; n++) this.names.push(`${this.prefix}${n}`);
    return at(this.names, index, "generated name");
  }
}
const columnNames = new NameTable("x");
const rowNames = new NameTable("r");
const boundNames = new NameTable("b");
const column = (j: number) => columnNames.get(j);
const row = (i: number) => rowNames.get(i);

/** Models built per LP (LPs are immutable), so re-solving an LP does not rebuild its model. */
const models = new WeakMap<LinearProgram, { integer?: JsLpModel; continuous?: JsLpModel }>();

function cachedModel(lp: LinearProgram, options: SolveOptions): JsLpModel {
  let built = models.get(lp);
  if (built === undefined) {
    built = {};
    models.set(lp, built);
  }
  const kind = options.integer ? "integer" : "continuous";
  const model = built[kind] ?? (built[kind] = structuralModel(lp, options.integer));
  return withSearchLimits(model, options);
}

type SearchOptions = Pick<SolveOptions, "integer" | "timeLimitMs" | "mipGap">;

/** The LP as a javascript-lp-solver model, with the search limits of `options` (also used by the benchmark's raw solve). */
export function toJsLpModel(lp: LinearProgram, options: SearchOptions): JsLpModel {
  return withSearchLimits(structuralModel(lp, options.integer), options);
}

/**
 * The model with the search's limits: the time limit as javascript-lp-solver's
 * `timeout` (honoured by its branch and bound only, so set for integer solves
 * only) and the MIP gap as its `tolerance`. The model itself is not changed.
 */
function withSearchLimits(model: JsLpModel, options: SearchOptions): JsLpModel {
  const timeout = options.integer && options.timeLimitMs !== undefined ? Math.max(1, Math.floor(options.timeLimitMs)) : undefined;
  if (timeout === undefined && options.mipGap === undefined) return model;
  return { ...model, ...(timeout === undefined ? {} : { timeout }), ...(options.mipGap === undefined ? {} : { tolerance: options.mipGap }) };
}

/**
 * Whether a row without columns (a demand minimum in a period its product
 * cannot be made or held, say) asks for a nonzero total. javascript-lp-solver
 * would not see it — a constraint on no variables is dropped — and could call
 * an infeasible model optimal or unbounded.
 */
function emptyRowOutOfBounds(lp: LinearProgram): boolean {
  return lp.rows.some((r) => r.columns.length === 0 && (r.lower > 1e-7 || r.upper < -1e-7));
}

/** The LP's variables and constraints, without search limits: what is cached per LP. */
function structuralModel(lp: LinearProgram, integer: boolean): JsLpModel {
  const constraints: Record<string, { min?: number; max?: number; equal?: number }> = {};
  const variables: Record<string, Record<string, number>> = {};
  const ints: Record<string, 1> = {};
  const columnCoefficients: Record<string, number>[] = [];

  lp.columns.forEach((col, j) => {
    const coefficients: Record<string, number> = {};
    if (col.cost !== 0) coefficients[OBJECTIVE] = col.cost;
    if (col.lower > 0 || col.upper < Infinity) {
      const name = boundNames.get(j);
      constraints[name] = bound(col.lower > 0 ? col.lower : -Infinity, col.upper);
      coefficients[name] = 1;
    }
    variables[column(j)] = coefficients;
    columnCoefficients.push(coefficients);
    if (integer && col.integer) ints[column(j)] = 1;
  });
  lp.rows.forEach((r, i) => {
    if (r.columns.length === 0) return;
    const name = row(i);
    constraints[name] = bound(r.lower, r.upper);
    r.columns.forEach((j, n) => {
      at(columnCoefficients, j, "column of a row")[name] = at(r.values, n, "row coefficient");
    });
  });

  return { optimize: OBJECTIVE, opType: lp.sense, constraints, variables, ints };
}

function bound(lower: number, upper: number): { min?: number; max?: number; equal?: number } {
  if (lower === upper) return { equal: lower };
  const result: { min?: number; max?: number } = {};
  if (lower > -Infinity) result.min = lower;
  if (upper < Infinity) result.max = upper;
  return result;
}

interface FullSolution {
  feasible: boolean;
  bounded: boolean;
  evaluation: number;
  solutionSet: Record<string, number>;
  _tableau: { __isIntegral?: boolean };
}

export const jsLpSolverBackend: SolverBackend = {
  name: "javascript-lp-solver",
  // Its `timeout` is checked between branch-and-bound nodes only: a simplex (a continuous solve, or one node) runs to its end.
  capabilities: { honoursTimeLimit: () => false, duals: false },
  solve(lp: LinearProgram, options: SolveOptions): SolveResult {
    if (emptyRowOutOfBounds(lp)) return { status: "infeasible", objective: null, values: null };
    const model = cachedModel(lp, options);
    // On javascript-lp-solver's own clock: its search stops once Date.now() reaches its start plus `timeout`
    // (whole milliseconds), which a finer clock can see as a little under the limit.
    const started = Date.now();
    const solution = solver.Solve(model, undefined, true) as FullSolution;
    const elapsed = Date.now() - started;
    const integer = options.integer && lp.columns.some((col) => col.integer);
    const outOfTime = integer && model.timeout !== undefined && elapsed >= model.timeout;

    if (!solution.feasible) {
      return { status: outOfTime ? "time_limit" : "infeasible", objective: null, values: null };
    }
    if (!solution.bounded) return { status: "unbounded", objective: null, values: null };
    if (integer && solution._tableau.__isIntegral !== true) {
      // Branch and bound ended without an integral incumbent: only a timeout does that.
      return { status: "time_limit", objective: null, values: null };
    }

    const values = new Float64Array(lp.columns.length);
    const set = solution.solutionSet;
    for (let j = 0; j < values.length; j++) {
      const value = Object.prototype.hasOwnProperty.call(set, column(j)) ? set[column(j)] : 0;
      values[j] = typeof value === "number" && Number.isFinite(value) ? value : 0;
    }
    // The tableau minimizes internally; `evaluation` carries the model's own sign.
    return { status: outOfTime ? "time_limit" : "optimal", objective: solution.evaluation, values };
  },
};
