import type { Model as HighsModel } from "highs";
import type { LinearProgram } from "../formulate/lp.js";
import { toHighsModelData, withHighs } from "./highs.js";
import { infoValue, runModel, UnsolvedModelError, type ModelStatusName } from "./highsRun.js";
import { highsRuntime } from "./highsRuntime.js";
import { at } from "../util/invariant.js";
import type { SolveStatus } from "./types.js";

export { UnsolvedModelError, type ModelStatusName } from "./highsRun.js";

/**
 * HiGHS for explanations: an LP whose scenario bounds can each be held, moved,
 * lifted or made elastic, solved again and again on one warm-started model,
 * with duals and ranging read back per bound. Everything here speaks in LP
 * positions (rows, columns, sides); what a bound means in the scenario is the
 * caller's business (src/explain).
 *
 * The model in HiGHS is the LP as given, plus one extra row per column bound
 * side (`x_j ≥ value` or `x_j ≤ value`, so every bound has a row and therefore
 * a row dual and row ranging), plus, when asked for, one elastic column per
 * side (its violation, fixed at 0 unless the side is made elastic).
 */

// The backend's runtime, shared (one WebAssembly instance per process or worker). Its
// constants and infinity are the same numbers in any replacement runtime.
const { constants: highsConstants, infinity: highsInfinity } = highsRuntime.current();
const BASIS = highsConstants.basisStatus;

/** One side of a row's range, or one side of a column's range, with the value it has in the LP. */
export interface BoundSide {
  readonly on: "row" | "column";
  readonly index: number;
  readonly side: "lower" | "upper";
  readonly value: number;
}

export interface BoundSessionOptions {
  /** Keep the LP's integer columns integer (MIP solves). */
  readonly integer: boolean;
  /** Add an elastic column per side, so that sides can be made elastic. */
  readonly elastic: boolean;
  /** Budget for all the session's solves together, from its creation; a solve that runs out reports `time_limit`. */
  readonly timeLimitMs?: number;
}

/** What a session optimizes: the LP's own objective, the weighted violation of elastic sides, or a linear expression. */
export type SessionObjective =
  | { readonly kind: "original" }
  | { readonly kind: "violation" }
  | { readonly kind: "none" }
  | { readonly kind: "linear"; readonly sense: "max" | "min"; readonly columns: readonly number[]; readonly values: readonly number[] };

/** A solve's outcome: only an optimal one carries a solution. */
export type SessionSolution = OptimalSessionSolution | UnsolvedSessionSolution;

interface SessionOutcome {
  /**
   * `time_limit`: stopped before it finished (by the session's time limit, or
   * another HiGHS limit: see `highsStatus`); no conclusion about the model.
   * A solve that HiGHS fails throws `UnsolvedModelError`.
   */
  readonly status: SolveStatus;
  /** HiGHS' model status the outcome was read from. */
  readonly highsStatus: ModelStatusName;
  /** Simplex iterations of this solve: 0 when the previous basis was still optimal; NaN when HiGHS keeps no count. */
  readonly iterations: number;
}

export interface OptimalSessionSolution extends SessionOutcome {
  readonly status: "optimal";
  /** Value of the objective optimized. */
  readonly objective: number;
  /** Values of the LP's own columns. */
  readonly values: Float64Array;
  /** Per side: how far the solution violates it (0 for sides that are not elastic). */
  readonly violations: Float64Array;
  /** Reduced costs of the LP's own columns in the final basis. */
  readonly reducedCosts: Float64Array;
}

export interface UnsolvedSessionSolution extends SessionOutcome {
  readonly status: Exclude<SolveStatus, "optimal">;
  readonly objective: null;
  readonly values: null;
  readonly violations: null;
  readonly reducedCosts: null;
}

/**
 * Per side, after an optimal LP solve with the original objective:
 * `price` is ∂objective/∂(side value) in the LP's own objective (positive when
 * raising the value raises the objective), valid for side values in
 * [rangeFrom, rangeTo] — 0 for a side that does not bind.
 */
