import type { Formulation } from "../formulate/index.js";
import { NONE } from "../formulate/variables.js";
import { scenarioLookup } from "../scenario/lookup.js";
import { valueIn } from "../scenario/periods.js";
import { at, valueAt } from "../util/invariant.js";
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
    const value = valueAt(values, column, "solver value");
    const rounded = Math.round(value);
    if (integer || Math.abs(value - rounded) <= ZERO * Math.max(1, Math.abs(value))) return rounded === 0 ? 0 : rounded;
    return Math.abs(value) <= ZERO ? 0 : value;
  };

  // Walked period by period, so that the rows come out sorted by period first, as planners read them.
  const production: ProductionRow[] = [];
  const inventory: InventoryRow[] = [];
  const sales: SalesRow[] = [];
  const procurement: ProcurementRow[] = [];
  periods.forEach((period, t) => {
    scenario.routes.forEach(({ plant, product }, r) => {
      const made = read(variables.make[r]?.[t] ?? NONE);
      if (made !== 0) production.push({ period, plant, product, units: made });
      const kept = read(variables.stock[r]?.[t] ?? NONE);
      if (kept !== 0) inventory.push({ period, plant, product, units: kept });
    });
    lookup.channels.forEach(({ route: r, demand: d, market }, c) => {
      const units = read(variables.sell[c]?.[t] ?? NONE);
      if (units === 0) return;
      const { plant, product } = at(scenario.routes, r, "route");
      const price = at(scenario.demand, d, "demand row").price;
      sales.push({ period, plant, product, market: market.id, units, revenue: valueIn(price, period) * units });
    });
    scenario.parts.forEach((part, k) => {
      part.sources.forEach((source, s) => {
        const units = read(variables.buy[k]?.[s]?.[t] ?? NONE);
        if (units !== 0) {
          procurement.push({ period, part: part.id, source: source.id, local: source.local, units, cost: source.unit_cost * units });
        }
      });
    });
  });
  return { production, sales, inventory, procurement };
}

export const emptyQuantities: Quantities = { production: [], sales: [], inventory: [], procurement: [] };
