import { valueIn } from "../../scenario/periods.js";
import { own, ownKeys } from "../../scenario/records.js";
import type { VerificationContext } from "./context.js";

/**
 * Freight and duty (docs/format.md §2.7), from the scenario's lanes: a unit
 * delivered along a lane pays its cost and duty × the source's unit cost; a
 * unit sold along a shipping lane pays its cost and duty × the price.
 */
export function freightAndDutyOf({ scenario, lookup, table }: VerificationContext): number {
  const T = scenario.periods.length;
  let paid = 0;
  if (table.perPlant) {
    const plantIndex = new Map(scenario.plants.map((plant, p) => [plant.id, p]));
    scenario.parts.forEach((part, k) => {
      part.sources.forEach((source, s) => {
        // The source's lanes in plant order.
        const lanes = ownKeys(source.delivers_to).flatMap((plant) => {
          const p = plantIndex.get(plant);
          const lane = own(source.delivers_to, plant);
          return p === undefined || lane === undefined ? [] : [{ p, lane }];
        });
        lanes.sort((a, b) => a.p - b.p);
        for (const { p, lane } of lanes) {
          for (let t = 0; t < T; t++) paid += (lane.cost + lane.duty * source.unit_cost) * table.deliveredBy(k, s, p, t);
        }
      });
    });
  }
  lookup.channels.forEach(({ route: r, demand: d, market }, c) => {
    const lane = own(scenario.routes[r]?.ships_to, market.id);
    const price = scenario.demand[d]?.price;
    if (lane === undefined || price === undefined) return;
    scenario.periods.forEach((period, t) => {
      paid += (lane.cost + lane.duty * valueIn(price, period)) * (table.sold[c * T + t] ?? 0);
    });
  });
  return paid;
}
