import { hasNetworkFields } from "../scenario/network.js";
import type { Scenario } from "../scenario/schema.js";
import type { BorderFlow, Flows, PlantFlow, Quantities } from "./types.js";

/**
 * The joint network's flows (docs/format.md §3.4), read from a plan's
 * quantities: parts a plant made and delivered to another plant, and what
 * crossed from one country to another — deliveries between plants in
 * different countries, sales from a plant to a market in another country.
 * A plant or market without a `country` crosses no border that can be named.
 * Undefined for a scenario without the network's fields.
 */
export function flowsOf(scenario: Scenario, quantities: Pick<Quantities, "sales" | "procurement">): Flows | undefined {
  if (!hasNetworkFields(scenario)) return undefined;
  const plantCountry = new Map(scenario.plants.map((plant) => [plant.id, plant.country]));
  const marketCountry = new Map(scenario.markets.map((market) => [market.id, market.country]));
  const madeAt = new Map(scenario.parts.flatMap((part) => part.sources.map((source) => [JSON.stringify([part.id, source.id]), source.plant])));

  const betweenPlants = new Map<string, PlantFlow>();
  const borders = new Map<string, BorderFlow>();
  const cross = (
    period: string,
    from: string | undefined,
    to: string | undefined,
    goods: BorderFlow["goods"],
    add: Omit<BorderFlow, "period" | "from" | "to" | "goods">,
  ) => {
    if (from === undefined || to === undefined || from === to) return;
    const key = JSON.stringify([period, from, to, goods]);
    const flow = borders.get(key) ?? { period, from, to, goods, units: 0, value: 0, freight: 0, duty: 0 };
    borders.set(key, {
      ...flow,
      units: flow.units + add.units,
      value: flow.value + add.value,
      freight: flow.freight + add.freight,
      duty: flow.duty + add.duty,
    });
  };

  for (const row of quantities.procurement) {
    const maker = madeAt.get(JSON.stringify([row.part, row.source]));
    if (maker === undefined || row.plant === undefined || maker === row.plant) continue;
    const moved = { units: row.units, value: row.cost, freight: row.freight ?? 0, duty: row.duty ?? 0 };
    const key = JSON.stringify([row.period, maker, row.plant, row.part, row.source]);
    const flow = betweenPlants.get(key) ?? {
      period: row.period,
      from: maker,
      to: row.plant,
      part: row.part,
      source: row.source,
      units: 0,
      value: 0,
      freight: 0,
      duty: 0,
    };
    betweenPlants.set(key, {
      ...flow,
      units: flow.units + moved.units,
      value: flow.value + moved.value,
      freight: flow.freight + moved.freight,
      duty: flow.duty + moved.duty,
    });
    cross(row.period, plantCountry.get(maker), plantCountry.get(row.plant), "parts", moved);
  }
  for (const row of quantities.sales) {
    cross(row.period, plantCountry.get(row.plant), marketCountry.get(row.market), "products", {
      units: row.units,
      value: row.revenue,
      freight: row.shipping ?? 0,
      duty: row.duty ?? 0,
    });
  }
  return { borders: [...borders.values()], between_plants: [...betweenPlants.values()] };
}
