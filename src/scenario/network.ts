import { own, ownKeys } from "./records.js";
import type { Scenario } from "./schema.js";

/**
 * The one switch of the joint network (docs/format.md §2.7): parts are
 * balanced per plant when some source is made at a plant or names the plants
 * it delivers to; otherwise they are pooled, one balance per part and period,
 * exactly as a file without the network fields has always meant. Shipping
 * lanes and market countries concern sales only and keep the pooled form.
 */
export function hasPartsNetwork(scenario: Pick<Scenario, "parts">): boolean {
  return scenario.parts.some((part) => part.sources.some((source) => source.plant !== undefined || source.delivers_to !== undefined));
}

/** Whether the scenario uses any field of the joint network (docs/format.md §1.6). */
export function hasNetworkFields(scenario: Pick<Scenario, "parts" | "routes" | "markets">): boolean {
  return (
    hasPartsNetwork(scenario) ||
    scenario.routes.some((route) => route.ships_to !== undefined) ||
    scenario.markets.some((market) => market.country !== undefined)
  );
}

/**
 * Per part (by position): the plants that consume it, in plant order, each
 * with what consumes it there, in words (a function: the words are only
 * needed to report a plant no source delivers to) — a route whose product's
 * bom names the part, or a part made at that plant whose own bom names it. A
 * bom entry of 0 consumes nothing.
 */
export function partConsumers(scenario: Pick<Scenario, "parts" | "routes" | "products" | "plants">): Map<string, () => string>[] {
  const partIndex = new Map(scenario.parts.map((part, k) => [part.id, k]));
  const products = new Map(scenario.products.map((product) => [product.id, product]));
  const found: Map<string, () => string>[] = scenario.parts.map(() => new Map<string, () => string>());
  const consume = (part: string, amount: unknown, plant: string, why: () => string) => {
    const k = partIndex.get(part);
    const consumers = k === undefined ? undefined : found[k];
    if (consumers !== undefined && typeof amount === "number" && amount !== 0 && !consumers.has(plant)) consumers.set(plant, why);
  };
  for (const route of scenario.routes) {
    const bom = products.get(route.product)?.bom;
    for (const part of ownKeys(bom)) consume(part, own(bom, part), route.plant, () => `to make ${JSON.stringify(route.product)}`);
  }
  for (const made of scenario.parts) {
    for (const source of made.sources) {
      if (source.plant === undefined) continue;
      const plant = source.plant;
      for (const part of ownKeys(source.bom))
        consume(part, own(source.bom, part), plant, () => `to make ${JSON.stringify(made.id)} at source ${JSON.stringify(source.id)}`);
    }
  }
  // In plant order, so that rows and columns come out in the scenario's order.
  const plantOrder = new Map(scenario.plants.map((plant, p) => [plant.id, p]));
  return found.map((consumers) => new Map([...consumers].sort(([a], [b]) => (plantOrder.get(a) ?? Infinity) - (plantOrder.get(b) ?? Infinity))));
}
