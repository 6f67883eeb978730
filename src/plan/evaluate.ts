import { isAvailable, optionalValueIn, valueIn } from "../scenario/periods.js";
import { own, ownKeys } from "../scenario/records.js";
import { scenarioLookup, type ScenarioLookup } from "../scenario/lookup.js";
import { partsInScope, routeInScope, targetPeriods } from "../scenario/scope.js";
import type { Scenario, Target } from "../scenario/schema.js";
import { at, defined, known, valueAt } from "../util/invariant.js";
import type { CapacityRow, Quantities, TargetRow, Verification } from "./types.js";

/**
 * Everything a Plan derives from its quantities, computed straight from the
 * scenario and SPEC §2 — never from the LP or the solver's report — so that a
 * wrong formulation or a wrong solver answer shows up as a failed verification.
 */

/** A constraint holds when its violation, scaled by the size of its terms and bounds, is at most this. */
export const FEASIBILITY_TOLERANCE = 1e-6;
const MAX_LISTED_VIOLATIONS = 10;

export interface Evaluation {
  readonly objective: number;
  readonly capacity: CapacityRow[];
  readonly targets: TargetRow[];
  readonly verification: Verification;
}

/** Counts constraints, keeps the worst scaled violation and describes the violated ones. */
class ConstraintChecker {
  checked = 0;
  private worst = 0;
  private readonly found: { amount: number; text: string }[] = [];
  private last = 0;

  /**
   * lower ≤ activity ≤ upper, with `magnitude` the sum of absolute terms of the
   * activity; true when violated (then call `describe`).
   */
  range(activity: number, magnitude: number, lower: number, upper: number): boolean {
    this.checked++;
    let scale = magnitude > 1 ? magnitude : 1;
    if (lower > -Infinity && Math.abs(lower) > scale) scale = Math.abs(lower);
    if (upper < Infinity && Math.abs(upper) > scale) scale = Math.abs(upper);
    const excess = Math.max(0, lower - activity, activity - upper);
    return this.record(Number.isNaN(excess) ? Infinity : excess / scale);
  }

  record(violation: number): boolean {
    if (violation > this.worst) this.worst = violation;
    this.last = violation;
    return violation > FEASIBILITY_TOLERANCE;
  }

  describe(text: string): void {
    this.found.push({ amount: this.last, text });
  }

  result(): Verification {
    const violations = this.found
      .sort((a, b) => b.amount - a.amount)
      .slice(0, MAX_LISTED_VIOLATIONS)
      .map((entry) => entry.text);
    return {
      feasible: this.worst <= FEASIBILITY_TOLERANCE,
      max_violation: this.worst === Infinity ? Number.MAX_VALUE : this.worst,
      checked: this.checked,
      violations,
    };
  }
}

const fmt = (value: number) => (Number.isInteger(value) ? String(value) : value.toPrecision(8));
const q = (text: string) => JSON.stringify(text);

/**
 * The plan's quantities placed by scenario position: made and stock per route
 * and period, sold per sales channel and period, bought per part source and
 * period. Rows no variable of SPEC §2 accounts for are kept aside.
 */
type QuantityRow =
  | { readonly kind: "production"; readonly row: Quantities["production"][number] }
  | { readonly kind: "inventory"; readonly row: Quantities["inventory"][number] }
  | { readonly kind: "sales"; readonly row: Quantities["sales"][number] }
  | { readonly kind: "procurement"; readonly row: Quantities["procurement"][number] };

