import { partsInScope } from "../../scenario/scope.js";
import type { TargetCounter } from "./targetCount.js";

/**
 * `local_parts_share` targets (docs/format.md §2): value of parts bought from
 * local sources out of the value of all parts bought, over every part in the
 * bill of materials of a product in scope (each such part's whole procurement).
 */
export const countLocalPartsShare: TargetCounter = ({ scenario, table }, target) => {
  const parts = partsInScope(scenario, target);
  return (t) => {
    let local = 0;
    let bought = 0;
    scenario.parts.forEach((part, k) => {
      if (!parts.has(part.id)) return;
      part.sources.forEach((source, s) => {
        const weighted = part.value * table.boughtFrom(k, s, t);
        bought += weighted;
        if (source.local) local += weighted;
      });
    });
    return { counted: local, total: bought };
  };
};
