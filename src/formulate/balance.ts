import type { ScenarioLookup } from "../scenario/lookup.js";
import type { Scenario } from "../scenario/schema.js";
import type { LpBuilder } from "./lp.js";
import { NONE, type Variables } from "./variables.js";

/** balance[route][period]: the row index, or NONE where the route has nothing to balance in the period. */
export type BalanceRows = readonly (readonly number[])[];

/**
 * Balance (docs/format.md §2.3): stock[t−1] + make[t] = Σ_m sell[m,t] + stock[t] for every
 * route and period. Stock before the first period is the constant `initial`,
 * moved to the right-hand side; routes without inventory have no stock terms.
 */
export function addBalanceRows(scenario: Scenario, lookup: ScenarioLookup, builder: LpBuilder, variables: Variables): BalanceRows {
  return scenario.routes.map((route, r) => {
    const make = variables.make[r] ?? [];
    const stock = variables.stock[r] ?? [];
    const channels = lookup.channelsByRoute[r] ?? [];
    const initial = route.inventory?.initial ?? 0;
    return scenario.periods.map((period, t) => {
      const made = make[t] ?? NONE;
      const kept = stock[t] ?? NONE;
      const keptBefore = t > 0 ? (stock[t - 1] ?? NONE) : NONE;
      if (made !== NONE) builder.term(made, 1);
      if (keptBefore !== NONE) builder.term(keptBefore, 1);
      if (kept !== NONE) builder.term(kept, -1);
      for (const c of channels) {
        const sell = variables.sell[c]?.[t] ?? NONE;
        if (sell !== NONE) builder.term(sell, -1);
      }
      const inflow = t === 0 && kept !== NONE ? initial : 0;
      if (builder.pendingTerms === 0 && inflow === 0) return NONE;
      return builder.finishRow({ family: "balance", plant: route.plant, product: route.product, period }, -inflow, -inflow);
    });
  });
}
