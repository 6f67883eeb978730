import { POOLED, type ScenarioLookup } from "../scenario/lookup.js";
import type { Scenario } from "../scenario/schema.js";
import { at } from "../util/invariant.js";
import type { LpBuilder } from "./lp.js";
import { NONE, type Variables } from "./variables.js";

/** Row index of each parts balance: partsRows[part][place][period], places as in `ScenarioLookup.partPlaces`. */
export type PartsRows = readonly (readonly (readonly number[])[])[];

/**
 * Parts (docs/format.md §2.3): what the routes consume equals what is bought,
 * per part and period — Σ_{p,q} bom[q][k]·make[p,q,t] = Σ_s buy[k,s,t] when
 * parts are pooled, and per plant in the joint network (§2.7), where each
 * plant's routes consume what the sources deliver to that plant. What parts
 * made in-house consume there is added by inHouseMaking.ts. Source
 * capacities are column bounds (pooled) or rows (sourceCapacity.ts).
 */
export function addPartsRows(scenario: Scenario, lookup: ScenarioLookup, builder: LpBuilder, variables: Variables): PartsRows {
  return scenario.parts.map((part, k) => {
    const places = lookup.partPlaces[k] ?? [];
    const buy = at(variables.buy, k, "part's buy columns");
    // The buy columns delivered to each place, by source and delivery in order.
    const deliveredTo: (readonly number[])[][] = places.map(() => []);
    (lookup.deliveries[k] ?? []).forEach((toPlaces, s) => {
      toPlaces.forEach((delivery, d) => deliveredTo[delivery.place]?.push(at(at(buy, s, "source's buy columns"), d, "delivery's buy columns")));
    });
    return places.map((plant, place) => {
      const users = lookup.partUsersAt[k]?.[place] ?? [];
      const delivered = deliveredTo[place] ?? [];
      return scenario.periods.map((period, t) => {
        for (const { route, perUnit } of users) {
          const make = variables.make[route]?.[t] ?? NONE;
          if (make !== NONE) builder.term(make, perUnit);
        }
        for (const columns of delivered) builder.term(at(columns, t, "buy column"), -1);
        return builder.finishRow(plant === POOLED ? { family: "parts", part: part.id, period } : { family: "parts", part: part.id, plant, period }, 0, 0);
      });
    });
  });
}
