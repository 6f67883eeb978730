import { optionalValueIn } from "../scenario/periods.js";
import type { ScenarioLookup } from "../scenario/lookup.js";
import { own } from "../scenario/records.js";
import type { Scenario } from "../scenario/schema.js";
import { at } from "../util/invariant.js";
import type { LpBuilder } from "./lp.js";
import { NONE, type Variables } from "./variables.js";

/**
 * Shipping lanes (docs/format.md §2.7): sell[p,q,m,t] ≤ the capacity of the
 * route's lane to market m in t, one row per limited lane and period in which
 * the route can sell.
 */
export function addShippingCapacityRows(scenario: Scenario, lookup: ScenarioLookup, builder: LpBuilder, variables: Variables): void {
  lookup.channels.forEach(({ route: r, market }, c) => {
    const route = at(scenario.routes, r, "route");
    const capacity = own(route.ships_to, market.id)?.capacity;
    if (capacity === undefined) return;
    scenario.periods.forEach((period, t) => {
      const sell = variables.sell[c]?.[t] ?? NONE;
      if (sell === NONE) return;
      builder.term(sell, 1);
      builder.finishRow(
        { family: "shipping_capacity", plant: route.plant, product: route.product, market: market.id, period },
        -Infinity,
        optionalValueIn(capacity, period) ?? Infinity,
      );
    });
  });
}
