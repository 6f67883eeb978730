import { optionalValueIn } from "../../scenario/periods.js";
import { own, ownKeys } from "../../scenario/records.js";
import { fmt, q } from "./checker.js";
import type { VerificationContext } from "./context.js";

/** Delivery lanes (docs/format.md §2.7): what a source delivers to a plant in a period is at most the lane's capacity. */
export function checkLaneCapacity({ scenario, table, check }: VerificationContext): void {
  if (!table.perPlant) return;
  const plantIndex = new Map(scenario.plants.map((plant, p) => [plant.id, p]));
  scenario.parts.forEach((part, k) => {
    part.sources.forEach((source, s) => {
      for (const plant of ownKeys(source.delivers_to)) {
        const capacity = own(source.delivers_to, plant)?.capacity;
        const p = plantIndex.get(plant);
        if (capacity === undefined || p === undefined) continue;
        scenario.periods.forEach((period, t) => {
          const units = table.deliveredBy(k, s, p, t);
          const limit = optionalValueIn(capacity, period) ?? Infinity;
          if (check.range(units, units, -Infinity, limit)) {
            check.describe(`lane of ${q(part.id)} from ${q(source.id)} to ${q(plant)} in ${q(period)}: ${fmt(units)} delivered, capacity ${fmt(limit)}`);
          }
        });
      }
    });
  });
}
