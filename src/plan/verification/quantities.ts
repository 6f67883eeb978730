import type { ScenarioLookup } from "../../scenario/lookup.js";
import { hasPartsNetwork } from "../../scenario/network.js";
import { valueIn } from "../../scenario/periods.js";
import { own } from "../../scenario/records.js";
import type { Scenario } from "../../scenario/schema.js";
import type { Quantities } from "../types.js";
import { fmt, q, type ConstraintChecker } from "./checker.js";

/** A reported quantity row, with its kind, for descriptions. */
export type QuantityRow =
  | { readonly kind: "production"; readonly row: Quantities["production"][number] }
  | { readonly kind: "inventory"; readonly row: Quantities["inventory"][number] }
  | { readonly kind: "sales"; readonly row: Quantities["sales"][number] }
  | { readonly kind: "procurement"; readonly row: Quantities["procurement"][number] }
  | { readonly kind: "unsold"; readonly row: NonNullable<Quantities["unsold"]>[number] };

/** Built only when a row is reported, so that checking a valid plan formats nothing. */
export function describeRow(entry: QuantityRow): string {
  switch (entry.kind) {
    case "production":
      return `production of ${q(entry.row.product)} at ${q(entry.row.plant)} in ${q(entry.row.period)}`;
    case "inventory":
      return `stock of ${q(entry.row.product)} at ${q(entry.row.plant)} after ${q(entry.row.period)}`;
    case "sales":
      return `sales of ${q(entry.row.product)} from ${q(entry.row.plant)} to ${q(entry.row.market)} in ${q(entry.row.period)}`;
    case "unsold":
      return `unsold ${q(entry.row.product)} at ${q(entry.row.plant)} in ${q(entry.row.period)}`;
    case "procurement":
      return `purchase of ${q(entry.row.part)} from ${q(entry.row.source)}${entry.row.plant === undefined ? "" : ` for ${q(entry.row.plant)}`} in ${q(entry.row.period)}`;
  }
}

/**
 * The plan's quantities placed by scenario position — made and stock per
 * route and period, sold per sales channel and period, bought per part
 * source, plant delivered to (one pool when parts are pooled) and period —
 * the way the formulation's variables are (formulate/variables.ts). Placing
 * them checks each row on its own: a quantity is finite and not negative
 * (whole in integer mode), revenue is price × units, cost is unit cost ×
 * units, `local` is the source's, freight and duty are the lane's, a sale
 * goes to a market its route ships to and a delivery to a plant its source
 * delivers to. Rows no variable accounts for (no such route, channel, source,
 * plant or period) are kept aside as `unclaimed`.
 */
export class QuantityTable {
  /** Per route and period (`route · T + t`). */
  readonly made: Float64Array;
  readonly stock: Float64Array;
  /** Made and left unsold, per route and period: only where the model allows it (the two-stage plan's outcomes). */
  readonly unsold: Float64Array;
  /** Per sales channel and period. */
  readonly sold: Float64Array;
  /** Per part source (`sourceOffset[part] + source`), plant delivered to (by plant position; one pool when parts are pooled) and period. */
  readonly bought: Float64Array;
  readonly sourceOffset: readonly number[];
  /** Per part source and period: what it delivered to every plant together (`bought` summed over plants, in plant order). */
  private readonly boughtTotal: Float64Array;
  /** Whether purchases are per plant (docs/format.md §2.7): then each names the plant delivered to. */
  readonly perPlant: boolean;
  readonly unclaimed: QuantityRow[] = [];
  private readonly periods: number;
  /** Plant positions purchases are kept by: every plant per plant, one pool otherwise. */
  private readonly places: number;
  private readonly plantIndex: ReadonlyMap<string, number>;

  constructor(
    private readonly scenario: Scenario,
    private readonly lookup: ScenarioLookup,
    quantities: Quantities,
    private readonly check: ConstraintChecker,
    private readonly integer: boolean,
    allowUnsold = false,
  ) {
    const periods = scenario.periods.length;
    this.periods = periods;
    this.made = new Float64Array(scenario.routes.length * periods);
    this.stock = new Float64Array(scenario.routes.length * periods);
    this.unsold = new Float64Array(scenario.routes.length * periods);
    this.sold = new Float64Array(lookup.channels.length * periods);
    const sourceOffset: number[] = [];
    let sources = 0;
    for (const part of scenario.parts) {
      sourceOffset.push(sources);
      sources += part.sources.length;
    }
    this.sourceOffset = sourceOffset;
    this.perPlant = hasPartsNetwork(scenario);
    this.places = this.perPlant ? scenario.plants.length : 1;
    this.plantIndex = new Map(scenario.plants.map((plant, p) => [plant.id, p]));
    this.bought = new Float64Array(sources * this.places * periods);

    for (const row of quantities.production) {
      this.claim({ kind: "production", row }, this.routeSlot(row.plant, row.product, row.period), this.made);
    }
    for (const row of quantities.inventory) {
      const slot = this.routeSlot(row.plant, row.product, row.period);
      const held = slot !== undefined && scenario.routes[Math.floor(slot / periods)]?.inventory !== undefined;
      this.claim({ kind: "inventory", row }, held ? slot : undefined, this.stock);
    }
    // Unsold units outside a model that allows them are accounted for by no variable: unclaimed, and so a violation.
    for (const row of quantities.unsold ?? []) {
      this.claim({ kind: "unsold", row }, allowUnsold ? this.routeSlot(row.plant, row.product, row.period) : undefined, this.unsold);
    }
    for (const row of quantities.sales) this.claimSale(row);
    for (const row of quantities.procurement) this.claimPurchase(row);

    this.boughtTotal = new Float64Array(sources * periods);
    for (let source = 0; source < sources; source++) {
      for (let p = 0; p < this.places; p++) {
        for (let t = 0; t < periods; t++) {
          const slot = source * periods + t;
          this.boughtTotal[slot] = (this.boughtTotal[slot] ?? 0) + (this.bought[(source * this.places + p) * periods + t] ?? 0);
        }
      }
    }
    this.builtIn = new Int32Array(scenario.investments.length).fill(-1);
    this.investmentRows = quantities.investments ?? [];
  }

