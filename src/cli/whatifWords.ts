import type { BoundRef } from "../explain/types.js";

/** Short names of bounds and parameters, by id, for the compare and sweep tables (the parameter's and the rest of their words: src/whatif/words.ts). */

/** A bound in a few words: "assembly_hours at andijan", "demand KZ/hatchback max"; the period only when there are several. */
export function boundLabel(ref: BoundRef, periods: number, withPeriod = true): string {
  const when = withPeriod && periods > 1 ? ` (${ref.period})` : "";
  switch (ref.kind) {
    case "capacity":
      return `${ref.resource} at ${ref.plant}${when}`;
    case "source_capacity":
      return `supply of ${ref.part} from ${ref.source}${when}`;
    case "lane_capacity":
      return `lane ${ref.part} from ${ref.source} to ${ref.plant}${when}`;
    case "shipping_capacity":
      return `shipping ${ref.plant}/${ref.product} to ${ref.market}${when}`;
    case "target":
      return `target ${ref.id} ${ref.bound}${when}`;
    case "demand":
      return `demand ${ref.market}/${ref.product} ${ref.bound}${when}`;
    case "route":
      return `route ${ref.plant}/${ref.product} ${ref.bound}${when}`;
    case "inventory":
      return `${ref.bound === "max" ? "yard limit" : "final stock"} ${ref.plant}/${ref.product}${when}`;
  }
}
