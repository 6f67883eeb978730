import type { LinearProgram } from "../formulate/lp.js";
import { highsBackend } from "./highs.js";
import { jsLpSolverBackend } from "./jsLpSolver.js";
import type { BackendName, SolveStatus, SolverBackend } from "./types.js";

/**
 * The `auto` rule, in one place: which backend solves a model, when its
 * answer needs a second opinion, which answer is kept, and whether whatever
 * `auto` runs stops by itself near its time limit. Everything else (plan(),
 * the HTTP service's placement) asks here.
 */

export type BackendChoice = BackendName | "auto";

const backends: Readonly<Record<BackendName, SolverBackend>> = {
  "javascript-lp-solver": jsLpSolverBackend,
  highs: highsBackend,
};

export function availableBackends(): BackendName[] {
  return Object.keys(backends) as BackendName[];
}

/** How large a model is, counted on its LP or estimated (as an upper bound) before it is formulated. */
export interface ModelSize {
  readonly columns: number;
  readonly rows: number;
  /** Non-zero coefficients of the constraint matrix. */
  readonly nonZeros: number;
  /** Whole units asked for, and some column can be whole. */
  readonly integer: boolean;
}

export function modelSize(lp: LinearProgram, integer: boolean): ModelSize {
  let nonZeros = 0;
  for (const row of lp.rows) nonZeros += row.columns.length;
  return { columns: lp.columns.length, rows: lp.rows.length, nonZeros, integer: integer && lp.columns.some((column) => column.integer) };
}

/**
 * Largest continuous LP that `auto` leaves to javascript-lp-solver. Measured
 * by `npm run bench` (benchmarks/crossover.ts, docs/solvers.md): its dense
 * simplex is quicker on most generated LPs of up to 60 columns; above that it
 * runs on some for minutes without an answer, from about 80 columns it is
 * slower on most, and on one it wrongly reported "infeasible". Its tableau
 * has a row per constraint, so rows count too: 60 columns with 300,000 rows
 * took it 9 s where HiGHS (whose presolve drops the empty ones) needs
 * milliseconds.
 */
export const AUTO_JS_LP_MAX_COLUMNS = 60;
export const AUTO_JS_LP_MAX_ROWS = 200;
/**
 * Largest integer model (columns) that `auto` leaves to javascript-lp-solver:
 * none. Its branch and bound is quicker on some tiny models but, measured, ran
 * past 10 s on others of under 60 columns that HiGHS solves in milliseconds.
 */
export const AUTO_JS_MIP_MAX_COLUMNS = 0;

/** Whether javascript-lp-solver is known to be quick on a model of this size: what `auto` gives it. */
function quickForJsLpSolver(size: ModelSize): boolean {
  return size.columns <= (size.integer ? AUTO_JS_MIP_MAX_COLUMNS : AUTO_JS_LP_MAX_COLUMNS) && size.rows <= AUTO_JS_LP_MAX_ROWS;
}

/** What a caller needs of the answer beyond a solution. */
export interface BackendNeeds {
  /** Duals and a basis of an optimal LP (prices, slopes, what binds). */
  readonly duals?: boolean;
}

/**
 * The backend that solves a model of this size: the named one, or for `auto`
 * the one expected to be fastest among those that give what the caller needs
 * (a sweep's slopes need duals, which javascript-lp-solver does not report).
 */
export function chooseBackend(choice: BackendChoice, size: ModelSize, needs: BackendNeeds = {}): SolverBackend {
  if (choice !== "auto") return backends[choice];
  const quick = quickForJsLpSolver(size) ? jsLpSolverBackend : highsBackend;
  return needs.duals === true && !size.integer && !quick.capabilities.duals ? highsBackend : quick;
}

/** The backend that prices an LP (duals, ranging): the one explanations and what-if analysis ask. */
export function pricingBackend(): SolverBackend {
  return highsBackend;
}

/**
 * Whether a solve of a model of (at most) this size ends by itself close to
 * its time limit, whatever `choice` runs — the first choice, and for `auto`
 * the second opinion. A backend that honours a deadline does; one that does
 * not (javascript-lp-solver's simplex cannot be interrupted) does only where
 * it is known to be quick. `size` may be an upper bound: `auto` picks
 * javascript-lp-solver only for models it is quick on, so the answer holds
 * for any smaller model too.
 */
export function stopsInTime(choice: BackendChoice, size: ModelSize): boolean {
  if (choice === "auto") return true;
  const backend = backends[choice];
  return backend.capabilities.honoursTimeLimit(size.integer) || quickForJsLpSolver(size);
}

/** What `auto` needs to know of an answer to judge it. */
export interface AnswerCheck {
  readonly status: SolveStatus;
  /** The answer carries a solution (values for every column). */
  readonly hasSolution: boolean;
  /** Its solution passed the independent verification (meaningless without a solution). */
  readonly verified: boolean;
  /** The verdict needed no solver (bounds no solution can meet): nothing to doubt. */
  readonly certain: boolean;
  /** The verification's largest scaled violation, for the reason given. */
  readonly maxViolation?: number;
}

/**
 * Why an answer of `auto`'s first choice needs a second opinion: a solution
 * that fails verification, or "no plan" from the solver itself. Undefined
 * when the answer stands.
 */
export function doubtAbout(answer: AnswerCheck): string | undefined {
  if (answer.hasSolution && !answer.verified) return `its plan failed verification (max violation ${answer.maxViolation ?? "unknown"})`;
  if (!answer.certain && (answer.status === "infeasible" || answer.status === "unbounded" || answer.status === "undecided"))
    return `it reported "${answer.status}"`;
  return undefined;
}

/** The backend `auto` asks for a second opinion after `first`; undefined when the first was already HiGHS. */
export function secondOpinionBackend(first: SolverBackend): SolverBackend | undefined {
  return first === highsBackend ? undefined : highsBackend;
}

/**
 * Whether the second opinion replaces the first answer: unless it could not
 * decide, or ran out of time without a verified plan of its own — then the
 * first answer, verified on its own, stands.
 */
export function secondOpinionDecides(second: AnswerCheck): boolean {
  if (second.status === "undecided") return false;
  return second.status !== "time_limit" || (second.hasSolution && second.verified);
}
