import type { LinearProgram } from "../formulate/lp.js";
import { highsBackend } from "./highs.js";
import { jsLpSolverBackend } from "./jsLpSolver.js";
import type { BackendName, SolverBackend } from "./types.js";

export { beyondHighsRange } from "./highs.js";

export type BackendChoice = BackendName | "auto";

const backends: Record<BackendName, SolverBackend> = {
  "javascript-lp-solver": jsLpSolverBackend,
  highs: highsBackend,
};

export function availableBackends(): BackendName[] {
  return Object.keys(backends) as BackendName[];
}

/**
 * Largest continuous LP (columns) that `auto` leaves to javascript-lp-solver.
 * Measured by `npm run bench` (benchmarks/crossover.ts, docs/solvers.md):
 * its dense simplex is quicker on most generated LPs of up to 60 columns;
 * above that it runs on some for minutes without an answer, from about 80
 * columns it is slower on most, and on one it wrongly reported "infeasible".
 */
export const AUTO_JS_LP_MAX_COLUMNS = 60;
/**
 * Largest integer model (columns) that `auto` leaves to javascript-lp-solver:
 * none. Its branch and bound is quicker on some tiny models but, measured, ran
 * past 10 s on others of under 60 columns that HiGHS solves in milliseconds.
 */
export const AUTO_JS_MIP_MAX_COLUMNS = 0;

/** The backend that solves `lp`: the named one, or for `auto` the one expected to be fastest. */
export function chooseBackend(choice: BackendChoice, lp: LinearProgram, integer: boolean): SolverBackend {
  if (choice !== "auto") return backends[choice];
  const wholeUnits = integer && lp.columns.some((column) => column.integer);
  return lp.columns.length <= (wholeUnits ? AUTO_JS_MIP_MAX_COLUMNS : AUTO_JS_LP_MAX_COLUMNS) ? jsLpSolverBackend : highsBackend;
}

/**
 * The backend `auto` solves again with when its first choice's answer is
 * doubtful (no plan, or a plan that fails verification); undefined when the
 * first choice was already HiGHS.
 */
export function autoFallback(first: SolverBackend): SolverBackend | undefined {
  return first === highsBackend ? undefined : highsBackend;
}
