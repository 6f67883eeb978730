import type { IssuePath, RawIssue } from "./references.js";
import type { Scenario } from "./schema.js";

/**
 * Numbers of a scenario beyond a solver's range, by JSON path: per-unit
 * quantities (`uses`, `bom`) and part values, which become matrix
 * coefficients, against `coefficient`; every other number (capacities,
 * bounds, prices, costs, stock) against `amount`. SPEC §1 only asks numbers
 * to be finite; a solver that cannot take a scenario says which fields, so
 * the planner can rescale them.
 */
export function numbersBeyond(
  scenario: Scenario,
  limits: { readonly coefficient: number; readonly amount: number },
  solver: string,
): RawIssue[] {
  const issues: RawIssue[] = [];
  const visit = (node: unknown, path: IssuePath, coefficient: boolean): void => {
    if (typeof node === "number") {
      const limit = coefficient ? limits.coefficient : limits.amount;
      if (Math.abs(node) >= limit) {
        const what = coefficient ? "per-unit quantities and part values" : "amounts, prices and costs";
        issues.push({ path, message: `${node} is beyond what ${solver} accepts (${what} must stay below ${limit.toExponential().replace("e+", "e")})` });
      }
    } else if (Array.isArray(node)) {
      node.forEach((child, i) => visit(child, [...path, i], coefficient));
    } else if (typeof node === "object" && node !== null) {
      for (const key of Object.keys(node)) {
        const isCoefficient = coefficient || key === "uses" || key === "bom" || (key === "value" && path[0] === "parts");
        visit((node as Record<string, unknown>)[key], [...path, key], isCoefficient);
      }
    }
  };
  visit(scenario, [], false);
  return issues;
}
