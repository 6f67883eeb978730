import { fmt, q } from "./checker.js";
import type { VerificationContext } from "./context.js";

/**
 * Balance (docs/format.md §2): stock[t−1] + make[t] = Σ_m sell[m,t] + stock[t]
 * for every route and period, stock before the first period being `initial`;
 * a route without inventory sells what it makes. In the two-stage plan's
 * outcomes what is unsold leaves too (formulate/unsold.ts): its table is all
 * zeros elsewhere.
 */
export function checkBalance({ scenario, lookup, table, check }: VerificationContext): void {
  const { periods } = scenario;
  const T = periods.length;
  scenario.routes.forEach((route, r) => {
    const channels = lookup.channelsByRoute[r] ?? [];
    const inventory = route.inventory;
    let previous = inventory?.initial ?? 0;
    periods.forEach((period, t) => {
      const make = table.made[r * T + t] ?? 0;
      let sales = 0;
      for (const c of channels) sales += table.sold[c * T + t] ?? 0;
      const kept = inventory === undefined ? 0 : (table.stock[r * T + t] ?? 0);
      const unsold = table.unsold[r * T + t] ?? 0;
      const inflow = previous + make;
      if (check.range(inflow - sales - kept - unsold, inflow + sales + kept + unsold, 0, 0)) {
        check.describe(
          `balance of ${q(route.product)} at ${q(route.plant)} in ${q(period)}: ${fmt(previous)} in stock + ${fmt(make)} made ≠ ${fmt(sales)} sold + ${fmt(kept)} kept${unsold === 0 ? "" : ` + ${fmt(unsold)} unsold`}`,
        );
      }
      previous = kept;
    });
  });
}
