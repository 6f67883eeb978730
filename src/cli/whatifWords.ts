import type { BoundRef } from "../explain/types.js";
import type { SweepParameter } from "../whatif/schema.js";

/** Short names of bounds and parameters, by id, for the compare and sweep tables (the rest of their words: src/whatif/words.ts). */

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

/** The swept parameter in words: "target joint_goal min", "capacity assembly_hours at andijan (2025)". */
export function parameterLabel(parameter: SweepParameter): string {
  const periods = parameter.periods === undefined ? "" : ` (${parameter.periods.join(", ")})`;
  const selectors = (entries: [string, string | undefined][]) =>
    entries
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([name, value]) => `${name} ${value}`)
      .join(", ");
  switch (parameter.on) {
    case "target":
      return `target ${parameter.id} ${parameter.field}${periods}`;
    case "capacity":
      return `capacity ${parameter.resource} at ${parameter.plant}${periods}`;
    case "demand":
      return `demand ${parameter.field} (${
        selectors([
          ["market", parameter.market],
          ["product", parameter.product],
          ["family", parameter.family],
        ]) || "every row"
      })${periods}`;
    case "source":
      return `source ${parameter.field} (${selectors([
        ["part", parameter.part],
        ["source", parameter.source],
      ])})${periods}`;
    case "route":
      return `route ${parameter.field} (${
        selectors([
          ["plant", parameter.plant],
          ["product", parameter.product],
        ]) || "every route"
      })${periods}`;
    case "delivery":
      return `delivery ${parameter.field} (${
        selectors([
          ["part", parameter.part],
          ["source", parameter.source],
          ["plant", parameter.plant],
        ]) || "every lane"
      })${periods}`;
    case "investment":
      return `investment ${parameter.id} ${parameter.field}${periods}`;
    case "shipping":
      return `shipping ${parameter.field} (${
        selectors([
          ["plant", parameter.plant],
          ["product", parameter.product],
          ["market", parameter.market],
        ]) || "every lane"
      })${periods}`;
  }
}
