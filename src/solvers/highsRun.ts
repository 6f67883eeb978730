import type { CallbackEventFor, Highs, HighsCallbackMap, InterruptCallbackEvent, Model as HighsModel } from "highs";
import { highsRuntime } from "./highsRuntime.js";

/**
 * Running a HiGHS model to an outcome, shared by the backend (`highs.ts`) and
 * the explanations' sessions (`highsAnalysis.ts`): one reading of HiGHS' model
 * statuses, one guard on its info values, one way to tell "unbounded" from
 * "infeasible", one deadline.
 */

const { constants } = highsRuntime.current();

export type ModelStatusName = keyof Highs["constants"]["modelStatus"];

/**
 * What a model status says about the model: solved to optimality (`empty`
 * included), proved infeasible or unbounded, undecided between the two,
 * stopped by a limit before the search finished (`stopped`: no conclusion
 * about the model), or failed (an error state of HiGHS itself).
 */
export type HighsOutcome = "optimal" | "infeasible" | "unbounded" | "unbounded_or_infeasible" | "stopped" | "failed";

const OUTCOMES: Readonly<Record<ModelStatusName, HighsOutcome>> = {
  empty: "optimal",
  optimal: "optimal",
  infeasible: "infeasible",
  unbounded: "unbounded",
  unboundedOrInfeasible: "unbounded_or_infeasible",
  timeLimit: "stopped",
  iterationLimit: "stopped",
  interrupted: "stopped",
  solutionLimit: "stopped",
  objectiveBound: "stopped",
  objectiveTarget: "stopped",
  notSet: "failed",
  loadError: "failed",
  modelError: "failed",
  presolveError: "failed",
  solveError: "failed",
  postsolveError: "failed",
  unknown: "failed",
};
const OUTCOME_BY_NAME = new Map<string, HighsOutcome>(Object.entries(OUTCOMES));

/** The outcome of a model status, by its name in `constants.modelStatus`; a name this code does not know is a failure. */
export function outcomeOf(status: string): HighsOutcome {
  return OUTCOME_BY_NAME.get(status) ?? "failed";
}

const STATUS_NAMES = new Map<number, ModelStatusName>(Object.entries(constants.modelStatus).map(([name, code]) => [code, name as ModelStatusName]));

/** The name of a model status code (`unknown` for a code HiGHS did not list). */
export function statusName(code: number): ModelStatusName {
  return STATUS_NAMES.get(code) ?? "unknown";
}

/** An info value, or undefined where HiGHS holds none (its info is not valid after every kind of stop). */
export function infoValue(model: HighsModel, name: string): number | undefined {
  try {
    return Number(model.info.get(name));
  } catch {
    return undefined;
  }
}

/** HiGHS ran but ended in an error state (after a retry without presolve); the runtime is sound. */
export class UnsolvedModelError extends Error {
  constructor(readonly status: ModelStatusName) {
    super(`HiGHS could not solve the model (model status "${status}")`);
    this.name = "UnsolvedModelError";
  }
}

/** A run's outcome, with the model status it was read from ("unbounded or infeasible" is always resolved). */
export interface HighsRun {
  readonly outcome: Exclude<HighsOutcome, "unbounded_or_infeasible">;
  readonly status: ModelStatusName;
}

/**
 * Runs the model until it is solved or `deadline` (a `performance.now()`
 * time) passes:
 * - an interrupt at HiGHS' simplex, interior-point and branch-and-bound
 *   checkpoints stops a run at the deadline (closer to it than HiGHS' own
 *   `time_limit`, which the caller sets once per model: HiGHS counts it over
 *   every run of the model); a run due after the deadline is not started and
 *   counts as stopped by the time limit;
 * - a run that fails, or (with `confirmInfeasible`, LPs) calls the model
 *   unbounded, is retried once without presolve, where such failures and
 *   false verdicts usually arise;
 * - "unbounded or infeasible" (presolve or dual simplex cannot tell) is
 *   settled by a run of the same constraints with no objective and no
 *   presolve: `clearObjective` removes the objective and returns a function
 *   that puts it back. A feasibility run that is stopped or fails says so.
 * The model's presolve option is as before when this returns.
 */
