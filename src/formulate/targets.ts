import type { ScenarioLookup } from "../scenario/lookup.js";
import { routeInScope } from "../scenario/scope.js";
import type { Scenario } from "../scenario/schema.js";
import { at } from "../util/invariant.js";
import { addExportShareTarget } from "./exportShareTarget.js";
import { addLocalPartsShareTarget } from "./localPartsShareTarget.js";
import type { LpBuilder } from "./lp.js";
import { addUnitsTarget } from "./unitsTarget.js";
import type { Variables } from "./variables.js";

/** Targets (docs/format.md §2.4): rows for each bound of every target in every period it applies to, one module per kind. */
export function addTargetRows(scenario: Scenario, lookup: ScenarioLookup, builder: LpBuilder, variables: Variables): void {
  for (const target of scenario.targets) {
    if (target.min === undefined && target.max === undefined) continue;
    const inScope = scenario.routes.map((route, r) => routeInScope(target, route, at(lookup.routeProduct, r, "route product")));
    const family = { units: addUnitsTarget, export_share: addExportShareTarget, local_parts_share: addLocalPartsShareTarget }[target.kind];
    family({ scenario, lookup, builder, variables, target, inScope });
  }
}
