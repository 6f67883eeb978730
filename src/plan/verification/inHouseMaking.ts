import { own } from "../../scenario/records.js";
import type { Plant } from "../../scenario/schema.js";
import type { VerificationContext } from "./context.js";

/** What making parts at a plant uses of one resource, per period. */
export type PartsUse = (t: number) => { used: number; magnitude: number };

/**
 * Parts made in-house (docs/format.md §2.7): a source made at plant p makes
 * everything it delivers, and each unit uses `uses[r]` of p's resource r in
 * the same period. Returns, for one plant and resource, that use per period —
 * undefined where no part is made there with it.
 */
export function partsMadeUse({ scenario, table }: VerificationContext, plant: Plant, resource: string): PartsUse | undefined {
  const makers = scenario.parts.flatMap((part, k) =>
    part.sources.flatMap((source, s) => {
      const use = source.plant === plant.id ? own(source.uses, resource) : undefined;
      return use === undefined ? [] : [{ k, s, use }];
    }),
  );
  if (!scenario.parts.some((part) => part.sources.some((source) => source.plant === plant.id))) return undefined;
  return (t) => {
    let used = 0;
    let magnitude = 0;
    for (const { k, s, use } of makers) {
      const term = use * table.boughtFrom(k, s, t);
      used += term;
      magnitude += Math.abs(term);
    }
    return { used, magnitude };
  };
}
