import { optionalValueIn } from "../scenario/periods.js";
import { targetPeriods } from "../scenario/scope.js";
import { known } from "../util/invariant.js";
import type { TargetContext } from "./targetContext.js";
import { NONE } from "./variables.js";

/**
 * export_share target: Σ export sell ≥ min·Σ sell over the routes in scope,
 * written linearly as Σ (exported − min)·sell ≥ 0 (and ≤ 0 for max).
 */
export function addExportShareTarget({ scenario, lookup, builder, variables, target, inScope }: TargetContext): void {
  const channels = lookup.channels.flatMap((channel, c) => (inScope[channel.route] ? [{ c, exported: channel.market.export }] : []));
  for (const period of targetPeriods(scenario, target)) {
    const t = known(lookup.periodIndex, period, "period");
    for (const bound of ["min", "max"] as const) {
      const share = optionalValueIn(target[bound], period);
      if (share === undefined) continue;
      for (const { c, exported } of channels) {
        const sell = variables.sell[c]?.[t] ?? NONE;
        if (sell !== NONE) builder.term(sell, (exported ? 1 : 0) - share);
      }
      builder.finishRow({ family: "export_share_target", target: target.id, period, bound }, bound === "min" ? 0 : -Infinity, bound === "min" ? Infinity : 0);
    }
  }
}
