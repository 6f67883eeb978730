import { parseScenario } from "../scenario/parse.js";
import { evaluate } from "./evaluate.js";
import type { Plan, Verification } from "./types.js";

/**
 * Re-checks a plan's quantities (production, sales, inventory, procurement)
 * against every constraint of SPEC §2, straight from the scenario. Use it on a
 * plan that travelled or was edited: the verification inside a Plan describes
 * the plan as it was produced.
 */
export function verifyPlan(scenario: unknown, plan: Pick<Plan, "production" | "sales" | "inventory" | "procurement" | "solver">): Verification {
  return evaluate(parseScenario(scenario), plan, plan.solver.integer).verification;
}
