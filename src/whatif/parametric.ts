import { boundModel } from "../explain/bounds.js";
import { formulate, type Formulation } from "../formulate/index.js";
import type { Column, LinearProgram, Row } from "../formulate/lp.js";
import { NONE } from "../formulate/variables.js";
import { scenarioLookup, shareLookup } from "../scenario/lookup.js";
import type { Objective, Scenario } from "../scenario/schema.js";
import { makingMoneyOf, moneyCoefficient, purchaseMoneyOf, saleMoneyOf, withComponent, type Money, type MoneyComponent } from "../formulate/freightAndDuty.js";
import type { ParameterSide, WarmLp } from "../solvers/highsParametric.js";
import type { SolveResult } from "../solvers/types.js";
import { editScenario } from "./apply.js";
import type { Selection } from "./select.js";

/**
 * How a parameter enters the LP:
 * - `bound`: it is the value of some row or column bounds (targets in units,
 *   capacities, demand and route bounds, source capacities);
 * - `cost`: it scales some objective coefficients (prices, unit costs);
 * - `share`: it is the share of a share target's rows, whose coefficients are
 *   counted − share·total;
 * - `decision`: an investment's cost or its decision (docs/format.md §2.8):
 *   the model is a mixed-integer one, solved from scratch at every value, so
 *   its LP at a value is the changed scenario's, formulated again (the same
 *   columns and rows: a decision bounds its build columns, costs price them).
 */
export type ParameterKind = "bound" | "cost" | "share" | "decision";

/**
 * An objective coefficient the parameter enters: the column's money (a sale's
 * price and shipping lane, a purchase's unit cost and delivery lane, a
 * route's unit cost) with `component` set to the parameter's value, priced by
 * formulate/freightAndDuty.ts as the formulation prices it. `factor` is the
 * coefficient's change per unit of the value (each coefficient is linear in
 * each of its components).
 */
export interface CostTerm {
  readonly column: number;
  readonly money: Money;
  readonly component: MoneyComponent;
  readonly factor: number;
}

/** The coefficient of a cost term's column with its component at `value`. */
export function costAt(objective: Objective, term: Pick<CostTerm, "money" | "component">, value: number): number {
  return moneyCoefficient(objective, withComponent(term.money, term.component, value));
}

/** A share target's row: coefficient of `columns[n]` = counted[n] − share·total[n]. */
export interface ShareRow {
  readonly row: number;
  readonly columns: readonly number[];
  readonly counted: readonly number[];
  readonly total: readonly number[];
}

/** Placeholder values for the one formulation: nonzero, so that no row or term the value creates is left out. */
const PLACEHOLDER = { bound: 1, cost: 1, share: 0.5 } as const;

/**
 * One formulation of a scenario whose parameter (a selection) moves: the LP
 * is formulated once, with the parameter at a placeholder value chosen so that
 * every row and term the parameter can need exists, and each value then moves
 * only the numbers the parameter is — bounds, costs or coefficients, found
 * through the rows' tags and the variables' positions. Nothing here validates
 * or formulates again.
 */
export class ParametricLp {
  readonly kind: ParameterKind;
  readonly formulation: Formulation;
  readonly sides: readonly ParameterSide[];
  private readonly costs: readonly CostTerm[];
  private readonly shares: readonly ShareRow[];

  constructor(
    private readonly scenario: Scenario,
    private readonly selection: Selection,
    private readonly integer: boolean,
  ) {
    this.kind = kindOf(scenario, selection);
    if (this.kind === "decision") {
      this.formulation = formulate(scenario, { integer });
      this.sides = [];
      this.costs = [];
      this.shares = [];
      return;
    }
    const placed = editScenario(scenario, selection, { set: PLACEHOLDER[this.kind] });
    // The placeholder edits a parsed scenario in its own terms: it cannot fail where the selection is valid.
    if (!placed.ok) throw new Error(`cannot place the parameter: ${placed.issues.map((issue) => issue.message).join("; ")}`);
    this.formulation = formulate(placed.scenario, { integer });
    const found = locate(this.formulation, selection, this.kind);
    this.sides = found.sides;
    this.costs = found.costs;
    this.shares = found.shares;
  }

