import type { Formulation } from "../formulate/index.js";
import { beyondHighsRange } from "../solvers/index.js";
import type { SolveStatus } from "../solvers/types.js";
import { diagnose, unexplained } from "./diagnosis.js";
import { relaxationWeights, type ExplainOption } from "./options.js";
import { analyzeSensitivity, unpriced } from "./sensitivity.js";
import type { BoundSensitivity, Diagnosis, Sensitivity } from "./types.js";

/** What an explanation adds to a plan: `sensitivity` (with the bounds it priced), or a `diagnosis`. */
export interface Explanation {
  readonly sensitivity?: Sensitivity;
  /** The bounds whose shadow prices hold for the plan, when it was priced (the plan's capacity and target rows carry them). */
  readonly pricedBounds?: readonly BoundSensitivity[];
  readonly diagnosis?: Diagnosis;
}

export interface ExplainSettings {
  readonly explain: ExplainOption | undefined;
  /** What is left of the plan's time limit for the explanation's own solves. */
  readonly timeLimitMs: number | undefined;
}

/**
 * The explanation the `explain` option asks for, of a solve with `status`:
 * with `true` (or weights), an optimal plan is priced; unless `false`, an
 * infeasible plan is diagnosed. `values` are the solver's column values
 * (null without a solution). With less than 1 ms of `timeLimitMs` left, the
 * explanation is skipped and says so. Explanations solve with HiGHS: an LP
 * with numbers beyond its range (planned by javascript-lp-solver) gets none.
 */
export function explainPlan(formulation: Formulation, status: SolveStatus, values: Float64Array | null, settings: ExplainSettings): Explanation {
  const { explain: option, timeLimitMs } = settings;
  if (option === false) return {};
  const diagnosing = status === "infeasible";
  const pricing = option !== undefined && status === "optimal" && values !== null;
  if (!(diagnosing || pricing) || beyondHighsRange(formulation.lp) !== undefined) return {};
  const skipped = timeLimitMs !== undefined && timeLimitMs < MIN_EXPLANATION_MS;
  if (diagnosing) {
    const weights = relaxationWeights(option);
    return { diagnosis: skipped ? unexplained(weights, skippedNote("diagnosis")) : diagnose(formulation, weights, timeLimitMs) };
  }
  if (skipped || values === null) return { sensitivity: unpriced(formulation, skippedNote("prices")).sensitivity };
  const { sensitivity, priced } = analyzeSensitivity(formulation, values, timeLimitMs);
  return priced ? { sensitivity, pricedBounds: sensitivity.bounds } : { sensitivity };
}

/** Less time than this left after the solve: the explanation is not started. */
const MIN_EXPLANATION_MS = 1;

function skippedNote(what: "diagnosis" | "prices"): string {
  return `The solve used up the plan's time limit, so the ${what} ${what === "prices" ? "were" : "was"} skipped; plan with a longer timeLimitMs to see ${what === "prices" ? "them" : "it"}.`;
}
