import type { Formulation } from "../formulate/index.js";
import { NONE } from "../formulate/variables.js";
import { scenarioLookup } from "../scenario/lookup.js";
import { valueIn } from "../scenario/periods.js";
import type { InventoryRow, ProcurementRow, ProductionRow, Quantities, SalesRow } from "./types.js";

/** Below this a solver's value is noise, and a row with it is left out of the plan. */
const ZERO = 1e-9;

/**
 * Solver values → quantity rows in the scenario's terms, walking the decision
 * variables by scenario position. Values within 1e-9 (relative) of a whole
 * number are snapped to it; in integer mode every value is rounded, since the
 * backend reported an integral solution.
 */
export function readQuantities(formulation: Formulation, values: Float64Array): Quantities {
  const { scenario, variables, integer } = formulation;
  const lookup = scenarioLookup(scenario);
  const { periods } = scenario;
  const read = (column: number): number => {
    if (column === NONE) return 0;
    const value = values[column] as number;
    const rounded = Math.round(value);
    if (integer || Math.abs(value - rounded) <= ZERO * Math.max(1, Math.abs(value))) return rounded === 0 ? 0 : rounded;
    return Math.abs(value) <= ZERO ? 0 : value;
  };

  const production: ProductionRow[] = [];
  const inventory: InventoryRow[] = [];
  scenario.routes.forEach(({ plant, product }, r) => {
    periods.forEach((period, t) => {
      const made = read(variables.make[r]?.[t] ?? NONE);
      if (made !== 0) production.push({ period, plant, product, units: made });
      const kept = read(variables.stock[r]?.[t] ?? NONE);
      if (kept !== 0) inventory.push({ period, plant, product, units: kept });
    });
  });

  const sales: SalesRow[] = [];
  lookup.channels.forEach(({ route: r, demand: d, market }, c) => {
    const { plant, product } = scenario.routes[r] as (typeof scenario.routes)[number];
    const price = (scenario.demand[d] as (typeof scenario.demand)[number]).price;
    periods.forEach((period, t) => {
      const units = read(variables.sell[c]?.[t] ?? NONE);
      if (units !== 0) sales.push({ period, plant, product, market: market.id, units, revenue: valueIn(price, period) * units });
    });
  });

  const procurement: ProcurementRow[] = [];
  scenario.parts.forEach((part, k) => {
    part.sources.forEach((source, s) => {
      periods.forEach((period, t) => {
        const units = read(variables.buy[k]?.[s]?.[t] ?? NONE);
        if (units !== 0) {
          procurement.push({ period, part: part.id, source: source.id, local: source.local, units, cost: source.unit_cost * units });
        }
      });
    });
  });

  // Sorted by period first, as planners read them.
  const byPeriod = <T extends { period: string }>(rows: T[]) =>
    rows.sort((a, b) => (lookup.periodIndex.get(a.period) as number) - (lookup.periodIndex.get(b.period) as number));
  return { production: byPeriod(production), sales: byPeriod(sales), inventory: byPeriod(inventory), procurement: byPeriod(procurement) };
}

export const emptyQuantities: Quantities = { production: [], sales: [], inventory: [], procurement: [] };
