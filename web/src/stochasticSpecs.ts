import kazakhDemandSampled20192025 from "../../models/stochastic/kz-uz-2019-2025/kazakh-demand-sampled.json" with { type: "json" };
import kazakhDemand20192025 from "../../models/stochastic/kz-uz-2019-2025/kazakh-demand.json" with { type: "json" };
import demandGrowthCluster from "../../models/stochastic/kz-uz-cluster-2020-2030/demand-growth.json" with { type: "json" };
import type { NamedRecord } from "../../src/explain/words.js";
import type { HereAndNowKind } from "../../src/stochastic/schema.js";
import type { ScenarioView } from "./scenarioDoc.js";

/**
 * Where the Stochastic tab's spec comes from: a spec bundled under
 * models/stochastic/<scenario>/ (bundled into the page, as the service has no
 * route for them), or outcomes drawn at random from the demand of the markets
 * the planner picks. Either becomes the JSON the planner can read and edit
 * before it is sent.
 */

export interface BundledSpec {
  /** The scenario it is written for. */
  readonly scenario: string;
  /** Its file name without `.json`. */
  readonly name: string;
  readonly spec: unknown;
}

/** Every file under models/stochastic (a test holds the list to the folder). */
export const bundledSpecs: readonly BundledSpec[] = [
  { scenario: "kz-uz-2019-2025", name: "kazakh-demand", spec: kazakhDemand20192025 },
  { scenario: "kz-uz-2019-2025", name: "kazakh-demand-sampled", spec: kazakhDemandSampled20192025 },
  { scenario: "kz-uz-cluster-2020-2030", name: "demand-growth", spec: demandGrowthCluster },
];

/** The bundled specs written for a scenario. */
export function specsFor(scenarioId: string): BundledSpec[] {
  return bundledSpecs.filter((entry) => entry.scenario === scenarioId);
}

/** Outcomes drawn at random: how many, the seed, the markets whose demand maxima are uncertain and how much, and what is decided first. */
export interface SampleChoice {
  readonly count: number;
  readonly seed: number;
  /** Standard deviation of the demand multiplier (normal, mean 1, truncated at 0). */
  readonly sd: number;
  readonly markets: readonly string[];
  readonly hereAndNow: readonly HereAndNowKind[];
}

/** The kinds in the order the request lists them (the schema's own list is not bundled: it comes with zod). */
const kindOrder: readonly HereAndNowKind[] = ["investments", "production", "procurement"];

export const DEFAULT_SAMPLE: Omit<SampleChoice, "markets"> = { count: 20, seed: 1, sd: 0.15, hereAndNow: ["investments", "production"] };

/** A scenario document's candidate investments, by id and name, for the words (only with some may they be decided here and now). */
export function investmentNames(document: unknown): NamedRecord[] {
  if (typeof document !== "object" || document === null || !("investments" in document) || !Array.isArray(document.investments)) return [];
  return (document.investments as unknown[]).flatMap((entry) => {
    if (typeof entry !== "object" || entry === null || !("id" in entry) || typeof entry.id !== "string") return [];
    return [{ id: entry.id, ...("name" in entry && typeof entry.name === "string" ? { name: entry.name } : {}) }];
  });
}

/** Markets with a demand maximum: the ones whose demand can be uncertain. */
export function uncertainMarkets(scenario: ScenarioView): ScenarioView["markets"] {
  const limited = new Set(scenario.demand.filter((row) => row.max !== undefined).map((row) => row.market));
  return scenario.markets.filter((market) => limited.has(market.id));
}

/** The request's fields for outcomes drawn as Monte Carlo draws them (docs/montecarlo.md): each picked market's demand maxima scaled by one draw. */
export function sampleSpec(choice: SampleChoice): Record<string, unknown> {
  return {
    sample: {
      count: choice.count,
      seed: choice.seed,
      uncertain: choice.markets.map((market) => ({ on: "demand", market, field: "max", distribution: { kind: "normal", sd: choice.sd } })),
    },
    here_and_now: kindOrder.filter((kind) => choice.hereAndNow.includes(kind)),
  };
}

/** The text of a spec as the planner edits it. */
export function specText(spec: unknown): string {
  return JSON.stringify(spec, null, 2);
}

/**
 * The planner's text read back, as `jointplan stochastic` reads its file: the
 * request's fields, and plan options beside them (`options`, sent as the
 * job's); or why it cannot be sent.
 */
export function readSpecText(text: string): { ok: true; spec: Record<string, unknown>; options: Record<string, unknown> } | { ok: false; message: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return { ok: false, message: 'expected an object: { "outcomes": [...] } or { "sample": {...} }' };
  const { options = {}, ...spec } = parsed as Record<string, unknown>;
  for (const field of ["kind", "scenario", "scenarioId", "changes"]) {
    if (Object.hasOwn(spec, field)) return { ok: false, message: `${field}: not part of the request here (the page sends the scenario and the levers)` };
  }
  if (typeof options !== "object" || options === null || Array.isArray(options)) return { ok: false, message: "options: expected an object" };
  return { ok: true, spec, options: options as Record<string, unknown> };
}
