/**
 * The solver-neutral linear program every backend reads. Columns and rows are
 * addressed by position; their tags say what they mean in the scenario's terms,
 * so reports, sensitivity, diagnosis and LP export never parse names.
 */

export type ColumnTag =
  | { readonly kind: "make"; readonly plant: string; readonly product: string; readonly period: string }
  | {
      readonly kind: "sell";
      readonly plant: string;
      readonly product: string;
      readonly market: string;
      readonly period: string;
    }
  | { readonly kind: "stock"; readonly plant: string; readonly product: string; readonly period: string }
  /** Made and not sold, worth nothing: only in the two-stage plan's models (docs/stochastic.md), never in a plain plan's. */
  | { readonly kind: "unsold"; readonly plant: string; readonly product: string; readonly period: string }
  | {
      readonly kind: "buy";
      readonly part: string;
      readonly source: string;
      /** The plant delivered to, in the per-plant parts form of the joint network (docs/format.md §2.7); absent when parts are pooled. */
      readonly plant?: string;
      readonly period: string;
    }
  | { readonly kind: "build"; readonly investment: string; readonly period: string };

export type RowTag =
  | { readonly family: "balance"; readonly plant: string; readonly product: string; readonly period: string }
  | { readonly family: "capacity"; readonly plant: string; readonly resource: string; readonly period: string }
  | { readonly family: "parts"; readonly part: string; readonly period: string; readonly plant?: string }
  | { readonly family: "source_capacity"; readonly part: string; readonly source: string; readonly period: string }
  | { readonly family: "lane_capacity"; readonly part: string; readonly source: string; readonly plant: string; readonly period: string }
  | { readonly family: "shipping_capacity"; readonly plant: string; readonly product: string; readonly market: string; readonly period: string }
  | { readonly family: "investment_once"; readonly investment: string }
  | { readonly family: "investment_group"; readonly group: string }
  | { readonly family: "demand"; readonly market: string; readonly product: string; readonly period: string }
  | { readonly family: "units_target"; readonly target: string; readonly period: string }
  | {
      readonly family: "export_share_target" | "local_parts_share_target";
      readonly target: string;
      readonly period: string;
      readonly bound: "min" | "max";
    };

export interface Column {
  readonly tag: ColumnTag;
  readonly lower: number;
  /** `Infinity` when unbounded above. */
  readonly upper: number;
  readonly cost: number;
  readonly integer: boolean;
}

/** A sparse row: `lower ≤ Σ values[i]·x[columns[i]] ≤ upper`, either bound may be infinite. */
export interface Row {
  readonly tag: RowTag;
  readonly columns: readonly number[];
  readonly values: readonly number[];
  readonly lower: number;
  readonly upper: number;
}

export interface LinearProgram {
  readonly sense: "max" | "min";
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
}

/** Collects columns and rows while the constraint families are formulated. */
export class LpBuilder {
  readonly columns: Column[] = [];
  readonly rows: Row[] = [];

  addColumn(column: Column): number {
    this.columns.push(column);
    return this.columns.length - 1;
  }

  private pendingColumns: number[] = [];
  private pendingValues: number[] = [];

  /** Adds a term to the row being built; zero coefficients are dropped. */
  term(column: number, value: number): void {
    if (value !== 0) {
      this.pendingColumns.push(column);
      this.pendingValues.push(value);
    }
  }

  /** Number of terms in the row being built. */
  get pendingTerms(): number {
    return this.pendingColumns.length;
  }

  /**
   * Closes the row being built as `lower ≤ Σ terms ≤ upper`. Each constraint
   * family names a column at most once per row (one term per route, channel
   * or source), so terms are not merged.
   */
  finishRow(tag: RowTag, lower: number, upper: number): number {
    this.rows.push({ tag, columns: this.pendingColumns, values: this.pendingValues, lower, upper });
    this.pendingColumns = [];
    this.pendingValues = [];
    return this.rows.length - 1;
  }

  /**
   * Adds a term to a row already finished: a family that adds to another's
   * rows (in-house making on the capacity and parts rows) names each of its
   * columns once in a row, and never a column the row already has.
   */
  appendTerm(row: number, column: number, value: number): void {
    if (value === 0) return;
    const finished = this.rows[row];
    if (finished === undefined) throw new Error(`no row ${row}`);
    (finished.columns as number[]).push(column);
    (finished.values as number[]).push(value);
  }

  build(sense: "max" | "min"): LinearProgram {
    return { sense, columns: this.columns, rows: this.rows };
  }
}
