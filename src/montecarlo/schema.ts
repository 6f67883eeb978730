import { z } from "zod";
import { sweepParameterSchema } from "../whatif/schema.js";

/**
 * A Monte Carlo request (docs/montecarlo.md): how many samples, the seed, and
 * the uncertain values — each a what-if selector (a Change without its
 * operation) with the distribution of the multiplier that scales what it
 * selects. The HTTP layer, the jobs and the CLI read their bodies with these
 * schemas.
 */

/** Most samples one run takes (a service sets its own, lower limit). */
export const MAX_MONTE_CARLO_SAMPLES = 1_000_000;
/** Most uncertain entries one run takes. */
export const MAX_UNCERTAIN = 100;

const multiplier = z
  .number({ error: "expected a finite number" })
  .refine(Number.isFinite, { error: "expected a finite number" })
  .min(0, { error: "a multiplier must not be negative" });

export const distributionSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("normal"),
      sd: z
        .number({ error: "expected a finite number" })
        .refine(Number.isFinite, { error: "expected a finite number" })
        .min(0, { error: "a standard deviation must not be negative" }),
    }),
    z.strictObject({ kind: z.literal("uniform"), low: multiplier, high: multiplier }).superRefine(({ low, high }, ctx) => {
      if (low > high) ctx.addIssue({ code: "custom", path: ["high"], message: `must not be below low (${low})` });
    }),
    z.strictObject({ kind: z.literal("triangular"), low: multiplier, mode: multiplier, high: multiplier }).superRefine(({ low, mode, high }, ctx) => {
      if (mode < low) ctx.addIssue({ code: "custom", path: ["mode"], message: `must not be below low (${low})` });
      if (high < mode) ctx.addIssue({ code: "custom", path: ["high"], message: `must not be below mode (${mode})` });
    }),
  ],
  { error: 'expected "kind" to be one of "normal", "uniform", "triangular"' },
);

const distribution = { distribution: distributionSchema };
const [target, capacity, demand, source, route, delivery, shipping, investment] = sweepParameterSchema.options;

/** An uncertain value: a sweep parameter's selector plus the distribution of its multiplier. */
export const uncertainEntrySchema = z.discriminatedUnion(
  "on",
  [
    target.extend(distribution),
    capacity.extend(distribution),
    demand.extend(distribution),
    source.extend(distribution),
    route.extend(distribution),
    delivery.extend(distribution),
    shipping.extend(distribution),
    investment.extend({
      ...distribution,
      field: z.enum(["fixed_cost", "operating_cost"], { error: 'expected "fixed_cost" or "operating_cost" (a decision is not a number to sample)' }),
    }),
  ],
  { error: 'expected "on" to be one of "target", "capacity", "demand", "source", "route", "delivery", "shipping", "investment"' },
);

export const monteCarloSpecSchema = z.strictObject({
  /** Provenance: where the distributions come from (they are assumptions, and a request file says so). */
  notes: z.string({ error: "expected a string" }).optional(),
  samples: z
    .number({ error: "expected a whole number" })
    .int({ error: "expected a whole number" })
    .min(1, { error: "must be at least 1" })
    .max(MAX_MONTE_CARLO_SAMPLES, { error: `must be at most ${MAX_MONTE_CARLO_SAMPLES}` }),
  seed: z
    .number({ error: "expected a whole number" })
    .refine(Number.isSafeInteger, { error: `expected a whole number from −${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}` }),
  uncertain: z
    .array(uncertainEntrySchema, { error: "expected a list of uncertain values" })
    .min(1, { error: "needs at least one uncertain value" })
    .max(MAX_UNCERTAIN, { error: `at most ${MAX_UNCERTAIN} uncertain values` }),
});

export type Distribution = z.output<typeof distributionSchema>;
export type UncertainEntry = z.output<typeof uncertainEntrySchema>;
export type MonteCarloSpec = z.output<typeof monteCarloSpecSchema>;
export type MonteCarloSpecInput = z.input<typeof monteCarloSpecSchema>;
