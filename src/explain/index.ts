import type { Formulation } from "../formulate/index.js";
import type { ResolvedPlanOptions } from "../plan/options.js";
import type { Plan } from "../plan/types.js";
import { diagnose } from "./diagnosis.js";
import { relaxationWeights } from "./options.js";
import { analyzeSensitivity } from "./sensitivity.js";
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
 * `timeLimitMs` bounds the explanation's own solves, apart from the plan's.
 */
export function explainPlan(
  formulation: Formulation,
  plan: Plan,
  values: Float64Array | null,
  { explain: option, timeLimitMs }: Pick<ResolvedPlanOptions, "explain" | "timeLimitMs">,
): Explanation {
  if (option === false) return {};
  if (plan.status === "infeasible") return { diagnosis: diagnose(formulation, relaxationWeights(option), timeLimitMs) };
  if (option === undefined || plan.status !== "optimal" || values === null) return {};
  const { sensitivity, priced } = analyzeSensitivity(formulation, values, timeLimitMs);
  return priced ? { ...pricedRows(plan, sensitivity.bounds), sensitivity } : { sensitivity };
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
