import { formulate, type Formulation } from "../formulate/index.js";
import { shareLookup } from "../scenario/lookup.js";
import type { Column, LinearProgram, Row } from "../formulate/lp.js";
import { optionalValueIn } from "../scenario/periods.js";
import type { Objective, Scenario } from "../scenario/schema.js";
import { componentOf, moneyCoefficient, withComponent, type Money, type MoneyComponent } from "../formulate/freightAndDuty.js";
import type { WarmLp } from "../solvers/highsParametric.js";
import { defined } from "../util/invariant.js";
import { editScenario } from "../whatif/apply.js";
import { kindOf, locate } from "../whatif/parametric.js";
import type { Selection } from "../whatif/select.js";

/** A row's or a column's bounds, one or both of them scaled. */
interface BoundSlot {
  readonly on: "row" | "column";
  readonly index: number;
  readonly lower: number;
  readonly upper: number;
  /** The entries whose multipliers scale each side, in entry order (empty: the side stays). */
  readonly lowerBy: number[];
  readonly upperBy: number[];
}

/**
 * An objective coefficient whose money's components are scaled: each entry
 * scales one component (a price, a unit cost, a lane's cost or duty), and the
 * coefficient is priced from the scaled money as the formulation prices it.
 */
interface CostSlot {
  readonly column: number;
  readonly money: Money;
  readonly by: { readonly entry: number; readonly component: MoneyComponent }[];
}

/** A share target's row: coefficient of `columns[n]` = total[n]·(counted? 1 : 0 − share), the share scaled. */
interface ShareSlot {
  readonly row: number;
  readonly columns: readonly number[];
  readonly counted: readonly boolean[];
  readonly total: readonly number[];
  readonly share: number;
  readonly by: number[];
}

/**
 * One formulation of a scenario whose selected values are scaled by
 * multipliers, one per selection (an uncertain entry): formulated once, each
 * set of multipliers then moves only the numbers the selections are — row
 * and column bounds, objective coefficients (prices, unit costs), share
 * rows' coefficients — found through the rows' tags and the variables'
 * positions (`locate`, as sweeps find theirs). Scaling keeps a zero at zero
 * and an unset limit cannot be scaled, so no row or term appears or vanishes:
 * every draw is the same LP with other numbers. Share targets are formulated
 * at a share of one half, so that every term of their rows exists (a share of
 * 1 would leave a counted term at zero).
 *
 * Several selections of one value multiply, in entry order: each number is
 * computed as applying the entries as `scale` changes one after the other
 * computes it, so that the LP is that of the changed scenario to the last bit.
 */
export class ScaledLp {
  readonly formulation: Formulation;
  private readonly bounds: readonly BoundSlot[];
  private readonly costs: readonly CostSlot[];
  private readonly shares: readonly ShareSlot[];

  /** Some entry is an investment's cost (docs/format.md §2.8): each draw's LP is the changed scenario's, formulated again. */
  private readonly replanned: boolean;

  constructor(
    private readonly scenario: Scenario,
    private readonly selections: readonly Selection[],
    private readonly integer: boolean,
    /** Unsold units allowed (the two-stage plan's outcomes, formulate/unsold.ts). */
    private readonly unsold = false,
  ) {
    this.replanned = selections.some((selection) => kindOf(scenario, selection) === "decision");
    let placed = scenario;
    for (const selection of selections) {
      if (kindOf(scenario, selection) !== "share") continue;
      const edit = editScenario(placed, selection, { set: 0.5 });
      // A share set to one half edits a parsed scenario in its own terms: it cannot fail where the selection is valid.
      if (!edit.ok) throw new Error(`cannot place a share target: ${edit.issues.map((issue) => issue.message).join("; ")}`);
      placed = edit.scenario;
    }
    this.formulation = formulate(placed, { integer, unsold });
    const { lp } = this.formulation;

    const bounds = new Map<string, BoundSlot>();
    const costs = new Map<number, CostSlot>();
    const shares = new Map<number, ShareSlot>();
    selections.forEach((selection, e) => {
      const found = locate(this.formulation, selection, kindOf(scenario, selection));
      for (const { on, index, side } of found.sides) {
        const key = `${on}:${index}`;
        let slot = bounds.get(key);
        if (slot === undefined) {
          const { lower, upper } = defined(on === "row" ? lp.rows[index] : lp.columns[index], "a located row or column");
          slot = { on, index, lower, upper, lowerBy: [], upperBy: [] };
          bounds.set(key, slot);
        }
        (side === "lower" ? slot.lowerBy : slot.upperBy).push(e);
      }
      for (const { column, money, component } of found.costs) {
        let slot = costs.get(column);
        if (slot === undefined) {
          slot = { column, money, by: [] };
          costs.set(column, slot);
        }
        slot.by.push({ entry: e, component });
      }
      for (const share of found.shares) {
        let slot = shares.get(share.row);
        if (slot === undefined) {
          slot = { ...share, counted: share.counted.map((counted) => counted !== 0), share: baseShare(scenario, lp.rows[share.row]), by: [] };
          shares.set(share.row, slot);
        }
        slot.by.push(e);
      }
    });
    this.bounds = [...bounds.values()];
    this.costs = [...costs.values()];
    this.shares = [...shares.values()];
  }

