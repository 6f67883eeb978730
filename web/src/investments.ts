import { capitalize, humanize, Words } from "../../src/explain/words.js";
import type { PeriodMoney, Plan } from "../../src/plan/types.js";
import type { ScenarioView } from "./scenarioDoc.js";

/**
 * A plan's investments as the page draws them (docs/page.md, "Investments"):
 * a timeline row per candidate — its window, the period built, the periods it
 * runs — grouped as the scenario groups them, and the money of each period.
 * Pure: read from the scenario and the plan, no DOM.
 */

/** What a candidate is in one period: outside its window, could be built, built then, or running (built before). */
export type TimelineCell = "outside" | "window" | "built" | "running";

export interface TimelineRow {
  readonly id: string;
  readonly name: string;
  readonly plant: string;
  readonly required: boolean;
  /** The period built; null: not built. */
  readonly built: string | null;
  /** The first and last period it may be built in. */
  readonly window: readonly [string, string];
  /** One cell per period of the scenario, in order. */
  readonly cells: readonly TimelineCell[];
  /** The row in words, for screen readers and tests: "Andijan car-and-parts expansion: may be built 2021–2030; built in 2022, running to 2030." */
  readonly description: string;
}

export interface TimelineGroup {
  /** The group's id; null for the candidates in no group. */
  readonly id: string | null;
  /** "Car cluster: at most one of 3"; "Not in a group". */
  readonly label: string;
  readonly rows: readonly TimelineRow[];
}

/** The timeline of a plan with investments, grouped in the scenario's order (groups as they first appear, then the candidates in none); null without investments. */
export function investmentTimeline(scenario: ScenarioView, plan: Plan): TimelineGroup[] | null {
  const decisions = plan.investments;
  if (decisions === undefined || decisions.length === 0) return null;
  const words = new Words(scenario);
  const periods = scenario.periods;
  const last = periods.length - 1;
  const rows = decisions.map((decision): TimelineRow & { group: string | null } => {
    const candidate = scenario.investments.find((investment) => investment.id === decision.id);
    const position = (period: string | undefined, fallback: number) => {
      const index = period === undefined ? -1 : periods.indexOf(period);
      return index < 0 ? fallback : index;
    };
    const earliest = position(candidate?.earliest, 0);
    const latest = position(candidate?.latest, last);
    const builtAt = decision.built && decision.period !== null ? periods.indexOf(decision.period) : -1;
    const cells = periods.map((_period, t): TimelineCell => {
      if (builtAt >= 0 && t === builtAt) return "built";
      if (builtAt >= 0 && t > builtAt) return "running";
      return t >= earliest && t <= latest ? "window" : "outside";
    });
    const name = words.investment(decision.id);
    const window: [string, string] = [periods[earliest] ?? "", periods[latest] ?? ""];
    const may = window[0] === window[1] ? `may be built in ${window[0]}` : `may be built ${window[0]}–${window[1]}`;
    const built =
      builtAt < 0
        ? "not built"
        : builtAt === last
          ? `built in ${decision.period ?? ""}`
          : `built in ${decision.period ?? ""}, running to ${periods[last] ?? ""}`;
    return {
      id: decision.id,
      name,
      plant: words.plant(decision.plant),
      required: candidate?.required ?? false,
      built: builtAt < 0 ? null : (decision.period ?? null),
      window,
      cells,
      description: `${capitalize(name)}: ${may}; ${built}.`,
      group: candidate?.group ?? null,
    };
  });
  const groups = [...new Set(rows.map((row) => row.group))].sort((a, b) => (a === null ? 1 : 0) - (b === null ? 1 : 0));
  return groups.map((group) => {
    const mine = rows.filter((row) => row.group === group).map(({ group: _group, ...row }) => row);
    const label = group === null ? "Not in a group" : `${capitalize(humanize(group))}: at most one of ${mine.length}`;
    return { id: group, label, rows: mine };
  });
}

/** The money of the plan's periods added up: what the objective is (its present value) and what it is before discounting. */
export interface MoneyTotals {
  readonly revenue: number;
  readonly operating_costs: number;
  readonly investment_costs: number;
  readonly net: number;
  readonly present_value: number;
}

export function moneyTotals(periods: readonly PeriodMoney[]): MoneyTotals {
  const sum = (pick: (row: PeriodMoney) => number) => periods.reduce((total, row) => total + pick(row), 0);
  return {
    revenue: sum((row) => row.revenue),
    operating_costs: sum((row) => row.operating_costs),
    investment_costs: sum((row) => row.investment_costs),
    net: sum((row) => row.net),
    present_value: sum((row) => row.present_value),
  };
}
