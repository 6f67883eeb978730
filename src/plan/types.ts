import type { AllowableRange, Diagnosis, Sensitivity } from "../explain/types.js";
import type { BackendName, SolveStatus } from "../solvers/types.js";

/** docs/format.md §3: what every face returns, in the scenario's own terms. */

export type PlanStatus = SolveStatus;

export interface ProductionRow {
  readonly period: string;
  readonly plant: string;
  readonly product: string;
  readonly units: number;
}

export interface SalesRow {
  readonly period: string;
  readonly plant: string;
  readonly product: string;
  readonly market: string;
  readonly units: number;
  readonly revenue: number;
}

export interface InventoryRow {
  readonly period: string;
  readonly plant: string;
  readonly product: string;
  /** Stock held at the end of the period. */
  readonly units: number;
}

export interface ProcurementRow {
  readonly period: string;
  readonly part: string;
  readonly source: string;
  readonly local: boolean;
  readonly units: number;
  readonly cost: number;
}

export interface CapacityRow {
  readonly period: string;
  readonly plant: string;
  readonly resource: string;
  readonly used: number;
  readonly available: number;
  /** used / available; null when nothing is available but something is used. */
  readonly utilization: number | null;
  /** With `explain`: change of the objective per unit more of the resource, and the capacities over which it holds. */
  readonly shadow_price?: number;
  readonly range?: AllowableRange | null;
}

export interface TargetRow {
  readonly id: string;
  readonly period: string;
  /** Units, or a share in [0, 1]; null for a share of nothing (no sales or no parts in scope). */
  readonly value: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly met: boolean;
  /** With `explain`: change of the objective per unit increase of the binding bound (per percentage point for shares), 0 when none binds. */
  readonly shadow_price?: number;
  readonly binding?: "min" | "max" | null;
  readonly range?: AllowableRange | null;
}

export interface Verification {
  /** Every constraint of docs/format.md §2 holds on the returned quantities within tolerance. */
  readonly feasible: boolean;
  /** Largest violation, each scaled by the size of its constraint (see docs/verification.md). */
  readonly max_violation: number;
  /** How many constraints were evaluated. */
  readonly checked: number;
  /** The worst violated constraints, described in the scenario's terms (at most 10). */
  readonly violations: readonly string[];
}

export interface SolverInfo {
  readonly backend: BackendName;
  readonly ms: number;
  readonly integer: boolean;
  /** Integer plans solved by HiGHS: relative gap between the plan and the best bound when the search stopped. */
  readonly gap?: number;
  /** What the solver reported beyond the status (an `undecided` solve's own status). */
  readonly detail?: string;
  /** `auto` only: the backend tried first, and why its answer was not kept (it was re-solved by `backend`). */
  readonly fallback?: { readonly from: BackendName; readonly reason: string };
}

export interface Plan {
  readonly scenario: string;
  readonly status: PlanStatus;
  readonly objective: number | null;
  readonly production: readonly ProductionRow[];
  readonly sales: readonly SalesRow[];
  readonly inventory: readonly InventoryRow[];
  readonly procurement: readonly ProcurementRow[];
  readonly capacity: readonly CapacityRow[];
  readonly targets: readonly TargetRow[];
  readonly verification: Verification;
  readonly solver: SolverInfo;
  /** With `explain` on an optimal plan: shadow prices, ranges and reduced costs (see docs/explanations.md). */
  readonly sensitivity?: Sensitivity;
  /** On an infeasible plan (unless `explain: false`): the conflict, the relaxations that fix it, what each target can reach. */
  readonly diagnosis?: Diagnosis;
}

/** The decisions of a plan; everything else in a Plan is derived from these and the scenario. */
export interface Quantities {
  readonly production: readonly ProductionRow[];
  readonly sales: readonly SalesRow[];
  readonly inventory: readonly InventoryRow[];
  readonly procurement: readonly ProcurementRow[];
}
