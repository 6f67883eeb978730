import type { ScenarioLookup } from "../../scenario/lookup.js";
import { valueIn } from "../../scenario/periods.js";
import type { Scenario } from "../../scenario/schema.js";
import type { Quantities } from "../types.js";
import { fmt, q, type ConstraintChecker } from "./checker.js";

/** A reported quantity row, with its kind, for descriptions. */
export type QuantityRow =
  | { readonly kind: "production"; readonly row: Quantities["production"][number] }
  | { readonly kind: "inventory"; readonly row: Quantities["inventory"][number] }
  | { readonly kind: "sales"; readonly row: Quantities["sales"][number] }
  | { readonly kind: "procurement"; readonly row: Quantities["procurement"][number] };

/** Built only when a row is reported, so that checking a valid plan formats nothing. */
export function describeRow(entry: QuantityRow): string {
  switch (entry.kind) {
    case "production":
      return `production of ${q(entry.row.product)} at ${q(entry.row.plant)} in ${q(entry.row.period)}`;
    case "inventory":
      return `stock of ${q(entry.row.product)} at ${q(entry.row.plant)} after ${q(entry.row.period)}`;
    case "sales":
      return `sales of ${q(entry.row.product)} from ${q(entry.row.plant)} to ${q(entry.row.market)} in ${q(entry.row.period)}`;
    case "procurement":
      return `purchase of ${q(entry.row.part)} from ${q(entry.row.source)} in ${q(entry.row.period)}`;
  }
}

/**
 * The plan's quantities placed by scenario position — made and stock per
 * route and period, sold per sales channel and period, bought per part source
 * and period — the way the formulation's variables are (formulate/variables.ts).
 * Placing them checks each row on its own: a quantity is finite and not
 * negative (whole in integer mode), revenue is price × units, cost is unit
 * cost × units, `local` is the source's. Rows no variable accounts for (no
 * such route, channel, source or period) are kept aside as `unclaimed`.
 */
export class QuantityTable {
  /** Per route and period (`route · T + t`). */
  readonly made: Float64Array;
  readonly stock: Float64Array;
  /** Per sales channel and period. */
  readonly sold: Float64Array;
  /** Per part source (`sourceOffset[part] + source`) and period. */
  readonly bought: Float64Array;
  readonly sourceOffset: readonly number[];
  readonly unclaimed: QuantityRow[] = [];
  private readonly periods: number;

  constructor(
    private readonly scenario: Scenario,
    private readonly lookup: ScenarioLookup,
    quantities: Quantities,
    private readonly check: ConstraintChecker,
    private readonly integer: boolean,
  ) {
    const periods = scenario.periods.length;
    this.periods = periods;
    this.made = new Float64Array(scenario.routes.length * periods);
    this.stock = new Float64Array(scenario.routes.length * periods);
    this.sold = new Float64Array(lookup.channels.length * periods);
    const sourceOffset: number[] = [];
    let sources = 0;
    for (const part of scenario.parts) {
      sourceOffset.push(sources);
      sources += part.sources.length;
    }
    this.sourceOffset = sourceOffset;
    this.bought = new Float64Array(sources * periods);

    for (const row of quantities.production) {
      this.claim({ kind: "production", row }, this.routeSlot(row.plant, row.product, row.period), this.made);
    }
    for (const row of quantities.inventory) {
      const slot = this.routeSlot(row.plant, row.product, row.period);
      const held = slot !== undefined && scenario.routes[Math.floor(slot / periods)]?.inventory !== undefined;
      this.claim({ kind: "inventory", row }, held ? slot : undefined, this.stock);
    }
    for (const row of quantities.sales) this.claimSale(row);
    for (const row of quantities.procurement) this.claimPurchase(row);
  }

  /** Units bought from source `s` of part `k` in period `t`. */
  boughtFrom(k: number, s: number, t: number): number {
    return this.bought[((this.sourceOffset[k] ?? 0) + s) * this.periods + t] ?? 0;
  }

  private routeSlot(plant: string, product: string, period: string): number | undefined {
    const r = this.lookup.routeIndex.get(plant)?.get(product);
    const t = this.lookup.periodIndex.get(period);
    return r === undefined || t === undefined ? undefined : r * this.periods + t;
  }

  /** Checks a quantity (≥ 0, finite, whole in integer mode) and adds it to its slot. */
  private claim(entry: QuantityRow, slot: number | undefined, table: Float64Array): void {
    const { check } = this;
    const units = entry.row.units;
    check.checked++;
    if (check.record(Number.isFinite(units) ? Math.max(0, -units) / Math.max(1, Math.abs(units)) : Infinity)) {
      check.describe(`${describeRow(entry)}: ${fmt(units)} units is negative or not a number`);
    }
    if (this.integer && Number.isFinite(units)) {
      check.checked++;
      if (check.record(Math.abs(units - Math.round(units)))) check.describe(`${describeRow(entry)}: ${fmt(units)} is not a whole number`);
    }
    if (slot === undefined) this.unclaimed.push(entry);
    else table[slot] = (table[slot] ?? 0) + units;
  }

  private claimSale(row: Quantities["sales"][number]): void {
    const { lookup, check } = this;
    const r = lookup.routeIndex.get(row.plant)?.get(row.product);
    const t = lookup.periodIndex.get(row.period);
    const channel = r === undefined ? undefined : lookup.channelsByRoute[r]?.find((c) => lookup.channels[c]?.market.id === row.market);
    const demand = channel === undefined ? undefined : this.scenario.demand[lookup.channels[channel]?.demand ?? -1];
    const claimed = channel !== undefined && t !== undefined && demand !== undefined;
    this.claim({ kind: "sales", row }, claimed ? channel * this.periods + t : undefined, this.sold);
    if (!claimed) return;
    const expected = valueIn(demand.price, row.period) * row.units;
    if (check.range(row.revenue, Math.abs(expected), expected, expected)) {
      check.describe(`${describeRow({ kind: "sales", row })}: revenue ${fmt(row.revenue)} is not price × units (${fmt(expected)})`);
    }
  }

  private claimPurchase(row: Quantities["procurement"][number]): void {
    const { lookup, check } = this;
    const k = lookup.partIndex.get(row.part);
    const s = k === undefined ? undefined : lookup.sourceIndex[k]?.get(row.source);
    const t = lookup.periodIndex.get(row.period);
    const source = k === undefined || s === undefined ? undefined : this.scenario.parts[k]?.sources[s];
    const claimed = k !== undefined && s !== undefined && t !== undefined && source !== undefined;
    const slot = claimed ? ((this.sourceOffset[k] ?? 0) + s) * this.periods + t : undefined;
    this.claim({ kind: "procurement", row }, slot, this.bought);
    if (!claimed) return;
    const expected = source.unit_cost * row.units;
    if (check.range(row.cost, Math.abs(expected), expected, expected)) {
      check.describe(`${describeRow({ kind: "procurement", row })}: cost ${fmt(row.cost)} is not unit cost × units (${fmt(expected)})`);
    }
    if (row.local !== source.local) {
      check.record(Infinity);
      check.describe(`${describeRow({ kind: "procurement", row })}: reported local = ${row.local}, but the source is ${source.local ? "local" : "imported"}`);
    }
  }
}
