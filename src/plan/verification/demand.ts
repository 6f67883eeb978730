import { optionalValueIn, valueIn } from "../../scenario/periods.js";
import { fmt, q } from "./checker.js";
import type { VerificationContext } from "./context.js";

/** Demand (docs/format.md §2): min ≤ Σ_p sell[p,q,m,t] ≤ max for every Demand row and period. */
export function checkDemand({ scenario, lookup, table, check }: VerificationContext): void {
  const { periods } = scenario;
  const T = periods.length;
  scenario.demand.forEach((demand, d) => {
    const channels = lookup.channelsByDemand[d] ?? [];
    periods.forEach((period, t) => {
      let total = 0;
      for (const c of channels) total += table.sold[c * T + t] ?? 0;
      const min = valueIn(demand.min, period);
      const max = optionalValueIn(demand.max, period) ?? Infinity;
      if (check.range(total, total, min, max)) {
        check.describe(`demand for ${q(demand.product)} in ${q(demand.market)} in ${q(period)}: ${fmt(total)} sold, allowed [${fmt(min)}, ${fmt(max)}]`);
      }
    });
  });
}
