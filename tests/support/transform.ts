/**
 * Metamorphic transformations of raw scenario documents (plain JSON objects):
 * renaming every id and shuffling every collection, scaling money, relaxing
 * capacity, tightening a target. Used by the property tests, which check that
 * each changes the optimum exactly as the model says it must.
 */
import type { Plan, Quantities } from "../../src/plan/types.js";
import { at } from "../../src/util/invariant.js";

export type Json = Record<string, unknown>;
type PeriodNumber = number | Record<string, number>;

/** Own-property assignment that also works for keys such as "__proto__". */
export function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function mapRecord<T, U>(
  record: Record<string, T>,
  mapKey: (key: string) => string,
  mapValue: (value: T) => U,
  order: (entries: [string, T][]) => [string, T][],
): Record<string, U> {
  const out: Record<string, U> = {};
  for (const [key, value] of order(Object.entries(record))) put(out, mapKey(key), mapValue(value));
  return out;
}

function mapPeriodNumber(value: PeriodNumber, mapPeriod: (period: string) => string, mapNumber: (n: number) => number = (n) => n): PeriodNumber {
  if (typeof value === "number") return mapNumber(value);
  return mapRecord(
    value,
    (key) => (key === "*" ? "*" : mapPeriod(key)),
    mapNumber,
    (entries) => entries,
  );
}

/** A small deterministic PRNG (mulberry32), so a property's seed reproduces its shuffles. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [at(out, j, "item"), at(out, i, "item")];
  }
  return out;
}

export interface Renaming {
  readonly scenario: Json;
  /** Maps a plan of the renamed scenario back into the original's ids. */
  readonly mapBack: (plan: Plan) => Quantities;
}

/**
 * Gives every id a new name (plants, products, resources, parts, sources,
 * markets, periods, families, targets, the scenario) and shuffles every
 * collection whose order carries no meaning (all but `periods`), record keys
 * included.
 */
export function renameAndShuffle(input: Json, seed: number): Renaming {
  const next = random(seed);
  const namer = (kind: string) => {
    const forward = new Map<string, string>();
    const backward = new Map<string, string>();
    return {
      to: (id: string): string => {
        let name = forward.get(id);
        if (name === undefined) {
          name = `${kind}·${forward.size}·${Math.floor(next() * 1e6)}`;
          forward.set(id, name);
          backward.set(name, id);
        }
        return name;
      },
      from: (name: string): string => {
        const id = backward.get(name);
        if (id === undefined) throw new Error(`no original for ${kind} ${name}`);
        return id;
      },
    };
  };
  const plant = namer("plant");
  const product = namer("product");
  const resource = namer("resource");
  const part = namer("part");
  const market = namer("market");
  const period = namer("period");
  const family = namer("family");
  const target = namer("target");
  const sourcesOf = new Map<string, ReturnType<typeof namer>>();
  const source = (partId: string) => {
    let names = sourcesOf.get(partId);
    if (names === undefined) {
      names = namer("source");
      sourcesOf.set(partId, names);
    }
    return names;
  };
  const keys = <E>(entries: E[]) => shuffle(entries, next);
  const pn = (value: unknown) => mapPeriodNumber(value as PeriodNumber, period.to);
  const optional = (object: Json, key: string, map: (value: unknown) => unknown): Json => (object[key] === undefined ? {} : { [key]: map(object[key]) });

  const s = input as {
    periods?: string[];
    plants: Json[];
    products: Json[];
    routes: Json[];
    parts?: Json[];
    markets: Json[];
    demand: Json[];
    targets?: Json[];
  };
  const periods = s.periods ?? ["base"];
  const scenario: Json = {
    ...input,
    id: `renamed ${String(input["id"])}`,
    periods: periods.map(period.to),
    plants: shuffle(s.plants, next).map((p) => ({
      ...p,
      id: plant.to(p["id"] as string),
      resources: mapRecord(p["resources"] as Record<string, unknown>, resource.to, pn, keys),
    })),
    products: shuffle(s.products, next).map((q) => ({
      ...q,
      id: product.to(q["id"] as string),
      family: family.to(q["family"] as string),
      ...optional(q, "available_from", (v) => period.to(v as string)),
      ...optional(q, "available_until", (v) => period.to(v as string)),
      ...optional(q, "bom", (v) => mapRecord(v as Record<string, number>, part.to, (n) => n, keys)),
    })),
    routes: shuffle(s.routes, next).map((r) => ({
      ...r,
      plant: plant.to(r["plant"] as string),
      product: product.to(r["product"] as string),
      uses: mapRecord(r["uses"] as Record<string, number>, resource.to, (n) => n, keys),
      ...optional(r, "min", pn),
      ...optional(r, "max", pn),
      ...optional(r, "inventory", (v) => ({ ...(v as Json), ...optional(v as Json, "max", pn) })),
    })),
    parts: shuffle(s.parts ?? [], next).map((k) => ({
      ...k,
      id: part.to(k["id"] as string),
      sources: shuffle(k["sources"] as Json[], next).map((src) => ({
        ...src,
        id: source(k["id"] as string).to(src["id"] as string),
        ...optional(src, "capacity", pn),
      })),
    })),
    markets: shuffle(s.markets, next).map((m) => ({ ...m, id: market.to(m["id"] as string) })),
    demand: shuffle(s.demand, next).map((d) => ({
      ...d,
      market: market.to(d["market"] as string),
      product: product.to(d["product"] as string),
      ...optional(d, "price", pn),
      ...optional(d, "min", pn),
      ...optional(d, "max", pn),
    })),
    targets: shuffle(s.targets ?? [], next).map((t) => ({
      ...t,
      id: target.to(t["id"] as string),
      ...optional(t, "min", pn),
      ...optional(t, "max", pn),
      ...optional(t, "families", (v) => shuffle((v as string[]).map(family.to), next)),
      ...optional(t, "products", (v) => shuffle((v as string[]).map(product.to), next)),
      ...optional(t, "plants", (v) => shuffle((v as string[]).map(plant.to), next)),
      ...optional(t, "periods", (v) => shuffle((v as string[]).map(period.to), next)),
    })),
  };
  return {
    scenario,
    mapBack: (plan) => ({
      production: plan.production.map((row) => ({ ...row, period: period.from(row.period), plant: plant.from(row.plant), product: product.from(row.product) })),
      sales: plan.sales.map((row) => ({
        ...row,
        period: period.from(row.period),
        plant: plant.from(row.plant),
        product: product.from(row.product),
        market: market.from(row.market),
      })),
      inventory: plan.inventory.map((row) => ({ ...row, period: period.from(row.period), plant: plant.from(row.plant), product: product.from(row.product) })),
      procurement: plan.procurement.map((row) => {
        const original = part.from(row.part);
        return { ...row, period: period.from(row.period), part: original, source: source(original).from(row.source) };
      }),
    }),
  };
}

