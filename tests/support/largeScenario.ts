import type { Json } from "./builders.js";

/**
 * A scenario of adjustable size for the service's load and time-limit tests:
 * `plants` plants each able to make every one of `products` products (one
 * route per pair), sold in `markets` markets, with plant-specific hours and
 * costs so that the optimum is not trivial. Deterministic (a fixed linear
 * congruential sequence), so a size solves in a repeatable way.
 */
export function largeScenario(size: { plants: number; products: number; markets: number; periods?: number }, id = "large"): Json {
  let seed = 12_345;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const periods = Array.from({ length: size.periods ?? 1 }, (_, t) => `t${t}`);
  const plants = Array.from({ length: size.plants }, (_, p) => ({
    id: `plant${p}`,
    resources: { assembly: 1_000 + Math.round(next() * 2_000), paint: 800 + Math.round(next() * 1_500) },
  }));
  const products = Array.from({ length: size.products }, (_, q) => ({ id: `product${q}`, family: q % 2 === 0 ? "car" : "bus" }));
  const routes = plants.flatMap((plant) =>
    products.map((product) => ({
      plant: plant.id,
      product: product.id,
      uses: { assembly: 1 + Math.round(next() * 9), paint: 1 + Math.round(next() * 5) },
      unit_cost: 100 + Math.round(next() * 400),
    })),
  );
  const markets = Array.from({ length: size.markets }, (_, m) => ({ id: `market${m}`, export: m % 2 === 1 }));
  const demand = markets.flatMap((market) =>
    products.map((product) => ({
      market: market.id,
      product: product.id,
      price: 300 + Math.round(next() * 700),
      max: 50 + Math.round(next() * 400),
    })),
  );
  return {
    format: "jointplan/v1",
    id,
    title: `Generated: ${size.plants} plants × ${size.products} products × ${size.markets} markets`,
    periods,
    plants,
    products,
    routes,
    markets,
    demand,
    targets: [{ id: "exports", kind: "export_share", min: 0.3 }],
  };
}