export interface SessionSensitivity {
  /** The optimum the prices belong to (values of the LP's own columns). */
  readonly values: Float64Array;
  readonly price: Float64Array;
  readonly rangeFrom: Float64Array;
  readonly rangeTo: Float64Array;
  /** Reduced cost of each LP column: ∂objective/∂(its lower bound) for a column at its lower bound, 0 for a basic one. */
  readonly reducedCosts: Float64Array;
  /**
   * For a column at its lower bound: how far its lower bound can rise with the
   * basis unchanged (so its reduced cost holds); NaN for other columns.
   */
  readonly reducedCostTo: Float64Array;
}

const infinite = (value: number) => (value === Infinity ? highsInfinity : value === -Infinity ? -highsInfinity : value);
const finite = (value: number) => (value >= highsInfinity ? Infinity : value <= -highsInfinity ? -Infinity : value);

export class BoundSession {
  private readonly model: HighsModel;
  private readonly numCols: number;
  private readonly numRows: number;
  /** HiGHS row of each side. */
  private readonly sideRow: Int32Array;
  /** Current bounds of every HiGHS row (original rows, then one per column side). */
  private readonly rowLower: Float64Array;
  private readonly rowUpper: Float64Array;
  private readonly values: Float64Array;
  private readonly weights: Float64Array;
  private objective: SessionObjective | undefined;
  /** `performance.now()` time by which every solve of the session stops. */
  private readonly deadline: number | undefined;

  constructor(
    private readonly lp: LinearProgram,
    private readonly sides: readonly BoundSide[],
    private readonly options: BoundSessionOptions,
  ) {
    this.deadline = options.timeLimitMs === undefined ? undefined : performance.now() + options.timeLimitMs;
    const integer = options.integer && lp.columns.some((column) => column.integer);
    this.model = withHighs((highs) => highs.createModel(toHighsModelData(lp, integer)));
    this.model.options.set({ output_flag: false, log_to_console: false });
    // One budget for the session: HiGHS' own limit, and the deadline every run is interrupted at.
    if (options.timeLimitMs !== undefined) this.model.options.set("time_limit", Math.max(0, options.timeLimitMs) / 1000);
    this.numCols = lp.columns.length;
    this.numRows = lp.rows.length;
    this.values = Float64Array.from(sides, (side) => side.value);
    this.weights = new Float64Array(sides.length).fill(NaN);

    const columnSides = sides.flatMap((side, k) => (side.on === "column" ? [{ k, column: side.index }] : []));
    this.sideRow = new Int32Array(sides.length);
    const totalRows = this.numRows + columnSides.length;
    this.rowLower = new Float64Array(totalRows);
    this.rowUpper = new Float64Array(totalRows);
    lp.rows.forEach((row, i) => {
      this.rowLower[i] = row.lower;
      this.rowUpper[i] = row.upper;
    });
    sides.forEach((side, k) => {
      if (side.on === "row") this.sideRow[k] = side.index;
    });
    columnSides.forEach(({ k }, n) => {
      this.sideRow[k] = this.numRows + n;
      this.rowLower[this.numRows + n] = -Infinity;
      this.rowUpper[this.numRows + n] = Infinity;
    });
    for (let k = 0; k < sides.length; k++) this.place(k);

    if (columnSides.length > 0) {
      const count = columnSides.length;
      this.model.addRows({
        lower: Float64Array.from(columnSides, ({ k }) => infinite(this.lowerOf(this.rowOf(k)))),
        upper: Float64Array.from(columnSides, ({ k }) => infinite(this.upperOf(this.rowOf(k)))),
        matrix: {
          format: "csr",
          numRows: count,
          numCols: this.numCols,
          starts: Int32Array.from({ length: count + 1 }, (_, n) => n),
          indices: Int32Array.from(columnSides, ({ column }) => column),
          values: new Float64Array(count).fill(1),
        },
      });
    }
    for (const i of new Set(sides.flatMap((side) => (side.on === "row" ? [side.index] : [])))) this.pushRow(i);

    if (options.elastic && sides.length > 0) {
      const count = sides.length;
      this.model.addCols({
        cost: new Float64Array(count),
        lower: new Float64Array(count),
        upper: new Float64Array(count),
        matrix: {
          format: "csc",
          numRows: totalRows,
          numCols: count,
          starts: Int32Array.from({ length: count + 1 }, (_, k) => k),
          indices: Int32Array.from(this.sideRow),
          values: Float64Array.from(sides, (side) => (side.side === "lower" ? 1 : -1)),
        },
      });
    }
  }

