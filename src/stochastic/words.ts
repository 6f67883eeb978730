import { formatMoney, formatUnits, Words } from "../explain/words.js";
import type { Scenario } from "../scenario/schema.js";
import type { StochasticResult } from "./types.js";

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
export function stochasticSummary(scenario: Scenario, result: StochasticResult): string {
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
