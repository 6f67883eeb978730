import { at } from "../../src/util/invariant.js";
import { random } from "./transform.js";

/**
 * Generated joint-network scenarios (docs/format.md §1.6, §2.7) at planning
 * scale, for the network benchmark: `plants` plants in two countries (the
 * first half Uzbek, the rest Kazakh), optionally over several periods.
 *
 * The shape is kz-uz-joint-2020's, grown: one platform per plant — a kit made
 * on the plant's own parts line and three products of one family assembled
 * from it, at the lead plant and at one or two plants across the border (and
 * sometimes a third in the lead's country). The bills of materials have two
 * in-house levels: a kit is made from two sub-assemblies, each made in-house
 * at some plant from bought parts, and from a bought part; a product needs
 * its platform's kit and bought parts. Every part made in-house has a dearer
 * bought alternative (a kit or a sub-assembly from abroad), so the lines and
 * lanes are choices, not necessities. Bought parts come from a programme
 * supplier in one of the two countries (limited; freight within its country,
 * freight and duty across the border, some cross-border lanes limited) and
 * from an unlimited import (freight and 5% duty everywhere); some have a
 * second programme supplier in the other country. Kits and sub-assemblies
 * cross the border along lanes with freight, duty on the line's unit cost and
 * a capacity below what the assembly plants across would take. Routes ship to
 * markets in both countries: at home with freight, across the border with
 * freight and duty on the price, some of those lanes limited. Targets: a joint
 * units goal over both countries, an export share of the Uzbek plants (the
 * Kazakh markets are export markets) and a local share of car parts.
 * Capacities (assembly, paint, the parts line) sit below the load demand
 * would bring, so shops, lines, lanes and sources bind in places.
 *
 * Multi-period variants add yearly growth and stock with holding costs on
 * half the routes. Deterministic: the same options give the same document.
 */
export interface NetworkOptions {
  readonly plants: number;
  readonly periods?: number;
  readonly seed?: number;
}

const FAMILIES = ["car", "car", "car", "agri", "bus"] as const;
type Family = (typeof FAMILIES)[number];
const COUNTRIES = ["UZ", "KZ"] as const;
type Country = (typeof COUNTRIES)[number];
const MARKETS = [
  { id: "uz_east", name: "Uzbekistan, east", country: "UZ", export: false },
  { id: "uz_west", name: "Uzbekistan, west", country: "UZ", export: false },
  { id: "kz_north", name: "Kazakhstan, north", country: "KZ", export: true },
  { id: "kz_south", name: "Kazakhstan, south", country: "KZ", export: true },
] as const;
const PRODUCTS_PER_PLATFORM = 4;
const BOUGHT_PARTS_PER_PLANT = 5;

const label = (prefix: string, i: number, width = 3) => `${prefix}_${String(i + 1).padStart(width, "0")}`;

export function networkScenarioId(options: NetworkOptions): string {
  const periods = options.periods ?? 1;
  return `network-${options.plants}${periods > 1 ? `x${periods}p` : ""}`;
}

interface Lane {
  cost?: number;
  duty?: number;
  capacity?: number | Record<string, number>;
}

