import { explainPlan } from "../explain/index.js";
import type { Formulation } from "../formulate/index.js";
import type { LinearProgram } from "../formulate/lp.js";
import { numbersBeyond } from "../scenario/magnitudes.js";
import { formatPath, ValidationError } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";
import { autoFallback, chooseBackend } from "../solvers/index.js";
import { ModelRejectedError, type SolveOptions, type SolveResult, type SolverBackend } from "../solvers/types.js";
import { compileScenario } from "./compiled.js";
import { evaluate, type Evaluation } from "./evaluate.js";
import { parsePlanOptions, type PlanOptions, type ResolvedPlanOptions } from "./options.js";
import { emptyQuantities, readQuantities } from "./report.js";
import type { Plan, Quantities, SolverInfo } from "./types.js";

/**
 * Plans a scenario (the library face, docs/library.md): validate → formulate → solve →
 * report, then verify the reported quantities against the scenario.
 * Throws `ValidationError` for an invalid scenario or options; every solver
 * outcome (infeasible, unbounded, out of time) is a Plan status, not an error.
 */
export function plan(scenario: unknown, options?: PlanOptions): Plan {
  const started = performance.now();
  const settings = parsePlanOptions(options);
  const compiled = compileScenario(scenario);
  const parsed = compiled.scenario;
  const integer = settings.integer ?? parsed.integer;
  const formulation = compiled.formulation(integer);
  // The time limit bounds the whole call: the solver gets what validation and formulation left.
  const solveOptions = (): SolveOptions => ({
    integer,
    ...(settings.timeLimitMs === undefined ? {} : { timeLimitMs: Math.max(1, settings.timeLimitMs - (performance.now() - started)) }),
    ...(settings.mipGap === undefined ? {} : { mipGap: settings.mipGap }),
  });

  let attempt = rejectedAsInvalid(parsed, () => solveAndCheck(chooseBackend(settings.backend, formulation.lp, integer), formulation, solveOptions()));
  let fallback: SolverInfo["fallback"];
  // `auto` does not keep a doubtful answer from its quick first choice: HiGHS solves again, and its
  // answer replaces the first unless it ran out of time without a plan of its own.
  const doubt = settings.backend === "auto" ? doubtAbout(attempt) : undefined;
  const retry = doubt === undefined ? undefined : autoFallback(attempt.backend);
  if (doubt !== undefined && retry !== undefined) {
    const first = attempt;
    const second = secondOpinion(() => solveAndCheck(retry, formulation, solveOptions()));
    const decided =
      second !== undefined && (second.result.status !== "time_limit" || (second.result.values !== null && second.evaluation.verification.feasible));
    attempt = decided ? second : first;
    attempt.ms = first.ms + (second?.ms ?? 0);
    if (decided) fallback = { from: first.backend.name, reason: doubt };
  }

  const { backend, result, ms } = attempt;
  const solver: SolverInfo = {
    backend: backend.name,
    ms,
    integer,
    ...(result.mipGap === undefined ? {} : { gap: result.mipGap }),
    ...(fallback === undefined ? {} : { fallback }),
  };
  return toPlan(formulation, attempt, solver, settings, settings.timeLimitMs === undefined ? undefined : started + settings.timeLimitMs);
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
  const result: SolveResult = { status: "time_limit", objective: null, values: null };
  return toPlan(formulation, { result, ...check(formulation, result) }, { backend: backend.name, ms, integer }, settings);
}

/** A solver's answer read back in the scenario's terms and verified against it. */
interface Checked {
  readonly result: SolveResult;
  readonly quantities: Quantities;
  readonly evaluation: Evaluation;
}

interface Attempt extends Checked {
  readonly backend: SolverBackend;
  /** Solver time only (the LP is already formulated). */
  ms: number;
  readonly trivial: boolean;
}

function check(formulation: Formulation, result: SolveResult): Omit<Checked, "result"> {
  const quantities = result.values === null ? emptyQuantities : readQuantities(formulation, result.values);
  return { quantities, evaluation: evaluate(formulation.scenario, quantities, formulation.integer) };
}

function solveAndCheck(backend: SolverBackend, formulation: Formulation, options: SolveOptions): Attempt {
  const trivial = trivialInfeasibility(formulation.lp);
  const started = performance.now();
  const result: SolveResult = trivial ? { status: "infeasible", objective: null, values: null } : backend.solve(formulation.lp, options);
  const ms = performance.now() - started;
  return { backend, result, ms, trivial, ...check(formulation, result) };
}

/**
 * A solve whose backend cannot take the scenario's numbers is bad input, like
 * any other: a `ValidationError` naming the fields beyond the solver's range.
 */
function rejectedAsInvalid(scenario: Scenario, solve: () => Attempt): Attempt {
  try {
    return solve();
  } catch (error) {
    if (!(error instanceof ModelRejectedError)) throw error;
    const fields = numbersBeyond(scenario, error.limits, error.backend).map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
    throw new ValidationError(fields.length > 0 ? fields : [{ path: "", message: error.message }]);
  }
}

/** A second opinion that cannot be had (the numbers are beyond the other backend's range) leaves the first answer standing. */
function secondOpinion(solve: () => Attempt): Attempt | undefined {
  try {
    return solve();
  } catch (error) {
    if (error instanceof ModelRejectedError) return undefined;
    throw error;
  }
}

/** Why an answer needs a second opinion: a plan that fails verification, or "no plan" from the solver itself. */
function doubtAbout({ result, trivial, evaluation }: Attempt): string | undefined {
  if (result.values !== null && !evaluation.verification.feasible) {
    return `its plan failed verification (max violation ${evaluation.verification.max_violation})`;
  }
  if (!trivial && (result.status === "infeasible" || result.status === "unbounded")) return `it reported "${result.status}"`;
  return undefined;
}

/** The Plan of a checked answer, explained as `settings.explain` asks within what is left until `deadline` (a `performance.now()` time). */
function toPlan(
  formulation: Formulation,
  { result, quantities, evaluation }: Checked,
  solver: SolverInfo,
  settings: ResolvedPlanOptions,
  deadline?: number,
): Plan {
  const planned: Plan = {
    scenario: formulation.scenario.id,
    status: result.status,
    objective: result.values === null ? null : evaluation.objective,
    ...quantities,
    capacity: evaluation.capacity,
    targets: evaluation.targets,
    verification: evaluation.verification,
    solver,
  };
  // The time limit bounds plan and explanation together: the explanation gets what the solve left.
  const timeLimitMs = deadline === undefined ? undefined : deadline - performance.now();
  return { ...planned, ...explainPlan(formulation, planned, result.values, { explain: settings.explain, timeLimitMs }) };
}

/** Bounds no solution can meet: a column whose lower bound exceeds its upper, or an empty row excluding zero. */
function trivialInfeasibility(lp: LinearProgram): boolean {
  return (
    lp.columns.some((column) => column.lower > column.upper) ||
    lp.rows.some((row) => row.lower > row.upper || (row.columns.length === 0 && (row.lower > 0 || row.upper < 0)))
  );
}
