import type { Scenario } from "../scenario/schema.js";

/**
 * Discounting (docs/format.md §2.8): with `discount_rate` ρ every money term of
 * the period at position n is multiplied by (1 + ρ)^−n, so that the objective
 * is a net present value. Without a rate every factor is exactly 1.
 */
export function discountFactor(scenario: Pick<Scenario, "discount_rate">, t: number): number {
  return scenario.discount_rate === 0 ? 1 : (1 + scenario.discount_rate) ** -t;
}
