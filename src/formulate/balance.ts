import type { ScenarioLookup } from "../scenario/lookup.js";
import type { Scenario } from "../scenario/schema.js";
import type { LpBuilder } from "./lp.js";
import { NONE, type Variables } from "./variables.js";

/**
 * Balance (docs/format.md §2.3): stock[t−1] + make[t] = Σ_m sell[m,t] + stock[t] for every
 * route and period. Stock before the first period is the constant `initial`,
 * moved to the right-hand side; routes without inventory have no stock terms.
 */
export function addBalanceRows(scenario: Scenario, lookup: ScenarioLookup, builder: LpBuilder, variables: Variables): void {
  scenario.routes.forEach((route, r) => {
    const make = variables.make[r] as readonly number[];
    const stock = variables.stock[r] as readonly number[];
    const channels = lookup.channelsByRoute[r] ?? [];
    const initial = route.inventory?.initial ?? 0;
    scenario.periods.forEach((period, t) => {
      if (make[t] !== NONE) builder.term(make[t] as number, 1);
      if (t > 0 && stock[t - 1] !== NONE) builder.term(stock[t - 1] as number, 1);
      if (stock[t] !== NONE) builder.term(stock[t] as number, -1);
      for (const c of channels) {
        const sell = variables.sell[c]?.[t] ?? NONE;
        if (sell !== NONE) builder.term(sell, -1);
      }
      const inflow = t === 0 && stock[t] !== NONE ? initial : 0;
      if (builder.pendingTerms === 0 && inflow === 0) return;
      builder.finishRow({ family: "balance", plant: route.plant, product: route.product, period }, -inflow, -inflow);
    });
  });
}
