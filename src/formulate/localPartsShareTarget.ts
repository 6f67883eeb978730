import { optionalValueIn } from "../scenario/periods.js";
import { partsInScope, targetPeriods } from "../scenario/scope.js";
import { at, known } from "../util/invariant.js";
import type { TargetContext } from "./targetContext.js";

/**
 * local_parts_share target: Σ value·buy from local sources ≥ min·Σ value·buy
 * over the parts in the bom of any product in scope, written linearly as
 * Σ value·(local − min)·buy ≥ 0 (and ≤ 0 for max).
 */
export function addLocalPartsShareTarget({ scenario, lookup, builder, variables, target }: TargetContext): void {
  const parts = partsInScope(scenario, target);
  for (const period of targetPeriods(scenario, target)) {
    const t = known(lookup.periodIndex, period, "period");
    for (const bound of ["min", "max"] as const) {
      const share = optionalValueIn(target[bound], period);
      if (share === undefined) continue;
      scenario.parts.forEach((part, k) => {
        if (!parts.has(part.id) || part.value === 0) return;
        const columns = at(variables.buy, k, "part's buy columns");
        part.sources.forEach((source, s) => {
          // Every delivery of the part counts, to whichever plant (docs/format.md §2.7).
          for (const delivery of at(columns, s, "source's buy columns")) {
            builder.term(at(delivery, t, "buy column"), part.value * ((source.local ? 1 : 0) - share));
          }
        });
      });
      builder.finishRow(
        { family: "local_parts_share_target", target: target.id, period, bound },
        bound === "min" ? 0 : -Infinity,
        bound === "min" ? Infinity : 0,
      );
    }
  }
}
