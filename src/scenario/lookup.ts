import { at, known } from "../util/invariant.js";
import { hasPartsNetwork, partConsumers } from "./network.js";
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
  /**
   * The joint network's one switch (docs/format.md §2.7): true when parts are
   * balanced per plant, false when each part is one pool per period.
   */
  readonly perPlantParts: boolean;
  /** Per part: where its balance is kept — the plants consuming it, in plant order, or one pool (`POOLED`). */
  readonly partPlaces: readonly (readonly Place[])[];
  /** deliveries[part][source]: the places of `partPlaces[part]` the source delivers to (in the pooled form, the pool). */
  readonly deliveries: readonly (readonly (readonly Delivery[])[])[];
  /** partUsersAt[part][place]: the routes consuming the part there. */
  readonly partUsersAt: readonly (readonly (readonly PartUser[])[])[];
  /** inHouseUsersAt[part][place]: the parts made there whose own bom needs the part. */
  readonly inHouseUsersAt: readonly (readonly (readonly InHouseUser[])[])[];
  /** Per plant and resource: the parts made there using it, with the amount per unit made. */
  readonly inHouseResourceUsers: ReadonlyMap<string, ReadonlyMap<string, readonly InHouseUser[]>>;
}

/** A plant id, or `POOLED` for the one balance of a part in the pooled form. */
export type Place = string | typeof POOLED;
export const POOLED = null;

/** One source's deliveries to one place of its part: `plant` is the place's plant (`POOLED` in the pooled form). */
export interface Delivery {
  readonly place: number;
  readonly plant: Place;
}

/** A part made in-house (source `source` of part `part`) and how much of something each unit needs. */
export interface InHouseUser {
  readonly part: number;
  readonly source: number;
  readonly perUnit: number;
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
      // A route with shipping lanes sells only in the markets they name (docs/format.md §1.6).
      if (route.ships_to !== undefined && own(route.ships_to, demand.market) === undefined) continue;
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

  const network = partsNetwork(scenario, partUsers);

  return {
    ...network,
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

/** Where each part is balanced, which source delivers where, and who consumes and uses what there (docs/format.md §2.7). */
function partsNetwork(
  scenario: Scenario,
  partUsers: readonly (readonly PartUser[])[],
): Pick<ScenarioLookup, "perPlantParts" | "partPlaces" | "deliveries" | "partUsersAt" | "inHouseUsersAt" | "inHouseResourceUsers"> {
  const inHouseResourceUsers = new Map<string, Map<string, InHouseUser[]>>();
  const perPlantParts = hasPartsNetwork(scenario);
  if (!perPlantParts) {
    return {
      perPlantParts,
      partPlaces: scenario.parts.map(() => [POOLED]),
      deliveries: scenario.parts.map((part) => part.sources.map(() => [{ place: 0, plant: POOLED }])),
      partUsersAt: partUsers.map((users) => [users]),
      inHouseUsersAt: scenario.parts.map(() => [[]]),
      inHouseResourceUsers,
    };
  }
  const partPlaces = partConsumers(scenario).map((consumers) => [...consumers.keys()]);
  const placeOf = partPlaces.map((places) => new Map(places.map((plant, i) => [plant, i])));
  const deliveries = scenario.parts.map((part, k) =>
    part.sources.map((source) =>
      (partPlaces[k] ?? []).flatMap((plant, place) =>
        source.delivers_to === undefined || own(source.delivers_to, plant) !== undefined ? [{ place, plant }] : [],
      ),
    ),
  );
  const partUsersAt: PartUser[][][] = partPlaces.map((places, k) => {
    const users = places.map((): PartUser[] => []);
    for (const user of partUsers[k] ?? []) {
      const place = placeOf[k]?.get(at(scenario.routes, user.route, "route").plant);
      if (place !== undefined) users[place]?.push(user);
    }
    return users;
  });
  const inHouseUsersAt: InHouseUser[][][] = partPlaces.map((places) => places.map(() => []));
  const partIndex = new Map(scenario.parts.map((part, k) => [part.id, k]));
  scenario.parts.forEach((made, k) => {
    made.sources.forEach((source, s) => {
      const plant = source.plant;
      if (plant === undefined) return;
      for (const subPart of ownKeys(source.bom)) {
        const perUnit = own(source.bom, subPart) ?? 0;
        const j = partIndex.get(subPart);
        const place = j === undefined ? undefined : placeOf[j]?.get(plant);
        if (perUnit !== 0 && j !== undefined && place !== undefined) inHouseUsersAt[j]?.[place]?.push({ part: k, source: s, perUnit });
      }
      const byResource = inHouseResourceUsers.get(plant) ?? new Map<string, InHouseUser[]>();
      inHouseResourceUsers.set(plant, byResource);
      for (const resource of ownKeys(source.uses)) {
        const use = own(source.uses, resource) ?? 0;
        if (use === 0) continue;
        const users = byResource.get(resource) ?? [];
        users.push({ part: k, source: s, perUnit: use });
        byResource.set(resource, users);
      }
    });
  });
  return { perPlantParts, partPlaces, deliveries, partUsersAt, inHouseUsersAt, inHouseResourceUsers };
}
