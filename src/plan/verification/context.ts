import type { ScenarioLookup } from "../../scenario/lookup.js";
import type { Scenario } from "../../scenario/schema.js";
import type { ConstraintChecker } from "./checker.js";
import type { QuantityTable } from "./quantities.js";

/** What each constraint family's check reads: the scenario, the plan's quantities by position, and the checker to report to. */
export interface VerificationContext {
  readonly scenario: Scenario;
  readonly lookup: ScenarioLookup;
  readonly table: QuantityTable;
  readonly check: ConstraintChecker;
}