  /**
   * Per investment: the position of the period it is built in, or −1 — read
   * from the plan's investment rows by builds.ts, which checks them.
   */
  readonly builtIn: Int32Array;
  readonly investmentRows: readonly NonNullable<Quantities["investments"]>[number][];

  /** Whether investment `i` is built in period `t` or before (built[i,t] of docs/format.md §2.8). */
  built(i: number, t: number): boolean {
    const at = this.builtIn[i] ?? -1;
    return at !== -1 && at <= t;
  }

  /** Units bought from source `s` of part `k` in period `t`, delivered to any plant. */
  boughtFrom(k: number, s: number, t: number): number {
    return this.boughtTotal[((this.sourceOffset[k] ?? 0) + s) * this.periods + t] ?? 0;
  }

  /** Units of source `s` of part `k` delivered to the plant at position `p` in period `t` (per plant only; pooled, `p` is 0, the pool). */
  deliveredBy(k: number, s: number, p: number, t: number): number {
    return this.bought[(((this.sourceOffset[k] ?? 0) + s) * this.places + p) * this.periods + t] ?? 0;
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
    const route = r === undefined ? undefined : this.scenario.routes[r];
    // A route with shipping lanes sells only in their markets (docs/format.md §1.6), whatever the lookup's channels say.
    const shipped = route?.ships_to === undefined || own(route.ships_to, row.market) !== undefined;
    const claimed = channel !== undefined && t !== undefined && demand !== undefined && shipped;
    this.claim({ kind: "sales", row }, claimed ? channel * this.periods + t : undefined, this.sold);
    if (!claimed) return;
    const entry: QuantityRow = { kind: "sales", row };
    const expected = valueIn(demand.price, row.period) * row.units;
    if (check.range(row.revenue, Math.abs(expected), expected, expected)) {
      check.describe(`${describeRow(entry)}: revenue ${fmt(row.revenue)} is not price × units (${fmt(expected)})`);
    }
    const lane = own(route?.ships_to, row.market);
    this.laneMoney(entry, "shipping", row.shipping, lane === undefined ? undefined : lane.cost * row.units);
    this.laneMoney(entry, "duty", row.duty, lane === undefined ? undefined : lane.duty * expected);
  }

  /**
   * A lane's money on a row: freight or duty as the lane makes it (`expected`),
   * absent where there is no lane (`expected` undefined). Reported in words
   * when it differs.
   */
  private laneMoney(entry: QuantityRow, field: string, reported: number | undefined, expected: number | undefined): void {
    // Nothing to check on a row without a lane that reports none: a plan of a file without the network's fields counts what it always did.
    if (expected === undefined && reported === undefined) return;
    const { check } = this;
    check.checked++;
    const violation = expected === undefined || reported === undefined ? Infinity : Math.abs(reported - expected) / Math.max(1, Math.abs(expected));
    if (check.record(violation)) {
      check.describe(
        expected === undefined
          ? `${describeRow(entry)}: reports ${field} ${fmt(reported ?? 0)} but has no lane`
          : `${describeRow(entry)}: ${field} ${reported === undefined ? "missing" : fmt(reported)}, the lane makes it ${fmt(expected)}`,
      );
    }
  }

  private claimPurchase(row: Quantities["procurement"][number]): void {
    const { lookup, check } = this;
    const k = lookup.partIndex.get(row.part);
    const s = k === undefined ? undefined : lookup.sourceIndex[k]?.get(row.source);
    const t = lookup.periodIndex.get(row.period);
    const source = k === undefined || s === undefined ? undefined : this.scenario.parts[k]?.sources[s];
    // Per plant, a purchase names a plant the source delivers to (every plant without `delivers_to`); pooled, none.
    const p = !this.perPlant ? (row.plant === undefined ? 0 : undefined) : row.plant === undefined ? undefined : this.plantIndex.get(row.plant);
    const delivers = !this.perPlant || (row.plant !== undefined && (source?.delivers_to === undefined || own(source.delivers_to, row.plant) !== undefined));
    const claimed = k !== undefined && s !== undefined && t !== undefined && source !== undefined && p !== undefined && delivers;
    const slot = claimed ? (((this.sourceOffset[k] ?? 0) + s) * this.places + p) * this.periods + t : undefined;
    const entry: QuantityRow = { kind: "procurement", row };
    this.claim(entry, slot, this.bought);
    if (!claimed) return;
    const expected = source.unit_cost * row.units;
    if (check.range(row.cost, Math.abs(expected), expected, expected)) {
      check.describe(`${describeRow(entry)}: cost ${fmt(row.cost)} is not unit cost × units (${fmt(expected)})`);
    }
    if (this.perPlant) {
      const lane = row.plant === undefined ? undefined : own(source.delivers_to, row.plant);
      this.laneMoney(entry, "freight", row.freight, (lane?.cost ?? 0) * row.units);
      this.laneMoney(entry, "duty", row.duty, (lane?.duty ?? 0) * expected);
    }
    if (row.local !== source.local) {
      check.record(Infinity);
      check.describe(`${describeRow({ kind: "procurement", row })}: reported local = ${row.local}, but the source is ${source.local ? "local" : "imported"}`);
    }
  }
}
