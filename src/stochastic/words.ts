import { formatMoney, formatUnits, Words, type ScenarioVocabulary } from "../explain/words.js";
import type { Scenario } from "../scenario/schema.js";
import type { StochasticResult } from "./types.js";

/**
 * The two-stage plan in words and its figures' names, for the CLI and the
 * planner's page alike. Pure: no Node API, so the page's browser bundle
 * shares it.
 */

/** What these words need of a scenario: its names and objective (ScenarioVocabulary) and its currency. A parsed Scenario is one; so is the page's reading of a document. */
export type StochasticVocabulary = ScenarioVocabulary & Pick<Scenario, "currency">;

/** Money in a sentence: 3,098,765 → "3.1M", 1,234 → "1,234". */
export function compactMoney(value: number): string {
  const magnitude = Math.abs(value);
  const sign = value < 0 ? "−" : "";
  if (magnitude >= 1e9) return `${sign}${(magnitude / 1e9).toFixed(1)}B`;
  if (magnitude >= 1e6) return `${sign}${(magnitude / 1e6).toFixed(1)}M`;
  return `${sign}${formatMoney(magnitude)}`;
}

/** How many outcomes with unsold units a summary names one by one. */
const NAMED_OUTCOMES = 3;
/** How many rows of decisions a summary names. */
const NAMED_DECISIONS = 3;

/**
 * The two-stage plan in words, for planners: what it expects, what deciding
 * before the outcome is known costs (EVPI), what planning for the average
 * would lose (VSS, or that it leaves outcomes without a plan), the largest
 * here-and-now decisions, and what goes unsold where.
 */
export function stochasticSummary(scenario: StochasticVocabulary, result: StochasticResult): string {
  const words = new Words(scenario);
  const { currency } = scenario;
  const what = scenario.objective === "min_cost" ? "cost" : scenario.objective === "max_units" ? "units made" : "margin";
  const amount = (value: number) => (scenario.objective === "max_units" ? `${formatUnits(value)} units` : `${compactMoney(value)} ${currency}`);
  if (result.expected === null) {
    return `No two-stage plan (${result.status}): no one set of here-and-now decisions leaves every outcome a plan that meets its targets.`;
  }
  const sentences: string[] = [];
  sentences.push(
    `Over ${result.outcomes.length} outcome${result.outcomes.length === 1 ? "" : "s"}, the two-stage plan expects ${amount(result.expected)} of ${what}.`,
  );
  if (result.evpi !== null) {
    sentences.push(
      `Deciding ${decidedWords(result.here_and_now.decided)} before the outcome is known costs ${amount(result.evpi)} of expected ${what} (EVPI)` +
        (result.vss_unbounded
          ? `; planning for the average outcome instead would leave ${result.eev_without_plan} of ${result.outcomes.length} outcomes without a plan (VSS unbounded).`
          : result.vss === null
            ? "; the average outcome has no plan of its own to compare with."
            : `; planning for the average outcome instead would ${scenario.objective === "min_cost" ? "cost" : "lose"} ${amount(result.vss)} more (VSS).`),
    );
  }
  const decisions = decisionWords(words, result);
  if (decisions.length > 0) sentences.push(`${capitalize(decisions.join("; "))}.`);
  const unsold = result.outcomes
    .map((outcome) => ({ outcome, units: outcome.unsold.reduce((sum, row) => sum + row.units, 0) }))
    .filter((entry) => entry.units > 0);
  if (unsold.length === 0) sentences.push("Nothing goes unsold in any outcome.");
  else if (unsold.length <= NAMED_OUTCOMES) {
    sentences.push(
      `${capitalize(unsold.map(({ outcome, units }) => `in ${JSON.stringify(outcome.name)} ${formatUnits(Math.round(units))} units go unsold`).join("; "))}.`,
    );
  } else {
    const most = unsold.reduce((best, entry) => (entry.units > best.units ? entry : best));
    const expectedUnsold = unsold.reduce((sum, { outcome, units }) => sum + outcome.probability * units, 0);
    sentences.push(
      `In ${unsold.length} of ${result.outcomes.length} outcomes units go unsold: ${formatUnits(Math.round(expectedUnsold))} expected, at most ${formatUnits(Math.round(most.units))} (in ${JSON.stringify(most.outcome.name)}).`,
    );
  }
  return sentences.join(" ");
}

/**
 * The figures of a two-stage plan, named as planners read them, each with its
 * value in `format` ("—" without one): expected, wait-and-see, EVPI, the
 * mean-value plan, EEV (with the outcomes it leaves without a plan), VSS
 * ("unbounded" then), and the evaluation on fresh samples when there is one.
 */
export function stochasticFigures(result: StochasticResult, format: (value: number) => string): { readonly label: string; readonly value: string }[] {
  const value = (figure: number | null) => (figure === null ? "—" : format(figure));
  const figures = [
    { label: "expected (two-stage plan)", value: value(result.expected) },
    { label: "wait-and-see", value: value(result.wait_and_see) },
    { label: "EVPI", value: value(result.evpi) },
    { label: "mean-value plan, in the mean outcome", value: value(result.mean_value.objective) },
    { label: `EEV${result.eev_without_plan > 0 ? ` (${result.eev_without_plan} outcomes without a plan)` : ""}`, value: value(result.eev) },
    { label: "VSS", value: result.vss_unbounded ? "unbounded" : value(result.vss) },
  ];
  const { evaluation } = result;
  if (evaluation !== undefined) {
    figures.push(
      { label: `evaluation mean (${evaluation.samples} fresh samples, seed ${evaluation.seed})`, value: value(evaluation.mean) },
      { label: "  95% confidence interval", value: evaluation.ci95 === null ? "—" : `${format(evaluation.ci95[0])} … ${format(evaluation.ci95[1])}` },
      { label: "  samples without a plan", value: String(evaluation.infeasible) },
    );
  }
  return figures;
}

function decidedWords(decided: readonly string[]): string {
  if (decided.length === 0) return "nothing";
  return decided.length === 1 ? (decided[0] ?? "") : `${decided.slice(0, -1).join(", ")} and ${decided.at(-1) ?? ""}`;
}

/** The largest production decisions (units over every period) and every investment built. */
function decisionWords(words: Words, result: StochasticResult): string[] {
  const phrases: string[] = [];
  for (const investment of result.here_and_now.investments) {
    if (investment.built && investment.period !== null)
      phrases.push(`build ${words.investment(investment.id)} at ${words.plant(investment.plant)} in ${investment.period}`);
  }
  const totals = new Map<string, { plant: string; product: string; units: number }>();
  for (const row of result.here_and_now.production) {
    const key = JSON.stringify([row.plant, row.product]);
    const entry = totals.get(key) ?? { plant: row.plant, product: row.product, units: 0 };
    entry.units += row.units;
    totals.set(key, entry);
  }
  const periods = new Set(result.here_and_now.production.map((row) => row.period)).size;
  const largest = [...totals.values()].sort((a, b) => b.units - a.units).slice(0, NAMED_DECISIONS);
  const over = periods > 1 ? ` over the ${periods} periods` : "";
  largest.forEach((entry, i) =>
    phrases.push(
      `${i === 0 ? "make " : ""}${formatUnits(Math.round(entry.units))} units of ${words.product(entry.product)} at ${words.plant(entry.plant)}${i === largest.length - 1 ? over : ""}`,
    ),
  );
  return phrases;
}

function capitalize(text: string): string {
  return text.length === 0 ? text : `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
