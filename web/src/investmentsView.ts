import {
  capitalize,
  DECISIONS_TITLE,
  decisionLines,
  decisionsCaveat,
  gapLine,
  MONEY_BY_PERIOD_COLUMNS,
  moneyByPeriodCells,
  objectiveName,
  Words,
} from "../../src/explain/words.js";
import type { Plan } from "../../src/plan/types.js";
import { moneyChart } from "./charts.js";
import { h, money, table } from "./dom.js";
import { investmentTimeline, moneyTotals, type TimelineCell, type TimelineGroup } from "./investments.js";
import type { ScenarioView } from "./scenarioDoc.js";

/**
 * A plan with investments (docs/page.md, "Investments"): what is built when,
 * as a timeline; what each decision is worth, in the CLI's sentences
 * (src/explain/words.ts); and the money of each period, undiscounted and at
 * its present value. Every period at once: a decision spans the horizon.
 */

const cellWords: Readonly<Record<TimelineCell, string>> = {
  outside: "outside its window",
  window: "could be built",
  built: "built",
  running: "running",
};

/** What is built when, and what each decision is worth; null for a plan without investments. */
export function investmentsSection(scenario: ScenarioView, plan: Plan): HTMLElement | null {
  const groups = investmentTimeline(scenario, plan);
  if (groups === null) return null;
  const rows = groups.flatMap((group) => group.rows);
  const built = rows.filter((row) => row.built !== null);
  const summary =
    built.length === 0
      ? `Nothing is built: none of the ${rows.length} candidates pays.`
      : `Built: ${built.map((row) => `${row.name} in ${row.built ?? ""}`).join("; ")}. Not built: ${rows.length - built.length} of ${rows.length} candidates.`;
  const words = new Words(scenario);
  const decisions = plan.sensitivity?.decisions ?? [];
  const unit = plan.sensitivity?.objective_unit ?? scenario.currency;
  const caveat = decisionsCaveat(decisions);
  return h(
    "section",
    { id: "investments", class: "plan-section", "aria-labelledby": "investments-title" },
    h("h2", { id: "investments-title" }, "Investments: what is built when"),
    h("p", { class: "summary" }, summary),
    h("p", { class: "note", id: "investments-optimality" }, optimality(plan)),
    timelineLegend(),
    ...groups.map((group, g) => timelineGroup(scenario, group, g)),
    decisions.length === 0
      ? null
      : h(
          "div",
          { id: "decisions" },
          h("h3", {}, DECISIONS_TITLE),
          h("ul", { class: "decisions" }, ...decisionLines(words, decisions, unit).map((line) => h("li", {}, line))),
          caveat === null ? null : h("p", { class: "note", id: "decisions-caveat" }, caveat),
        ),
  );
}

/** Whether the plan is proven the best, in words: a mixed-integer plan's gap when the search stopped short, else that branch and bound closed it. */
function optimality(plan: Plan): string {
  const mixedInteger = "Each investment is built whole or not at all, so the plan is a mixed-integer one";
  const gap = gapLine(plan);
  if (gap !== null) return `${mixedInteger}. ${gap}`;
  return plan.status === "optimal" ? `${mixedInteger}; it is proven optimal.` : `${mixedInteger}.`;
}

function timelineLegend(): HTMLElement {
  return h(
    "ul",
    { class: "timeline-legend", "aria-label": "Timeline legend" },
    ...(["built", "running", "window", "outside"] as const).map((cell) =>
      h("li", {}, h("span", { class: `cell ${cell}`, "aria-hidden": "true" }), cellWords[cell]),
    ),
  );
}

/** A group's candidates, a row each: the name, plant and decision, then one cell per period under a shared axis. */
function timelineGroup(scenario: ScenarioView, group: TimelineGroup, index: number): HTMLElement {
  const periods = scenario.periods;
  const columns = `repeat(${periods.length}, minmax(0, 1fr))`;
  const titleId = `timeline-group-${index}`;
  return h(
    "div",
    { class: "timeline-group", "data-group": group.id ?? "" },
    h("h3", { id: titleId }, group.label),
    h(
      "div",
      { class: periods.length > 6 ? "timeline-axis dense" : "timeline-axis", style: `grid-template-columns: ${columns}`, "aria-hidden": "true" },
      ...periods.map((period) => h("span", {}, period)),
    ),
    h(
      "ol",
      { class: "timeline", "aria-labelledby": titleId },
      ...group.rows.map((row) =>
        h(
          "li",
          { class: "timeline-row", "data-investment": row.id },
          h(
            "div",
            { class: "timeline-name" },
            h("strong", {}, row.name),
            ` · ${row.plant} `,
            h("span", { class: row.built === null ? "badge" : "badge good" }, row.built === null ? "not built" : `built ${row.built}`),
            row.required ? h("span", { class: "badge" }, "required") : null,
          ),
          h(
            "div",
            { class: "timeline-strip", role: "img", "aria-label": row.description, style: `grid-template-columns: ${columns}` },
            ...row.cells.map((cell, t) => h("span", { class: `cell ${cell}`, title: `${periods[t] ?? ""}: ${cellWords[cell]}`, "data-period": periods[t] })),
          ),
        ),
      ),
    ),
  );
}

/** The objective as a present value, and the money of each period before and after discounting (the CLI's table, with a chart). */
export function moneySection(scenario: ScenarioView, plan: Plan): HTMLElement | null {
  const periods = plan.periods;
  if (periods === undefined || periods.length === 0 || plan.objective === null) return null;
  const currency = scenario.currency;
  const totals = moneyTotals(periods);
  const cells = moneyByPeriodCells(periods);
  const rate = `${(scenario.discount_rate * 100).toFixed(1)}%`;
  const name = objectiveName(scenario.objective, scenario.discount_rate);
  const headline = `${capitalize(name)}: ${money(totals.present_value, currency)} at a discount rate of ${rate}`;
  return h(
    "section",
    { id: "money", class: "plan-section", "aria-labelledby": "money-title" },
    h("h2", { id: "money-title" }, "Money by period"),
    h("p", { class: "money-headline", id: "money-npv" }, h("strong", {}, headline), "."),
    h(
      "p",
      { class: "summary" },
      `Before discounting: ${money(totals.net, currency)} net over ${periods.length} periods, after ${money(totals.investment_costs, currency)} of investment costs (fixed costs when built, operating costs while running).`,
    ),
    h(
      "div",
      { class: "stacked" },
      moneyChart(
        periods.map((row) => ({ period: row.period, net: row.net, presentValue: row.present_value, investment: row.investment_costs })),
        currency,
      ),
      table(
        `Money by period (${currency}): revenue, costs and net before discounting, and the net's present value`,
        MONEY_BY_PERIOD_COLUMNS.map((header, i) => ({ header, ...(i === 0 ? {} : { numeric: true }) })),
        cells.rows,
        cells.total,
      ),
    ),
  );
}
