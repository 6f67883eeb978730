import { formulate, type Formulation } from "../formulate/index.js";
import { parseScenario } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";

/**
 * A validated scenario with its formulations, kept per parsed scenario. A
 * parsed scenario is immutable (deeply frozen by `parseScenario`), so planning
 * it again — a planner trying other options, a service holding its bundled
 * scenarios — reuses its validation and formulation; every plan still solves
 * and verifies afresh. Raw documents are validated every time: the library
 * does not guess that two objects are the same scenario.
 */
export class ScenarioFormulations {
  private readonly formulations = new Map<boolean, Formulation>();
  constructor(readonly scenario: Scenario) {}

  formulation(integer: boolean): Formulation {
    let formulation = this.formulations.get(integer);
    if (formulation === undefined) {
      formulation = formulate(this.scenario, { integer });
      this.formulations.set(integer, formulation);
    }
    return formulation;
  }
}

const byScenario = new WeakMap<Scenario, ScenarioFormulations>();

/** The formulations of a scenario: validated first if it is not a parsed one (throws `ValidationError`). */
export function formulationsOf(input: unknown): ScenarioFormulations {
  const scenario = parseScenario(input);
  let formulations = byScenario.get(scenario);
  if (formulations === undefined) {
    formulations = new ScenarioFormulations(scenario);
    byScenario.set(scenario, formulations);
  }
  return formulations;
}
