import { formatMoney, formatShare, formatUnits } from "../explain/words.js";
import type { Scenario } from "../scenario/schema.js";
import type { SweepParameter } from "./schema.js";

/**
 * How what-if figures read, for the CLI's tables and the planner's page
 * alike: the objective's name and unit, a swept parameter's values and
 * slopes, signed changes. Pure (the page bundles it for the browser).
 */

/** What these words need of a scenario. A parsed Scenario is one; so is the page's reading of a document. */
export type WhatIfVocabulary = Pick<Scenario, "currency" | "objective"> & { readonly targets: readonly Pick<Scenario["targets"][number], "id" | "kind">[] };

/**
 * How a parameter reads: its values (a share as a percentage), and its slope
 * per unit a planner thinks in — per share point for a share (the slope per
 * unit of share, divided by 100), per hour of a resource, per unit, per unit
 * of money for a price or a cost. `name` names a resource (its id by default).
 */
export function parameterWords(
  scenario: WhatIfVocabulary,
  parameter: SweepParameter,
  name: (resource: string) => string = (resource) => resource,
): { share: boolean; value: (value: number) => string; per: string; slopeScale: number } {
  // A share target and a lane's duty (an ad-valorem rate) read as percentages.
  const share =
    (parameter.on === "target" && scenario.targets.find((target) => target.id === parameter.id)?.kind !== "units") ||
    ((parameter.on === "delivery" || parameter.on === "shipping") && parameter.field === "duty");
  if (share) return { share, value: (value) => formatShare(value), per: "per share point", slopeScale: 0.01 };
  const per =
    parameter.on === "capacity"
      ? `per unit of ${name(parameter.resource)}`
      : parameter.field === "price" || parameter.field === "unit_cost"
        ? `per ${scenario.currency} of ${parameter.field === "price" ? "price" : "unit cost"}`
        : parameter.on === "source"
          ? "per part"
          : "per unit";
  return { share, value: (value) => formatUnits(value), per, slopeScale: 1 };
}

/** What the objective is called and how its values read. */
export function objectiveWords(scenario: WhatIfVocabulary): { label: string; unit: string; format: (value: number) => string } {
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
