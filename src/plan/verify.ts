import { z } from "zod";
import { fromZodIssues, parseScenario, ValidationError } from "../scenario/parse.js";
import { evaluate } from "./verification/index.js";
import type { Plan, Verification } from "./types.js";

/** What verification reads from a plan: its quantity rows and whether it is in whole units. Other fields may be present. */
const text = z.string({ error: "expected a string" });
const units = z.number({ error: "expected a number" });
const planQuantitiesSchema = z.looseObject({
  production: z.array(z.looseObject({ period: text, plant: text, product: text, units })),
  sales: z.array(
    z.looseObject({ period: text, plant: text, product: text, market: text, units, revenue: units, shipping: units.optional(), duty: units.optional() }),
  ),
  inventory: z.array(z.looseObject({ period: text, plant: text, product: text, units })),
  procurement: z.array(
    z.looseObject({
      period: text,
      part: text,
      source: text,
      local: z.boolean({ error: "expected true or false" }),
      units,
      cost: units,
      plant: text.optional(),
      freight: units.optional(),
      duty: units.optional(),
    }),
  ),
  investments: z
    .array(
      z.looseObject({
        id: text,
        plant: text,
        built: z.boolean({ error: "expected true or false" }),
        period: text.nullable(),
        fixed_cost: units,
        operating_cost: units,
      }),
    )
    .optional(),
  solver: z.looseObject({ integer: z.boolean({ error: "expected true or false" }) }),
});

export type PlanQuantities = Pick<Plan, "production" | "sales" | "inventory" | "procurement" | "investments" | "solver">;

/**
 * Re-checks a plan's quantities (production, sales, inventory, procurement)
 * against every constraint of docs/format.md §2, straight from the scenario. Use it on a
 * plan that travelled or was edited: the verification inside a Plan describes
 * the plan as it was produced. A plan that lacks those rows, or has rows of
 * the wrong shape, is a `ValidationError` (subject "plan") naming the fields.
 */
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- PlanQuantities says what is expected; any value is checked
export function verifyPlan(scenario: unknown, plan: PlanQuantities | unknown): Verification {
  const parsedScenario = parseScenario(scenario);
  const parsed = planQuantitiesSchema.safeParse(plan, { reportInput: true });
  if (!parsed.success) throw new ValidationError(fromZodIssues(parsed.error.issues), "plan");
  return evaluate(parsedScenario, parsed.data, parsed.data.solver.integer).verification;
}
