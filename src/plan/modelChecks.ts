import type { LinearProgram } from "../formulate/lp.js";
import { numbersBeyond } from "../scenario/magnitudes.js";
import { formatPath, ValidationError } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";
import { ModelRejectedError } from "../solvers/types.js";

/** Checks every solve of a model goes through, in `plan()` and in a sweep that moves numbers in a formulated model. */

/**
 * Bounds no solution can meet: a column whose lower bound exceeds its upper,
 * or an empty row excluding zero. Such a model is infeasible without asking a
 * solver (javascript-lp-solver would not even see an empty row).
 */
export function trivialInfeasibility(lp: LinearProgram): boolean {
  return (
    lp.columns.some((column) => column.lower > column.upper) ||
    lp.rows.some((row) => row.lower > row.upper || (row.columns.length === 0 && (row.lower > 0 || row.upper < 0)))
  );
}

/**
 * Runs `work` (a solve); a backend that cannot take the scenario's numbers
 * makes it bad input, like any other: a `ValidationError` naming the fields
 * beyond the solver's range.
 */
export function rejectedAsInvalid<T>(scenario: Scenario, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof ModelRejectedError)) throw error;
    const fields = numbersBeyond(scenario, error.limits, error.backend).map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
    throw new ValidationError(fields.length > 0 ? fields : [{ path: "", message: error.message }]);
  }
}
