import { optionalValueIn } from "../scenario/periods.js";
import type { ScenarioLookup } from "../scenario/lookup.js";
import type { Scenario } from "../scenario/schema.js";
import { at } from "../util/invariant.js";
import type { LpBuilder } from "./lp.js";
import type { Variables } from "./variables.js";

/**
 * Source capacity per plant (docs/format.md §2.7): Σ_p buy[k,s,p,t] ≤ capacity
 * of the source in t, one row per limited source and period, when parts are
 * balanced per plant. Pooled, the capacity bounds the source's one column
 * (variables.ts) and there is no row.
 */
export function addSourceCapacityRows(scenario: Scenario, lookup: ScenarioLookup, builder: LpBuilder, variables: Variables): void {
  if (!lookup.perPlantParts) return;
  scenario.parts.forEach((part, k) => {
    part.sources.forEach((source, s) => {
      if (source.capacity === undefined) return;
      const deliveries = at(at(variables.buy, k, "part's buy columns"), s, "source's buy columns");
      scenario.periods.forEach((period, t) => {
        for (const columns of deliveries) builder.term(at(columns, t, "buy column"), 1);
        const capacity = optionalValueIn(source.capacity, period) ?? Infinity;
        builder.finishRow({ family: "source_capacity", part: part.id, source: source.id, period }, -Infinity, capacity);
      });
    });
  });
}
