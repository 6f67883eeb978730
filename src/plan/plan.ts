import { explainPlan } from "../explain/index.js";
import type { LinearProgram } from "../formulate/lp.js";
import { chooseBackend } from "../solvers/index.js";
import type { SolveResult } from "../solvers/types.js";
import { compileScenario } from "./compiled.js";
import { evaluate } from "./evaluate.js";
import { parsePlanOptions, type PlanOptions } from "./options.js";
import { emptyQuantities, readQuantities } from "./report.js";
import type { Plan } from "./types.js";

/**
 * Plans a scenario (SPEC §4 library face): validate → formulate → solve →
 * report, then verify the reported quantities against the scenario.
 * Throws `ValidationError` for an invalid scenario or options; every solver
 * outcome (infeasible, unbounded, out of time) is a Plan status, not an error.
 */
export function plan(scenario: unknown, options?: PlanOptions): Plan {
  const settings = parsePlanOptions(options);
  const compiled = compileScenario(scenario);
  const parsed = compiled.scenario;
  const integer = settings.integer ?? parsed.integer;
  const formulation = compiled.formulation(integer);
  const backend = chooseBackend(settings.backend, formulation.lp, integer);

  const started = performance.now();
  const result: SolveResult = trivialInfeasibility(formulation.lp)
    ? { status: "infeasible", objective: null, values: null }
    : backend.solve(formulation.lp, {
        integer,
        ...(settings.timeLimitMs === undefined ? {} : { timeLimitMs: settings.timeLimitMs }),
        ...(settings.mipGap === undefined ? {} : { mipGap: settings.mipGap }),
      });
  const ms = performance.now() - started;

  const quantities = result.values === null ? emptyQuantities : readQuantities(formulation, result.values);
  const evaluation = evaluate(parsed, quantities, integer);
  const planned: Plan = {
    scenario: parsed.id,
    status: result.status,
    objective: result.values === null ? null : evaluation.objective,
    ...quantities,
    capacity: evaluation.capacity,
    targets: evaluation.targets,
    verification: evaluation.verification,
    solver: { backend: backend.name, ms, integer },
  };
  return { ...planned, ...explainPlan(formulation, planned, result.values, settings) };
}

/** Bounds no solution can meet: a column whose lower bound exceeds its upper, or an empty row excluding zero. */
function trivialInfeasibility(lp: LinearProgram): boolean {
  return (
    lp.columns.some((column) => column.lower > column.upper) ||
    lp.rows.some((row) => row.lower > row.upper || (row.columns.length === 0 && (row.lower > 0 || row.upper < 0)))
  );
}
