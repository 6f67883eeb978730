import { scenarioLookup } from "../scenario/lookup.js";
import type { Scenario } from "../scenario/schema.js";
import { addBalanceRows } from "./balance.js";
import { addCapacityRows } from "./capacity.js";
import { addDemandRows } from "./demand.js";
import { LpBuilder, type LinearProgram } from "./lp.js";
import { addPartsRows } from "./parts.js";
import { addTargetRows } from "./targets.js";
import { addVariables, type Variables } from "./variables.js";

export interface Formulation {
  readonly scenario: Scenario;
  readonly lp: LinearProgram;
  readonly variables: Variables;
  readonly integer: boolean;
}

/** Scenario → the solver-neutral LP of docs/format.md §2, one constraint family at a time. */
export function formulate(scenario: Scenario, options: { integer?: boolean } = {}): Formulation {
  const integer = options.integer ?? scenario.integer;
  const lookup = scenarioLookup(scenario);
  const builder = new LpBuilder();
  const variables = addVariables(scenario, lookup, builder, integer);
  addBalanceRows(scenario, lookup, builder, variables);
  addCapacityRows(scenario, lookup, builder, variables);
  addPartsRows(scenario, lookup, builder, variables);
  addDemandRows(scenario, lookup, builder, variables);
  addTargetRows(scenario, lookup, builder, variables);
  const sense = scenario.objective === "min_cost" ? "min" : "max";
  return { scenario, lp: builder.build(sense), variables, integer };
}
