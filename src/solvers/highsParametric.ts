import type { Model as HighsModel } from "highs";
import type { LinearProgram, Row } from "../formulate/lp.js";
import { beyondHighsRange, toHighsModelData, withHighs } from "./highs.js";
import { infoValue, runModel, UnsolvedModelError } from "./highsRun.js";
import { highsRuntime } from "./highsRuntime.js";

const { constants } = highsRuntime.current();
import { ModelRejectedError, type SolveResult } from "./types.js";

/** A simplex basis of a `WarmLp` (HiGHS' own, copied out). */
export type WarmBasis = ReturnType<HighsModel["getBasis"]>;

/**
 * A continuous LP kept in HiGHS across solves, its numbers moved between them
 * (bounds, costs, coefficients, by LP position). Each solve starts from the
 * previous optimal basis, so a sequence of nearby LPs — the points of a
 * parametric sweep — costs a few dual simplex iterations each instead of a
 * solve from scratch. Presolve is off: it would discard the basis.
 *
 * Statuses are read as the HiGHS backend reads them (`runModel`: failed runs
 * retried, "infeasible" confirmed by a feasibility run); answers carry the
 * row and column duals of the LP's own sense, as `SolveResult` documents.
 */
export class WarmLp {
  private readonly model: HighsModel;
  private readonly costs: Float64Array;
  private readonly numCols: number;

  constructor(lp: LinearProgram) {
    assertWithinHighsRange(lp);
    this.numCols = lp.columns.length;
    this.costs = Float64Array.from(lp.columns, (column) => column.cost);
    this.model = withHighs((highs) => highs.createModel(toHighsModelData(lp, false)));
    this.model.options.set({ output_flag: false, log_to_console: false, presolve: "off" });
  }

  setRowBounds(row: number, lower: number, upper: number): void {
    this.model.changeRowBounds(row, lower, upper);
  }

  setColumnBounds(column: number, lower: number, upper: number): void {
    this.model.changeColBounds(column, lower, upper);
  }

  setColumnCost(column: number, cost: number): void {
    this.costs[column] = cost;
    this.model.changeColCost(column, cost);
  }

  setCoefficient(row: number, column: number, value: number): void {
    this.model.changeCoefficient(row, column, value);
  }

  /** Adds a row (on the LP's columns); the next solve starts from the basis the last one ended with, the new row basic. */
  addRow(row: Row): void {
    this.model.addRow(row.lower, row.upper, { indices: Int32Array.from(row.columns), values: Float64Array.from(row.values) });
  }

  /** The basis the last solve ended with, for later solves to start from (`restartFrom`); undefined when HiGHS holds no valid basis. */
  basis(): WarmBasis | undefined {
    return infoValue(this.model, "basis_validity") === constants.basisValidity.valid ? this.model.getBasis() : undefined;
  }

  /**
   * Forgets what earlier solves left in HiGHS (factorization, pricing
   * weights) and makes the next solve start from `basis` (from `basis()`;
   * none: the logical basis). The answer then depends on the model's numbers
   * and `basis` alone, not on the solves before it — with a basis kept as it
   * is, HiGHS' path (and, at a degenerate optimum, its vertex) would depend on them.
   */
  restartFrom(basis: WarmBasis | undefined): void {
    this.model.clearSolver();
    if (basis !== undefined) this.model.setBasis(basis);
  }

  /** Solves from the last basis; `timeLimitMs` bounds this solve alone. */
  solve(timeLimitMs?: number): SolveResult {
    const deadline = timeLimitMs === undefined ? undefined : performance.now() + timeLimitMs;
    return withHighs(() => {
      const clearObjective = () => {
        if (this.numCols > 0) this.model.changeColsCost({ kind: "range", from: 0, to: this.numCols - 1 }, new Float64Array(this.numCols));
        return () => {
          if (this.numCols > 0) this.model.changeColsCost({ kind: "range", from: 0, to: this.numCols - 1 }, this.costs);
        };
      };
      const run = runModel(this.model, deadline, clearObjective, { confirmInfeasible: true });
      switch (run.outcome) {
        case "optimal": {
          const solution = this.model.getSolution();
          return {
            status: "optimal",
            objective: this.model.getObjectiveValue(),
            values: solution.colValue,
            duals: { rows: solution.rowDual, columns: solution.colDual },
          };
        }
        case "infeasible":
        case "unbounded":
          return { status: run.outcome, objective: null, values: null };
        case "stopped":
          return { status: "time_limit", objective: null, values: null };
        case "failed":
          // The next solve starts afresh rather than from a basis HiGHS could not work with.
          this.model.clearSolver();
          throw new UnsolvedModelError(run.status);
      }
    });
  }

  dispose(): void {
    this.model.dispose();
  }
}