  /** Moves a side to `value`; ±Infinity lifts it. */
  setValue(k: number, value: number): void {
    this.values[k] = value;
    this.place(k);
    this.pushRow(this.rowOf(k));
  }

  /** Makes a side elastic with a weight per unit of violation, or hard again (`null`). */
  setElastic(k: number, weight: number | null): void {
    if (!this.options.elastic) throw new Error("this session has no elastic columns");
    this.weights[k] = weight ?? NaN;
    const column = this.numCols + k;
    this.model.changeColBounds(column, 0, weight === null ? 0 : highsInfinity);
    if (this.objective?.kind === "violation") this.model.changeColCost(column, weight ?? 0);
  }

  setObjective(objective: SessionObjective): void {
    const total = this.numCols + (this.options.elastic ? this.sides.length : 0);
    const costs = new Float64Array(total);
    let sense: "max" | "min" = "min";
    switch (objective.kind) {
      case "original":
        this.lp.columns.forEach((column, j) => (costs[j] = column.cost));
        sense = this.lp.sense;
        break;
      case "violation":
        this.weights.forEach((weight, k) => {
          costs[this.numCols + k] = Number.isNaN(weight) ? 0 : weight;
        });
        break;
      case "linear":
        objective.columns.forEach((j, n) => (costs[j] = at(costs, j, "column cost") + at(objective.values, n, "objective coefficient")));
        sense = objective.sense;
        break;
      case "none":
        break;
    }
    if (total > 0) this.model.changeColsCost({ kind: "range", from: 0, to: total - 1 }, costs);
    this.model.changeObjectiveSense(sense === "max" ? highsConstants.objectiveSense.maximize : highsConstants.objectiveSense.minimize);
    this.objective = objective;
  }

  solve(): SessionSolution {
    if (this.objective === undefined) this.setObjective({ kind: "original" });
    return withHighs(() => {
      const run = runModel(this.model, this.deadline, () => {
        const saved = this.objective ?? { kind: "original" };
        this.setObjective({ kind: "none" });
        return () => this.setObjective(saved);
      });
      const iterations = infoValue(this.model, "simplex_iteration_count") ?? NaN;
      const unsolved = { highsStatus: run.status, objective: null, values: null, violations: null, reducedCosts: null, iterations };
      switch (run.outcome) {
        case "failed":
          throw new UnsolvedModelError(run.status);
        case "stopped":
          return { status: "time_limit", ...unsolved };
        case "infeasible":
        case "unbounded":
          return { status: run.outcome, ...unsolved };
        case "optimal":
          break;
      }
      const solution = this.model.getSolution();
      const violations = new Float64Array(this.sides.length);
      if (this.options.elastic) {
        for (let k = 0; k < this.sides.length; k++) violations[k] = Math.max(0, at(solution.colValue, this.numCols + k, "elastic column value"));
      }
      return {
        status: "optimal",
        highsStatus: run.status,
        objective: this.model.getObjectiveValue(),
        values: solution.colValue.slice(0, this.numCols),
        violations,
        reducedCosts: solution.colDual.slice(0, this.numCols),
        iterations,
      };
    });
  }

