/**
 * Explanations in the scenario's terms: which bound, of which plant, part,
 * market or target, in which period. The same `BoundRef` names a bound in the
 * sensitivity report and in the infeasibility diagnosis.
 */

export type BoundRef =
  | { readonly kind: "capacity"; readonly plant: string; readonly resource: string; readonly period: string }
  | { readonly kind: "source_capacity"; readonly part: string; readonly source: string; readonly period: string }
  | { readonly kind: "lane_capacity"; readonly part: string; readonly source: string; readonly plant: string; readonly period: string }
  | { readonly kind: "shipping_capacity"; readonly plant: string; readonly product: string; readonly market: string; readonly period: string }
  | { readonly kind: "target"; readonly id: string; readonly period: string; readonly bound: "min" | "max" }
  | { readonly kind: "demand"; readonly market: string; readonly product: string; readonly period: string; readonly bound: "min" | "max" }
  | { readonly kind: "route"; readonly plant: string; readonly product: string; readonly period: string; readonly bound: "min" | "max" }
  | { readonly kind: "inventory"; readonly plant: string; readonly product: string; readonly period: string; readonly bound: "final" | "max" };

export type BoundKind = BoundRef["kind"];

/** An allowable range of a bound's value over which its shadow price holds; null ends are unbounded. */
export interface AllowableRange {
  readonly from: number | null;
  readonly to: number | null;
}

/** What one unit of a bound is, for reading its shadow price: one unit of the resource, one part, one unit made or sold, one share point. */
export type BoundUnit = "resource" | "part" | "unit" | "percentage_point";

export type BoundSensitivity = BoundRef & {
  /** The bound's value in the scenario (a share in [0, 1] for share targets). */
  readonly value: number;
  /** The plan's value of what the bound limits (hours used, units made or sold, parts bought, share reached). */
  readonly activity: number;
  /** Change of the plan's objective per unit increase of the bound (see `per`). */
  readonly shadow_price: number;
  readonly per: BoundUnit;
  /** Bound values over which `shadow_price` holds; null when the price is a first-order value only (share targets, final stock). */
  readonly range: AllowableRange | null;
};

export interface UnusedRoute {
  readonly plant: string;
  readonly product: string;
  readonly period: string;
  /** Change of the objective per unit made: how much the unit margin must improve before the route enters the plan. */
  readonly reduced_cost: number;
}

export interface UnusedSale {
  readonly plant: string;
  readonly product: string;
  readonly market: string;
  readonly period: string;
  /** Change of the objective per unit sold through this channel. */
  readonly reduced_cost: number;
}

/** A decision re-optimised: its period (null: not built), and the objective everything else re-optimised reaches. */
export interface DecisionAlternative {
  readonly period: string | null;
  /** The objective of the alternative's plan; null when it has none (infeasible, or out of time before a plan). */
  readonly objective: number | null;
  readonly status: "optimal" | "infeasible" | "unbounded" | "time_limit" | "undecided";
  /** What else that plan builds, and when, where it differs from the plan's own decisions. */
  readonly instead: readonly { readonly id: string; readonly period: string | null }[];
}

/**
 * What an investment decision is worth (docs/explanations.md): the plan's
 * objective against the objective with the decision reversed — not built, or
 * built in the best period of its window — and, for a built one, built a
 * period earlier and later; each re-optimised as a whole plan.
 */
export interface DecisionWorth {
  readonly id: string;
  readonly built: boolean;
  readonly period: string | null;
  readonly reversed: DecisionAlternative;
  /** Built investments: built one period earlier or later (absent at the edge of its window). */
  readonly earlier?: DecisionAlternative;
  readonly later?: DecisionAlternative;
  /**
   * What the plan's decision is worth against its reverse, in the objective's
   * terms: the plan's objective less the reversed one (maximising), or the
   * reversed one less the plan's (min_cost); null when the reverse has no plan.
   */
  readonly worth: number | null;
}

export interface Sensitivity {
  /**
   * `lp`: the plan's own LP. `lp_integer_fixed`: the LP with the plan's
   * whole-unit quantities fixed (an integer plan). `lp_relaxation`: the
   * integer plan's LP with fractional units allowed, at its own optimum.
   * `lp_builds_fixed`: a plan with investments (and fractional units): its
   * LP with every build fixed at the plan's decisions.
   */
  readonly basis: "lp" | "lp_integer_fixed" | "lp_relaxation" | "lp_builds_fixed";
  /** Unit of every price: the scenario's currency, or "units" for `max_units`. */
  readonly objective_unit: string;
  /** Every bound of the scenario, with its shadow price. */
  readonly bounds: readonly BoundSensitivity[];
  readonly unused_routes: readonly UnusedRoute[];
  readonly unused_sales: readonly UnusedSale[];
  readonly notes: readonly string[];
  /** Integer plans: the LP relaxation's prices (`basis: "lp_relaxation"`), as the fixed LP's are 0 but where a bound alone moves the objective. */
  readonly lp_relaxation?: Sensitivity;
  /** A plan with investments: what each decision is worth, re-optimised. */
  readonly decisions?: readonly DecisionWorth[];
}

export type ConflictEntry = BoundRef & {
  /** The bound's value in the scenario. */
  readonly value: number;
};

export type Relaxation = BoundRef & {
  /** How far the bound moves in the relaxing direction (> 0): a capacity or max up, a min down. */
  readonly by: number;
  /** The bound's value in the scenario. */
  readonly value: number;
  /** The relaxed value. */
  readonly to: number;
};

export interface MaxAchievable {
  readonly id: string;
  readonly period: string;
  readonly bound: "min" | "max";
  /** The best value of the target (highest for a min, lowest for a max) with every other bound held; null when none is feasible. */
  readonly value: number | null;
}

export interface Diagnosis {
  /** An irreducible set of bounds that cannot hold together. */
  readonly conflict: readonly ConflictEntry[];
  /** A smallest-weighted set of changes that restores feasibility. */
  readonly relaxations: readonly Relaxation[];
  readonly max_achievable: readonly MaxAchievable[];
  /** The smallest-weighted changes that restore feasibility while every target is held; null when no such change exists. */
  readonly relaxations_keeping_targets: readonly Relaxation[] | null;
  /** The weights the relaxations minimized (per unit of relative change of a bound). */
  readonly weights: RelaxationWeights;
  readonly notes: readonly string[];
}

/** Weight of relaxing a bound by 100% of its value (weights apply to relative changes). */
export interface RelaxationWeights {
  readonly capacity: number;
  readonly source_capacity: number;
  readonly lane_capacity: number;
  readonly shipping_capacity: number;
  readonly target: number;
  readonly demand_min: number;
  readonly demand_max: number;
  readonly route_min: number;
  readonly route_max: number;
  readonly inventory_max: number;
  readonly inventory_final: number;
}
