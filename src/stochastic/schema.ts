import { z } from "zod";
import { MAX_MONTE_CARLO_SAMPLES, MAX_UNCERTAIN } from "../montecarlo/schema.js";
import { uncertainEntrySchema } from "../montecarlo/schema.js";
import { changeSchema } from "../whatif/schema.js";

/**
 * A two-stage stochastic request (docs/stochastic.md): the outcomes — listed
 * with their probabilities and changes, or drawn as Monte Carlo draws them —
 * what is decided before the outcome is known, and an optional evaluation of
 * those decisions on fresh samples. Every face reads its body with this schema.
 */

/** Most outcomes one extensive form takes (each is a copy of the model). */
export const MAX_OUTCOMES = 10_000;
/** Probabilities must sum to 1 within this. */
export const PROBABILITY_TOLERANCE = 1e-9;

/** Solve the extensive form, decompose it (L-shaped cuts), or decide by size and by where it runs. */
export const stochasticMethods = ["auto", "extensive", "decomposition"] as const;
export type StochasticMethod = (typeof stochasticMethods)[number];
/** Most iterations a decomposition may be allowed. */
export const MAX_DECOMPOSITION_ITERATIONS = 10_000;

export const hereAndNowKinds = ["investments", "production", "procurement"] as const;
export type HereAndNowKind = (typeof hereAndNowKinds)[number];
/** What is decided before the outcome is known unless the request says otherwise. */
export const DEFAULT_HERE_AND_NOW: readonly HereAndNowKind[] = ["investments", "production"];

const wholeCount = (max: number) =>
  z
    .number({ error: "expected a whole number" })
    .int({ error: "expected a whole number" })
    .min(1, { error: "must be at least 1" })
    .max(max, { error: `must be at most ${max}` });

const seed = z
  .number({ error: "expected a whole number" })
  .refine(Number.isSafeInteger, { error: `expected a whole number from −${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}` });

export const outcomeSchema = z.strictObject({
  name: z.string({ error: "expected a name" }).min(1, { error: "must not be empty" }),
  probability: z
    .number({ error: "expected a probability" })
    .refine(Number.isFinite, { error: "expected a finite number" })
    .min(0, { error: "must be at least 0" })
    .max(1, { error: "must be at most 1" }),
  changes: z.array(changeSchema, { error: "expected a list of changes" }).default([]),
});

export const stochasticSampleSchema = z.strictObject({
  count: wholeCount(MAX_OUTCOMES),
  seed,
  uncertain: z
    .array(uncertainEntrySchema, { error: "expected a list of uncertain values" })
    .min(1, { error: "needs at least one uncertain value" })
    .max(MAX_UNCERTAIN, { error: `at most ${MAX_UNCERTAIN} uncertain values` }),
});

export const stochasticSpecSchema = z
  .strictObject({
    /** Provenance: where the outcomes and their probabilities come from. */
    notes: z.string({ error: "expected a string" }).optional(),
    outcomes: z
      .array(outcomeSchema, { error: "expected a list of outcomes" })
      .min(1, { error: "needs at least one outcome" })
      .max(MAX_OUTCOMES, { error: `at most ${MAX_OUTCOMES} outcomes` })
      .optional(),
    sample: stochasticSampleSchema.optional(),
    here_and_now: z.array(z.enum(hereAndNowKinds, { error: `expected one of ${hereAndNowKinds.join(", ")}` }), { error: "expected a list" }).optional(),
    evaluate: z.strictObject({ samples: wholeCount(MAX_MONTE_CARLO_SAMPLES), seed }).optional(),
    /** How the two-stage model is solved (docs/stochastic-decomposition.md). */
    method: z.enum(stochasticMethods, { error: `expected one of ${stochasticMethods.join(", ")}` }).optional(),
    decomposition: z
      .strictObject({
        gap: z.number({ error: "expected a number" }).min(0, { error: "must not be negative" }).max(1, { error: "must be at most 1" }).optional(),
        max_iterations: wholeCount(MAX_DECOMPOSITION_ITERATIONS).optional(),
      })
      .optional(),
  })
  .superRefine((spec, ctx) => {
    if ((spec.outcomes === undefined) === (spec.sample === undefined)) {
      ctx.addIssue({ code: "custom", path: spec.outcomes === undefined ? [] : ["sample"], message: "give either outcomes or sample, not both or neither" });
    }
    if (spec.outcomes !== undefined) {
      const total = spec.outcomes.reduce((sum, outcome) => sum + outcome.probability, 0);
      if (Math.abs(total - 1) > PROBABILITY_TOLERANCE) {
        ctx.addIssue({ code: "custom", path: ["outcomes"], message: `probabilities must sum to 1 (within ${PROBABILITY_TOLERANCE}); they sum to ${total}` });
      }
      const seen = new Map<string, number>();
      spec.outcomes.forEach((outcome, i) => {
        const first = seen.get(outcome.name);
        if (first === undefined) seen.set(outcome.name, i);
        else
          ctx.addIssue({
            code: "custom",
            path: ["outcomes", i, "name"],
            message: `outcome ${JSON.stringify(outcome.name)} is named twice (first at outcomes[${first}])`,
          });
      });
      if (spec.evaluate !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["evaluate"],
          message: "evaluation draws fresh samples from the uncertain values of `sample`; listed outcomes have none to draw from",
        });
      }
    }
    spec.here_and_now?.forEach((kind, i) => {
      if (spec.here_and_now?.indexOf(kind) !== i)
        ctx.addIssue({ code: "custom", path: ["here_and_now", i], message: `${JSON.stringify(kind)} is listed twice` });
    });
  });

export type Outcome = z.output<typeof outcomeSchema>;
export type StochasticSpec = z.output<typeof stochasticSpecSchema>;
export type StochasticSpecInput = z.input<typeof stochasticSpecSchema>;
