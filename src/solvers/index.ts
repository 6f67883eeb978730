import type { LinearProgram } from "../formulate/lp.js";
import { highsBackend } from "./highs.js";
import { jsLpSolverBackend } from "./jsLpSolver.js";
import type { BackendName, SolverBackend } from "./types.js";

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
 * Provisional: its dense tableau wins only on small models.
 */
export const AUTO_JS_LP_MAX_COLUMNS = 300;

/** The backend that solves `lp`: the named one, or for `auto` the one expected to be fastest. */
export function chooseBackend(choice: BackendChoice, lp: LinearProgram, integer: boolean): SolverBackend {
  if (choice !== "auto") return backends[choice];
  const wholeUnits = integer && lp.columns.some((column) => column.integer);
  return !wholeUnits && lp.columns.length <= AUTO_JS_LP_MAX_COLUMNS ? jsLpSolverBackend : highsBackend;
}
