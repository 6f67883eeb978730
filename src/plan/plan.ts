import { explainPlan } from "../explain/index.js";
import type { Formulation } from "../formulate/index.js";
import { ValidationError } from "../scenario/parse.js";
import { chooseBackend, doubtAbout, modelSize, secondOpinionBackend, secondOpinionDecides, type AnswerCheck } from "../solvers/index.js";
import { ModelRejectedError, type SolveOptions, type SolveResult, type SolverBackend } from "../solvers/types.js";
import { droppedCoefficients } from "./droppedCoefficients.js";
import { rejectedAsInvalid, trivialInfeasibility } from "./modelChecks.js";
import { formulationsOf } from "./formulationCache.js";
import { decisionWorths } from "./decisions.js";
import { flowsOf } from "./flows.js";
import { evaluate, type Evaluation } from "./verification/index.js";
import { parsePlanOptions, type PlanOptions, type ResolvedPlanOptions } from "./options.js";
import { pricedRows } from "./pricedRows.js";
import { emptyQuantities, readQuantities } from "./readSolution.js";
import type { Plan, Quantities, SolverInfo } from "./types.js";

/**
 * Plans a scenario (the library face, docs/library.md): validate → formulate →
 * solve → read the solution back, then verify it against the scenario.
 * Throws `ValidationError` for an invalid scenario or options; every solver
 * outcome (infeasible, unbounded, out of time) is a Plan status, not an error.
 */
export function plan(scenario: unknown, options?: PlanOptions): Plan {
  const started = performance.now();
  const settings = parsePlanOptions(options);
  const formulations = formulationsOf(scenario);
  const integer = settings.integer ?? formulations.scenario.integer;
  return planFormulation(formulations.formulation(integer), settings, started);
}

/** What a caller that may stop a plan from outside (a worker thread's owner) hears while it runs. */
export interface PlanHooks {
  /** Each better whole-unit plan the search finds, verified, with status `time_limit` (see `planOfSolution`). */
  readonly onIncumbent?: (plan: Plan) => void;
}

/**
 * Plans a formulated scenario with parsed options; `started` (a
 * `performance.now()` time) is when the time limit began to run.
 */
export function planFormulation(formulation: Formulation, settings: ResolvedPlanOptions, started: number = performance.now(), hooks: PlanHooks = {}): Plan {
  const deadline = settings.timeLimitMs === undefined ? undefined : started + settings.timeLimitMs;
  // The time limit bounds the whole call: the solver gets what validation and formulation left.
  const solveOptions = (backend: SolverBackend): SolveOptions => {
    const { onIncumbent } = hooks;
    return {
      integer: formulation.mixedInteger,
      ...(deadline === undefined ? {} : { timeLimitMs: Math.max(1, deadline - performance.now()) }),
      ...(settings.mipGap === undefined ? {} : { mipGap: settings.mipGap }),
      ...(onIncumbent === undefined
        ? {}
        : {
            onIncumbent: (values: Float64Array) =>
              onIncumbent(planOfSolution(formulation, values, { backend: backend.name, ms: performance.now() - started, integer: formulation.integer })),
          }),
    };
  };

  const dropped = droppedCoefficients(formulation);
  if (dropped.length > 0) throw new ValidationError(dropped);
  const first = chooseBackend(settings.backend, modelSize(formulation.lp, formulation.mixedInteger));
  let attempt = rejectedAsInvalid(formulation.scenario, () => solveAndCheck(first, formulation, solveOptions(first)));
  let fallback: SolverInfo["fallback"];
  // `auto` does not keep a doubtful answer of its quick first choice: it asks for a second opinion (solvers/auto.ts).
  const doubt = settings.backend === "auto" ? doubtAbout(answerCheck(attempt)) : undefined;
  const retry = doubt === undefined ? undefined : secondOpinionBackend(attempt.backend);
  if (doubt !== undefined && retry !== undefined) {
    const firstAttempt = attempt;
    const second = secondOpinion(() => solveAndCheck(retry, formulation, solveOptions(retry)));
    const decided = second !== undefined && secondOpinionDecides(answerCheck(second));
    attempt = decided ? second : firstAttempt;
    attempt.ms = firstAttempt.ms + (second?.ms ?? 0);
    if (decided) fallback = { from: firstAttempt.backend.name, reason: doubt };
  }

  const { backend, result, ms } = attempt;
  const solver: SolverInfo = {
    backend: backend.name,
    ms,
    integer: formulation.integer,
    ...(result.mipGap === undefined ? {} : { gap: result.mipGap }),
    ...(result.detail === undefined ? {} : { detail: result.detail }),
    ...(fallback === undefined ? {} : { fallback }),
  };
  return toPlan(formulation, attempt, solver, settings, deadline);
}

