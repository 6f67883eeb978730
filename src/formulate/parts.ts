import type { ScenarioLookup } from "../scenario/lookup.js";
import type { Scenario } from "../scenario/schema.js";
import { at } from "../util/invariant.js";
import type { LpBuilder } from "./lp.js";
import { NONE, type Variables } from "./variables.js";

/** Parts (docs/format.md §2.3): Σ_{p,q} bom[q][k]·make[p,q,t] = Σ_s buy[k,s,t]. Source capacities are column bounds. */
export function addPartsRows(scenario: Scenario, lookup: ScenarioLookup, builder: LpBuilder, variables: Variables): void {
  scenario.parts.forEach((part, k) => {
    const users = lookup.partUsers[k] ?? [];
    const sources = variables.buy[k] ?? [];
    scenario.periods.forEach((period, t) => {
      for (const { route, perUnit } of users) {
        const make = variables.make[route]?.[t] ?? NONE;
        if (make !== NONE) builder.term(make, perUnit);
      }
      for (const source of sources) builder.term(at(source, t, "buy column"), -1);
      builder.finishRow({ family: "parts", part: part.id, period }, 0, 0);
    });
  });
}
