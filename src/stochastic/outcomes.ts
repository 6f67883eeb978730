import { sampleMultipliers } from "../montecarlo/distributions.js";
import { prepareMonteCarlo, type PreparedMonteCarlo } from "../montecarlo/prepare.js";
import type { ResolvedPlanOptions } from "../plan/options.js";
import { shareLookup } from "../scenario/lookup.js";
import { formatPath, fromZodIssues, isValidationError, prefixed, validateScenario, ValidationError, type ValidationIssue } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";
import { editScenario, validateChanges } from "../whatif/apply.js";
import { meanScenario } from "./mean.js";
import { DEFAULT_HERE_AND_NOW, stochasticSpecSchema, type HereAndNowKind, type StochasticSpec } from "./schema.js";

/** One outcome of a two-stage plan: its scenario (the base one with its changes applied) and its probability. */
export interface OutcomeScenario {
  readonly name: string;
  readonly probability: number;
  readonly scenario: Scenario;
}

/** A validated two-stage request: its outcomes in order, what is decided here and now, and the mean outcome. */
export interface PreparedStochastic {
  /** The scenario the outcomes change. */
  readonly base: Scenario;
  readonly spec: StochasticSpec;
  readonly hereAndNow: readonly HereAndNowKind[];
  readonly outcomes: readonly OutcomeScenario[];
  /** The outcomes' numbers averaged by probability: what the mean-value plan plans for. */
  readonly mean: Scenario;
  /** For `sample` (and `evaluate`): the uncertain values, validated as Monte Carlo validates them. */
  readonly monteCarlo?: PreparedMonteCarlo;
}

/**
 * Checks a two-stage request against the scenario and builds its outcomes.
 * Throws `ValidationError` (subject "request") with every issue and its path
 * in the request: `outcomes` (probabilities that do not sum to 1),
 * `outcomes[1].name` (a name given twice), `outcomes[0].changes[2].id` (a
 * change as what-ifs check it), `sample.uncertain[0].distribution.sd`,
 * `here_and_now[0]` (a kind of decision the scenario does not have).
 *
 * Listed outcomes are the scenario with their changes applied (§5's code);
 * a sample's outcome i is Monte Carlo's sample i of the same seed — the same
 * multipliers from the same stream (seed, i, entry) — each with probability
 * 1/count.
 */
export function prepareStochastic(scenario: Scenario, input: unknown, settings: ResolvedPlanOptions): PreparedStochastic {
  const parsed = stochasticSpecSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new ValidationError(fromZodIssues(parsed.error.issues), "request");
  const spec = parsed.data;
  const issues: ValidationIssue[] = [];

  const hereAndNow = spec.here_and_now ?? DEFAULT_HERE_AND_NOW.filter((kind) => has(scenario, kind));
  spec.here_and_now?.forEach((kind, i) => {
    if (!has(scenario, kind))
      issues.push({ path: formatPath(["here_and_now", i]), message: `the scenario has no ${kind === "investments" ? "investments" : "parts to buy"}` });
  });

  const outcomes: OutcomeScenario[] = [];
  let monteCarlo: PreparedMonteCarlo | undefined;
  if (spec.outcomes !== undefined) {
    spec.outcomes.forEach((outcome, i) => {
      const changed = validateChanges(scenario, outcome.changes);
      if (changed.ok) outcomes.push({ name: outcome.name, probability: outcome.probability, scenario: changed.scenario });
      else issues.push(...changed.issues.map((issue) => ({ path: formatPath(["outcomes", i, "changes", ...issue.path]), message: issue.message })));
    });
  } else if (spec.sample !== undefined) {
    const { count, seed, uncertain } = spec.sample;
    try {
      monteCarlo = prepareMonteCarlo(scenario, { samples: count, seed, uncertain }, settings);
    } catch (error) {
      if (!isValidationError(error) || error.subject !== "request") throw error;
      issues.push(...prefixed("sample", error.issues).map((issue) => (issue.path === "sample.samples" ? { ...issue, path: "sample.count" } : issue)));
    }
    if (monteCarlo !== undefined) {
      for (let index = 0; index < count; index++) {
        outcomes.push({ name: `sample ${index}`, probability: 1 / count, scenario: sampledScenario(scenario, monteCarlo, index) });
      }
    }
  }
  if (issues.length > 0) throw new ValidationError(issues, "request");

  const averaged = validateScenario(meanScenario(scenario, outcomes));
  // The mean of valid outcomes keeps every rule of the format (each is linear: ≥ 0, a share ≤ 1, min ≤ max).
  if (!averaged.ok) throw new ValidationError(prefixed("outcomes", averaged.issues), "request");
  return { base: scenario, spec, hereAndNow, outcomes, mean: averaged.scenario, ...(monteCarlo === undefined ? {} : { monteCarlo }) };
}

/** Whether the scenario has decisions of the kind. */
function has(scenario: Scenario, kind: HereAndNowKind): boolean {
  switch (kind) {
    case "investments":
      return scenario.investments.length > 0;
    case "procurement":
      return scenario.parts.length > 0;
    case "production":
      return true;
  }
}

/** Monte Carlo's sample `index`: every uncertain entry applied as a `scale` change by its multiplier, in order (validated ranges: not validated again). */
export function sampledScenario(scenario: Scenario, prepared: PreparedMonteCarlo, index: number): Scenario {
  const multipliers = sampleMultipliers(prepared.spec, index);
  let changed = scenario;
  prepared.selections.forEach((selection, e) => {
    const edit = editScenario(changed, selection, { scale: multipliers[e] ?? 1 });
    if (!edit.ok) throw new Error(`cannot scale uncertain[${e}] by ${multipliers[e]}: ${edit.issues.map((issue) => issue.message).join("; ")}`);
    changed = edit.scenario;
  });
  shareLookup(changed, scenario);
  return changed;
}
