import { z } from "zod";
import { explainOptionSchema } from "../explain/options.js";
import { fromZodIssues, ValidationError } from "../scenario/parse.js";
import { backendNames } from "../solvers/types.js";

export const backendChoices = ["auto", ...backendNames] as const;

/** Plan options (docs/format.md §4): every face validates them with this one schema. */
export const planOptionsSchema = z.strictObject({
  backend: z.enum(backendChoices, { error: `expected one of ${backendChoices.join(", ")}` }).default("auto"),
  integer: z.boolean({ error: "expected true or false" }).optional(),
  timeLimitMs: z
    .number({ error: "expected a number of milliseconds" })
    .int({ error: "expected a whole number of milliseconds" })
    .positive({ error: "must be positive" })
    .optional(),
  mipGap: z.number({ error: "expected a number" }).min(0, { error: "must not be negative" }).max(1, { error: "must be at most 1" }).optional(),
  explain: explainOptionSchema.optional(),
});

export type PlanOptions = z.input<typeof planOptionsSchema>;
export type ResolvedPlanOptions = z.output<typeof planOptionsSchema>;

export function parsePlanOptions(input: unknown): ResolvedPlanOptions {
  const parsed = planOptionsSchema.safeParse(input ?? {}, { reportInput: true });
  if (!parsed.success) throw new ValidationError(fromZodIssues(parsed.error.issues), "options");
  return parsed.data;
}
