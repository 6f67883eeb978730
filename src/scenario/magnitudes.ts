import type { IssuePath, RawIssue } from "./references.js";
import type { Scenario } from "./schema.js";

/**
 * Numbers of a scenario beyond a solver's range, by JSON path: per-unit
 * quantities (a route's `uses`, a product's `bom`) and part values, which
 * become matrix coefficients, against `coefficient`; every other number
 * (capacities, bounds, prices, costs, stock) against `amount`. docs/format.md §1 only
 * asks numbers to be finite; a solver that cannot take a scenario says which
 * fields, so the planner can rescale them.
 */
export function numbersBeyond(scenario: Scenario, limits: { readonly coefficient: number; readonly amount: number }, solver: string): RawIssue[] {
  const issues: RawIssue[] = [];
  const visit = (node: unknown, path: IssuePath): void => {
    if (typeof node === "number") {
      const coefficient = isCoefficientPath(path);
      const limit = coefficient ? limits.coefficient : limits.amount;
      if (Math.abs(node) >= limit) {
        const what = coefficient ? "per-unit quantities and part values" : "amounts, prices and costs";
        issues.push({ path, message: `${node} is beyond what ${solver} accepts (${what} must stay below ${limit.toExponential().replace("e+", "e")})` });
      }
    } else if (Array.isArray(node)) {
      node.forEach((child, i) => visit(child, [...path, i]));
    } else if (typeof node === "object" && node !== null) {
      for (const key of Object.keys(node)) visit((node as Record<string, unknown>)[key], [...path, key]);
    }
  };
  visit(scenario, []);
  return issues;
}

/** Per collection, the field of its items whose numbers are matrix coefficients. */
const COEFFICIENT_FIELDS = new Map<string | number, string>([
  ["routes", "uses"],
  ["products", "bom"],
  ["parts", "value"],
]);

/**
 * Whether a number at `path` becomes a matrix coefficient, told by where it
 * sits — `routes[i].uses.…`, `products[i].bom.…`, `parts[i].value` — never by
 * a key further down, which is a user's id (a resource, part or period may be
 * called `uses`, `bom`, `value` or `price`).
 */
function isCoefficientPath(path: IssuePath): boolean {
  const [collection, item, field] = path;
  return typeof item === "number" && collection !== undefined && COEFFICIENT_FIELDS.get(collection) === field;
}
