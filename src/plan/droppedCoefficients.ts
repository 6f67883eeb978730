import type { Formulation } from "../formulate/index.js";
import type { ColumnTag, RowTag } from "../formulate/lp.js";
import { formatPath, type ValidationIssue } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";

/**
 * Below this, both solvers drop a matrix coefficient without a word: HiGHS'
 * `small_matrix_value`, and javascript-lp-solver's precision.
 */
export const SMALLEST_COEFFICIENT = 1e-9;

/**
 * Coefficients of the model that the solvers would silently treat as zero,
 * as issues naming the field of the scenario behind each. Every quantity of a
 * valid scenario is 0 or at least `SMALLEST_QUANTITY`, so such coefficients
 * come from combinations: a share target within a hair of 1 (the coefficient
 * of an exported sale is 1 − min) times a small part value. Empty when the
 * model is safe to solve.
 */
export function droppedCoefficients(formulation: Formulation): readonly ValidationIssue[] {
  let issues = checked.get(formulation);
  if (issues === undefined) {
    issues = findDropped(formulation);
    checked.set(formulation, issues);
  }
  return issues;
}

/** Formulations are immutable: each is checked once. */
const checked = new WeakMap<Formulation, readonly ValidationIssue[]>();

function findDropped({ lp, scenario }: Formulation): ValidationIssue[] {
  const issues = new Map<string, ValidationIssue>();
  for (const row of lp.rows) {
    row.values.forEach((value, n) => {
      if (value === 0 || Math.abs(value) >= SMALLEST_COEFFICIENT) return;
      const column = lp.columns[row.columns[n] ?? -1];
      const path = column === undefined ? "" : fieldBehind(scenario, row.tag, column.tag);
      issues.set(path, {
        path,
        message: `makes a coefficient of ${value.toExponential(2)} in the model, below what the solvers can represent (${SMALLEST_COEFFICIENT}): they would drop it`,
      });
    });
  }
  return [...issues.values()];
}

/** The field of the scenario that puts a coefficient in this row and column. */
function fieldBehind(scenario: Scenario, rowTag: RowTag, columnTag: ColumnTag): string {
  switch (rowTag.family) {
    case "export_share_target":
    case "local_parts_share_target":
      return formatPath(["targets", scenario.targets.findIndex((target) => target.id === rowTag.target), rowTag.bound]);
    case "capacity":
      return columnTag.kind === "make"
        ? formatPath([
            "routes",
            scenario.routes.findIndex((route) => route.plant === columnTag.plant && route.product === columnTag.product),
            "uses",
            rowTag.resource,
          ])
        : "";
    case "parts":
      return columnTag.kind === "make"
        ? formatPath(["products", scenario.products.findIndex((product) => product.id === columnTag.product), "bom", rowTag.part])
        : "";
    default:
      return "";
  }
}
