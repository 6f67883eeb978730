import { z } from "zod";
import type { RelaxationWeights } from "./types.js";

/**
 * Default relaxation weights, per relative change of a bound (relaxing a bound
 * by 10% of its value weighs 0.1 × its weight). Policy and commitments —
 * targets, demand and route minimums, final stocks — weigh 1; physical and
 * market limits — capacities, source capacities, delivery and shipping lanes,
 * route maximums, yard limits, demand maximums — weigh 10, so that the diagnosis gives up a goal before it
 * asks for hours, parts or customers that are not there.
 */
export const DEFAULT_RELAXATION_WEIGHTS: RelaxationWeights = {
  capacity: 10,
  source_capacity: 10,
  lane_capacity: 10,
  shipping_capacity: 10,
  target: 1,
  demand_min: 1,
  demand_max: 10,
  route_min: 1,
  route_max: 10,
  inventory_max: 10,
  inventory_final: 1,
};

const weight = z.number({ error: "expected a number" }).positive({ error: "must be positive" });

const weightsSchema = z.strictObject(
  Object.fromEntries(Object.keys(DEFAULT_RELAXATION_WEIGHTS).map((key) => [key, weight.optional()])) as Record<
    keyof RelaxationWeights,
    z.ZodOptional<typeof weight>
  >,
);

/**
 * `explain` plan option: `true` adds shadow prices, ranges and reduced costs to
 * an optimal plan (a diagnosis is added to every infeasible plan unless
 * `false`); an object does the same with its own relaxation weights.
 */
export const explainOptionSchema = z.union([z.boolean(), z.strictObject({ weights: weightsSchema.optional() })], {
  error: "expected true, false or { weights: { … } }",
});

export type ExplainOption = z.output<typeof explainOptionSchema>;

export function relaxationWeights(option: ExplainOption | undefined): RelaxationWeights {
  if (typeof option !== "object") return DEFAULT_RELAXATION_WEIGHTS;
  const given = Object.fromEntries(Object.entries<number | undefined>(option.weights ?? {}).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_RELAXATION_WEIGHTS, ...given };
}
