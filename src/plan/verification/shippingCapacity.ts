import { optionalValueIn } from "../../scenario/periods.js";
import { own, ownKeys } from "../../scenario/records.js";
import { fmt, q } from "./checker.js";
import type { VerificationContext } from "./context.js";

/** Shipping lanes (docs/format.md §2.7): what a route sells in a market in a period is at most its lane's capacity. */
export function checkShippingCapacity({ scenario, lookup, table, check }: VerificationContext): void {
  const T = scenario.periods.length;
  scenario.routes.forEach((route, r) => {
    for (const market of ownKeys(route.ships_to)) {
      const capacity = own(route.ships_to, market)?.capacity;
      if (capacity === undefined) continue;
      const channels = (lookup.channelsByRoute[r] ?? []).filter((c) => lookup.channels[c]?.market.id === market);
      scenario.periods.forEach((period, t) => {
        let units = 0;
        for (const c of channels) units += table.sold[c * T + t] ?? 0;
        const limit = optionalValueIn(capacity, period) ?? Infinity;
        if (check.range(units, units, -Infinity, limit)) {
          check.describe(`shipping of ${q(route.product)} from ${q(route.plant)} to ${q(market)} in ${q(period)}: ${fmt(units)} sold, capacity ${fmt(limit)}`);
        }
      });
    }
  });
}
