import { valueIn } from "../../scenario/periods.js";
import { own } from "../../scenario/records.js";
import { at } from "../../util/invariant.js";
import type { VerificationContext } from "./context.js";

/**
 * Freight and duty (docs/format.md §2.7), from the scenario's lanes: a unit
 * delivered along a lane pays its cost and duty × the source's unit cost; a
 * unit sold along a shipping lane pays its cost and duty × the price. Per period.
 */
export function freightAndDutyOf({ scenario, lookup, table }: VerificationContext): Float64Array {
  const T = scenario.periods.length;
  const paid = new Float64Array(T);
  if (table.perPlant) {
    const { plants } = scenario;
    scenario.parts.forEach((part, k) => {
      part.sources.forEach((source, s) => {
        if (source.delivers_to === undefined) return;
        // In plant order; a plant the source delivered nothing to adds nothing (and needs no lookup of its lane).
        for (let p = 0; p < plants.length; p++) {
          let delivered = false;
          for (let t = 0; t < T && !delivered; t++) delivered = table.deliveredBy(k, s, p, t) !== 0;
          const lane = delivered ? own(source.delivers_to, at(plants, p, "plant").id) : undefined;
          if (lane === undefined) continue;
          for (let t = 0; t < T; t++) paid[t] = (paid[t] ?? 0) + (lane.cost + lane.duty * source.unit_cost) * table.deliveredBy(k, s, p, t);
        }
      });
    });
  }
  lookup.channels.forEach(({ route: r, demand: d, market }, c) => {
    const lane = own(scenario.routes[r]?.ships_to, market.id);
    const price = scenario.demand[d]?.price;
    if (lane === undefined || price === undefined) return;
    scenario.periods.forEach((period, t) => {
      paid[t] = (paid[t] ?? 0) + (lane.cost + lane.duty * valueIn(price, period)) * (table.sold[c * T + t] ?? 0);
    });
  });
  return paid;
}
