import type { Scenario } from "../../src/index.js";
import { at, defined } from "../../src/util/invariant.js";

/**
 * Scenario edits in the terms of an explanation's bound entries, written
 * straight from docs/format.md §1 on a JSON copy of the scenario (sharing nothing with
 * src/explain), so that an independent solve of the edited scenario can check
 * a diagnosis or a shadow price.
 */

export type Ref =
  | { kind: "capacity"; plant: string; resource: string; period: string }
  | { kind: "source_capacity"; part: string; source: string; period: string }
  | { kind: "lane_capacity"; part: string; source: string; plant: string; period: string }
  | { kind: "shipping_capacity"; plant: string; product: string; market: string; period: string }
  | { kind: "target"; id: string; period: string; bound: "min" | "max" }
  | { kind: "demand"; market: string; product: string; period: string; bound: "min" | "max" }
  | { kind: "route"; plant: string; product: string; period: string; bound: "min" | "max" }
  | { kind: "inventory"; plant: string; product: string; period: string; bound: "final" | "max" };

type PeriodNumber = number | Readonly<Record<string, number>>;
type Mutable<T> = T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;
/** A JSON copy of a parsed scenario, edited in place. */
export type ScenarioDocument = Mutable<Scenario>;

/** Stands in for "no bound" where the format needs a number. */
export const LIFTED = 1e9;

