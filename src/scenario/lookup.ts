import { at, known } from "../util/invariant.js";
import { own, ownKeys } from "./records.js";
import type { Demand, Market, Part, Product, Route, Scenario } from "./schema.js";

/**
 * Lookups derived from a parsed scenario — positions by id, routes by plant
 * and product, sales channels, part users — built once per scenario and shared
 * by the formulation, the report and the verification. They describe the data
 * only; nothing here knows about the LP.
 */
export interface ScenarioLookup {
  readonly periodIndex: ReadonlyMap<string, number>;
  readonly partIndex: ReadonlyMap<string, number>;
  /** Route position by plant and product. */
  readonly routeIndex: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Per plant and resource: the routes using it, with the amount per unit made. */
  readonly resourceUsers: ReadonlyMap<string, ReadonlyMap<string, readonly ResourceUser[]>>;
  /** Product of each route. */
  readonly routeProduct: readonly Product[];
  /** Sales channels: a route's output sold in a market with a Demand row for its product. */
  readonly channels: readonly Channel[];
  readonly channelsByRoute: readonly (readonly number[])[];
  readonly channelsByDemand: readonly (readonly number[])[];
  /** Routes whose product's bom uses each part, with the quantity per unit. */
  readonly partUsers: readonly (readonly PartUser[])[];
  /** Source position within its part, by part position. */
  readonly sourceIndex: readonly ReadonlyMap<string, number>[];
}

export interface Channel {
  readonly route: number;
  readonly demand: number;
  readonly market: Market;
}

export interface ResourceUser {
  readonly route: number;
  readonly use: number;
}

export interface PartUser {
  readonly route: number;
  readonly perUnit: number;
}

const lookups = new WeakMap<Scenario, ScenarioLookup>();

export function scenarioLookup(scenario: Scenario): ScenarioLookup {
  let lookup = lookups.get(scenario);
  if (lookup === undefined) {
    lookup = buildLookup(scenario);
    lookups.set(scenario, lookup);
  }
  return lookup;
}

/**
 * Lends `base`'s lookups to `scenario`, a copy of it with other numbers only
 * (capacities, bounds, prices, costs: what a what-if edit changes). Nothing
 * in a lookup depends on those numbers, so a sweep that edits the scenario at
 * every point does not build them again.
 */
export function shareLookup(scenario: Scenario, base: Scenario): void {
  lookups.set(scenario, scenarioLookup(base));
}

function positions<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const map = new Map<string, number>();
  items.forEach((item, i) => map.set(key(item), i));
  return map;
}

function groupPositions<T>(items: readonly T[], key: (item: T) => string): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  items.forEach((item, i) => {
    const group = groups.get(key(item));
    if (group === undefined) groups.set(key(item), [i]);
    else group.push(i);
  });
  return groups;
}

function buildLookup(scenario: Scenario): ScenarioLookup {
  const productById = new Map(scenario.products.map((product): [string, Product] => [product.id, product]));
  const marketById = new Map(scenario.markets.map((market): [string, Market] => [market.id, market]));
  const routeIndex = new Map<string, Map<string, number>>();
  scenario.routes.forEach((route: Route, r) => {
    const byProduct = routeIndex.get(route.plant) ?? new Map<string, number>();
    byProduct.set(route.product, r);
    routeIndex.set(route.plant, byProduct);
  });
  const routeProduct = scenario.routes.map((route) => known(productById, route.product, "product"));
  const demandByProduct = groupPositions(scenario.demand, (demand: Demand) => demand.product);

  const channels: Channel[] = [];
  const channelsByRoute: number[][] = scenario.routes.map(() => []);
  const channelsByDemand: number[][] = scenario.demand.map(() => []);
  scenario.routes.forEach((route, r) => {
    for (const d of demandByProduct.get(route.product) ?? []) {
      const demand = at(scenario.demand, d, "demand row");
      channelsByRoute[r]?.push(channels.length);
      channelsByDemand[d]?.push(channels.length);
      channels.push({ route: r, demand: d, market: known(marketById, demand.market, "market") });
    }
  });

  const partIndex = positions(scenario.parts, (part: Part) => part.id);
  const partUsers: PartUser[][] = scenario.parts.map(() => []);
  routeProduct.forEach((product, r) => {
    for (const part of ownKeys(product.bom)) {
      const perUnit = own(product.bom, part) ?? 0;
      const k = partIndex.get(part);
      if (perUnit !== 0 && k !== undefined) partUsers[k]?.push({ route: r, perUnit });
    }
  });

  const resourceUsers = new Map<string, Map<string, ResourceUser[]>>();
  for (const plant of scenario.plants) {
    const byResource = new Map<string, ResourceUser[]>(ownKeys(plant.resources).map((resource) => [resource, []]));
    resourceUsers.set(plant.id, byResource);
  }
  scenario.routes.forEach((route, r) => {
    const byResource = resourceUsers.get(route.plant);
    for (const resource of ownKeys(route.uses)) {
      const use = own(route.uses, resource) ?? 0;
      if (use !== 0) byResource?.get(resource)?.push({ route: r, use });
    }
  });

  return {
    periodIndex: positions(scenario.periods, (period) => period),
    partIndex,
    routeIndex,
    resourceUsers,
    routeProduct,
    channels,
    channelsByRoute,
    channelsByDemand,
    partUsers,
    sourceIndex: scenario.parts.map((part) => positions(part.sources, (source) => source.id)),
  };
}
