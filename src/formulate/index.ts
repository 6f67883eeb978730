import { scenarioLookup } from "../scenario/lookup.js";
import type { Scenario } from "../scenario/schema.js";
import { addBalanceRows } from "./balance.js";
import { addBuilds, type BuildColumns } from "./builds.js";
import { addBuiltCapacity } from "./builtCapacity.js";
import { addCapacityRows } from "./capacity.js";
import { addDemandRows } from "./demand.js";
import { addInHouseMaking } from "./inHouseMaking.js";
import { addLaneCapacityRows } from "./laneCapacity.js";
import { LpBuilder, type LinearProgram } from "./lp.js";
import { addPartsRows } from "./parts.js";
import { addShippingCapacityRows } from "./shippingCapacity.js";
import { addSourceCapacityRows } from "./sourceCapacity.js";
import { addTargetRows } from "./targets.js";
import { addUnsold, type UnsoldColumns } from "./unsold.js";
import { addVariables, type Variables } from "./variables.js";

export interface Formulation {
  readonly scenario: Scenario;
  readonly lp: LinearProgram;
  readonly variables: Variables;
  /** build[investment][period] columns (docs/format.md §2.8). */
  readonly builds: BuildColumns;
  /** unsold[route][period] columns, present only when formulated with `unsold: true` (the two-stage plan, docs/stochastic.md). */
  readonly unsold?: UnsoldColumns;
  /** Whole units: make, sell, stock and buy are integer. */
  readonly integer: boolean;
  /**
   * Some column is whole — units in whole units, or investments' builds,
   * which are whole in every plan: the model is a mixed-integer one, and the
   * solvers are asked to honour its integer columns.
   */
  readonly mixedInteger: boolean;
}

/**
 * Scenario → the solver-neutral LP of docs/format.md §2, one constraint family
 * at a time. The joint network's families (§2.7) add nothing to a scenario
 * without its fields: its LP is the pooled one, row for row.
 */
export interface FormulateOptions {
  /** Overrides the scenario's `integer`. */
  readonly integer?: boolean;
  /** What is made may go unsold (docs/stochastic.md): adds the unsold family; a plain plan never has it. */
  readonly unsold?: boolean;
}

export function formulate(scenario: Scenario, options: FormulateOptions = {}): Formulation {
  const integer = options.integer ?? scenario.integer;
  const lookup = scenarioLookup(scenario);
  const builder = new LpBuilder();
  const variables = addVariables(scenario, lookup, builder, integer);
  const balanceRows = addBalanceRows(scenario, lookup, builder, variables);
  const capacityRows = addCapacityRows(scenario, lookup, builder, variables);
  const partsRows = addPartsRows(scenario, lookup, builder, variables);
  addInHouseMaking(scenario, lookup, builder, variables, capacityRows, partsRows);
  addDemandRows(scenario, lookup, builder, variables);
  addTargetRows(scenario, lookup, builder, variables);
  addSourceCapacityRows(scenario, lookup, builder, variables);
  addLaneCapacityRows(scenario, lookup, builder, variables);
  addShippingCapacityRows(scenario, lookup, builder, variables);
  const builds = addBuilds(scenario, builder);
  addBuiltCapacity(scenario, builder, builds, capacityRows);
  const unsold = options.unsold === true ? addUnsold(scenario, builder, balanceRows, integer) : undefined;
  const sense = scenario.objective === "min_cost" ? "min" : "max";
  const lp = builder.build(sense);
  const mixedInteger = lp.columns.some((column) => column.integer);
  return { scenario, lp, variables, builds, integer, mixedInteger, ...(unsold === undefined ? {} : { unsold }) };
}
