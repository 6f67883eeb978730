import { optionalValueIn } from "../../scenario/periods.js";
import { own } from "../../scenario/records.js";
import type { Plant } from "../../scenario/schema.js";
import type { VerificationContext } from "./context.js";

/**
 * Capacity built (docs/format.md §2.8): what the investments built at a plant
 * by period t add to one resource in t, Σ_i adds_i[r](t)·built[i,t], from the
 * plan's decisions. Undefined where no investment adds to the resource.
 */
export function capacityBuilt({ scenario, table }: VerificationContext, plant: Plant, resource: string): ((t: number) => number) | undefined {
  const adding = scenario.investments.flatMap((investment, i) => {
    const adds = investment.plant === plant.id ? own(investment.adds, resource) : undefined;
    return adds === undefined ? [] : [{ i, adds }];
  });
  if (adding.length === 0) return undefined;
  return (t) => {
    let added = 0;
    for (const { i, adds } of adding) if (table.built(i, t)) added += optionalValueIn(adds, scenario.periods[t] ?? "") ?? 0;
    return added;
  };
}
