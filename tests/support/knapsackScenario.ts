import type { Json } from "./builders.js";

/**
 * A whole-unit scenario that is a multi-dimensional knapsack: one plant whose
 * `resources` shops every product uses in odd amounts, each product sold in
 * one market at its own price up to a few units. HiGHS finds good plans
 * within a second or so but needs far longer to prove the best one: a model
 * for time limits that cut a search with a plan in hand. Deterministic.
 */
export function knapsackScenario(products: number, resources: number, seed = 42): Json {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const shops = Object.fromEntries(Array.from({ length: resources }, (_, i) => [`shop${i}`, 1_000 + Math.floor(next() * 5_000) + 0.5]));
  const ids = Array.from({ length: products }, (_, q) => `product${q}`);
  return {
    format: "jointplan/v1",
    id: `knapsack-${products}x${resources}`,
    title: `Generated: ${products} products on ${resources} shops, whole units`,
    integer: true,
    plants: [{ id: "plant", resources: shops }],
    products: ids.map((id) => ({ id, family: "car" })),
    routes: ids.map((product) => ({
      plant: "plant",
      product,
      uses: Object.fromEntries(Object.keys(shops).map((shop) => [shop, 30 + Math.floor(next() * 90)])),
    })),
    markets: [{ id: "market" }],
    demand: ids.map((product) => ({ market: "market", product, price: 100 + Math.floor(next() * 900), max: 3 + Math.floor(next() * 8) })),
  };
}