/** Built only when a row is reported, so that checking a valid plan formats nothing. */
function describeRow(entry: QuantityRow): string {
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
 * The plan's quantities placed by scenario position: made and stock per route
 * and period, sold per sales channel and period, bought per part source and
 * period. Rows no variable of SPEC §2 accounts for are kept aside.
 */
class QuantityTable {
  readonly made: Float64Array;
  readonly stock: Float64Array;
  readonly sold: Float64Array;
  readonly bought: Float64Array;
  readonly sourceOffset: number[];
  readonly unclaimed: QuantityRow[] = [];

  constructor(
    private readonly scenario: Scenario,
    private readonly lookup: ScenarioLookup,
    quantities: Quantities,
    private readonly check: ConstraintChecker,
    private readonly integer: boolean,
  ) {
    const periods = scenario.periods.length;
    this.made = new Float64Array(scenario.routes.length * periods);
    this.stock = new Float64Array(scenario.routes.length * periods);
    this.sold = new Float64Array(lookup.channels.length * periods);
    this.sourceOffset = [];
    let sources = 0;
    for (const part of scenario.parts) {
      this.sourceOffset.push(sources);
      sources += part.sources.length;
    }
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

  private routeSlot(plant: string, product: string, period: string): number | undefined {
    const r = this.lookup.routeIndex.get(plant)?.get(product);
    const t = this.lookup.periodIndex.get(period);
    return r === undefined || t === undefined ? undefined : r * this.scenario.periods.length + t;
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
    else table[slot] = valueAt(table, slot, "quantity slot") + units;
  }

  private claimSale(row: Quantities["sales"][number]): void {
    const { lookup, check } = this;
    const r = lookup.routeIndex.get(row.plant)?.get(row.product);
    const t = lookup.periodIndex.get(row.period);
    const channel = r === undefined ? undefined : lookup.channelsByRoute[r]?.find((c) => lookup.channels[c]?.market.id === row.market);
    const claimed = channel !== undefined && t !== undefined;
    this.claim({ kind: "sales", row }, claimed ? channel * this.scenario.periods.length + t : undefined, this.sold);
    if (!claimed) return;
    const demand = this.scenario.demand[at(lookup.channels, channel, "sales channel").demand];
    const expected = valueIn(demand?.price ?? 0, row.period) * row.units;
    if (check.range(row.revenue, Math.abs(expected), expected, expected)) {
      check.describe(`${describeRow({ kind: "sales", row })}: revenue ${fmt(row.revenue)} is not price × units (${fmt(expected)})`);
    }
  }

  private claimPurchase(row: Quantities["procurement"][number]): void {
    const { lookup, check } = this;
    const k = lookup.partIndex.get(row.part);
    const s = k === undefined ? undefined : lookup.sourceIndex[k]?.get(row.source);
    const t = lookup.periodIndex.get(row.period);
    const claimed = k !== undefined && s !== undefined && t !== undefined;
    const slot = claimed ? (at(this.sourceOffset, k, "source offset") + s) * this.scenario.periods.length + t : undefined;
    this.claim({ kind: "procurement", row }, slot, this.bought);
    if (!claimed) return;
    const source = this.scenario.parts[k]?.sources[s];
    const expected = (source?.unit_cost ?? 0) * row.units;
    if (check.range(row.cost, Math.abs(expected), expected, expected)) {
      check.describe(`${describeRow({ kind: "procurement", row })}: cost ${fmt(row.cost)} is not unit cost × units (${fmt(expected)})`);
    }
    if (source !== undefined && row.local !== source.local) {
      check.record(Infinity);
      check.describe(`${describeRow({ kind: "procurement", row })}: reported local = ${row.local}, but the source is ${source.local ? "local" : "imported"}`);
    }
  }
}

export function evaluate(scenario: Scenario, quantities: Quantities, integer: boolean): Evaluation {
  const check = new ConstraintChecker();
  const lookup = scenarioLookup(scenario);
  const { periods } = scenario;
  const T = periods.length;
  const table = new QuantityTable(scenario, lookup, quantities, check, integer);
  const { made, stock, sold, bought, sourceOffset } = table;

  let revenue = 0;
  let cost = 0;
  let unitsMade = 0;

  // Availability, route bounds, balance and inventory bounds, route by route.
  scenario.routes.forEach((route, r) => {
    const product = at(lookup.routeProduct, r, "route product");
    const channels = (lookup.channelsByRoute[r] ?? []).map((c) => ({
      c,
      price: at(scenario.demand, at(lookup.channels, c, "sales channel").demand, "demand row").price,
    }));
    const inventory = route.inventory;
    let previous = inventory?.initial ?? 0;
    periods.forEach((period, t) => {
      const where = () => `${q(route.product)} at ${q(route.plant)} in ${q(period)}`;
      const make = valueAt(made, r * T + t, "production slot");
      if (!isAvailable(periods, period, product.available_from, product.available_until)) {
        if (check.range(make, Math.abs(make), 0, 0)) check.describe(`production of ${where()}: the product is not available in this period`);
      } else {
        const min = optionalValueIn(route.min, period) ?? 0;
        const max = optionalValueIn(route.max, period) ?? Infinity;
        if (check.range(make, Math.abs(make), min, max)) {
          check.describe(`route bounds for ${where()}: made ${fmt(make)}, allowed [${fmt(min)}, ${fmt(max)}]`);
        }
      }
      let sales = 0;
      for (const { c, price } of channels) {
        const units = valueAt(sold, c * T + t, "sales slot");
        sales += units;
        revenue += valueIn(price, period) * units;
      }
      const kept = inventory === undefined ? 0 : valueAt(stock, r * T + t, "stock slot");
      const inflow = previous + make;
      if (check.range(inflow - sales - kept, inflow + sales + kept, 0, 0)) {
        check.describe(`balance of ${where()}: ${fmt(previous)} in stock + ${fmt(make)} made ≠ ${fmt(sales)} sold + ${fmt(kept)} kept`);
      }
      if (inventory !== undefined) {
        const max = optionalValueIn(inventory.max, period) ?? Infinity;
        if (check.range(kept, kept, 0, max)) check.describe(`inventory of ${where()}: ${fmt(kept)} exceeds its max ${fmt(max)}`);
        if (t === T - 1 && inventory.final !== undefined && check.range(kept, kept, inventory.final, inventory.final)) {
          check.describe(`final inventory of ${q(route.product)} at ${q(route.plant)}: ${fmt(kept)}, required ${fmt(inventory.final)}`);
        }
        cost += inventory.holding_cost * kept;
      }
      cost += route.unit_cost * make;
      unitsMade += make;
      previous = kept;
    });
  });

  // Capacity, reported for every plant, resource and period.
  const capacity: CapacityRow[] = [];
  for (const plant of scenario.plants) {
    for (const resource of ownKeys(plant.resources)) {
      const available = defined(own(plant.resources, resource), "resource capacity");
      const users = lookup.resourceUsers.get(plant.id)?.get(resource) ?? [];
      periods.forEach((period, t) => {
        let used = 0;
        let magnitude = 0;
        for (const { route, use } of users) {
          const term = use * valueAt(made, route * T + t, "production slot");
          used += term;
          magnitude += Math.abs(term);
        }
        const limit = valueIn(available, period);
        if (check.range(used, magnitude, -Infinity, limit)) {
          check.describe(`capacity of ${q(resource)} at ${q(plant.id)} in ${q(period)}: ${fmt(used)} used of ${fmt(limit)}`);
        }
        capacity.push({ period, plant: plant.id, resource, used, available: limit, utilization: limit > 0 ? used / limit : used > 0 ? null : 0 });
      });
    }
  }

  // Parts: purchases equal bom use; each source within its capacity.
  scenario.parts.forEach((part, k) => {
    const users = lookup.partUsers[k] ?? [];
    const offset = at(sourceOffset, k, "source offset");
    periods.forEach((period, t) => {
      let needed = 0;
      let magnitude = 0;
      for (const { route, perUnit } of users) {
        const term = perUnit * valueAt(made, route * T + t, "production slot");
        needed += term;
        magnitude += Math.abs(term);
      }
      let purchased = 0;
      part.sources.forEach((source, s) => {
        const units = valueAt(bought, (offset + s) * T + t, "purchase slot");
        purchased += units;
        magnitude += Math.abs(units);
        cost += source.unit_cost * units;
        const limit = optionalValueIn(source.capacity, period) ?? Infinity;
        if (check.range(units, units, 0, limit)) {
          check.describe(`source ${q(source.id)} of ${q(part.id)} in ${q(period)}: ${fmt(units)} bought, capacity ${fmt(limit)}`);
        }
      });
      if (check.range(purchased - needed, magnitude, 0, 0)) {
        check.describe(`parts ${q(part.id)} in ${q(period)}: ${fmt(purchased)} bought ≠ ${fmt(needed)} needed by the bills of materials`);
      }
    });
  });

  // Demand: total sold per market and product within [min, max].
  scenario.demand.forEach((demand, d) => {
    const channels = lookup.channelsByDemand[d] ?? [];
    periods.forEach((period, t) => {
      let total = 0;
      for (const c of channels) total += valueAt(sold, c * T + t, "sales slot");
      const min = valueIn(demand.min, period);
      const max = optionalValueIn(demand.max, period) ?? Infinity;
      if (check.range(total, total, min, max)) {
        check.describe(`demand for ${q(demand.product)} in ${q(demand.market)} in ${q(period)}: ${fmt(total)} sold, allowed [${fmt(min)}, ${fmt(max)}]`);
      }
    });
  });

  // Quantities no variable of SPEC §2 accounts for: no such route, channel, source or period.
  for (const entry of table.unclaimed) {
    const units = entry.row.units;
    if (check.range(units, Math.abs(units), 0, 0)) {
      check.describe(`${describeRow(entry)}: no such route, market, source or period in the scenario`);
    }
  }

  const targets = scenario.targets.flatMap((target) => evaluateTarget(scenario, lookup, target, table, check));
  const objective = scenario.objective === "max_margin" ? revenue - cost : scenario.objective === "min_cost" ? cost : unitsMade;
  return { objective, capacity, targets, verification: check.result() };
}

function evaluateTarget(scenario: Scenario, lookup: ScenarioLookup, target: Target, table: QuantityTable, check: ConstraintChecker): TargetRow[] {
  const T = scenario.periods.length;
  const routes = scenario.routes.flatMap((route, r) => (routeInScope(target, route, at(lookup.routeProduct, r, "route product")) ? [r] : []));
  const parts = target.kind === "local_parts_share" ? partsInScope(scenario, target) : new Set<string>();
  return targetPeriods(scenario, target).map((period): TargetRow => {
    const t = known(lookup.periodIndex, period, "period");
    const min = optionalValueIn(target.min, period);
    const max = optionalValueIn(target.max, period);
    let counted = 0;
    let total = 0;
    if (target.kind === "units") {
      for (const r of routes) counted += valueAt(table.made, r * T + t, "production slot");
      total = counted;
    } else if (target.kind === "export_share") {
      for (const r of routes) {
        for (const c of lookup.channelsByRoute[r] ?? []) {
          const units = valueAt(table.sold, c * T + t, "sales slot");
          total += units;
          if (lookup.channels[c]?.market.export === true) counted += units;
        }
      }
    } else {
      scenario.parts.forEach((part, k) => {
        if (!parts.has(part.id)) return;
        const offset = at(table.sourceOffset, k, "source offset");
        part.sources.forEach((source, s) => {
          const weighted = part.value * valueAt(table.bought, (offset + s) * T + t, "purchase slot");
          total += weighted;
          if (source.local) counted += weighted;
        });
      });
    }
    const isShare = target.kind !== "units";
    const state = isShare ? `share ${total > 0 ? fmt(counted / total) : "of nothing"}` : `${fmt(counted)} units`;
    let met = true;
    // Shares are checked in their linear form, counted − bound·total, as SPEC §2 states them.
    if (min !== undefined && check.range(isShare ? counted - min * total : counted, total, isShare ? 0 : min, Infinity)) {
      check.describe(`target ${q(target.id)} in ${q(period)}: ${state}, min ${fmt(min)}`);
      met = false;
    }
    if (max !== undefined && check.range(isShare ? counted - max * total : counted, total, -Infinity, isShare ? 0 : max)) {
      check.describe(`target ${q(target.id)} in ${q(period)}: ${state}, max ${fmt(max)}`);
      met = false;
    }
    return {
      id: target.id,
      period,
      value: isShare ? (total > 0 ? counted / total : null) : counted,
      min: min ?? null,
      max: max ?? null,
      met,
    };
  });
}
