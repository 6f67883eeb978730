import type { Formulation } from "../formulate/index.js";
import { NONE } from "../formulate/variables.js";
import { POOLED, scenarioLookup } from "../scenario/lookup.js";
import { valueIn } from "../scenario/periods.js";
import { own } from "../scenario/records.js";
import { at, valueAt } from "../util/invariant.js";
import { investmentRow } from "./investmentRows.js";
import type { InventoryRow, InvestmentRow, ProcurementRow, ProductionRow, Quantities, SalesRow, UnsoldRow } from "./types.js";

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
  const unsold: UnsoldRow[] = [];
  periods.forEach((period, t) => {
    scenario.routes.forEach(({ plant, product }, r) => {
      const made = read(variables.make[r]?.[t] ?? NONE);
      if (made !== 0) production.push({ period, plant, product, units: made });
      const kept = read(variables.stock[r]?.[t] ?? NONE);
      if (kept !== 0) inventory.push({ period, plant, product, units: kept });
      const left = read(formulation.unsold?.[r]?.[t] ?? NONE);
      if (left !== 0) unsold.push({ period, plant, product, units: left });
    });
    lookup.channels.forEach(({ route: r, demand: d, market }, c) => {
      const units = read(variables.sell[c]?.[t] ?? NONE);
      if (units === 0) return;
      const { plant, product, ships_to } = at(scenario.routes, r, "route");
      const revenue = valueIn(at(scenario.demand, d, "demand row").price, period) * units;
      const lane = own(ships_to, market.id);
      const row: SalesRow = { period, plant, product, market: market.id, units, revenue };
      sales.push(lane === undefined ? row : { ...row, shipping: lane.cost * units, duty: lane.duty * revenue });
    });
    scenario.parts.forEach((part, k) => {
      part.sources.forEach((source, s) => {
        (lookup.deliveries[k]?.[s] ?? []).forEach(({ plant }, d) => {
          const units = read(variables.buy[k]?.[s]?.[d]?.[t] ?? NONE);
          if (units === 0) return;
          const cost = source.unit_cost * units;
          const row: ProcurementRow = { period, part: part.id, source: source.id, local: source.local, units, cost };
          if (plant === POOLED) procurement.push(row);
          else {
            const lane = own(source.delivers_to, plant);
            procurement.push({ ...row, plant, freight: (lane?.cost ?? 0) * units, duty: (lane?.duty ?? 0) * cost });
          }
        });
      });
    });
  });
  const investments = readBuilds(formulation, values);
  return {
    production,
    sales,
    inventory,
    procurement,
    ...(investments === undefined ? {} : { investments }),
    ...(formulation.unsold === undefined ? {} : { unsold }),
  };
}

/** Each investment's decision: built in the period whose build column is 1 (whole in every plan), or not built. */
function readBuilds(formulation: Formulation, values: Float64Array): InvestmentRow[] | undefined {
  const { scenario, builds } = formulation;
  if (scenario.investments.length === 0) return undefined;
  return scenario.investments.map((_investment, i) => {
    const columns = builds[i] ?? [];
    const t = columns.findIndex((column) => column !== NONE && Math.round(valueAt(values, column, "build value")) === 1);
    return investmentRow(scenario, i, t === -1 ? null : at(scenario.periods, t, "period"));
  });
}

export const emptyQuantities: Quantities = { production: [], sales: [], inventory: [], procurement: [] };
