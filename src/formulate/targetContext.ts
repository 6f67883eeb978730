import type { ScenarioLookup } from "../scenario/lookup.js";
import type { Scenario, Target } from "../scenario/schema.js";
import type { LpBuilder } from "./lp.js";
import type { Variables } from "./variables.js";

/** What each target family needs: the scenario, its columns, the target and which routes it counts. */
export interface TargetContext {
  readonly scenario: Scenario;
  readonly lookup: ScenarioLookup;
  readonly builder: LpBuilder;
  readonly variables: Variables;
  readonly target: Target;
  /** Per route: does the target's plants/products/families filter count it. */
  readonly inScope: readonly boolean[];
}