export function runModel(
  model: HighsModel,
  deadline: number | undefined,
  clearObjective: () => () => void,
  { confirmInfeasible = false, onIncumbent }: { confirmInfeasible?: boolean; onIncumbent?: (values: Float64Array) => void } = {},
): HighsRun {
  let run = runOnce(model, deadline, onIncumbent);
  // HiGHS' presolve can call a bounded LP unbounded (found on the decomposition's subproblems, models with
  // columns fixed by their bounds): with `confirmInfeasible` (LPs), an "unbounded" from a run with presolve is
  // checked by one without. (Not a MIP's: its search without presolve can take far longer than the verdict is worth.)
  if (run.outcome === "failed" || (confirmInfeasible && run.outcome === "unbounded" && model.options.get("presolve") !== "off")) {
    model.clearSolver();
    run = withoutPresolve(model, () => runOnce(model, deadline, onIncumbent));
  }
  // HiGHS can call an LP that has an unbounded ray "infeasible" although it is feasible (found
  // by the property tests): with `confirmInfeasible` (LPs), that verdict is checked like
  // "unbounded or infeasible", by the feasibility run below.
  const check = run.outcome === "unbounded_or_infeasible" || (confirmInfeasible && run.outcome === "infeasible");
  if (!check) return run as HighsRun;
  const restoreObjective = clearObjective();
  let feasibility: ReturnType<typeof runOnce>;
  try {
    feasibility = withoutPresolve(model, () => runOnce(model, deadline));
  } finally {
    restoreObjective();
  }
  switch (feasibility.outcome) {
    case "optimal": {
      // The constraints have a plan. Presolve's "unbounded or infeasible" is not always right about an LP's
      // objective either (a bounded LP with columns fixed by their bounds): the LP itself, without presolve, says which.
      if (!confirmInfeasible) return { outcome: "unbounded", status: "unbounded" };
      const full = withoutPresolve(model, () => runOnce(model, deadline, onIncumbent));
      return full.outcome === "unbounded_or_infeasible" || full.outcome === "infeasible" ? { outcome: "unbounded", status: "unbounded" } : (full as HighsRun);
    }
    case "infeasible":
    case "stopped":
      return feasibility as HighsRun;
    default:
      // With no objective nothing is unbounded: anything else is HiGHS failing.
      return { outcome: "failed", status: feasibility.status };
  }
}

function runOnce(
  model: HighsModel,
  deadline: number | undefined,
  onIncumbent?: (values: Float64Array) => void,
): { outcome: HighsOutcome; status: ModelStatusName } {
  const status = statusName(runUntil(model, deadline, onIncumbent));
  return { outcome: outcomeOf(status), status };
}

function runUntil(model: HighsModel, deadline: number | undefined, onIncumbent?: (values: Float64Array) => void): number {
  if (deadline !== undefined && performance.now() >= deadline) return constants.modelStatus.timeLimit;
  const stopAtDeadline = (event: InterruptCallbackEvent): undefined => {
    if (deadline !== undefined && performance.now() >= deadline) event.interrupt();
  };
  const callbacks: HighsCallbackMap = {
    ...(deadline === undefined
      ? {}
      : {
          [constants.callbackType.simplexInterrupt]: stopAtDeadline,
          [constants.callbackType.ipmInterrupt]: stopAtDeadline,
          [constants.callbackType.mipInterrupt]: stopAtDeadline,
        }),
    ...(onIncumbent === undefined
      ? {}
      : {
          [constants.callbackType.mipImprovingSolution]: (event: CallbackEventFor<4>): undefined => {
            if (event.data.mip_solution !== undefined) onIncumbent(event.data.mip_solution);
          },
        }),
  };
  return runReportingErrors(model, deadline === undefined && onIncumbent === undefined ? undefined : callbacks);
}

/**
 * `model.run()`, its model status. A run that HiGHS ends in its error state
 * (native status -1: numerical trouble on a valid model) throws `HighsError`;
 * that is a failed run like any other, with the model status HiGHS recorded
 * (`solveError` if it recorded none), so that it is retried and reported,
 * not thrown at the caller. The wrapper's own errors (a disposed model, an
 * invalid input, reentrancy) are bugs and are rethrown.
 */
function runReportingErrors(model: HighsModel, callbacks?: HighsCallbackMap): number {
  const { errors } = highsRuntime.current();
  try {
    return model.run(callbacks).modelStatus;
  } catch (error) {
    const wrapperError =
      error instanceof errors.HighsDisposedError ||
      error instanceof errors.HighsValidationError ||
      error instanceof errors.HighsReentrancyError ||
      error instanceof errors.HighsUnsupportedOptionError;
    if (!(error instanceof errors.HighsError) || wrapperError) throw error;
    let recorded: number | undefined;
    try {
      recorded = model.getModelStatus();
    } catch {
      recorded = undefined;
    }
    return recorded !== undefined && outcomeOf(statusName(recorded)) === "failed" ? recorded : constants.modelStatus.solveError;
  }
}

function withoutPresolve<T>(model: HighsModel, work: () => T): T {
  const presolve = model.options.get("presolve");
  model.options.set("presolve", "off");
  try {
    return work();
  } finally {
    model.options.set("presolve", presolve);
  }
}
