import { formulate, type Formulation } from "../formulate/index.js";
import { parseScenario } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";

/**
 * A validated scenario with its formulations, kept so that planning the same
 * document again (a planner re-running a scenario, a service answering the
 * same request) skips validation and formulation. Every plan still solves and
 * verifies afresh; only the scenario → LP work is shared.
 *
 * Documents are recognised by their JSON text, as SPEC §1 defines a scenario
 * as a JSON document: two inputs with the same JSON are the same scenario.
 * Large documents are not kept: their solve time dwarfs the work saved.
 */
export class CompiledScenario {
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

const CACHE_ENTRIES = 16;
/** Routes × periods above which a document is not fingerprinted or kept. */
const CACHE_MAX_SIZE = 2_000;

const byDocument = new Map<string, CompiledScenario>();
const byScenario = new WeakMap<Scenario, CompiledScenario>();

export function compileScenario(input: unknown): CompiledScenario {
  // A scenario parsed before (a bundled one a service holds, say) is found without serializing it.
  const parsed = typeof input === "object" && input !== null ? byScenario.get(input as Scenario) : undefined;
  if (parsed !== undefined) return parsed;
  const key = cacheKey(input);
  const cached = key === undefined ? undefined : byDocument.get(key);
  if (key !== undefined && cached !== undefined) {
    byDocument.delete(key); // most recently used goes last
    byDocument.set(key, cached);
    return cached;
  }
  const scenario = parseScenario(input);
  let compiled = byScenario.get(scenario);
  if (compiled === undefined) {
    compiled = new CompiledScenario(scenario);
    byScenario.set(scenario, compiled);
  }
  if (key !== undefined) {
    byDocument.set(key, compiled);
    if (byDocument.size > CACHE_ENTRIES) byDocument.delete(byDocument.keys().next().value as string);
  }
  return compiled;
}

function cacheKey(input: unknown): string | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  const { routes, periods } = input as { routes?: unknown; periods?: unknown };
  const size = (Array.isArray(routes) ? routes.length : 0) * (Array.isArray(periods) ? periods.length : 1);
  if (size > CACHE_MAX_SIZE) return undefined;
  try {
    return JSON.stringify(input);
  } catch {
    return undefined; // cycles, BigInt: not a JSON document; validation will say why
  }
}
