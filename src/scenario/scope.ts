import type { Product, Route, Scenario, Target } from "./schema.js";

/**
 * What a target counts (docs/format.md §2.4): filters narrow, absent filters
 * count everything. Shared by the formulation and the independent verification
 * so both read the same definition of scope.
 */
export function productInScope(target: Target, product: Product): boolean {
  return (target.families === undefined || target.families.includes(product.family)) && (target.products === undefined || target.products.includes(product.id));
}

export function routeInScope(target: Target, route: Route, product: Product): boolean {
  return productInScope(target, product) && (target.plants === undefined || target.plants.includes(route.plant));
}

/** The periods a target applies in, in scenario order. */
export function targetPeriods(scenario: Scenario, target: Target): string[] {
  if (target.periods === undefined) return [...scenario.periods];
  const listed = new Set(target.periods);
  return scenario.periods.filter((period) => listed.has(period));
}

/**
 * The parts a `local_parts_share` target weighs: every part in the bom of a
 * product in scope. A `plants` filter keeps the products some listed plant has
 * a route for. Each such part's whole procurement counts (procurement is not
 * tracked per plant).
 */
export function partsInScope(scenario: Scenario, target: Target): Set<string> {
  const plantsMaking = new Map<string, Set<string>>();
  for (const route of scenario.routes) {
    const plants = plantsMaking.get(route.product) ?? new Set<string>();
    plants.add(route.plant);
    plantsMaking.set(route.product, plants);
  }
  const parts = new Set<string>();
  for (const product of scenario.products) {
    if (!productInScope(target, product)) continue;
    if (target.plants !== undefined) {
      const makers = plantsMaking.get(product.id);
      if (makers === undefined || !target.plants.some((plant) => makers.has(plant))) continue;
    }
    for (const part of Object.keys(product.bom ?? {})) parts.add(part);
  }
  return parts;
}
