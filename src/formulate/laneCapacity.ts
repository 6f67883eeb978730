import { optionalValueIn } from "../scenario/periods.js";
import type { ScenarioLookup } from "../scenario/lookup.js";
import { own } from "../scenario/records.js";
import type { Scenario } from "../scenario/schema.js";
import { at } from "../util/invariant.js";
import type { LpBuilder } from "./lp.js";
import type { Variables } from "./variables.js";

/**
 * Delivery lanes (docs/format.md §2.7): buy[k,s,p,t] ≤ the capacity of the
 * lane from source s to plant p in t, one row per limited lane and period.
 */
export function addLaneCapacityRows(scenario: Scenario, lookup: ScenarioLookup, builder: LpBuilder, variables: Variables): void {
  scenario.parts.forEach((part, k) => {
    part.sources.forEach((source, s) => {
      (lookup.deliveries[k]?.[s] ?? []).forEach(({ plant }, d) => {
        const capacity = plant === null ? undefined : own(source.delivers_to, plant)?.capacity;
        if (plant === null || capacity === undefined) return;
        const columns = at(at(at(variables.buy, k, "part's buy columns"), s, "source's buy columns"), d, "delivery's buy columns");
        scenario.periods.forEach((period, t) => {
          builder.term(at(columns, t, "buy column"), 1);
          builder.finishRow(
            { family: "lane_capacity", part: part.id, source: source.id, plant, period },
            -Infinity,
            optionalValueIn(capacity, period) ?? Infinity,
          );
        });
      });
    });
  });
}
