import type { Sensitivity } from "../explain/types.js";
import { closestUnusedRoutes, diagnosisLines, formatUnits, perUnit, pricedBounds, rangeEnds, Words } from "../explain/words.js";
import type { Plan } from "../plan/types.js";
import type { Scenario } from "../scenario/schema.js";
import { renderTable } from "./table.js";

/** Rows of the "what binds" table; the rest are in `--json`. */
const BINDING_ROWS = 15;
const UNUSED_ROUTES = 5;

/** The plan's explanation for the terminal: the diagnosis in sentences, or the "what binds" table. Empty when there is none. */
export function renderExplanation(scenario: Scenario, plan: Plan): string {
  const words = new Words(scenario);
  const sections: string[] = [];
  if (plan.diagnosis !== undefined) sections.push(["Why no plan exists", ...diagnosisLines(words, plan.diagnosis)].join("\n"));
  if (plan.sensitivity !== undefined) sections.push(sensitivitySection(scenario, words, plan.sensitivity));
  return sections.length === 0 ? "" : `\n${sections.join("\n\n")}\n`;
}

function sensitivitySection(scenario: Scenario, words: Words, sensitivity: Sensitivity, title = "What binds"): string {
  const binding = pricedBounds(sensitivity);
  const unit = sensitivity.objective_unit;
  const lines: string[] = [];
  if (sensitivity.bounds.length === 0) {
    // No bound priced: the scenario has none, or the notes below say why the prices are missing.
    lines.push(`${title}: no bound is priced.`);
  } else if (binding.length === 0) {
    lines.push(`${title}: nothing — no bound is worth anything at the margin.`);
  } else {
    lines.push(
      `${title} (change of the objective, in ${unit}, per unit more of each bound; the price holds over the range)\n` +
        renderTable(
          [
            { header: "bound" },
            ...(words.multiPeriod ? [{ header: "period" }] : []),
            { header: "value", align: "right" as const },
            { header: "shadow price", align: "right" as const },
            { header: "per" },
            { header: "holds from", align: "right" as const },
            { header: "to", align: "right" as const },
          ],
          binding.slice(0, BINDING_ROWS).map((bound) => {
            const range = rangeEnds(bound);
            return [
              words.bindingName(bound),
              ...(words.multiPeriod ? [bound.period] : []),
              words.boundValue(bound),
              formatUnits(bound.shadow_price),
              perUnit(bound),
              range.from,
              range.to,
            ];
          }),
        ) +
        (binding.length > BINDING_ROWS ? `\n… and ${binding.length - BINDING_ROWS} more bounds with a price (see --json).` : ""),
    );
  }
  const closest = closestUnusedRoutes(sensitivity, UNUSED_ROUTES);
  if (closest.length > 0) {
    const improve = scenario.objective === "min_cost" ? "cost must fall by" : "margin must improve by";
    lines.push(
      `Unused routes closest to entering the plan (${improve}, per unit):\n` +
        closest
          .map(
            (route) =>
              `  ${words.product(route.product)} at ${words.plant(route.plant)}${words.when(route.period)}: ${formatUnits(Math.abs(route.reduced_cost))} ${unit}`,
          )
          .join("\n"),
    );
  }
  lines.push(...sensitivity.notes);
  if (sensitivity.lp_relaxation !== undefined) {
    lines.push("", sensitivitySection(scenario, words, sensitivity.lp_relaxation, "What binds in the LP relaxation, fractional units allowed"));
  }
  return lines.join("\n");
}
