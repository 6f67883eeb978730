import type { Formulation } from "../formulate/index.js";
import type { ResolvedPlanOptions } from "../plan/options.js";
import type { Plan } from "../plan/types.js";
import { beyondHighsRange } from "../solvers/index.js";
import { diagnose, unexplained } from "./diagnosis.js";
import { relaxationWeights } from "./options.js";
import { analyzeSensitivity, unpriced } from "./sensitivity.js";
import type { BoundSensitivity, Diagnosis, Sensitivity } from "./types.js";

/** What an explanation adds to a Plan: priced capacity and target rows plus `sensitivity`, or a `diagnosis`. */
export interface Explanation {
  readonly capacity?: Plan["capacity"];
  readonly targets?: Plan["targets"];
  readonly sensitivity?: Sensitivity;
  readonly diagnosis?: Diagnosis;
}

/**
 * The explanation the `explain` option asks for: with `true` (or weights), an
 * optimal plan is priced; unless `false`, an infeasible plan is diagnosed.
 * `values` are the solver's column values behind the plan (null without one).
 * `timeLimitMs` is what is left of the plan's time limit for the explanation's
 * own solves; with less than 1 ms left, the explanation is skipped and says so.
 * Explanations solve with HiGHS: an LP with numbers beyond its range (planned
 * by javascript-lp-solver) gets none.
 */
export function explainPlan(
  formulation: Formulation,
  plan: Plan,
  values: Float64Array | null,
  { explain: option, timeLimitMs }: Pick<ResolvedPlanOptions, "explain" | "timeLimitMs">,
): Explanation {
  if (option === false) return {};
  const diagnosing = plan.status === "infeasible";
  const pricing = option !== undefined && plan.status === "optimal" && values !== null;
  if (!(diagnosing || pricing) || beyondHighsRange(formulation.lp) !== undefined) return {};
  const skipped = timeLimitMs !== undefined && timeLimitMs < MIN_EXPLANATION_MS;
  if (diagnosing) {
    const weights = relaxationWeights(option);
    return { diagnosis: skipped ? unexplained(weights, skippedNote("diagnosis")) : diagnose(formulation, weights, timeLimitMs) };
  }
  if (!pricing) return {};
  if (skipped) return { sensitivity: unpriced(formulation, skippedNote("prices")).sensitivity };
  const { sensitivity, priced } = analyzeSensitivity(formulation, values, timeLimitMs);
  return priced ? { ...pricedRows(plan, sensitivity.bounds), sensitivity } : { sensitivity };
}

/** Less time than this left after the solve: the explanation is not started. */
const MIN_EXPLANATION_MS = 1;

function skippedNote(what: "diagnosis" | "prices"): string {
  return `The solve used up the plan's time limit, so the ${what} ${what === "prices" ? "were" : "was"} skipped; plan with a longer timeLimitMs to see ${what === "prices" ? "them" : "it"}.`;
}

/** Capacity and target rows with the shadow price of their binding bound and its allowable range. */
function pricedRows(plan: Plan, bounds: readonly BoundSensitivity[]): Pick<Explanation, "capacity" | "targets"> {
  const capacity = new Map<string, BoundSensitivity>();
  const targets = new Map<string, Extract<BoundSensitivity, { kind: "target" }>[]>();
  for (const bound of bounds) {
    if (bound.kind === "capacity") capacity.set(key(bound.period, bound.plant, bound.resource), bound);
    if (bound.kind === "target") {
      const id = key(bound.period, bound.id);
      targets.set(id, [...(targets.get(id) ?? []), bound]);
    }
  }
  return {
    capacity: plan.capacity.map((row) => {
      const bound = capacity.get(key(row.period, row.plant, row.resource));
      return bound === undefined ? row : { ...row, shadow_price: bound.shadow_price, range: bound.range };
    }),
    targets: plan.targets.map((row) => {
      const priced = targets.get(key(row.period, row.id)) ?? [];
      // At most one bound of a target binds; without one, the price is 0.
      const binding = priced.find((bound) => bound.shadow_price !== 0);
      return {
        ...row,
        shadow_price: binding?.shadow_price ?? 0,
        binding: binding?.bound ?? null,
        range: binding?.range ?? null,
      };
    }),
  };
}

function key(...parts: string[]): string {
  return JSON.stringify(parts);
}
