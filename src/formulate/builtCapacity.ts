import { optionalValueIn } from "../scenario/periods.js";
import { own, ownKeys } from "../scenario/records.js";
import type { Scenario } from "../scenario/schema.js";
import { at } from "../util/invariant.js";
import type { BuildColumns } from "./builds.js";
import type { CapacityRows } from "./capacity.js";
import type { LpBuilder } from "./lp.js";
import { NONE } from "./variables.js";

/**
 * Capacity built (docs/format.md §2.8): resource r at plant p in period t has
 * cap(t) + Σ_i adds_i[r](t)·built[i,t], built[i,t] = Σ_{t'≤t} build[i,t'] — on
 * the capacity row, −adds_i[r](t) on every build column of a period up to t.
 */
export function addBuiltCapacity(scenario: Scenario, builder: LpBuilder, builds: BuildColumns, capacityRows: CapacityRows): void {
  scenario.investments.forEach((investment, i) => {
    const columns = at(builds, i, "investment's build columns");
    for (const resource of ownKeys(investment.adds)) {
      const rows = capacityRows.get(investment.plant)?.get(resource);
      if (rows === undefined) continue;
      rows.forEach((row, t) => {
        const added = optionalValueIn(own(investment.adds, resource), at(scenario.periods, t, "period")) ?? 0;
        for (let built = 0; built <= t; built++) {
          const column = at(columns, built, "build column");
          if (column !== NONE) builder.appendTerm(row, column, -added);
        }
      });
    }
  });
}
