import { explainPlan } from "../explain/index.js";
import type { Formulation } from "../formulate/index.js";
import type { LinearProgram } from "../formulate/lp.js";
import { chooseBackend } from "../solvers/index.js";
import type { SolveResult } from "../solvers/types.js";
import { compileScenario } from "./compiled.js";
import { evaluate } from "./evaluate.js";
import { parsePlanOptions, type PlanOptions, type ResolvedPlanOptions } from "./options.js";
import { emptyQuantities, readQuantities } from "./report.js";
import type { Plan, SolverInfo } from "./types.js";

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

  return toPlan(formulation, result, { backend: backend.name, ms, integer }, settings);
}

/**
 * The Plan of a solve abandoned without a solution, as `plan()` reports a time
 * limit reached before any solution: for a caller that stopped the solve
 * itself (the HTTP service terminates a worker stuck past its deadline).
 */
export function planWithoutSolution(scenario: unknown, options: PlanOptions | undefined, ms: number): Plan {
  const settings = parsePlanOptions(options);
  const compiled = compileScenario(scenario);
  const integer = settings.integer ?? compiled.scenario.integer;
  const formulation = compiled.formulation(integer);
  const backend = chooseBackend(settings.backend, formulation.lp, integer);
  return toPlan(formulation, { status: "time_limit", objective: null, values: null }, { backend: backend.name, ms, integer }, settings);
}

function toPlan(formulation: Formulation, result: SolveResult, solver: SolverInfo, settings: ResolvedPlanOptions): Plan {
  const { scenario } = formulation;
  const quantities = result.values === null ? emptyQuantities : readQuantities(formulation, result.values);
  const evaluation = evaluate(scenario, quantities, solver.integer);
  const planned: Plan = {
    scenario: scenario.id,
    status: result.status,
    objective: result.values === null ? null : evaluation.objective,
    ...quantities,
    capacity: evaluation.capacity,
    targets: evaluation.targets,
    verification: evaluation.verification,
    solver,
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
