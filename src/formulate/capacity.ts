import { valueIn } from "../scenario/periods.js";
import type { ScenarioLookup } from "../scenario/lookup.js";
import { own, ownKeys } from "../scenario/records.js";
import type { Scenario } from "../scenario/schema.js";
import { defined } from "../util/invariant.js";
import type { LpBuilder } from "./lp.js";
import { NONE, type Variables } from "./variables.js";

/** Row index of each capacity row, by plant, resource and period position. */
export type CapacityRows = ReadonlyMap<string, ReadonlyMap<string, readonly number[]>>;

/**
 * Capacity (docs/format.md §2.3): Σ_q uses[r]·make[p,q,t] ≤ capacity of
 * resource r at plant p in t. One row per plant, resource and period; what
 * parts made in-house use of it is added by inHouseMaking.ts.
 */
export function addCapacityRows(scenario: Scenario, lookup: ScenarioLookup, builder: LpBuilder, variables: Variables): CapacityRows {
  const rows = new Map<string, Map<string, number[]>>();
  for (const plant of scenario.plants) {
    const byResource = new Map<string, number[]>();
    rows.set(plant.id, byResource);
    for (const resource of ownKeys(plant.resources)) {
      const capacity = defined(own(plant.resources, resource), "resource capacity");
      const users = lookup.resourceUsers.get(plant.id)?.get(resource) ?? [];
      byResource.set(
        resource,
        scenario.periods.map((period, t) => {
          for (const { route, use } of users) {
            const make = variables.make[route]?.[t] ?? NONE;
            if (make !== NONE) builder.term(make, use);
          }
          return builder.finishRow({ family: "capacity", plant: plant.id, resource, period }, -Infinity, valueIn(capacity, period));
        }),
      );
    }
  }
  return rows;
}
