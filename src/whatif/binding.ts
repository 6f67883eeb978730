import type { BoundModel } from "../explain/bounds.js";
import type { BoundRef } from "../explain/types.js";
import type { LinearProgram } from "../formulate/lp.js";
import type { SolveResult } from "../solvers/types.js";
import { dualOfSide } from "./parametric.js";

/** A dual counts as nonzero above this, relative to the largest objective coefficient (or 1). */
const DUAL_TOLERANCE = 1e-9;
/** Without duals, a bound binds when its activity is this close to it, relative to its size. */
const TIGHT_TOLERANCE = 1e-7;

/**
 * What binds at an optimum, named as the explanations name bounds
 * (`BoundRef`): with the solve's duals, the bounds whose dual is nonzero —
 * moving them would move the objective (by complementary slackness such a
 * bound is also met with equality); without duals (whole-unit models, a
 * backend that gives none), the bounds the quantities sit at. `model` lists
 * the scenario's bounds with their LP sides; `lp` is the LP solved (its
 * bounds are this point's values).
 */
export function bindingBounds(model: BoundModel, lp: LinearProgram, result: Pick<SolveResult, "values" | "duals">): BoundRef[] {
  const { values, duals } = result;
  if (values === null) return [];
  const scale = lp.columns.reduce((largest, column) => Math.max(largest, Math.abs(column.cost)), 1);
  const binding: BoundRef[] = [];
  // A loop without allocation per bound: a sweep calls this at every point.
  for (const bound of model.bounds) {
    const minimum = (bound.ref.kind === "demand" || bound.ref.kind === "route") && bound.ref.bound === "min";
    let binds = false;
    for (const k of bound.sides) {
      const side = model.sides[k];
      if (side === undefined) continue;
      const { on, index } = side;
      const value = sideValue(lp, on, index, side.side);
      // Minimums are bounds only above 0 (the format's default), as the explanations list them.
      if (minimum && !(value > 0)) {
        binds = false;
        break;
      }
      if (binds) continue;
      if (duals !== undefined) {
        const dual = (on === "row" ? duals.rows : duals.columns)[index] ?? 0;
        binds = Math.abs(dualOfSide(dual, side.side, lp.sense)) > DUAL_TOLERANCE * scale;
      } else {
        const { activity, magnitude } = activityOf(lp, values, on, index);
        binds = Math.abs(activity - value) <= TIGHT_TOLERANCE * Math.max(1, Math.abs(value), magnitude);
      }
    }
    if (binds) binding.push(bound.ref);
  }
  return binding;
}

function sideValue(lp: LinearProgram, on: "row" | "column", index: number, side: "lower" | "upper"): number {
  const entry = on === "row" ? lp.rows[index] : lp.columns[index];
  return entry === undefined ? NaN : entry[side];
}

function activityOf(lp: LinearProgram, values: Float64Array, on: "row" | "column", index: number): { activity: number; magnitude: number } {
  if (on === "column") {
    const value = values[index] ?? 0;
    return { activity: value, magnitude: Math.abs(value) };
  }
  const row = lp.rows[index];
  let activity = 0;
  let magnitude = 0;
  row?.columns.forEach((column, n) => {
    const term = (row.values[n] ?? 0) * (values[column] ?? 0);
    activity += term;
    magnitude += Math.abs(term);
  });
  return { activity, magnitude };
}