  /** Duals and ranging per side, after an optimal continuous solve. */
  sensitivity(): SessionSensitivity {
    const { solution, basis, ranging } = withHighs(() => ({
      solution: this.model.getSolution(),
      basis: this.model.getBasis(),
      ranging: this.model.getRanging(),
    }));
    const count = this.sides.length;
    const price = new Float64Array(count);
    const rangeFrom = new Float64Array(count);
    const rangeTo = new Float64Array(count);
    const maximizing = (this.objective?.kind === "linear" ? this.objective.sense : this.lp.sense) === "max";
    this.sides.forEach((side, k) => {
      const row = this.rowOf(k);
      const status = at(basis.rowStatus, row, "row basis status");
      const dual = at(solution.rowDual, row, "row dual");
      const lower = this.lowerOf(row);
      const upper = this.upperOf(row);
      const equality = lower === upper;
      // An equality row carries both sides with one dual: it belongs to the side whose
      // tightening costs (a lower side tightens when raised, an upper side when lowered).
      const raisingCosts = maximizing ? dual < 0 : dual > 0;
      const binding = equality
        ? dual !== 0 && (side.side === "lower") === raisingCosts
        : status !== BASIS.basic && status === (side.side === "lower" ? BASIS.lower : BASIS.upper);
      const value = at(this.values, k, "side value");
      const activity = at(solution.rowValue, row, "row activity");
      if (binding) {
        let from = finite(at(ranging.rowBoundDown.value, row, "row ranging"));
        let to = finite(at(ranging.rowBoundUp.value, row, "row ranging"));
        // HiGHS ranges the row's active bound alone; it cannot cross the row's other bound.
        if (side.side === "lower") to = Math.min(to, upper);
        else from = Math.max(from, lower);
        price[k] = dual;
        rangeFrom[k] = from <= value ? from : value;
        rangeTo[k] = to >= value ? to : value;
      } else {
        // Not binding: the price is 0 for every value the solution already satisfies.
        price[k] = 0;
        rangeFrom[k] = side.side === "upper" ? Math.min(value, activity) : -Infinity;
        rangeTo[k] = side.side === "lower" ? Math.max(value, activity) : Infinity;
      }
    });
    const reducedCostTo = new Float64Array(this.numCols).fill(NaN);
    for (let j = 0; j < this.numCols; j++) {
      if (basis.colStatus[j] === BASIS.lower) reducedCostTo[j] = finite(at(ranging.colBoundUp.value, j, "column ranging"));
    }
    return {
      values: solution.colValue.slice(0, this.numCols),
      price,
      rangeFrom,
      rangeTo,
      reducedCosts: solution.colDual.slice(0, this.numCols),
      reducedCostTo,
    };
  }

  /** Moves the lower bound of one of the LP's own columns (its upper bound is the LP's). */
  setColumnLower(j: number, lower: number): void {
    this.model.changeColBounds(j, lower, infinite(at(this.lp.columns, j, "column").upper));
  }

  /** Fixes the LP's own columns at `values` (integer plans: the LP with the integer quantities fixed); only those of `which` when given. */
  fixColumns(values: Float64Array, which?: readonly number[]): void {
    const columns = which ?? Array.from({ length: this.numCols }, (_, j) => j);
    for (const j of columns) {
      const value = at(values, j, "fixed column value");
      this.model.changeColBounds(j, value, value);
    }
  }

  dispose(): void {
    this.model.dispose();
  }

  /** Writes side k's value into its row's bounds (not yet pushed to HiGHS). */
  private place(k: number): void {
    const side = at(this.sides, k, "side");
    const row = this.rowOf(k);
    const value = at(this.values, k, "side value");
    if (side.side === "lower") this.rowLower[row] = value;
    else this.rowUpper[row] = value;
  }

  private pushRow(row: number): void {
    this.model.changeRowBounds(row, infinite(this.lowerOf(row)), infinite(this.upperOf(row)));
  }

  /** HiGHS row of side k. */
  private rowOf(k: number): number {
    return at(this.sideRow, k, "side's row");
  }

  private lowerOf(row: number): number {
    return at(this.rowLower, row, "row's lower bound");
  }

  private upperOf(row: number): number {
    return at(this.rowUpper, row, "row's upper bound");
  }
}