  /** Whether the parameter moves anything at all (a price under `min_cost` does not). */
  get movesTheLp(): boolean {
    return this.kind === "decision" || this.sides.length + this.costs.length + this.shares.length > 0;
  }

  /** The LP at `value`: a copy of the one formulated, with the parameter's numbers moved. */
  lpAt(value: number): LinearProgram {
    if (this.kind === "decision") {
      const edit = editScenario(this.scenario, this.selection, { set: value });
      if (!edit.ok) throw new Error(`cannot set the parameter to ${value}: ${edit.issues.map((issue) => issue.message).join("; ")}`);
      shareLookup(edit.scenario, this.scenario);
      return formulate(edit.scenario, { integer: this.integer }).lp;
    }
    const { lp } = this.formulation;
    const columns: Column[] = [...lp.columns];
    const rows: Row[] = [...lp.rows];
    for (const { on, index, side } of this.sides) {
      if (on === "row") {
        const row = rows[index];
        if (row !== undefined) rows[index] = side === "lower" ? { ...row, lower: value } : { ...row, upper: value };
      } else {
        const column = columns[index];
        if (column !== undefined) columns[index] = side === "lower" ? { ...column, lower: value } : { ...column, upper: value };
      }
    }
    const { objective } = this.formulation.scenario;
    for (const term of this.costs) {
      const current = columns[term.column];
      if (current !== undefined) columns[term.column] = { ...current, cost: costAt(objective, term, value) };
    }
    for (const share of this.shares) {
      const row = rows[share.row];
      if (row === undefined) continue;
      const coefficient = shareCoefficients(share, value);
      rows[share.row] = { ...row, values: row.columns.map((column, n) => coefficient.get(column) ?? row.values[n] ?? 0) };
    }
    return { sense: lp.sense, columns, rows };
  }

  /** Moves the parameter's numbers in a warm HiGHS model of the formulated LP to `value`. */
  moveWarm(model: WarmLp, value: number): void {
    const { lp } = this.formulation;
    for (const { on, index, side } of this.sides) {
      const current = on === "row" ? lp.rows[index] : lp.columns[index];
      if (current === undefined) continue;
      const lower = side === "lower" ? value : current.lower;
      const upper = side === "upper" ? value : current.upper;
      if (on === "row") model.setRowBounds(index, lower, upper);
      else model.setColumnBounds(index, lower, upper);
    }
    const { objective } = this.formulation.scenario;
    for (const term of this.costs) model.setColumnCost(term.column, costAt(objective, term, value));
    for (const share of this.shares) {
      for (const [column, coefficient] of shareCoefficients(share, value)) model.setCoefficient(share.row, column, coefficient);
    }
  }

  /**
   * d objective / d value at an optimum (`values`, with `duals` when the solve
   * gave them): for bounds, the sum of the moved sides' duals (each side's
   * bound moves one for one with the value); for costs, the envelope theorem
   * — the sum of factor × value of the columns priced; for shares, each row's
   * dual times the row's total, Σ total·x (raising the share by δ raises the
   * row's bound by δ·Σ total·x at first order). Null where the duals are
   * needed and missing (integer models, backends without duals).
   */
  slope(result: Pick<SolveResult, "values" | "duals">): number | null {
    const { values, duals } = result;
    if (values === null) return null;
    const sense = this.formulation.lp.sense;
    switch (this.kind) {
      case "decision":
        return null;
      case "cost":
        return this.costs.reduce((sum, { column, factor }) => sum + factor * (values[column] ?? 0), 0);
      case "bound":
        if (duals === undefined) return null;
        return this.sides.reduce((sum, { on, index, side }) => sum + dualOfSide((on === "row" ? duals.rows : duals.columns)[index] ?? 0, side, sense), 0);
      case "share":
        if (duals === undefined) return null;
        return this.shares.reduce((sum, share) => {
          const volume = share.columns.reduce((total, column, n) => total + (share.total[n] ?? 0) * (values[column] ?? 0), 0);
          return sum + (duals.rows[share.row] ?? 0) * volume;
        }, 0);
    }
  }
}

