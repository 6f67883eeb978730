import type { Formulation } from "../formulate/index.js";
import type { ColumnTag, LinearProgram } from "../formulate/lp.js";
import type { ResolvedPlanOptions } from "../plan/options.js";
import { rejectedAsInvalid, trivialInfeasibility } from "../plan/modelChecks.js";
import { emptyQuantities, readQuantities } from "../plan/readSolution.js";
import type { PlanStatus, Quantities } from "../plan/types.js";
import { evaluate, type Evaluation } from "../plan/verification/index.js";
import type { Scenario } from "../scenario/schema.js";
import { chooseBackend, doubtAbout, modelSize, secondOpinionBackend, secondOpinionDecides, type AnswerCheck } from "../solvers/index.js";
import { UnsolvedModelError } from "../solvers/highsRun.js";
import type { SolveResult, SolverBackend } from "../solvers/types.js";
import { columnKey } from "./extensive.js";

/** Here-and-now decisions by column key (`columnKey`): the value each takes. Plain data. */
export type FixedDecisions = ReadonlyMap<string, number>;

/** A solve of one model of the two-stage plan, and the backend that gave it. */
export interface Solved {
  readonly result: SolveResult;
  readonly backend: SolverBackend["name"];
  /** Whether `verify` accepted its values (false without values). */
  readonly verified: boolean;
}

/**
 * Solves `lp` as `plan()` does: the backend `auto` chooses (or the one asked
 * for), and under `auto` a second opinion from HiGHS when the first answer's
 * solution fails `verify` or says there is no plan. A backend that cannot
 * take the numbers is bad input (`ValidationError` on `scenario`'s fields).
 */
export function solveChecked(
  lp: LinearProgram,
  mixedInteger: boolean,
  scenario: Scenario,
  settings: ResolvedPlanOptions,
  verify: (values: Float64Array) => boolean,
  timeLimitMs?: number,
): Solved {
  const trivial = trivialInfeasibility(lp);
  const run = (backend: SolverBackend): Solved => {
    if (trivial) return { result: { status: "infeasible", objective: null, values: null }, backend: backend.name, verified: false };
    let result: SolveResult;
    try {
      result = rejectedAsInvalid(scenario, () =>
        backend.solve(lp, {
          integer: mixedInteger,
          ...(timeLimitMs === undefined ? {} : { timeLimitMs }),
          ...(settings.mipGap === undefined ? {} : { mipGap: settings.mipGap }),
        }),
      );
    } catch (error) {
      if (!(error instanceof UnsolvedModelError)) throw error;
      result = { status: "undecided", detail: error.message, objective: null, values: null };
    }
    return { result, backend: backend.name, verified: result.values !== null && verify(result.values) };
  };
  const first = chooseBackend(settings.backend, modelSize(lp, mixedInteger));
  const answer = run(first);
  if (settings.backend !== "auto") return answer;
  const doubt = doubtAbout(check(answer, trivial));
  const retry = doubt === undefined ? undefined : secondOpinionBackend(first);
  if (retry === undefined) return answer;
  const second = run(retry);
  return secondOpinionDecides(check(second, trivial)) ? second : answer;
}

function check({ result, verified }: Solved, trivial: boolean): AnswerCheck {
  return { status: result.status, hasSolution: result.values !== null, verified, certain: trivial };
}

/** What one outcome's model came to: verified against the outcome's scenario, unsold units allowed. */
export interface OutcomeAnswer {
  readonly status: PlanStatus;
  /** The verified objective; null without a verified plan. */
  readonly objective: number | null;
  readonly quantities: Quantities;
  readonly evaluation: Evaluation;
  readonly backend: SolverBackend["name"];
  /** The solver's values, one per column of the model; null without a solution. */
  readonly values: Float64Array | null;
}

/** An outcome's values read back and verified in its own scenario's terms. */
export function checkOutcome(formulation: Formulation, values: Float64Array | null): { quantities: Quantities; evaluation: Evaluation } {
  const quantities = values === null ? emptyQuantities : readQuantities(formulation, values);
  return { quantities, evaluation: evaluate(formulation.scenario, quantities, formulation.integer, { unsold: true }) };
}

/**
 * The model with its here-and-now columns fixed: each at its value in
 * `fixed`, or at 0 where `fixed` has none (the decision's model had no such
 * column). Integer columns take the nearest whole value.
 */
export function fixHereAndNow(lp: LinearProgram, fixed: FixedDecisions, isHereAndNow: (tag: ColumnTag) => boolean): LinearProgram {
  const columns = lp.columns.map((column) => {
    if (!isHereAndNow(column.tag)) return column;
    const raw = fixed.get(columnKey(column.tag)) ?? 0;
    const value = column.integer ? Math.round(raw) : raw;
    // Within the column's own bounds in this outcome (a route's min and max): a decision outside them leaves no plan.
    return { ...column, lower: Math.max(column.lower, value), upper: Math.min(column.upper, value) };
  });
  return { sense: lp.sense, columns, rows: lp.rows };
}

/**
 * Solves one outcome's model (`outcomeFormulation`) with the here-and-now
 * decisions fixed (`fixed`, by column key; pass `undefined` to decide them
 * too, as the outcome alone would): the second stage of the two-stage plan.
 * Its answer is verified against the outcome's scenario. The mean-value
 * plan's EEV, the evaluation on fresh samples and a decomposition's
 * subproblems all solve through this.
 */
export function solveOutcomeWithFixed(
  formulation: Formulation,
  fixed: FixedDecisions | undefined,
  isHereAndNow: (tag: ColumnTag) => boolean,
  settings: ResolvedPlanOptions,
  timeLimitMs?: number,
): OutcomeAnswer {
  const lp = fixed === undefined ? formulation.lp : fixHereAndNow(formulation.lp, fixed, isHereAndNow);
  const mixedInteger = lp.columns.some((column) => column.integer && column.lower !== column.upper);
  const solved = solveChecked(
    lp,
    mixedInteger,
    formulation.scenario,
    settings,
    (values) => checkOutcome(formulation, values).evaluation.verification.feasible,
    timeLimitMs,
  );
  const { quantities, evaluation } = checkOutcome(formulation, solved.result.values);
  return {
    status: solved.result.status,
    objective: solved.verified ? evaluation.objective : null,
    quantities,
    evaluation,
    backend: solved.backend,
    values: solved.result.values,
  };
}

/** The here-and-now decisions of a solution of `formulation`'s model (or of an extensive form through `columns`), by key. */
export function decisionsOf(formulation: Formulation, values: Float64Array, isHereAndNow: (tag: ColumnTag) => boolean): Map<string, number> {
  const fixed = new Map<string, number>();
  formulation.lp.columns.forEach((column, j) => {
    if (isHereAndNow(column.tag)) fixed.set(columnKey(column.tag), values[j] ?? 0);
  });
  return fixed;
}
