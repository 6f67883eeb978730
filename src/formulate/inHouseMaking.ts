import type { ScenarioLookup } from "../scenario/lookup.js";
import type { Scenario } from "../scenario/schema.js";
import { at, defined } from "../util/invariant.js";
import type { CapacityRows } from "./capacity.js";
import type { LpBuilder } from "./lp.js";
import type { PartsRows } from "./parts.js";
import type { Variables } from "./variables.js";

/**
 * Parts made in-house (docs/format.md §2.7): a source made at plant p makes
 * Σ_{p'} buy[k,s,p',t] units in period t — everything it delivers — and each
 * unit uses p's resources (`uses`, on p's capacity rows) and consumes the
 * sub-parts of its `bom` delivered to p (on p's parts rows).
 */
export function addInHouseMaking(
  scenario: Scenario,
  lookup: ScenarioLookup,
  builder: LpBuilder,
  variables: Variables,
  capacityRows: CapacityRows,
  partsRows: PartsRows,
): void {
  const made = (part: number, source: number) => at(at(variables.buy, part, "part's buy columns"), source, "source's buy columns");

  for (const [plant, byResource] of lookup.inHouseResourceUsers) {
    for (const [resource, users] of byResource) {
      const rows = defined(capacityRows.get(plant)?.get(resource), "capacity rows of an in-house resource");
      rows.forEach((row, t) => {
        for (const { part, source, perUnit } of users) {
          for (const columns of made(part, source)) builder.appendTerm(row, at(columns, t, "buy column"), perUnit);
        }
      });
    }
  }

  scenario.parts.forEach((_part, k) => {
    (lookup.inHouseUsersAt[k] ?? []).forEach((users, place) => {
      const rows = at(at(partsRows, k, "part's parts rows"), place, "place's parts rows");
      rows.forEach((row, t) => {
        for (const { part, source, perUnit } of users) {
          for (const columns of made(part, source)) builder.appendTerm(row, at(columns, t, "buy column"), perUnit);
        }
      });
    });
  });
}