/**
 * The part of a dual that belongs to one side of a range: a row (column) dual
 * is the change of the objective per unit increase of whichever bound is
 * active, and its sign tells which — raising an active upper bound helps a
 * maximization, raising an active lower bound hurts it.
 */
export function dualOfSide(dual: number, side: "lower" | "upper", sense: "max" | "min"): number {
  const upperActive = sense === "max" ? dual > 0 : dual < 0;
  return (side === "upper") === upperActive ? dual : 0;
}

export function kindOf(scenario: Scenario, selection: Selection): ParameterKind {
  if (selection.on === "investment") return "decision";
  if (selection.field === "unit_cost" || selection.field === "price" || selection.field === "cost" || selection.field === "duty") return "cost";
  if (selection.on === "target" && scenario.targets[selection.target]?.kind !== "units") return "share";
  return "bound";
}

function shareCoefficients(share: ShareRow, value: number): Map<number, number> {
  return new Map(share.columns.map((column, n) => [column, (share.counted[n] ?? 0) - value * (share.total[n] ?? 0)]));
}

/** Where a selection's values sit in a formulated LP. */
export interface Located {
  sides: ParameterSide[];
  costs: CostTerm[];
  shares: ShareRow[];
}

/**
 * The numbers of `formulation`'s LP that a selection's values are: the row
 * and column bounds equal to them, the objective coefficients proportional to
 * them, the share rows whose coefficients they enter. For a share target the
 * formulation must hold every term of its rows (a share strictly between 0
 * and 1 leaves none at zero).
 */