/**
 * Throws `ModelRejectedError`, as the backend does, when a number of the LP is
 * beyond HiGHS' range: a moved bound or cost there would silently count as infinite.
 */
export function assertWithinHighsRange(lp: LinearProgram): void {
  const beyond = beyondHighsRange(lp);
  if (beyond !== undefined) throw new ModelRejectedError("highs", highsLimits(), beyond);
}

/** Where HiGHS' range ends (as the backend reads it from its option defaults). */
export function highsLimits(): { coefficient: number; amount: number } {
  return highsRuntime.current().withModel((model) => ({
    coefficient: Number(model.options.get("large_matrix_value")),
    amount: Math.min(Number(model.options.get("infinite_cost")), Number(model.options.get("infinite_bound"))),
  }));
}

/** A side of a row's or a column's range, by LP position. */
export interface ParameterSide {
  readonly on: "row" | "column";
  readonly index: number;
  readonly side: "lower" | "upper";
}

export type ParameterRange =
  | { readonly status: "feasible"; readonly from: number; readonly to: number; readonly solves: number }
  | { readonly status: "infeasible" | "time_limit"; readonly solves: number };

/**
 * Where a continuous LP is feasible when the bounds `sides` all take one value
 * θ, for θ in [from, to]: the feasible values form an interval (the LP's
 * feasible set is convex in its right-hand side), found exactly by two LPs in
 * which θ is a variable — each moved side becomes a row `a·x − θ ≥ 0` (or
 * `≤ 0`) — and θ is minimized, then maximized. A moved column bound leaves
 * the column at its structural bound (x ≥ 0, no upper bound) and becomes a
 * row `x − θ ≥ 0` (`≤ 0`).
 */
export function parameterRange(lp: LinearProgram, sides: readonly ParameterSide[], from: number, to: number, timeLimitMs?: number): ParameterRange {
  assertWithinHighsRange(lp);
  const deadline = timeLimitMs === undefined ? undefined : performance.now() + timeLimitMs;
  return withHighs((highs) => {
    const model = highs.createModel(toHighsModelData(lp, false));
    try {
      model.options.set({ output_flag: false, log_to_console: false });
      const numCols = lp.columns.length;
      if (numCols > 0) model.changeColsCost({ kind: "range", from: 0, to: numCols - 1 }, new Float64Array(numCols));
      const theta = numCols;
      model.addCol(1, from, to, { indices: new Int32Array(0), values: new Float64Array(0) });
      for (const { on, index, side } of sides) {
        if (on === "row") {
          const row = lp.rows[index];
          if (row === undefined) throw new RangeError(`no row ${index}`);
          model.changeRowBounds(index, side === "lower" ? -Infinity : row.lower, side === "upper" ? Infinity : row.upper);
          model.addRow(side === "lower" ? 0 : -Infinity, side === "lower" ? Infinity : 0, {
            indices: Int32Array.from([...row.columns, theta]),
            values: Float64Array.from([...row.values, -1]),
          });
        } else {
          const column = lp.columns[index];
          if (column === undefined) throw new RangeError(`no column ${index}`);
          model.changeColBounds(index, side === "lower" ? 0 : column.lower, side === "upper" ? Infinity : column.upper);
          model.addRow(side === "lower" ? 0 : -Infinity, side === "lower" ? Infinity : 0, {
            indices: Int32Array.from([index, theta]),
            values: Float64Array.from([1, -1]),
          });
        }
      }
      const noObjective = () => {
        model.changeColCost(theta, 0);
        return () => model.changeColCost(theta, 1);
      };
      const extreme = (sense: "min" | "max"): number | "infeasible" | "time_limit" => {
        model.changeObjectiveSense(sense === "min" ? constants.objectiveSense.minimize : constants.objectiveSense.maximize);
        const run = runModel(model, deadline, noObjective, { confirmInfeasible: true });
        if (run.outcome === "failed") throw new UnsolvedModelError(run.status);
        if (run.outcome === "stopped") return "time_limit";
        // θ is bounded by [from, to]: an "unbounded" verdict cannot be, and is read as no answer.
        if (run.outcome !== "optimal") return run.outcome === "infeasible" ? "infeasible" : "time_limit";
        return model.getSolution().colValue[theta] ?? NaN;
      };
      const low = extreme("min");
      if (typeof low === "string") return { status: low, solves: 1 };
      const high = extreme("max");
      if (high === "infeasible") throw new Error("HiGHS found the parameter's range feasible when minimizing over it and infeasible when maximizing");
      if (typeof high === "string") return { status: high, solves: 2 };
      return { status: "feasible", from: low, to: high, solves: 2 };
    } finally {
      model.dispose();
    }
  });
}
