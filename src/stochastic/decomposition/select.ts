import type { Formulation } from "../../formulate/index.js";
import type { ColumnTag } from "../../formulate/lp.js";
import { ValidationError } from "../../scenario/parse.js";
import type { StochasticMethod } from "../schema.js";

/**
 * Past this size — outcomes × columns of one outcome's model, the extensive
 * form's columns — `auto` decomposes (docs/stochastic-decomposition.md):
 * the extensive form then no longer fits one solve comfortably (HiGHS takes
 * tens of seconds and hundreds of megabytes), while the subproblems stay the
 * size of one plan each and spread over workers.
 */
export const DECOMPOSITION_MIN_SIZE = 250_000;

/**
 * The one home of the rule that picks how a two-stage plan is solved.
 * `extensive` and `decomposition` are taken as asked; `auto` decomposes past
 * `DECOMPOSITION_MIN_SIZE` and as a job (whose workers then share the
 * outcomes). The L-shaped cuts need each second stage to be an LP: with
 * whole units decided after the outcome (the scenario's `integer` on a
 * second-stage column), only the extensive form is exact — `auto` takes it,
 * and asking for `decomposition` is an error on `method`.
 */
export function chooseMethod(
  asked: StochasticMethod | undefined,
  models: readonly { readonly formulation: Formulation }[],
  isHereAndNow: (tag: ColumnTag) => boolean,
  asJob: boolean,
): "extensive" | "decomposition" {
  if (asked === "extensive") return "extensive";
  const wholeSecondStage = models.some(({ formulation }) => formulation.lp.columns.some((column) => column.integer && !isHereAndNow(column.tag)));
  if (asked === "decomposition") {
    if (wholeSecondStage)
      throw new ValidationError(
        [
          {
            path: "method",
            message:
              "a decomposition needs every decision after the outcome in continuous units: this scenario plans whole units after the outcome (integer), which only the extensive form solves exactly",
          },
        ],
        "request",
      );
    return "decomposition";
  }
  if (wholeSecondStage) return "extensive";
  const size = models.reduce((total, { formulation }) => total + formulation.lp.columns.length, 0);
  return asJob || size > DECOMPOSITION_MIN_SIZE ? "decomposition" : "extensive";
}
