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
  /** Joint network, on a route with a shipping lane to the market: freight (lane cost × units) and duty (rate × revenue) paid. */
  readonly shipping?: number;
  readonly duty?: number;
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
  /** The source's unit cost × units (freight and duty apart). */
  readonly cost: number;
  /** Joint network, parts balanced per plant: the plant delivered to, and the freight and duty paid on the way (0 without a lane). */
  readonly plant?: string;
  readonly freight?: number;
  readonly duty?: number;
}

/** An investment's decision (docs/format.md §3.5): built or not, when, and what it costs. */
export interface InvestmentRow {
  readonly id: string;
  readonly plant: string;
  readonly built: boolean;
  /** The period it is built in; null when it is not built. */
  readonly period: string | null;
  /** The fixed cost paid in that period (0 when not built), undiscounted. */
  readonly fixed_cost: number;
  /** The operating cost of every period from then on, summed, undiscounted. */
  readonly operating_cost: number;
}

export interface CapacityRow {
  readonly period: string;
  readonly plant: string;
  readonly resource: string;
  readonly used: number;
  readonly available: number;
  /** used / available; null when nothing is available but something is used. */
  readonly utilization: number | null;
  /** Joint network, at a plant that makes parts: the part of `used` that making them took. */
  readonly used_for_parts?: number;
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

/** Joint network (docs/format.md §3.4): what crossed a border and what plants sent each other. */
export interface Flows {
  /** Per period and ordered pair of countries, parts and products apart: what crossed from one to the other. */
  readonly borders: readonly BorderFlow[];
  /** Per period: parts a plant made and delivered to another plant. */
  readonly between_plants: readonly PlantFlow[];
}

export interface BorderFlow {
  readonly period: string;
  /** Countries, as the scenario names them (`plants[].country`, `markets[].country`). */
  readonly from: string;
  readonly to: string;
  /** `parts`: deliveries from a plant in one country to a plant in another; `products`: sales from a plant to a market in another country. */
  readonly goods: "parts" | "products";
  readonly units: number;
  /** Parts: the source's unit cost × units; products: revenue. */
  readonly value: number;
  readonly freight: number;
  readonly duty: number;
}

export interface PlantFlow {
  readonly period: string;
  /** The plant that made the parts, and the plant they were delivered to. */
  readonly from: string;
  readonly to: string;
  readonly part: string;
  readonly source: string;
  readonly units: number;
  readonly value: number;
  readonly freight: number;
  readonly duty: number;
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
  /** Joint network (a scenario with its fields, docs/format.md §1.6): what crossed a border and what plants sent each other. */
  readonly flows?: Flows;
  /** A scenario with investments (docs/format.md §3.5): each investment's decision, built or not. */
  readonly investments?: readonly InvestmentRow[];
  /** A scenario with investments or a discount rate: the money of each period, undiscounted and at its present value. */
  readonly periods?: readonly PeriodMoney[];
  /** With `explain` on an optimal plan: shadow prices, ranges and reduced costs (see docs/explanations.md). */
  readonly sensitivity?: Sensitivity;
  /** On an infeasible plan (unless `explain: false`): the conflict, the relaxations that fix it, what each target can reach. */
  readonly diagnosis?: Diagnosis;
}

/** The money of one period (docs/format.md §3.5): what the objective adds up, before and after discounting. */
export interface PeriodMoney {
  readonly period: string;
  /** (1 + discount_rate)^−n for the period at position n. */
  readonly discount_factor: number;
  readonly revenue: number;
  /** Making, parts, holding, freight and duty. */
  readonly operating_costs: number;
  /** Investments' fixed costs paid in the period, and their operating costs of the period. */
  readonly investment_costs: number;
  /** revenue − operating_costs − investment_costs. */
  readonly net: number;
  /** net × discount_factor: the period's share of the objective. */
  readonly present_value: number;
}

/** The decisions of a plan; everything else in a Plan is derived from these and the scenario. */
export interface Quantities {
  readonly production: readonly ProductionRow[];
  readonly sales: readonly SalesRow[];
  readonly inventory: readonly InventoryRow[];
  readonly procurement: readonly ProcurementRow[];
  /** Investments' decisions; absent for a scenario without investments. */
  readonly investments?: readonly InvestmentRow[];
  /** Made and not sold (the two-stage plan's outcomes, docs/stochastic.md); absent from a plain plan. */
  readonly unsold?: readonly UnsoldRow[];
}

/** Units made and left unsold, worth nothing (docs/stochastic.md). */
export interface UnsoldRow {
  readonly period: string;
  readonly plant: string;
  readonly product: string;
  readonly units: number;
}
