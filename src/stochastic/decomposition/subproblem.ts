import type { Formulation } from "../../formulate/index.js";
import type { Column, ColumnTag, LinearProgram, Row } from "../../formulate/lp.js";
import { pricingBackend } from "../../solvers/index.js";
import { UnsolvedModelError } from "../../solvers/highsRun.js";
import type { SolveResult } from "../../solvers/types.js";
import { columnKey } from "../extensive.js";
import { fixHereAndNow } from "../solve.js";
import type { SubproblemAnswer, SubproblemOp } from "./types.js";

/**
 * One outcome's subproblem of the L-shaped method, on HiGHS (the backend
 * that prices an LP: the cuts are its duals). With the here-and-now columns
 * fixed by their bounds, a fixed column's reduced cost is the slope of the
 * outcome's objective in that decision (`SolveResult.duals`: per unit
 * increase of the bound, in the LP's own sense) — the optimality cut's
 * coefficients. Without a plan, the elastic (phase-1) model — every row given
 * slacks that cost 1 each — says by how much the rows are missed and how that
 * changes with the decisions: the feasibility cut.
 */
export function solveSubproblem(
  formulation: Formulation,
  op: SubproblemOp,
  outcome: number,
  keys: readonly string[],
  fixed: readonly number[],
  isHereAndNow: (tag: ColumnTag) => boolean,
): SubproblemAnswer {
  const { lp } = formulation;
  if (op === "bound") {
    const result = solveLp(lp);
    return { outcome, status: result.status, value: result.status === "optimal" ? result.objective : null, slope: [] };
  }
  const byKey = new Map<string, number>();
  keys.forEach((key, k) => byKey.set(key, fixed[k] ?? 0));
  const second = fixHereAndNow(lp, byKey, isHereAndNow);
  const result = solveLp(second);
  if (result.status === "optimal" && result.values !== null) {
    return {
      outcome,
      status: "optimal",
      value: result.objective,
      slope: op === "cut" ? slopes(lp, keys, isHereAndNow, result) : [],
      ...(op === "values" ? { values: Array.from(result.values) } : {}),
    };
  }
  if (result.status !== "infeasible" || op !== "cut") return { outcome, status: result.status, value: null, slope: [] };
  const elastic = solveLp(elasticModel(second));
  if (elastic.status !== "optimal") return { outcome, status: "infeasible", value: null, slope: [] };
  return { outcome, status: "infeasible", value: elastic.objective, slope: slopes(lp, keys, isHereAndNow, elastic) };
}

/** The slope of the answer's objective per unit of each here-and-now column, in the order of `keys`: the fixed columns' reduced costs. */
function slopes(lp: LinearProgram, keys: readonly string[], isHereAndNow: (tag: ColumnTag) => boolean, result: SolveResult): number[] {
  const at = new Map<string, number>();
  keys.forEach((key, k) => at.set(key, k));
  const slope = new Array<number>(keys.length).fill(0);
  const reduced = result.duals?.columns;
  if (reduced === undefined) throw new Error("HiGHS gave no reduced costs for an optimal LP: a cut cannot be made");
  lp.columns.forEach((column, j) => {
    if (!isHereAndNow(column.tag)) return;
    const k = at.get(columnKey(column.tag));
    if (k !== undefined) slope[k] = reduced[j] ?? 0;
  });
  return slope;
}

/**
 * The phase-1 model of an LP without a plan: the same columns at no cost,
 * each row given a slack either way that costs 1, maximised (so the optimum
 * is minus the least total violation). Always has a plan when the columns'
 * own bounds do.
 */
export function elasticModel(lp: LinearProgram): LinearProgram {
  const columns: Column[] = lp.columns.map((column) => ({ ...column, cost: 0, integer: false }));
  const rows: Row[] = lp.rows.map((row) => {
    const below = columns.push({ tag: slackTag, lower: 0, upper: Infinity, cost: -1, integer: false }) - 1;
    const above = columns.push({ tag: slackTag, lower: 0, upper: Infinity, cost: -1, integer: false }) - 1;
    return { ...row, columns: [...row.columns, below, above], values: [...row.values, 1, -1] };
  });
  return { sense: "max", columns, rows };
}

/** The slacks' tag: the elastic model is solved for its objective and reduced costs only, never read back in the scenario's terms. */
const slackTag: ColumnTag = { kind: "unsold", plant: "", product: "", period: "" };

function solveLp(lp: LinearProgram): SolveResult {
  try {
    return pricingBackend().solve(lp, { integer: false });
  } catch (error) {
    if (!(error instanceof UnsolvedModelError)) throw error;
    return { status: "undecided", detail: error.message, objective: null, values: null };
  }
}
