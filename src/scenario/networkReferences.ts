import { own, ownKeys } from "./records.js";
import type { IssuePath } from "./references.js";
import type { PeriodNumber, Scenario } from "./schema.js";
import { hasPartsNetwork, partConsumers } from "./network.js";

type Report = (path: IssuePath, message: string) => void;
type CheckPeriodNumber = (value: PeriodNumber | undefined, path: IssuePath) => boolean;

/**
 * The rules of the joint network (docs/format.md §1.6) that need the whole
 * scenario: a part made at a plant names that plant's resources and known
 * sub-parts and never needs itself; lanes name known plants and markets, a
 * shipping lane a market with a Demand row for the route's product; and in
 * the per-plant form every part a plant consumes is delivered to it by some
 * source.
 */
export function checkNetworkReferences(scenario: Scenario, report: Report, periodNumber: CheckPeriodNumber): void {
  const plants = new Map(scenario.plants.map((plant) => [plant.id, plant]));
  const parts = new Set(scenario.parts.map((part) => part.id));
  const markets = new Set(scenario.markets.map((market) => market.id));
  const productsSold = new Map<string, Set<string>>();
  for (const demand of scenario.demand) productsSold.set(demand.market, (productsSold.get(demand.market) ?? new Set<string>()).add(demand.product));
  // A lane's capacity is most often one number, which needs no check by period: its path is built only for a period map.
  const laneCapacity = (capacity: PeriodNumber | undefined, path: () => IssuePath) => {
    if (typeof capacity === "object") periodNumber(capacity, path());
  };

  scenario.parts.forEach((part, k) => {
    part.sources.forEach((source, s) => {
      const at: IssuePath = ["parts", k, "sources", s];
      if (source.plant === undefined) {
        if (source.uses !== undefined) report([...at, "uses"], 'needs "plant": only a part made at a plant uses resources');
        if (source.bom !== undefined) report([...at, "bom"], 'needs "plant": only a part made at a plant has a bill of materials');
      } else {
        const plant = plants.get(source.plant);
        if (plant === undefined) report([...at, "plant"], `unknown plant ${JSON.stringify(source.plant)}`);
        else {
          for (const resource of ownKeys(source.uses)) {
            if (own(plant.resources, resource) === undefined) {
              report([...at, "uses", resource], `plant ${JSON.stringify(plant.id)} has no resource ${JSON.stringify(resource)}`);
            }
          }
        }
      }
      for (const subPart of ownKeys(source.bom)) {
        if (!parts.has(subPart)) report([...at, "bom", subPart], `unknown part ${JSON.stringify(subPart)}`);
      }
      for (const destination of ownKeys(source.delivers_to)) {
        if (!plants.has(destination)) report([...at, "delivers_to", destination], `unknown plant ${JSON.stringify(destination)}`);
        laneCapacity(own(source.delivers_to, destination)?.capacity, () => [...at, "delivers_to", destination, "capacity"]);
      }
    });
  });

  scenario.routes.forEach((route, r) => {
    for (const market of ownKeys(route.ships_to)) {
      const where = (): IssuePath => ["routes", r, "ships_to", market];
      if (!markets.has(market)) report(where(), `unknown market ${JSON.stringify(market)}`);
      else if (productsSold.get(market)?.has(route.product) !== true) {
        report(where(), `market ${JSON.stringify(market)} has no demand row for product ${JSON.stringify(route.product)}: nothing could be sold there`);
      }
      laneCapacity(own(route.ships_to, market)?.capacity, () => [...where(), "capacity"]);
    }
  });

  checkBomCycles(scenario, report);
  if (hasPartsNetwork(scenario)) checkEveryConsumerSupplied(scenario, report);
}

/**
 * A part made in-house needs the sub-parts of its source's bom; a part that
 * needs itself, directly or through others, is an error at the bom entry
 * that closes the cycle: `engine is needed to make itself: engine → block → engine`.
 * Each cycle is reported once.
 */
function checkBomCycles(scenario: Scenario, report: Report): void {
  const partIndex = new Map(scenario.parts.map((part, k) => [part.id, k]));
  const state = new Uint8Array(scenario.parts.length); // 0 unvisited, 1 on the path, 2 done
  const path: number[] = [];
  const visit = (k: number): void => {
    state[k] = 1;
    path.push(k);
    const part = scenario.parts[k];
    part?.sources.forEach((source, s) => {
      for (const subPart of ownKeys(source.bom)) {
        const j = partIndex.get(subPart);
        if (j === undefined) continue;
        if (state[j] === 1) {
          const cycle = [...path.slice(path.indexOf(j)), j].map((n) => scenario.parts[n]?.id ?? "");
          report(["parts", k, "sources", s, "bom", subPart], `${subPart} is needed to make itself: ${cycle.join(" → ")}`);
        } else if (state[j] === 0) visit(j);
      }
    });
    path.pop();
    state[k] = 2;
  };
  scenario.parts.forEach((_part, k) => {
    if (state[k] === 0) visit(k);
  });
}

/** In the per-plant form, a part consumed at a plant no source delivers to could never be there. */
function checkEveryConsumerSupplied(scenario: Scenario, report: Report): void {
  const consumers = partConsumers(scenario);
  scenario.parts.forEach((part, k) => {
    for (const [plant, why] of consumers[k] ?? new Map<string, () => string>()) {
      const delivered = part.sources.some((source) => source.delivers_to === undefined || own(source.delivers_to, plant) !== undefined);
      if (!delivered) {
        report(["parts", k, "sources"], `no source of part ${JSON.stringify(part.id)} delivers to plant ${JSON.stringify(plant)}, which needs it (${why()})`);
      }
    }
  });
}
