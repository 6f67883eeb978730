import { capitalize, humanize } from "../../src/explain/words.js";
import type { Plan } from "../../src/plan/types.js";
import type { ScenarioView } from "./scenarioDoc.js";

/**
 * The joint network of a plan in one period (docs/network.md), as the page
 * draws it: sources (parts suppliers and in-house lines) → plants → markets,
 * each flow with its units, value, freight and duty, and whether it crosses a
 * border as the plan's `flows` count one (a part made at a plant in one
 * country delivered to a plant in another; a sale from a plant to a market in
 * another country). Pure: read from the scenario document and the plan.
 */

export type Column = "source" | "plant" | "market";

export interface NetworkNode {
  /** Unique within the network (ids of different kinds may coincide). */
  readonly key: string;
  readonly column: Column;
  readonly id: string;
  readonly label: string;
  /** The country the node is in: a plant's or market's own, an in-house line's plant's; null when the scenario names none. */
  readonly country: string | null;
  /** An in-house line: the plant it is at; null for a source bought from a supplier, and for plants and markets. */
  readonly madeAt: string | null;
}

export interface FlowDetail {
  /** What the flow carries: a part, or a product. */
  readonly label: string;
  readonly units: number;
}

export interface NetworkFlow {
  readonly key: string;
  readonly from: string;
  readonly to: string;
  /** Parts delivered to a plant, or products sold in a market. */
  readonly goods: "parts" | "products";
  readonly units: number;
  /** Parts: the source's unit cost × units; products: revenue. */
  readonly value: number;
  readonly freight: number;
  readonly duty: number;
  /** The countries at both ends when they differ (both named): the flow crosses that border. */
  readonly border: { readonly from: string; readonly to: string } | null;
  /** What the flow carries, most units first. */
  readonly details: readonly FlowDetail[];
}

export interface Network {
  readonly nodes: readonly NetworkNode[];
  readonly flows: readonly NetworkFlow[];
  /** The countries, in the order of the plants, then the markets, that name them. */
  readonly countries: readonly string[];
  /** Parts are pooled (no procurement row names the plant delivered to): the picture starts at the plants. */
  readonly pooledParts: boolean;
}

/** Flows smaller than this many units are left out (solver noise). */
const NOISE = 1e-6;

/** The network of a plan with the joint network's fields (`plan.flows`) in `period`; null for any other plan, or one without quantities. */
export function planNetwork(scenario: ScenarioView, plan: Plan, period: string): Network | null {
  if (plan.flows === undefined || plan.objective === null) return null;
  const plantOf = new Map(scenario.plants.map((plant) => [plant.id, plant]));
  const marketOf = new Map(scenario.markets.map((market) => [market.id, market]));
  const partName = new Map(scenario.parts.map((part) => [part.id, part.name ?? humanize(part.id)]));
  const productName = new Map(scenario.products.map((product) => [product.id, product.name ?? humanize(product.id)]));
  const madeAt = new Map(scenario.parts.flatMap((part) => part.sources.map((source) => [JSON.stringify([part.id, source.id]), source.plant])));
  const plantCountry = (id: string) => plantOf.get(id)?.country ?? null;
  const plantName = (id: string) => plantOf.get(id)?.name ?? humanize(id);

  /** A node's label and country: a plant's or market's own; an in-house line's plant's, named after it unless its id says it. */
  const describe = (column: Column, id: string, madeAtPlant: string | null): Pick<NetworkNode, "label" | "country"> => {
    switch (column) {
      case "plant":
        return { label: plantName(id), country: plantCountry(id) };
      case "market":
        return { label: marketOf.get(id)?.name ?? humanize(id), country: marketOf.get(id)?.country ?? null };
      case "source": {
        const line = capitalize(humanize(id));
        if (madeAtPlant === null) return { label: line, country: null };
        const plant = plantName(madeAtPlant);
        return { label: line.toLowerCase().includes(plant.toLowerCase()) ? line : `${line} (${plant})`, country: plantCountry(madeAtPlant) };
      }
    }
  };
  const nodes = new Map<string, NetworkNode>();
  const node = (column: Column, id: string, madeAtPlant: string | null = null): string => {
    // A source is one node per supplier id, and one per in-house line (a source id at a plant).
    const key = JSON.stringify([column, id, madeAtPlant]);
    if (!nodes.has(key)) nodes.set(key, { key, column, id, ...describe(column, id, madeAtPlant), madeAt: madeAtPlant });
    return key;
  };

  interface Building {
    from: string;
    to: string;
    goods: NetworkFlow["goods"];
    units: number;
    value: number;
    freight: number;
    duty: number;
    border: NetworkFlow["border"];
    details: Map<string, number>;
  }
  const flows = new Map<string, Building>();
  const add = (
    from: string,
    to: string,
    goods: NetworkFlow["goods"],
    border: NetworkFlow["border"],
    what: string,
    row: Omit<FlowDetail, "label"> & { value: number; freight: number; duty: number },
  ) => {
    const key = JSON.stringify([from, to]);
    const flow = flows.get(key) ?? { from, to, goods, units: 0, value: 0, freight: 0, duty: 0, border, details: new Map<string, number>() };
    flow.units += row.units;
    flow.value += row.value;
    flow.freight += row.freight;
    flow.duty += row.duty;
    flow.details.set(what, (flow.details.get(what) ?? 0) + row.units);
    flows.set(key, flow);
  };
  const crossing = (from: string | null, to: string | null) => (from !== null && to !== null && from !== to ? { from, to } : null);

  // Plants and markets first, in the scenario's order, so that the picture keeps it.
  const procurement = plan.procurement.filter((row) => row.period === period && row.units > NOISE);
  const sales = plan.sales.filter((row) => row.period === period && row.units > NOISE);
  const pooledParts = !procurement.some((row) => row.plant !== undefined);
  for (const plant of scenario.plants) {
    if (procurement.some((row) => row.plant === plant.id) || sales.some((row) => row.plant === plant.id)) node("plant", plant.id);
  }
  for (const market of scenario.markets) if (sales.some((row) => row.market === market.id)) node("market", market.id);

  for (const row of procurement) {
    if (row.plant === undefined) continue;
    const maker = madeAt.get(JSON.stringify([row.part, row.source])) ?? null;
    const from = node("source", row.source, maker);
    const border = maker === null ? null : crossing(plantCountry(maker), plantCountry(row.plant));
    add(from, node("plant", row.plant), "parts", border, partName.get(row.part) ?? humanize(row.part), {
      units: row.units,
      value: row.cost,
      freight: row.freight ?? 0,
      duty: row.duty ?? 0,
    });
  }
  for (const row of sales) {
    const border = crossing(plantCountry(row.plant), marketOf.get(row.market)?.country ?? null);
    add(node("plant", row.plant), node("market", row.market), "products", border, productName.get(row.product) ?? humanize(row.product), {
      units: row.units,
      value: row.revenue,
      freight: row.shipping ?? 0,
      duty: row.duty ?? 0,
    });
  }

  const countries = [...new Set([...scenario.plants.flatMap((plant) => plant.country ?? []), ...scenario.markets.flatMap((market) => market.country ?? [])])];
  return {
    nodes: [...nodes.values()],
    flows: [...flows.entries()].map(([key, flow]) => ({
      key,
      from: flow.from,
      to: flow.to,
      goods: flow.goods,
      units: flow.units,
      value: flow.value,
      freight: flow.freight,
      duty: flow.duty,
      border: flow.border,
      details: [...flow.details].map(([label, units]) => ({ label, units })).sort((a, b) => b.units - a.units),
    })),
    countries,
    pooledParts,
  };
}