/** planFormulation with a time limit that started at `started`: what decisionWorths replans with. */
const replan = (formulation: Formulation, settings: ResolvedPlanOptions, started: number) => planFormulation(formulation, settings, started);

/**
 * The Plan of a solution found before the search ended — a whole-unit
 * incumbent, say — with status `time_limit`, read back and verified like any
 * other, and not explained. `values: null` is a plan with no solution.
 */
export function planOfSolution(formulation: Formulation, values: Float64Array | null, solver: SolverInfo): Plan {
  const result: SolveResult = { status: "time_limit", objective: null, values };
  return toPlan(formulation, { result, ...check(formulation, result) }, solver, { backend: "auto", explain: false });
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
  /** The verdict came from bounds no solution can meet, before any solver ran. */
  readonly trivial: boolean;
}

function answerCheck({ result, evaluation, trivial }: Attempt): AnswerCheck {
  return {
    status: result.status,
    hasSolution: result.values !== null,
    verified: evaluation.verification.feasible,
    certain: trivial,
    maxViolation: evaluation.verification.max_violation,
  };
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

/** A second opinion that cannot be had (the numbers are beyond the other backend's range) leaves the first answer standing. */
function secondOpinion(solve: () => Attempt): Attempt | undefined {
  try {
    return solve();
  } catch (error) {
    if (error instanceof ModelRejectedError) return undefined;
    throw error;
  }
}

/** The Plan of a checked answer, explained as `settings.explain` asks within what is left until `deadline` (a `performance.now()` time). */
function toPlan(
  formulation: Formulation,
  { result, quantities, evaluation }: Checked,
  solver: SolverInfo,
  settings: ResolvedPlanOptions,
  deadline?: number,
): Plan {
  const flows = flowsOf(formulation.scenario, quantities);
  const planned: Plan = {
    scenario: formulation.scenario.id,
    status: result.status,
    objective: result.values === null ? null : evaluation.objective,
    ...quantities,
    capacity: evaluation.capacity,
    targets: evaluation.targets,
    verification: evaluation.verification,
    solver,
    ...(flows === undefined ? {} : { flows }),
    // A scenario with investments or a discount rate: its objective is a present value, shown period by period.
    ...(formulation.scenario.investments.length > 0 || formulation.scenario.discount_rate > 0 ? { periods: evaluation.periods } : {}),
  };
  // The time limit bounds plan and explanation together: the explanation gets what the solve left.
  const timeLimitMs = deadline === undefined ? undefined : deadline - performance.now();
  const { sensitivity, pricedBounds, diagnosis } = explainPlan(formulation, result.status, result.values, { explain: settings.explain, timeLimitMs });
  // With investments, what each decision is worth: the plan re-optimised with each reversed or moved.
  const decisions = sensitivity === undefined ? undefined : decisionWorths(formulation, planned, settings, replan, deadline);
  return {
    ...planned,
    ...(pricedBounds === undefined ? {} : pricedRows(planned, pricedBounds)),
    ...(sensitivity === undefined ? {} : { sensitivity: decisions === undefined ? sensitivity : { ...sensitivity, decisions } }),
    ...(diagnosis === undefined ? {} : { diagnosis }),
  };
}
