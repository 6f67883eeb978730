import type { Formulation } from "../formulate/index.js";
import { NONE } from "../formulate/variables.js";
import type { Quantities } from "../plan/types.js";
import { POOLED, scenarioLookup } from "../scenario/lookup.js";

/**
 * A plan's quantities placed back on the LP's columns — the inverse of
 * reading a solution into production, sales, stock and purchase rows — for
 * what needs LP values but has only a Plan (what binds in a whole-unit plan,
 * a price's slope by the envelope theorem). Rows the LP has no column for are
 * left out (a verified plan has none).
 */
export function columnValues(formulation: Formulation, quantities: Quantities): Float64Array {
  const { scenario, lp, variables } = formulation;
  const lookup = scenarioLookup(scenario);
  const values = new Float64Array(lp.columns.length);
  const add = (column: number | undefined, units: number) => {
    if (column !== undefined && column !== NONE) values[column] = (values[column] ?? 0) + units;
  };
  const routeAt = (plant: string, product: string, period: string) => {
    const r = lookup.routeIndex.get(plant)?.get(product);
    const t = lookup.periodIndex.get(period);
    return r === undefined || t === undefined ? undefined : { r, t };
  };
  for (const row of quantities.production) {
    const at = routeAt(row.plant, row.product, row.period);
    if (at !== undefined) add(variables.make[at.r]?.[at.t], row.units);
  }
  for (const row of quantities.inventory) {
    const at = routeAt(row.plant, row.product, row.period);
    if (at !== undefined) add(variables.stock[at.r]?.[at.t], row.units);
  }
  for (const row of quantities.sales) {
    const at = routeAt(row.plant, row.product, row.period);
    const channel = at === undefined ? undefined : lookup.channelsByRoute[at.r]?.find((c) => lookup.channels[c]?.market.id === row.market);
    if (at !== undefined && channel !== undefined) add(variables.sell[channel]?.[at.t], row.units);
  }
  for (const row of quantities.procurement) {
    const k = lookup.partIndex.get(row.part);
    const s = k === undefined ? undefined : lookup.sourceIndex[k]?.get(row.source);
    const t = lookup.periodIndex.get(row.period);
    // Pooled, a source has one delivery (to the pool); per plant, the row names the plant delivered to.
    const d = k === undefined || s === undefined ? -1 : (lookup.deliveries[k]?.[s] ?? []).findIndex(({ plant }) => plant === (row.plant ?? POOLED));
    if (k !== undefined && s !== undefined && t !== undefined) add(variables.buy[k]?.[s]?.[d]?.[t], row.units);
  }
  return values;
}
