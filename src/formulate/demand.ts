import { optionalValueIn, valueIn } from "../scenario/periods.js";
import type { ScenarioLookup } from "../scenario/lookup.js";
import type { Scenario } from "../scenario/schema.js";
import type { LpBuilder } from "./lp.js";
import { NONE, type Variables } from "./variables.js";

/** Demand (docs/format.md §2.3): min ≤ Σ_p sell[p,q,m,t] ≤ max for every Demand row and period that has a bound. */
export function addDemandRows(scenario: Scenario, lookup: ScenarioLookup, builder: LpBuilder, variables: Variables): void {
  scenario.demand.forEach((demand, d) => {
    const channels = lookup.channelsByDemand[d] ?? [];
    scenario.periods.forEach((period, t) => {
      const min = valueIn(demand.min, period);
      const max = optionalValueIn(demand.max, period) ?? Infinity;
      if (min === 0 && max === Infinity) return;
      for (const c of channels) {
        const sell = variables.sell[c]?.[t] ?? NONE;
        if (sell !== NONE) builder.term(sell, 1);
      }
      builder.finishRow({ family: "demand", market: demand.market, product: demand.product, period }, min, max);
    });
  });
}
