import type { Formulation } from "../../formulate/index.js";
import type { Column, ColumnTag, LinearProgram, Row, RowTag } from "../../formulate/lp.js";
import { columnKey } from "../extensive.js";

/**
 * The L-shaped master problem: the here-and-now columns — one per key over
 * every outcome's model, with the tightest bounds any outcome gives it and 0
 * where some outcome's model lacks it, as the extensive form shares them —
 * the rows of every outcome that hold here-and-now columns only (capacity
 * when production is decided now, an investment's once-only and group rows),
 * one outcome's model in full (the anchor: its second stage a part of the
 * master, its objective exact), and one θ_ω per other outcome standing for
 * its objective, weighted by its probability. Cuts are added as rows.
 */
export class Master {
  readonly keys: string[] = [];
  readonly sense: "max" | "min";
  private readonly columns: Column[] = [];
  private readonly rows: Row[] = [];
  private readonly thetaStart: number;
  optimalityCuts = 0;
  feasibilityCuts = 0;

  constructor(
    models: readonly { readonly probability: number; readonly formulation: Formulation }[],
    isHereAndNow: (tag: ColumnTag) => boolean,
    thetaBounds: readonly number[],
    /** The outcome whose model the master holds in full (its objective exact, no θ): one outcome's rows keep the master's decisions feasible there from the first iteration. */
    readonly anchor: number,
  ) {
    const first = models[0]?.formulation.lp;
    if (first === undefined) throw new Error("a decomposition needs at least one outcome");
    this.sense = first.sense;
    const at = new Map<string, number>();
    const appearances: number[] = [];
    const seenRows = new Set<string>();
    for (const { formulation } of models) {
      const { lp } = formulation;
      const local = new Int32Array(lp.columns.length).fill(-1);
      lp.columns.forEach((column, j) => {
        if (!isHereAndNow(column.tag)) return;
        const key = columnKey(column.tag);
        let k = at.get(key);
        if (k === undefined) {
          k = this.columns.push({ tag: column.tag, lower: column.lower, upper: column.upper, cost: 0, integer: column.integer }) - 1;
          at.set(key, k);
          this.keys.push(key);
          appearances[k] = 0;
        } else {
          const before = this.columns[k] ?? column;
          this.columns[k] = {
            ...before,
            lower: Math.max(before.lower, column.lower),
            upper: Math.min(before.upper, column.upper),
            integer: before.integer || column.integer,
          };
        }
        appearances[k] = (appearances[k] ?? 0) + 1;
        local[j] = k;
      });
      for (const row of lp.rows) {
        if (row.columns.length === 0 || !row.columns.every((j) => (local[j] ?? -1) >= 0)) continue;
        const mapped: Row = { ...row, columns: row.columns.map((j) => local[j] ?? -1) };
        const signature = JSON.stringify([mapped.tag, mapped.columns, mapped.values, mapped.lower, mapped.upper]);
        if (seenRows.has(signature)) continue;
        seenRows.add(signature);
        this.rows.push(mapped);
      }
    }
    this.columns.forEach((column, k) => {
      if ((appearances[k] ?? 0) < models.length) this.columns[k] = { ...column, lower: Math.max(column.lower, 0), upper: Math.min(column.upper, 0) };
    });
    const anchored = models[anchor];
    if (anchored !== undefined) {
      const { lp } = anchored.formulation;
      const map = lp.columns.map((column) => {
        const cost = anchored.probability * column.cost;
        if (isHereAndNow(column.tag)) {
          const k = at.get(columnKey(column.tag)) ?? -1;
          const before = this.columns[k];
          if (before !== undefined) this.columns[k] = { ...before, cost: before.cost + cost };
          return k;
        }
        return this.columns.push({ ...column, cost }) - 1;
      });
      for (const row of lp.rows) this.rows.push({ ...row, columns: row.columns.map((j) => map[j] ?? -1) });
    }
    this.thetaStart = this.columns.length;
    models.forEach(({ probability }, w) => {
      // The anchor's objective is in the master already: its θ is held at 0.
      const bound = w === anchor ? 0 : (thetaBounds[w] ?? 0);
      this.columns.push({
        tag: thetaTag,
        lower: this.sense === "max" && w !== anchor ? -Infinity : bound,
        upper: this.sense === "max" || w === anchor ? bound : Infinity,
        cost: w === anchor ? 0 : probability,
        integer: false,
      });
    });
  }

  get mixedInteger(): boolean {
    return this.columns.some((column) => column.integer);
  }

  /**
   * The master's value of key k as the subproblems are to fix it: whole for
   * a whole-unit column, and within the column's bounds — a solver's value a
   * hair outside them (−1e-13 for a lower bound of 0) would fix an outcome's
   * column at bounds that cross, which no plan meets.
   */
  proposal(k: number, value: number): number {
    const column = this.columns[k];
    if (column === undefined) return value;
    const whole = column.integer ? Math.round(value) : value;
    return Math.min(column.upper, Math.max(column.lower, whole));
  }

  lp(): LinearProgram {
    return { sense: this.sense, columns: this.columns, rows: this.rows };
  }

  /** The master's estimate of the outcome's objective: its θ, or for the anchor the value its copy gives (never cut). */
  theta(values: Float64Array, outcome: number, value: number): number {
    return outcome === this.anchor ? value : (values[this.thetaStart + outcome] ?? 0);
  }

  /** θ_ω ≤ value + slope·(x − x̂) for a maximised objective (≥ for a minimised one): the outcome's objective is concave (convex) in x. */
  addOptimalityCut(outcome: number, value: number, slope: readonly number[], at: readonly number[]): void {
    if (outcome === this.anchor) return;
    const { columns, values, constant } = linear(slope, at);
    const rhs = value - constant;
    this.rows.push({
      tag: cutTag,
      columns: [this.thetaStart + outcome, ...columns],
      values: [1, ...values.map((v) => -v)],
      lower: this.sense === "max" ? -Infinity : rhs,
      upper: this.sense === "max" ? rhs : Infinity,
    });
    this.optimalityCuts++;
  }

  /** 0 ≤ value + slope·(x − x̂), where value is minus the least violation at x̂ (≤ 0): every x with a plan in the outcome meets it. */
  addFeasibilityCut(value: number, slope: readonly number[], at: readonly number[]): void {
    const { columns, values, constant } = linear(slope, at);
    this.rows.push({ tag: cutTag, columns, values, lower: constant - value, upper: Infinity });
    this.feasibilityCuts++;
  }
}

/** A cut's nonzero coefficients and slope·x̂. */
function linear(slope: readonly number[], at: readonly number[]): { columns: number[]; values: number[]; constant: number } {
  const columns: number[] = [];
  const values: number[] = [];
  let constant = 0;
  slope.forEach((g, k) => {
    if (Math.abs(g) < 1e-13) return;
    columns.push(k);
    values.push(g);
    constant += g * (at[k] ?? 0);
  });
  return { columns, values, constant };
}

/** The master's own columns and rows are never read back in the scenario's terms: their tags only fill the LP's shape. */
const thetaTag: ColumnTag = { kind: "unsold", plant: "", product: "", period: "" };
const cutTag: RowTag = { family: "units_target", target: "", period: "" };
