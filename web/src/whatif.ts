import type { BoundRef } from "../../src/explain/types.js";
import type { Plan, PlanStatus } from "../../src/plan/types.js";

/**
 * What-if shapes the page speaks (changes, comparisons, sweeps), as the
 * service's API describes them (README, "What-if"). A Change is one edit of a
 * scenario in its own terms; the server applies it, never the page.
 */

export type PeriodNumber = number | Readonly<Record<string, number>>;

export type ChangeSelector =
  | { readonly on: "target"; readonly id: string; readonly field: "min" | "max" }
  | { readonly on: "capacity"; readonly plant?: string; readonly resource?: string }
  | { readonly on: "demand"; readonly market?: string; readonly product?: string; readonly family?: string; readonly field: "min" | "max" | "price" }
  | { readonly on: "source"; readonly part: string; readonly source?: string; readonly field: "capacity" | "unit_cost" }
  | { readonly on: "route"; readonly plant?: string; readonly product?: string; readonly field: "min" | "max" | "unit_cost" };

/** Exactly one of set, scale, add; `periods` defaults to every period. */
export type ChangeAmount = { readonly set: PeriodNumber } | { readonly scale: number } | { readonly add: number };

export type Change = ChangeSelector & ChangeAmount & { readonly periods?: readonly string[] };

export interface Variant {
  readonly name: string;
  readonly changes: readonly Change[];
}

export interface ProductionDelta {
  readonly period: string;
  readonly plant: string;
  readonly product: string;
  readonly baseline: number;
  readonly variant: number;
  readonly change: number;
}

export interface TargetDelta {
  readonly id: string;
  readonly period: string;
  readonly baseline: number | null;
  readonly variant: number | null;
  readonly met: boolean;
}

export interface Comparison {
  readonly baseline: Plan;
  readonly variants: readonly {
    readonly name: string;
    readonly plan: Plan;
    readonly delta: {
      /** Variant objective − baseline objective; null when either has none. */
      readonly objective: number | null;
      readonly production: readonly ProductionDelta[];
      readonly targets: readonly TargetDelta[];
      readonly binding: { readonly became: readonly BoundRef[]; readonly released: readonly BoundRef[] };
    };
  }[];
}

/** The swept value is `set` on `parameter` at each point. */
export type SweepSpec = {
  readonly parameter: ChangeSelector;
} & ({ readonly values: readonly number[] } | { readonly from: number; readonly to: number; readonly steps?: number; readonly mode?: "grid" | "exact" });

export interface SweepPoint {
  readonly value: number;
  readonly status: PlanStatus;
  readonly objective: number | null;
  /** d objective / d value at the point; null where undefined. */
  readonly slope: number | null;
  readonly binding: readonly BoundRef[];
}

export interface SweepSegment {
  readonly from: number;
  readonly to: number;
  readonly objective_from: number;
  readonly objective_to: number;
  readonly slope: number;
  readonly binding: readonly BoundRef[];
}

export interface SweepResult {
  readonly parameter: ChangeSelector;
  readonly mode: "grid" | "exact";
  readonly solves: number;
  readonly points: readonly SweepPoint[];
  /** Exact mode only: the pieces of the piecewise linear objective, breakpoint to breakpoint. */
  readonly segments?: readonly SweepSegment[];
  readonly feasible_range: { readonly from: number; readonly to: number } | null;
}
