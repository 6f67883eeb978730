import { optionalValueIn } from "../scenario/periods.js";
import { targetPeriods } from "../scenario/scope.js";
import { known } from "../util/invariant.js";
import type { TargetContext } from "./targetContext.js";
import { NONE } from "./variables.js";

/** units target: min ≤ Σ make ≤ max over the routes in scope — the joint production goal. */
export function addUnitsTarget({ scenario, lookup, builder, variables, target, inScope }: TargetContext): void {
  for (const period of targetPeriods(scenario, target)) {
    const t = known(lookup.periodIndex, period, "period");
    inScope.forEach((counted, r) => {
      const make = variables.make[r]?.[t] ?? NONE;
      if (counted && make !== NONE) builder.term(make, 1);
    });
    builder.finishRow(
      { family: "units_target", target: target.id, period },
      optionalValueIn(target.min, period) ?? -Infinity,
      optionalValueIn(target.max, period) ?? Infinity,
    );
  }
}