export function networkScenario(options: NetworkOptions): Record<string, unknown> {
  const plantCount = options.plants;
  if (!Number.isInteger(plantCount) || plantCount < 2) throw new Error("a network scenario needs at least two plants, one in each country");
  const periodCount = options.periods ?? 1;
  const rand = random(options.seed ?? 92_020);
  const between = (low: number, high: number) => low + (high - low) * rand();
  const whole = (low: number, high: number) => Math.floor(between(low, high + 1));
  const round = (value: number, step = 1) => Math.round(value / step) * step;
  const pickIndex = (length: number) => Math.floor(rand() * length);

  const periods = periodCount === 1 ? ["2025"] : Array.from({ length: periodCount }, (_, t) => String(2025 + t));
  const growth = (t: number) => 1.06 ** t;
  const perPeriod = (base: number, step: number): number | Record<string, number> =>
    periodCount === 1 ? round(base, step) : Object.fromEntries(periods.map((period, t) => [period, round(base * growth(t), step)]));

  // Plants: the first half (rounded up) in Uzbekistan, the rest in Kazakhstan.
  const uzbekCount = Math.ceil(plantCount / 2);
  const countryOf = (plant: number): Country => (plant < uzbekCount ? "UZ" : "KZ");
  const plantIds = Array.from({ length: plantCount }, (_, i) => label(`plant_${countryOf(i).toLowerCase()}`, i));
  const plantsIn = (country: Country) => plantIds.flatMap((_, i) => (countryOf(i) === country ? [i] : []));
  const otherCountry = (country: Country): Country => (country === "UZ" ? "KZ" : "UZ");
  const load = plantIds.map(() => ({ assembly_hours: 0, paint_hours: 0, line_hours: 0 }));
  const addLoad = (plant: number, uses: Partial<Record<keyof (typeof load)[number], number>>, units: number) => {
    const plantLoad = at(load, plant, "plant load");
    for (const [resource, use] of Object.entries(uses) as [keyof typeof plantLoad, number][]) plantLoad[resource] += use * units;
  };

  // Bought parts: a programme supplier in one country, an import, sometimes a second supplier across the border.
  const boughtCount = BOUGHT_PARTS_PER_PLANT * plantCount;
  const boughtIds = Array.from({ length: boughtCount }, (_, b) => label("bought", b, 4));
  const boughtCost = boughtIds.map(() => between(80, 900));
  const boughtNeed = boughtIds.map(() => new Map<number, number>());
  const needBought = (b: number, plant: number, units: number) => {
    const need = at(boughtNeed, b, "bought part need");
    need.set(plant, (need.get(plant) ?? 0) + units);
  };
  const pickBought = (count: number) => {
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(pickIndex(boughtCount));
    return [...chosen];
  };

  // Platforms: one per plant, led by it; a kit and four products of one family.
  const platforms = plantIds.map((_, lead) => {
    const family: Family = at(FAMILIES, lead % FAMILIES.length, "family");
    const home = countryOf(lead);
    const across = plantsIn(otherCountry(home));
    const assembly = new Set([lead, at(across, pickIndex(across.length), "plant across")]);
    if (rand() < 0.5) assembly.add(at(across, pickIndex(across.length), "plant across"));
    if (rand() < 0.3) assembly.add(at(plantsIn(home), pickIndex(plantsIn(home).length), "plant at home"));
    const priceLevel = family === "bus" ? between(90_000, 150_000) : family === "agri" ? between(40_000, 80_000) : between(10_000, 30_000);
    return { lead, family, home, assembly: [...assembly], priceLevel, volume: 0 };
  });

  // Sub-assemblies: one per plant, made on a plant's line from bought parts; each kit takes two.
  const subs = plantIds.map((_, j) => ({
    maker: (j * 7 + 3) % plantCount,
    bom: pickBought(whole(2, 3)),
    cost: between(300, 1_500),
    volume: 0,
    users: new Set<number>(),
  }));

  const products: Record<string, unknown>[] = [];
  const routes: Record<string, unknown>[] = [];
  const demand: Record<string, unknown>[] = [];
  let totalDemand = 0;
  platforms.forEach((platform, k) => {
    const { family, priceLevel } = platform;
    for (let n = 0; n < PRODUCTS_PER_PLATFORM; n++) {
      const id = label(`product_${family}`, k * PRODUCTS_PER_PLATFORM + n, 4);
      const bom: Record<string, number> = { [label("kit", k)]: 1 };
      const bought = pickBought(whole(3, 5));
      for (const b of bought) bom[at(boughtIds, b, "bought part")] = family === "car" ? whole(1, 2) : whole(2, 6);
      const product: Record<string, unknown> = { id, family, bom };
      if (periodCount > 2 && rand() < 0.1) product["available_from"] = at(periods, whole(1, periodCount - 1), "period");
      products.push(product);

      // Demand in two to four markets, at least one in each country.
      const price = priceLevel * between(0.8, 1.2);
      const volume = family === "car" ? between(300, 900) : between(30, 120);
      const markets = [at(MARKETS, pickIndex(2), "UZ market"), at(MARKETS, 2 + pickIndex(2), "KZ market")];
      for (const market of MARKETS) if (!markets.includes(market) && rand() < 0.4) markets.push(market);
      let productDemand = 0;
      for (const market of markets) {
        const max = round(volume * between(0.3, 1.0), 5);
        productDemand += max;
        const row: Record<string, unknown> = { market: market.id, product: id, price: perPeriod(price * between(0.95, 1.1), 10), max: perPeriod(max, 1) };
        if (product["available_from"] === undefined && rand() < 0.1) row["min"] = round(max * 0.1, 1);
        demand.push(row);
      }
      totalDemand += productDemand;
      platform.volume += productDemand;

      // Routes: at every assembly plant of the platform, shipping to the product's markets.
      const share = productDemand / platform.assembly.length;
      for (const plant of platform.assembly) {
        const uses = {
          assembly_hours: round(family === "bus" ? between(150, 300) : family === "agri" ? between(80, 160) : between(18, 40), 0.5),
          paint_hours: round(family === "agri" ? between(2, 6) : between(3, 9), 0.5),
        };
        addLoad(plant, uses, share);
        for (const b of bought) needBought(b, plant, share * (bom[at(boughtIds, b, "bought part")] ?? 0));
        const ships_to: Record<string, Lane> = {};
        for (const market of markets) {
          const crossing = market.country !== countryOf(plant);
          const lane: Lane = { cost: round(crossing ? price * between(0.02, 0.04) : price * between(0.003, 0.01), 1) };
          if (crossing) {
            lane.duty = round(between(0.08, 0.18), 0.01);
            if (rand() < 0.35) lane.capacity = perPeriod(share * between(0.15, 0.4), 1);
          }
          ships_to[market.id] = lane;
        }
        const route: Record<string, unknown> = {
          plant: at(plantIds, plant, "plant"),
          product: id,
          uses,
          unit_cost: round(price * between(0.3, 0.45), 10),
          ships_to,
        };
        if (periodCount > 1 && rand() < 0.5) route["inventory"] = { max: round(share * 0.3, 1), holding_cost: round(price * 0.02, 1) };
        routes.push(route);
      }
    }
  });

  // What a part made in-house costs in all: its line's unit cost and its bill of materials. An import costs more than that.
  const subFullCost = subs.map((sub) => sub.cost + sub.bom.reduce((sum, b) => sum + at(boughtCost, b, "bought part cost"), 0));

  // Kits: made on the lead plant's line from two sub-assemblies and a bought part; lanes to the platform's assembly plants.
  const kitBought = platforms.map(() => at(pickBought(1), 0, "bought part of a kit"));
  const parts: Record<string, unknown>[] = platforms.map((platform, k) => {
    const { lead, assembly, volume } = platform;
    const subsOfKit = [k, (k + 1) % plantCount];
    for (const j of subsOfKit) {
      const sub = at(subs, j, "sub-assembly");
      sub.volume += volume;
      sub.users.add(lead);
    }
    const bought = at(kitBought, k, "bought part of a kit");
    needBought(bought, lead, volume * 2);
    const kitUses = { line_hours: round(between(1, 4), 0.5), paint_hours: round(between(1.5, 3), 0.5) };
    addLoad(lead, kitUses, volume);
    const unitCost = round(platform.priceLevel * between(0.05, 0.1), 10);
    const fullCost = unitCost + subsOfKit.reduce((sum, j) => sum + at(subFullCost, j, "sub-assembly cost"), 0) + 2 * at(boughtCost, bought, "bought part cost");
    const byPlant = new Map<number, number>();
    for (const plant of assembly) byPlant.set(plant, volume / assembly.length);
    const line: Record<string, Lane> = {};
    const abroad: Record<string, Lane> = {};
    for (const plant of assembly) {
      const crossing = countryOf(plant) !== platform.home;
      const lane: Lane = plant === lead ? {} : { cost: round(unitCost * between(0.05, 0.12), 1) };
      if (crossing) {
        lane.duty = round(between(0.1, 0.15), 0.01);
        lane.capacity = perPeriod((byPlant.get(plant) ?? 0) * between(0.3, 0.7), 1);
      }
      line[at(plantIds, plant, "plant")] = lane;
      abroad[at(plantIds, plant, "plant")] = { cost: round(fullCost * 0.05, 1), duty: 0.05 };
    }
    return {
      id: label("kit", k),
      value: unitCost,
      sources: [
        {
          id: "line",
          local: true,
          unit_cost: unitCost,
          plant: at(plantIds, lead, "plant"),
          uses: kitUses,
          bom: { [label("sub", subsOfKit[0] ?? 0)]: 1, [label("sub", subsOfKit[1] ?? 0)]: 1, [at(boughtIds, bought, "bought part")]: 2 },
          delivers_to: line,
        },
        { id: "import", local: false, unit_cost: round(fullCost * between(1.15, 1.4), 10), delivers_to: abroad },
      ],
    };
  });

  // Sub-assemblies: made on the maker's line from bought parts; lanes to the kit lines that take them.
  subs.forEach((sub, j) => {
    const subUses = { line_hours: round(between(0.5, 2), 0.5) };
    addLoad(sub.maker, subUses, sub.volume);
    for (const b of sub.bom) needBought(b, sub.maker, sub.volume);
    const line: Record<string, Lane> = {};
    const abroad: Record<string, Lane> = {};
    for (const plant of sub.users) {
      const crossing = countryOf(plant) !== countryOf(sub.maker);
      const lane: Lane = plant === sub.maker ? {} : { cost: round(sub.cost * between(0.03, 0.08), 1) };
      if (crossing) {
        lane.duty = round(between(0.05, 0.15), 0.01);
        if (rand() < 0.5) lane.capacity = perPeriod(sub.volume * between(0.3, 0.8), 1);
      }
      line[at(plantIds, plant, "plant")] = lane;
      abroad[at(plantIds, plant, "plant")] = { cost: round(sub.cost * 0.1, 1), duty: 0.05 };
    }
    parts.push({
      id: label("sub", j),
      value: round(sub.cost, 1),
      sources: [
        {
          id: "line",
          local: true,
          unit_cost: round(sub.cost, 0.01),
          plant: at(plantIds, sub.maker, "plant"),
          uses: subUses,
          bom: Object.fromEntries(sub.bom.map((b) => [at(boughtIds, b, "bought part"), 1])),
          delivers_to: line,
        },
        { id: "import", local: false, unit_cost: round(at(subFullCost, j, "sub-assembly cost") * between(1.15, 1.4), 0.01), delivers_to: abroad },
      ],
    });
  });

  // Bought parts: each supplier delivers to the plants that need the part, in its country with freight, across with freight and duty.
  boughtIds.forEach((id, b) => {
    const cost = at(boughtCost, b, "bought part cost");
    const need = at(boughtNeed, b, "bought part need");
    if (need.size === 0) return parts.push({ id, value: round(cost, 1), sources: [{ id: "import", local: false, unit_cost: round(cost * 1.2, 0.01) }] });
    const totalNeed = [...need.values()].reduce((sum, units) => sum + units, 0);
    const supplierLanes = (country: Country) => {
      const lanes: Record<string, Lane> = {};
      for (const [plant, units] of need) {
        const crossing = countryOf(plant) !== country;
        const lane: Lane = { cost: round(cost * (crossing ? between(0.04, 0.08) : between(0.01, 0.03)), 0.1) };
        if (crossing) {
          lane.duty = round(between(0.1, 0.15), 0.01);
          if (rand() < 0.3) lane.capacity = perPeriod(units * between(0.2, 0.6), 1);
        }
        lanes[at(plantIds, plant, "plant")] = lane;
      }
      return lanes;
    };
    const home: Country = at(COUNTRIES, pickIndex(2), "supplier country");
    const sources: Record<string, unknown>[] = [
      { id: "supplier", local: true, capacity: perPeriod(totalNeed * between(0.4, 0.9), 1), unit_cost: round(cost, 0.01), delivers_to: supplierLanes(home) },
      {
        id: "import",
        local: false,
        unit_cost: round(cost * between(1.05, 1.3), 0.01),
        delivers_to: Object.fromEntries([...need.keys()].map((plant) => [at(plantIds, plant, "plant"), { cost: round(cost * 0.08, 0.1), duty: 0.05 }])),
      },
    ];
    if (rand() < 0.3) {
      sources.push({
        id: "supplier_2",
        local: true,
        capacity: perPeriod(totalNeed * between(0.1, 0.3), 1),
        unit_cost: round(cost * 1.05, 0.01),
        delivers_to: supplierLanes(otherCountry(home)),
      });
    }
    return parts.push({ id, value: round(cost, 1), sources });
  });

  // Plants: shop and line capacities below the load demand would bring.
  const plants = plantIds.map((id, i) => {
    const plantLoad = at(load, i, "plant load");
    return {
      id,
      country: countryOf(i),
      resources: {
        assembly_hours: perPeriod(Math.max(1_000, plantLoad.assembly_hours * between(0.55, 0.85)), 100),
        paint_hours: perPeriod(Math.max(500, plantLoad.paint_hours * between(0.6, 0.95)), 100),
        line_hours: perPeriod(Math.max(100, plantLoad.line_hours * between(0.35, 0.7)), 50),
      },
    };
  });

  const targets = [
    { id: "joint_goal", kind: "units", min: perPeriod(totalDemand * 0.4, 10) },
    { id: "uz_export_share", kind: "export_share", plants: plantsIn("UZ").map((i) => at(plantIds, i, "plant")), min: 0.3 },
    { id: "local_car_parts", kind: "local_parts_share", families: ["car"], min: 0.5 },
  ];

  const periodsNote = periodCount > 1 ? ` × ${periodCount} periods` : "";
  return {
    format: "jointplan/v1",
    id: networkScenarioId(options),
    title: `Generated joint network, ${plantCount} plants in two countries${periodsNote}`,
    notes: "Generated by tests/support/networkScenario.ts for the network benchmark; every figure is synthetic.",
    periods,
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
