import { at } from "../../src/util/invariant.js";
import { random } from "./transform.js";

/**
 * Generated `jointplan/v1` scenarios at planning scale, for the scale
 * benchmark: `plants × products × parts`, optionally over several periods.
 *
 * The shape follows the bundled KZ–UZ scenarios, grown: three product
 * families (cars, buses, agricultural machinery), each product made at up to
 * three plants, three shop resources per plant, bills of materials drawn from
 * family part pools plus common parts, a capacity-limited local source and an
 * unlimited, dearer import source for every part (some parts have a second
 * local source), four markets of which three are export markets, and the
 * programme's targets: a joint units goal, an export share and a local-parts
 * share for cars. Capacities are set below the load that demand would bring,
 * so shops bind and the goal and the share targets interact with margin.
 * Multi-period variants add yearly growth, stock with holding costs and
 * products that only become available later.
 *
 * Deterministic: the same options give the same document.
 */
export interface ScaleOptions {
  readonly plants: number;
  readonly products: number;
  readonly parts: number;
  readonly periods?: number;
  readonly integer?: boolean;
  readonly seed?: number;
}

const FAMILIES = ["car", "car", "car", "agri", "bus"] as const;
const MARKETS = [
  { id: "UZ", name: "Uzbekistan", export: false },
  { id: "KZ", name: "Kazakhstan", export: true },
  { id: "KG", name: "Kyrgyzstan", export: true },
  { id: "TJ", name: "Tajikistan", export: true },
] as const;
const ROUTES_PER_PRODUCT = 3;

const label = (prefix: string, i: number, width: number) => `${prefix}_${String(i + 1).padStart(width, "0")}`;

export function scaleScenarioId(options: ScaleOptions): string {
  const periods = options.periods ?? 1;
  return `scale-${options.plants}x${options.products}x${options.parts}${periods > 1 ? `x${periods}p` : ""}${options.integer === true ? "-int" : ""}`;
}