export function locate(formulation: Formulation, selection: Selection, kind: ParameterKind): Located {
  const { scenario, lp, variables } = formulation;
  const found: Located = { sides: [], costs: [], shares: [] };
  const periods = new Set(selection.periods);
  const periodIndices = scenario.periods.flatMap((period, t) => (periods.has(period) ? [t] : []));
  const lookup = scenarioLookup(scenario);
  // A column whose coefficient does not move with the component (a price under min_cost without duty) is left out.
  const priceTerm = (column: number, money: Money, component: MoneyComponent) => {
    if (column === NONE) return;
    const factor = costAt(scenario.objective, { money, component }, 1) - costAt(scenario.objective, { money, component }, 0);
    if (factor !== 0) found.costs.push({ column, money, component, factor });
  };
  const boundSide = (field: string): "lower" | "upper" => (field === "min" ? "lower" : "upper");

  switch (selection.on) {
    case "target": {
      const target = scenario.targets[selection.target];
      if (target === undefined) break;
      if (target.kind !== "units") {
        for (const bound of boundModel(formulation).bounds) {
          const { ref, share } = bound;
          if (ref.kind !== "target" || ref.id !== target.id || ref.bound !== selection.field || !periods.has(ref.period) || share === undefined) continue;
          const side = boundModel(formulation).sides[bound.sides[0] ?? -1];
          if (side !== undefined) found.shares.push({ row: side.index, columns: share.columns, counted: share.counted, total: share.total });
        }
        break;
      }
      lp.rows.forEach(({ tag }, index) => {
        if (tag.family === "units_target" && tag.target === target.id && periods.has(tag.period))
          found.sides.push({ on: "row", index, side: boundSide(selection.field) });
      });
      break;
    }
    case "capacity": {
      const plant = scenario.plants[selection.plant];
      lp.rows.forEach(({ tag }, index) => {
        if (tag.family === "capacity" && tag.plant === plant?.id && tag.resource === selection.resource && periods.has(tag.period)) {
          found.sides.push({ on: "row", index, side: "upper" });
        }
      });
      break;
    }
    case "demand": {
      if (kind === "cost") {
        for (const d of selection.demand) {
          for (const c of lookup.channelsByDemand[d] ?? []) {
            for (const t of periodIndices) priceTerm(variables.sell[c]?.[t] ?? NONE, saleMoneyOf(scenario, lookup, c, t), "price");
          }
        }
        break;
      }
      const pairs = new Set(selection.demand.map((d) => key(scenario.demand[d]?.market ?? "", scenario.demand[d]?.product ?? "")));
      lp.rows.forEach(({ tag }, index) => {
        if (tag.family === "demand" && pairs.has(key(tag.market, tag.product)) && periods.has(tag.period)) {
          found.sides.push({ on: "row", index, side: boundSide(selection.field) });
        }
      });
      break;
    }
    case "source": {
      if (selection.field === "capacity" && lookup.perPlantParts) {
        // Per plant, a source's capacity is a row over its deliveries (formulate/sourceCapacity.ts).
        const sources = new Set(
          selection.sources.map(({ part, source }) => key(scenario.parts[part]?.id ?? "", scenario.parts[part]?.sources[source]?.id ?? "")),
        );
        lp.rows.forEach(({ tag }, index) => {
          if (tag.family === "source_capacity" && sources.has(key(tag.part, tag.source)) && periods.has(tag.period))
            found.sides.push({ on: "row", index, side: "upper" });
        });
        break;
      }
      for (const { part, source } of selection.sources) {
        (lookup.deliveries[part]?.[source] ?? []).forEach(({ plant }, d) => {
          for (const t of periodIndices) {
            const column = variables.buy[part]?.[source]?.[d]?.[t] ?? NONE;
            if (column === NONE) continue;
            if (selection.field === "capacity") found.sides.push({ on: "column", index: column, side: "upper" });
            else priceTerm(column, purchaseMoneyOf(scenario, part, source, plant, t), "unit_cost");
          }
        });
      }
      break;
    }
    case "route":
      for (const r of selection.routes) {
        for (const t of periodIndices) {
          const column = variables.make[r]?.[t] ?? NONE;
          if (column === NONE) continue;
          if (selection.field === "unit_cost") {
            if (scenario.objective !== "max_units") priceTerm(column, makingMoneyOf(scenario, r, t), "unit_cost");
          } else {
            found.sides.push({ on: "column", index: column, side: boundSide(selection.field) });
          }
        }
      }
      break;
    case "delivery": {
      if (selection.field === "capacity") {
        const lanes = new Set(
          selection.lanes.map(({ part, source, plant }) => key(scenario.parts[part]?.id ?? "", scenario.parts[part]?.sources[source]?.id ?? "", plant)),
        );
        lp.rows.forEach(({ tag }, index) => {
          if (tag.family === "lane_capacity" && lanes.has(key(tag.part, tag.source, tag.plant)) && periods.has(tag.period))
            found.sides.push({ on: "row", index, side: "upper" });
        });
        break;
      }
      const component = selection.field === "cost" ? "lane_cost" : "lane_duty";
      for (const { part, source, plant } of selection.lanes) {
        const d = (lookup.deliveries[part]?.[source] ?? []).findIndex((delivery) => delivery.plant === plant);
        for (const t of periodIndices) priceTerm(variables.buy[part]?.[source]?.[d]?.[t] ?? NONE, purchaseMoneyOf(scenario, part, source, plant, t), component);
      }
      break;
    }
    case "shipping": {
      if (selection.field === "capacity") {
        const lanes = new Set(
          selection.lanes.map(({ route, market }) => key(scenario.routes[route]?.plant ?? "", scenario.routes[route]?.product ?? "", market)),
        );
        lp.rows.forEach(({ tag }, index) => {
          if (tag.family === "shipping_capacity" && lanes.has(key(tag.plant, tag.product, tag.market)) && periods.has(tag.period)) {
            found.sides.push({ on: "row", index, side: "upper" });
          }
        });
        break;
      }
      const component = selection.field === "cost" ? "lane_cost" : "lane_duty";
      for (const { route, market } of selection.lanes) {
        const c = (lookup.channelsByRoute[route] ?? []).find((channel) => lookup.channels[channel]?.market.id === market);
        if (c === undefined) continue;
        for (const t of periodIndices) priceTerm(variables.sell[c]?.[t] ?? NONE, saleMoneyOf(scenario, lookup, c, t), component);
      }
      break;
    }
  }
  return found;
}

function key(...parts: string[]): string {
  return JSON.stringify(parts);
}
