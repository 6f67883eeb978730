import type { Sensitivity } from "../../src/explain/types.js";
import {
  bindingTable,
  bindingTableTitle,
  closestUnusedRoutes,
  diagnosisLines,
  formatUnits,
  nothingBinds,
  perUnit,
  pricedBounds,
  unusedRouteLine,
  unusedRoutesTitle,
  Words,
} from "../../src/explain/words.js";
import type { Plan } from "../../src/plan/types.js";
import { h, table } from "./dom.js";
import type { ScenarioView } from "./scenarioDoc.js";

/** Rows of the "what binds" table on the page; the JSON download has every price. */
const BINDING_ROWS = 10;
const UNUSED_ROUTES = 5;

/**
 * The plan's explanation in words, as the CLI gives it (`jointplan plan
 * --explain`), from the same wording module: why no plan exists and the
 * smallest fix, or what binds and its price.
 */
export function explanationSection(scenario: ScenarioView, plan: Plan): HTMLElement | null {
  const words = new Words(scenario);
  if (plan.diagnosis !== undefined) {
    const lines = diagnosisLines(words, plan.diagnosis);
    return h(
      "section",
      { id: "explanation", class: "explanation infeasible", "aria-labelledby": "explanation-title" },
      h("h2", { id: "explanation-title" }, "Why no plan exists"),
      ...lines.map((line) => h("p", {}, line)),
    );
  }
  if (plan.sensitivity === undefined) return null;
  return h(
    "section",
    { id: "explanation", class: "explanation", "aria-labelledby": "explanation-title" },
    h("h2", { id: "explanation-title" }, "What binds"),
    ...sensitivityParts(scenario, words, plan.sensitivity, "What binds"),
  );
}

function sensitivityParts(scenario: ScenarioView, words: Words, sensitivity: Sensitivity, title: string): HTMLElement[] {
  const binding = pricedBounds(sensitivity);
  const unit = sensitivity.objective_unit;
  const parts: HTMLElement[] = [];
  const nothing = nothingBinds(title, sensitivity);
  if (nothing !== null) parts.push(h("p", {}, nothing));
  else {
    const dearest = binding[0];
    if (dearest !== undefined) {
      parts.push(h("p", {}, `The dearest bound is ${words.bindingName(dearest)}: ${formatUnits(dearest.shadow_price)} ${unit} per ${perUnit(dearest)} more.`));
    }
    const shown = bindingTable(words, binding.slice(0, BINDING_ROWS), unit);
    parts.push(table(bindingTableTitle(title, unit), shown.columns, shown.rows));
    if (binding.length > BINDING_ROWS)
      parts.push(h("p", { class: "note" }, `… and ${binding.length - BINDING_ROWS} more bounds with a price (in the JSON download).`));
  }
  const closest = closestUnusedRoutes(sensitivity, UNUSED_ROUTES);
  if (closest.length > 0) {
    parts.push(h("h3", {}, unusedRoutesTitle(scenario.objective)), h("ul", {}, ...closest.map((route) => h("li", {}, unusedRouteLine(words, route, unit)))));
  }
  parts.push(...sensitivity.notes.map((note) => h("p", { class: "note" }, note)));
  if (sensitivity.lp_relaxation !== undefined) {
    const relaxedTitle = "What binds in the LP relaxation, fractional units allowed";
    parts.push(h("h3", {}, relaxedTitle), ...sensitivityParts(scenario, words, sensitivity.lp_relaxation, relaxedTitle));
  }
  return parts;
}
