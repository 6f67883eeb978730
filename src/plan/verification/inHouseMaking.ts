import { own } from "../../scenario/records.js";
import type { PartSource, Plant } from "../../scenario/schema.js";
import type { VerificationContext } from "./context.js";

/** What making parts at a plant uses of one resource, per period. */
export type PartsUse = (t: number) => { used: number; magnitude: number };

/**
 * Parts made in-house (docs/format.md §2.7): a source made at plant p makes
 * everything it delivers, and each unit uses `uses[r]` of p's resource r in
 * the same period. Returns, for a plant and a resource, that use per period —
 * undefined where no part is made at the plant.
 */
export function partsMadeUse({ scenario, table }: VerificationContext): (plant: Plant, resource: string) => PartsUse | undefined {
  // The parts made at each plant, in scenario order, found in one pass.
  const makersAt = new Map<string, { k: number; s: number; source: PartSource }[]>();
  scenario.parts.forEach((part, k) => {
    part.sources.forEach((source, s) => {
      if (source.plant === undefined) return;
      const makers = makersAt.get(source.plant) ?? [];
      makers.push({ k, s, source });
      makersAt.set(source.plant, makers);
    });
  });
  return (plant, resource) => {
    const makers = makersAt.get(plant.id);
    if (makers === undefined) return undefined;
    const users = makers.flatMap(({ k, s, source }) => {
      const use = own(source.uses, resource);
      return use === undefined ? [] : [{ k, s, use }];
    });
    return (t) => {
      let used = 0;
      let magnitude = 0;
      for (const { k, s, use } of users) {
        const term = use * table.boughtFrom(k, s, t);
        used += term;
        magnitude += Math.abs(term);
      }
      return { used, magnitude };
    };
  };
}
