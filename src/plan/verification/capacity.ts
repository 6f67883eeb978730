import { valueIn } from "../../scenario/periods.js";
import { own, ownKeys } from "../../scenario/records.js";
import type { CapacityRow } from "../types.js";
import { fmt, q } from "./checker.js";
import type { VerificationContext } from "./context.js";
import { capacityBuilt } from "./builtCapacity.js";
import { partsMadeUse } from "./inHouseMaking.js";

/**
 * Capacity (docs/format.md §2): Σ_q uses[r]·make[p,q,t] ≤ capacity of r at p
 * in t, plus at a plant that makes parts what making them uses (§2.7), with
 * the capacity the plan's investments have built by then (§2.8) available.
 * Every plant, resource and period gets a row of the plan, used or not.
 */
export function checkCapacity(context: VerificationContext): CapacityRow[] {
  const { scenario, lookup, table, check } = context;
  const { periods } = scenario;
  const T = periods.length;
  const capacity: CapacityRow[] = [];
  const partsUse = partsMadeUse(context);
  for (const plant of scenario.plants) {
    for (const resource of ownKeys(plant.resources)) {
      const available = own(plant.resources, resource) ?? 0;
      const users = lookup.resourceUsers.get(plant.id)?.get(resource) ?? [];
      const forParts = partsUse(plant, resource);
      const built = capacityBuilt(context, plant, resource);
      periods.forEach((period, t) => {
        let used = 0;
        let magnitude = 0;
        for (const { route, use } of users) {
          const term = use * (table.made[route * T + t] ?? 0);
          used += term;
          magnitude += Math.abs(term);
        }
        const parts = forParts?.(t);
        if (parts !== undefined) {
          used += parts.used;
          magnitude += parts.magnitude;
        }
        const limit = valueIn(available, period) + (built?.(t) ?? 0);
        if (check.range(used, magnitude, -Infinity, limit)) {
          check.describe(`capacity of ${q(resource)} at ${q(plant.id)} in ${q(period)}: ${fmt(used)} used of ${fmt(limit)}`);
        }
        const row: CapacityRow = { period, plant: plant.id, resource, used, available: limit, utilization: limit > 0 ? used / limit : used > 0 ? null : 0 };
        capacity.push(parts === undefined ? row : { ...row, used_for_parts: parts.used });
      });
    }
  }
  return capacity;
}
