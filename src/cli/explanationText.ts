import type { Sensitivity } from "../explain/types.js";
import {
  bindingTable,
  bindingTableTitle,
  closestUnusedRoutes,
  DECISIONS_TITLE,
  decisionLines,
  decisionsCaveat,
  diagnosisLines,
  nothingBinds,
  pricedBounds,
  unusedRouteLine,
  unusedRoutesTitle,
  Words,
} from "../explain/words.js";
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
  const decisions = plan.sensitivity?.decisions;
  if (decisions !== undefined && decisions.length > 0) {
    const lines = decisionLines(words, decisions, plan.sensitivity?.objective_unit ?? scenario.currency);
    const caveat = decisionsCaveat(decisions);
    sections.push([DECISIONS_TITLE, ...lines, ...(caveat === null ? [] : [caveat])].join("\n"));
  }
  return sections.length === 0 ? "" : `\n${sections.join("\n\n")}\n`;
}

function sensitivitySection(scenario: Scenario, words: Words, sensitivity: Sensitivity, title = "What binds"): string {
  const binding = pricedBounds(sensitivity);
  const unit = sensitivity.objective_unit;
  const lines: string[] = [];
  // No bound priced: the scenario has none, or the notes below say why the prices are missing.
  const nothing = nothingBinds(title, sensitivity);
  if (nothing !== null) lines.push(nothing);
  else {
    const table = bindingTable(words, binding.slice(0, BINDING_ROWS));
    lines.push(
      `${bindingTableTitle(title, unit)}\n` +
        renderTable(
          table.columns.map((column) => ({ header: column.header, ...(column.numeric ? { align: "right" as const } : {}) })),
          table.rows,
        ) +
        (binding.length > BINDING_ROWS ? `\n… and ${binding.length - BINDING_ROWS} more bounds with a price (see --json).` : ""),
    );
  }
  const closest = closestUnusedRoutes(sensitivity, UNUSED_ROUTES);
  if (closest.length > 0) {
    lines.push(`${unusedRoutesTitle(scenario.objective)}:\n${closest.map((route) => `  ${unusedRouteLine(words, route, unit)}`).join("\n")}`);
  }
  lines.push(...sensitivity.notes);
  if (sensitivity.lp_relaxation !== undefined) {
    lines.push("", sensitivitySection(scenario, words, sensitivity.lp_relaxation, "What binds in the LP relaxation, fractional units allowed"));
  }
  return lines.join("\n");
}