function put(target: object, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function valueAt(value: PeriodNumber, period: string): number {
  if (typeof value === "number") return value;
  return defined(Object.prototype.hasOwnProperty.call(value, period) ? value[period] : value["*"], `value for period ${period}`);
}

/** A PeriodNumber with one period's value replaced; an absent one is `absent` in the other periods. */
function withValue(value: PeriodNumber | undefined, periods: readonly string[], period: string, replacement: number, absent = LIFTED): Record<string, number> {
  const map: Record<string, number> = {};
  for (const p of periods) put(map, p, p === period ? replacement : value === undefined ? absent : valueAt(value, p));
  return map;
}

/** An own entry of a record keyed by user ids (a key such as `__proto__` included). */
function ownEntry<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function copy(scenario: Scenario): ScenarioDocument {
  return JSON.parse(JSON.stringify(scenario)) as ScenarioDocument;
}

const sameRef = (a: Ref, b: Ref) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** Every bound of the kinds explanations name that the scenario has, one per period. */
export function allBounds(scenario: Scenario): Ref[] {
  const refs: Ref[] = [];
  const P = scenario.periods;
  const last = at(P, P.length - 1, "last period");
  for (const plant of scenario.plants)
    for (const resource of Object.keys(plant.resources)) for (const period of P) refs.push({ kind: "capacity", plant: plant.id, resource, period });
  for (const part of scenario.parts)
    for (const source of part.sources)
      if (source.capacity !== undefined) for (const period of P) refs.push({ kind: "source_capacity", part: part.id, source: source.id, period });
  for (const part of scenario.parts)
    for (const source of part.sources)
      for (const plant of Object.keys(source.delivers_to ?? {}))
        if (ownEntry(source.delivers_to, plant)?.capacity !== undefined)
          for (const period of P) refs.push({ kind: "lane_capacity", part: part.id, source: source.id, plant, period });
  for (const route of scenario.routes)
    for (const market of Object.keys(route.ships_to ?? {}))
      if (ownEntry(route.ships_to, market)?.capacity !== undefined)
        for (const period of P) refs.push({ kind: "shipping_capacity", plant: route.plant, product: route.product, market, period });
  for (const target of scenario.targets) {
    for (const period of target.periods ?? P) {
      if (target.min !== undefined) refs.push({ kind: "target", id: target.id, period, bound: "min" });
      if (target.max !== undefined) refs.push({ kind: "target", id: target.id, period, bound: "max" });
    }
  }
  for (const demand of scenario.demand) {
    for (const period of P) {
      if (valueAt(demand.min, period) > 0) refs.push({ kind: "demand", market: demand.market, product: demand.product, period, bound: "min" });
      if (demand.max !== undefined) refs.push({ kind: "demand", market: demand.market, product: demand.product, period, bound: "max" });
    }
  }
  for (const route of scenario.routes) {
    for (const period of P) {
      if (route.min !== undefined && valueAt(route.min, period) > 0)
        refs.push({ kind: "route", plant: route.plant, product: route.product, period, bound: "min" });
      if (route.max !== undefined) refs.push({ kind: "route", plant: route.plant, product: route.product, period, bound: "max" });
      if (route.inventory?.max !== undefined) refs.push({ kind: "inventory", plant: route.plant, product: route.product, period, bound: "max" });
    }
    if (route.inventory?.final !== undefined) refs.push({ kind: "inventory", plant: route.plant, product: route.product, period: last, bound: "final" });
  }
  return refs;
}

/** The scenario with one bound set to `value`; `undefined` lifts it. */
export function setBound(scenario: Scenario, ref: Ref, value: number | undefined): ScenarioDocument {
  return setBounds(scenario, [[ref, value]]);
}

export function setBounds(scenario: Scenario, edits: readonly (readonly [Ref, number | undefined])[]): ScenarioDocument {
  const json = copy(scenario);
  const P = scenario.periods;
  for (const [ref, value] of edits) {
    switch (ref.kind) {
      case "capacity": {
        const plant = defined(
          json.plants.find((p) => p.id === ref.plant),
          "plant",
        );
        put(plant.resources, ref.resource, withValue(plant.resources[ref.resource], P, ref.period, value ?? LIFTED));
        break;
      }
      case "source_capacity": {
        const part = defined(
          json.parts.find((p) => p.id === ref.part),
          "part",
        );
        const source = defined(
          part.sources.find((s) => s.id === ref.source),
          "source",
        );
        source.capacity = withValue(source.capacity, P, ref.period, value ?? LIFTED);
        break;
      }
      case "lane_capacity": {
        const source = defined(
          json.parts.find((p) => p.id === ref.part)?.sources.find((s) => s.id === ref.source),
          "source",
        );
        const lane = defined(ownEntry(source.delivers_to, ref.plant), "delivery lane");
        lane.capacity = withValue(lane.capacity, P, ref.period, value ?? LIFTED);
        break;
      }
      case "shipping_capacity": {
        const route = defined(
          json.routes.find((r) => r.plant === ref.plant && r.product === ref.product),
          "route",
        );
        const lane = defined(ownEntry(route.ships_to, ref.market), "shipping lane");
        lane.capacity = withValue(lane.capacity, P, ref.period, value ?? LIFTED);
        break;
      }
      case "target": {
        const target = defined(
          json.targets.find((t) => t.id === ref.id),
          "target",
        );
        const share = target.kind !== "units";
        const lifted = ref.bound === "min" ? 0 : share ? 1 : LIFTED;
        target[ref.bound] = withValue(target[ref.bound], P, ref.period, value ?? lifted);
        break;
      }
      case "demand": {
        const demand = defined(
          json.demand.find((d) => d.market === ref.market && d.product === ref.product),
          "demand row",
        );
        demand[ref.bound] = withValue(demand[ref.bound], P, ref.period, value ?? (ref.bound === "min" ? 0 : LIFTED), ref.bound === "min" ? 0 : LIFTED);
        break;
      }
      case "route": {
        const route = defined(
          json.routes.find((r) => r.plant === ref.plant && r.product === ref.product),
          "route",
        );
        route[ref.bound] = withValue(route[ref.bound], P, ref.period, value ?? (ref.bound === "min" ? 0 : LIFTED), ref.bound === "min" ? 0 : LIFTED);
        break;
      }
      case "inventory": {
        const inventory = defined(json.routes.find((r) => r.plant === ref.plant && r.product === ref.product)?.inventory, "route inventory");
        if (ref.bound === "final") {
          if (value === undefined) delete inventory.final;
          else inventory.final = value;
        } else {
          inventory.max = withValue(inventory.max, P, ref.period, value ?? LIFTED);
        }
        break;
      }
    }
  }
  return json;
}

/** The scenario with every bound of those kinds lifted except those in `keep`. */
export function liftAllExcept(scenario: Scenario, keep: readonly Ref[]): ScenarioDocument {
  const lifted = allBounds(scenario).filter((ref) => !keep.some((kept) => sameRef(kept, stripRef(ref))));
  return setBounds(
    scenario,
    lifted.map((ref) => [ref, undefined] as const),
  );
}

/** A diagnosis entry reduced to its identity (drops value, by, to). */
export function stripRef(entry: Ref & Record<string, unknown>): Ref {
  const { kind } = entry;
  const pick = (...keys: string[]) => Object.fromEntries([["kind", kind], ...keys.map((k) => [k, entry[k]])]) as Ref;
  switch (kind) {
    case "capacity":
      return pick("plant", "resource", "period");
    case "source_capacity":
      return pick("part", "source", "period");
    case "lane_capacity":
      return pick("part", "source", "plant", "period");
    case "shipping_capacity":
      return pick("plant", "product", "market", "period");
    case "target":
      return pick("id", "period", "bound");
    case "demand":
      return pick("market", "product", "period", "bound");
    case "route":
    case "inventory":
      return pick("plant", "product", "period", "bound");
  }
}