  /** The LP with every selected number scaled by its entries' multipliers: a copy of the one formulated. */
  lpAt(multipliers: readonly number[]): LinearProgram {
    if (this.replanned) return this.changedLp(multipliers);
    const { lp } = this.formulation;
    const columns: Column[] = [...lp.columns];
    const rows: Row[] = [...lp.rows];
    for (const slot of this.bounds) {
      const lower = scaled(slot.lower, slot.lowerBy, multipliers);
      const upper = scaled(slot.upper, slot.upperBy, multipliers);
      if (slot.on === "row") rows[slot.index] = { ...defined(rows[slot.index], "a located row"), lower, upper };
      else columns[slot.index] = { ...defined(columns[slot.index], "a located column"), lower, upper };
    }
    const { objective } = this.formulation.scenario;
    for (const slot of this.costs) {
      columns[slot.column] = { ...defined(columns[slot.column], "a located column"), cost: scaledCost(objective, slot, multipliers) };
    }
    for (const slot of this.shares) {
      const row = defined(rows[slot.row], "a share row");
      const coefficients = new Map(shareCoefficients(slot, multipliers));
      rows[slot.row] = { ...row, values: row.columns.map((column, n) => coefficients.get(column) ?? row.values[n] ?? 0) };
    }
    return { sense: lp.sense, columns, rows };
  }

  /**
   * The LP of the scenario with every entry applied as a `scale` change, in
   * entry order: a model with investments is solved from scratch per draw, so
   * it is formulated from scratch too (the same columns and rows).
   */
  private changedLp(multipliers: readonly number[]): LinearProgram {
    let changed = this.scenario;
    this.selections.forEach((selection, e) => {
      const edit = editScenario(changed, selection, { scale: multipliers[e] ?? 1 });
      if (!edit.ok) throw new Error(`cannot scale an uncertain value: ${edit.issues.map((issue) => issue.message).join("; ")}`);
      changed = edit.scenario;
    });
    shareLookup(changed, this.scenario);
    return formulate(changed, { integer: this.integer, unsold: this.unsold }).lp;
  }

  /** Moves the selected numbers of a warm HiGHS model of the formulated LP to their values at `multipliers`. */
  moveWarm(model: WarmLp, multipliers: readonly number[]): void {
    for (const slot of this.bounds) {
      const lower = scaled(slot.lower, slot.lowerBy, multipliers);
      const upper = scaled(slot.upper, slot.upperBy, multipliers);
      if (slot.on === "row") model.setRowBounds(slot.index, lower, upper);
      else model.setColumnBounds(slot.index, lower, upper);
    }
    const { objective } = this.formulation.scenario;
    for (const slot of this.costs) model.setColumnCost(slot.column, scaledCost(objective, slot, multipliers));
    for (const slot of this.shares) {
      for (const [column, coefficient] of shareCoefficients(slot, multipliers)) model.setCoefficient(slot.row, column, coefficient);
    }
  }
}

/** `value` times the multipliers of `by`, one after the other (the order a list of scale changes applies them in). */
function scaled(value: number, by: readonly number[], multipliers: readonly number[]): number {
  let result = value;
  for (const e of by) result *= multipliers[e] ?? 1;
  return result;
}

/** A cost slot's coefficient: its money with each entry's component scaled in entry order, priced as the formulation prices it. */
function scaledCost(objective: Objective, slot: CostSlot, multipliers: readonly number[]): number {
  let money = slot.money;
  for (const { entry, component } of slot.by) money = withComponent(money, component, componentOf(money, component) * (multipliers[entry] ?? 1));
  return moneyCoefficient(objective, money);
}

/** A share row's coefficients, computed as the formulation computes them: total·((counted ? 1 : 0) − share). */
function shareCoefficients(slot: ShareSlot, multipliers: readonly number[]): [number, number][] {
  const share = scaled(slot.share, slot.by, multipliers);
  return slot.columns.map((column, n) => [column, (slot.total[n] ?? 0) * ((slot.counted[n] === true ? 1 : 0) - share)]);
}

/** The scenario's own share in a share row's period (the formulation holds one half there). */
function baseShare(scenario: Scenario, row: Row | undefined): number {
  const tag = row?.tag;
  if (tag === undefined || (tag.family !== "export_share_target" && tag.family !== "local_parts_share_target"))
    throw new Error("a located share row is not one");
  const target = defined(
    scenario.targets.find((candidate) => candidate.id === tag.target),
    "the target of a share row",
  );
  return defined(optionalValueIn(target[tag.bound], tag.period), "the share of a share row");
}