/** Multiplies every price and cost (route, source, holding) by k. */
export function scaleMoney(input: Json, k: number): Json {
  const pn = (value: unknown) =>
    mapPeriodNumber(
      value as PeriodNumber,
      (p) => p,
      (n) => n * k,
    );
  const times = (value: unknown) => (value as number) * k;
  const optional = (object: Json, key: string, map: (value: unknown) => unknown): Json => (object[key] === undefined ? {} : { [key]: map(object[key]) });
  return {
    ...input,
    routes: (input["routes"] as Json[]).map((r) => ({
      ...r,
      ...optional(r, "unit_cost", times),
      ...optional(r, "inventory", (v) => ({ ...(v as Json), ...optional(v as Json, "holding_cost", times) })),
    })),
    parts: ((input["parts"] as Json[] | undefined) ?? []).map((k2) => ({
      ...k2,
      sources: (k2["sources"] as Json[]).map((src) => ({ ...src, ...optional(src, "unit_cost", times) })),
    })),
    demand: (input["demand"] as Json[]).map((d) => ({ ...d, ...optional(d, "price", pn) })),
  };
}

/** Adds `extra` to every period's capacity of resource `index` (in document order over plants × resources). */
export function addCapacity(input: Json, index: number, extra: number): Json {
  let position = 0;
  const plants = (input["plants"] as Json[]).map((p) => {
    const resources: Record<string, unknown> = {};
    for (const key of Object.keys(p["resources"] as Json)) {
      const value = (p["resources"] as Json)[key];
      put(
        resources,
        key,
        position++ === index
          ? mapPeriodNumber(
              value as PeriodNumber,
              (x) => x,
              (n) => n + extra,
            )
          : value,
      );
    }
    return { ...p, resources };
  });
  return { ...input, plants };
}

/** Multiplies every source capacity of part `index` by `factor` (unlimited sources stay unlimited). */
export function scaleSupply(input: Json, index: number, factor: number): Json {
  const parts = ((input["parts"] as Json[] | undefined) ?? []).map((k, i) =>
    i !== index
      ? k
      : {
          ...k,
          sources: (k["sources"] as Json[]).map((src) =>
            src["capacity"] === undefined
              ? src
              : {
                  ...src,
                  capacity: mapPeriodNumber(
                    src["capacity"] as PeriodNumber,
                    (x) => x,
                    (n) => n * factor,
                  ),
                },
          ),
        },
  );
  return { ...input, parts };
}

export function countResources(input: Json): number {
  return (input["plants"] as Json[]).reduce((sum, p) => sum + Object.keys(p["resources"] as Json).length, 0);
}
