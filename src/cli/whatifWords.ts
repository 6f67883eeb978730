import type { BoundRef } from "../explain/types.js";
import type { Scenario } from "../scenario/schema.js";
import type { SweepParameter } from "../whatif/schema.js";
import { formatMoney, formatShare, formatUnits } from "./table.js";

/** Short names of bounds, parameters and objective values for the compare and sweep tables. */

/** A bound in a few words: "assembly_hours at andijan", "demand KZ/hatchback max"; the period only when there are several. */
export function boundLabel(ref: BoundRef, periods: number, withPeriod = true): string {
  const when = withPeriod && periods > 1 ? ` (${ref.period})` : "";
  switch (ref.kind) {
    case "capacity":
      return `${ref.resource} at ${ref.plant}${when}`;
    case "source_capacity":
      return `supply of ${ref.part} from ${ref.source}${when}`;
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
  }
}

/**
 * How a parameter reads: its values (a share as a percentage), and its slope
 * per unit a planner thinks in — per share point for a share (the slope per
 * unit of share, divided by 100), per hour of a resource, per unit, per unit
 * of money for a price or a cost.
 */
export function parameterWords(scenario: Scenario, parameter: SweepParameter): { value: (value: number) => string; per: string; slopeScale: number } {
  const share = parameter.on === "target" && scenario.targets.find((target) => target.id === parameter.id)?.kind !== "units";
  if (share) return { value: (value) => formatShare(value), per: "per share point", slopeScale: 0.01 };
  const per =
    parameter.on === "capacity"
      ? `per unit of ${parameter.resource}`
      : parameter.field === "price" || parameter.field === "unit_cost"
        ? `per ${scenario.currency} of ${parameter.field === "price" ? "price" : "unit cost"}`
        : parameter.on === "source"
          ? "per part"
          : "per unit";
  return { value: (value) => formatUnits(value), per, slopeScale: 1 };
}

/** What the objective is called and how its values read. */
export function objectiveWords(scenario: Scenario): { label: string; unit: string; format: (value: number) => string } {
  switch (scenario.objective) {
    case "max_margin":
      return { label: "margin", unit: scenario.currency, format: formatMoney };
    case "min_cost":
      return { label: "cost", unit: scenario.currency, format: formatMoney };
    case "max_units":
      return { label: "units made", unit: "units", format: formatUnits };
  }
}

/** A signed change: "+1,234", "−957,808", "0". */
export function signed(value: number, format: (value: number) => string): string {
  const text = format(Math.abs(value));
  if (text === format(0)) return text;
  return value > 0 ? `+${text}` : `−${text}`;
}

/** A slope in a table: money per unit of the parameter, two decimals below 100. */
export function formatSlope(value: number | null): string {
  if (value === null) return "—";
  const magnitude = Math.abs(value);
  const text = magnitude >= 100 ? formatMoney(magnitude) : formatUnits(magnitude);
  return value < 0 && text !== "0" ? `−${text}` : text;
}
