import { scenarioLookup } from "../../scenario/lookup.js";
import type { Scenario } from "../../scenario/schema.js";
import type { CapacityRow, PeriodMoney, Quantities, TargetRow, Verification } from "../types.js";
import { checkBalance } from "./balance.js";
import { checkBuilds } from "./builds.js";
import { checkCapacity } from "./capacity.js";
import { ConstraintChecker } from "./checker.js";
import type { VerificationContext } from "./context.js";
import { checkDemand } from "./demand.js";
import { checkLaneCapacity } from "./laneCapacity.js";
import { objectiveOf } from "./objective.js";
import { checkParts } from "./parts.js";
import { describeRow, QuantityTable } from "./quantities.js";
import { checkShippingCapacity } from "./shippingCapacity.js";
import { checkTargets } from "./targets.js";
import { checkVariableBounds } from "./variables.js";

export { FEASIBILITY_TOLERANCE } from "./checker.js";

/**
 * Everything a Plan derives from its quantities, computed straight from the
 * scenario and the model's definition (docs/format.md §2) — never from the LP
 * or the solver's report — so that a wrong formulation or a wrong solver
 * answer shows up as a failed verification. One file per constraint family,
 * as in formulate/ (docs/adding-a-constraint.md).
 */
export interface Evaluation {
  readonly objective: number;
  /** The money of each period: reported in a plan of a scenario with investments or a discount rate. */
  readonly periods: PeriodMoney[];
  readonly capacity: CapacityRow[];
  readonly targets: TargetRow[];
  readonly verification: Verification;
}

export interface EvaluateOptions {
  /** What is made may go unsold (the two-stage plan's outcomes, docs/stochastic.md): unsold rows join the balance. */
  readonly unsold?: boolean;
}

export function evaluate(scenario: Scenario, quantities: Quantities, integer: boolean, options: EvaluateOptions = {}): Evaluation {
  const check = new ConstraintChecker();
  const lookup = scenarioLookup(scenario);
  const table = new QuantityTable(scenario, lookup, quantities, check, integer, options.unsold === true);
  const context: VerificationContext = { scenario, lookup, table, check };

  // The decisions first: capacity and the objective read what they build.
  checkBuilds(context);
  checkVariableBounds(context);
  checkBalance(context);
  const capacity = checkCapacity(context);
  checkParts(context);
  checkDemand(context);
  checkLaneCapacity(context);
  checkShippingCapacity(context);
  // Quantities no variable of the model accounts for: no such route, channel, source, plant or period.
  for (const entry of table.unclaimed) {
    const units = entry.row.units;
    if (check.range(units, Math.abs(units), 0, 0)) {
      check.describe(
        entry.kind === "unsold"
          ? `${describeRow(entry)}: ${options.unsold === true ? "no such route or period in the scenario" : "this model sells what it makes (unsold units are for the two-stage plan)"}`
          : `${describeRow(entry)}: no such route, market, source, delivery or period in the scenario`,
      );
    }
  }
  const targets = checkTargets(context);
  const { objective, periods } = objectiveOf(context);
  return { objective, periods, capacity, targets, verification: check.result() };
}