export function scaleScenario(options: ScaleOptions): Record<string, unknown> {
  const { plants: plantCount, products: productCount, parts: partCount } = options;
  const periodCount = options.periods ?? 1;
  const rand = random(options.seed ?? 20_200);
  const between = (low: number, high: number) => low + (high - low) * rand();
  const whole = (low: number, high: number) => Math.floor(between(low, high + 1));
  const round = (value: number, step = 1) => Math.round(value / step) * step;
  const pick = <T>(items: readonly T[]): T => at(items, Math.floor(rand() * items.length), "item to pick");

  const periods = periodCount === 1 ? ["2025"] : Array.from({ length: periodCount }, (_, t) => String(2025 + t));
  const growth = (t: number) => 1.06 ** t;
  const perPeriod = (base: number, step: number): number | Record<string, number> =>
    periodCount === 1 ? round(base, step) : Object.fromEntries(periods.map((period, t) => [period, round(base * growth(t), step)]));

  // Parts: family pools plus a common pool, so that bills of materials share parts.
  const partIds = Array.from({ length: partCount }, (_, k) => label("part", k, 4));
  const pools = new Map<string, string[]>([
    ["car", []],
    ["bus", []],
    ["agri", []],
    ["common", []],
  ]);
  const poolOfPart = ["common", "car", "car", "bus", "agri"] as const;
  partIds.forEach((id, k) => pools.get(at(poolOfPart, k % poolOfPart.length, "pool"))?.push(id));

  // Products and their bills of materials.
  const products = Array.from({ length: productCount }, (_, q) => {
    const family = at(FAMILIES, q % FAMILIES.length, "family");
    const pool = [...(pools.get(family) ?? []), ...(pools.get("common") ?? [])];
    const bom: Record<string, number> = {};
    const size = Math.min(pool.length, whole(5, 10));
    while (Object.keys(bom).length < size) bom[pick(pool)] = rand() < 0.7 ? 1 : whole(2, 4);
    const product: Record<string, unknown> = { id: label("product", q, 4), family, bom };
    if (periodCount > 1 && rand() < 0.1) product["available_from"] = at(periods, whole(1, periodCount - 1), "period");
    return product;
  });
  const basePrice = products.map((product) => {
    const family = product["family"] as string;
    return family === "bus" ? between(90_000, 160_000) : family === "agri" ? between(40_000, 90_000) : between(9_000, 35_000);
  });

  // Demand: each product in two to four markets; export prices net of logistics.
  const demand: Record<string, unknown>[] = [];
  const demandVolume = products.map(() => 0);
  products.forEach((product, q) => {
    const price = at(basePrice, q, "base price");
    const markets = [...MARKETS].sort(() => rand() - 0.5).slice(0, whole(2, 4));
    const scale = product["family"] === "car" ? 400 : 60;
    for (const market of markets) {
      const max = round(between(0.3, 1.5) * scale, 5);
      demandVolume[q] = at(demandVolume, q, "demand volume") + max;
      const row: Record<string, unknown> = {
        market: market.id,
        product: product["id"],
        price: perPeriod(price * (market.export ? between(0.85, 1.0) : 1), 10),
        max: perPeriod(max, 1),
      };
      // A minimum only for products sold in every period.
      if (product["available_from"] === undefined && rand() < 0.1) row["min"] = round(max * 0.1, 1);
      demand.push(row);
    }
  });

  // Routes: each product at up to three plants, spread evenly over the plants.
  const plantLoad = Array.from({ length: plantCount }, () => ({ assembly_hours: 0, paint_hours: 0, machining_hours: 0 }));
  const routes: Record<string, unknown>[] = [];
  products.forEach((product, q) => {
    const family = product["family"] as string;
    const price = at(basePrice, q, "base price");
    const count = Math.min(plantCount, ROUTES_PER_PRODUCT);
    const first = whole(0, plantCount - 1);
    for (let n = 0; n < count; n++) {
      const plant = (first + n * Math.max(1, Math.floor(plantCount / count))) % plantCount;
      const uses = {
        assembly_hours: round(family === "bus" ? between(150, 300) : family === "agri" ? between(80, 160) : between(20, 60), 0.5),
        paint_hours: round(family === "agri" ? between(2, 6) : between(4, 12), 0.5),
        machining_hours: round(family === "agri" ? between(30, 80) : between(5, 20), 0.5),
      };
      const share = at(demandVolume, q, "demand volume") / count;
      const load = at(plantLoad, plant, "plant load");
      for (const resource of Object.keys(uses) as (keyof typeof uses)[]) load[resource] += uses[resource] * share;
      const route: Record<string, unknown> = {
        plant: label("plant", plant, 3),
        product: product["id"],
        uses,
        unit_cost: round(price * between(0.55, 0.8), 10),
      };
      if (periodCount > 1 && rand() < 0.5) route["inventory"] = { max: round(share * 0.3, 1), holding_cost: round(price * 0.02, 1) };
      routes.push(route);
    }
  });

  // Plants: shop capacities below the load demand would bring, so shops bind.
  const plants = plantLoad.map((load, i) => ({
    id: label("plant", i, 3),
    resources: {
      assembly_hours: perPeriod(Math.max(1_000, load.assembly_hours * between(0.55, 0.85)), 100),
      paint_hours: perPeriod(Math.max(500, load.paint_hours * between(0.6, 0.95)), 100),
      machining_hours: perPeriod(Math.max(500, load.machining_hours * between(0.6, 0.95)), 100),
    },
  }));

  // Parts: a capacity-limited local source, an unlimited import source, sometimes a second local one.
  const partNeed = new Map<string, number>();
  products.forEach((product, q) => {
    for (const [part, perUnit] of Object.entries(product["bom"] as Record<string, number>)) {
      partNeed.set(part, (partNeed.get(part) ?? 0) + perUnit * at(demandVolume, q, "demand volume") * 0.6);
    }
  });
  const parts = partIds.map((id) => {
    const cost = between(50, 2_000);
    const need = Math.max(10, partNeed.get(id) ?? 0);
    const sources: Record<string, unknown>[] = [
      { id: "local", local: true, capacity: perPeriod(need * between(0.4, 0.9), 1), unit_cost: round(cost, 0.01) },
      { id: "import", local: false, unit_cost: round(cost * between(1.1, 1.35), 0.01) },
    ];
    if (rand() < 0.25) sources.push({ id: "local_2", local: true, capacity: perPeriod(need * between(0.1, 0.3), 1), unit_cost: round(cost * 1.05, 0.01) });
    return { id, value: round(cost, 1), sources };
  });

  const totalDemand = demandVolume.reduce((sum, volume) => sum + volume, 0);
  const targets = [
    { id: "joint_goal", kind: "units", min: perPeriod(totalDemand * 0.45, 10) },
    { id: "export_share", kind: "export_share", min: 0.6 },
    { id: "local_car_parts", kind: "local_parts_share", families: ["car"], min: 0.6 },
  ];

  const id = scaleScenarioId(options);
  return {
    format: "jointplan/v1",
    id,
    title: `Generated scale scenario ${plantCount} plants × ${productCount} products × ${partCount} parts${periodCount > 1 ? ` × ${periodCount} periods` : ""}`,
    notes: "Generated by benchmarks/scaleScenario.ts for the scale benchmark; every figure is synthetic.",
    periods,
    integer: options.integer ?? false,
    objective: "max_margin",
    plants,
    products,
    routes,
    parts,
    markets: MARKETS.map((market) => ({ ...market })),
    demand,
    targets,
  };
}
