import type { Lane, PeriodNumber, Scenario } from "../../src/scenario/schema.js";

/**
 * A scenario document (jointplan/v1) as the page reads it: the library's own
 * Scenario type (src/scenario/schema.ts), narrowed to the fields the page
 * uses, with the format's defaults applied (one period "base", USD, no parts,
 * no targets, no investments, no discounting; no lanes, countries or in-house sources outside a joint
 * network, docs/network.md). Read leniently: the server validates, and says what is wrong;
 * a record or field the page cannot read is left out here, never guessed.
 */

/** The fields the page reads of each kind of record. */
interface ReadFields {
  readonly plants: "id" | "name" | "country" | "resources";
  readonly products: "id" | "name" | "family";
  readonly routes: "plant" | "product" | "ships_to";
  readonly markets: "id" | "name" | "export" | "country";
  readonly parts: "id" | "name" | "value" | "sources";
  readonly demand: "market" | "product" | "price" | "max";
  readonly targets: "id" | "kind" | "min" | "max" | "families" | "products" | "plants";
  readonly investments: "id" | "name" | "plant" | "fixed_cost" | "earliest" | "latest" | "group" | "required";
}

export type ScenarioView = Pick<Scenario, "id" | "title" | "currency" | "integer" | "periods" | "objective" | "discount_rate"> & {
  readonly [K in keyof ReadFields]: readonly Pick<Scenario[K][number], Extract<ReadFields[K], keyof Scenario[K][number]>>[];
};
export type PlantView = ScenarioView["plants"][number];
export type TargetView = ScenarioView["targets"][number];
export type InvestmentView = ScenarioView["investments"][number];
/** A lane of the joint network (a source's `delivers_to`, a route's `ships_to`). */
export type LaneView = Lane;

const objectives = ["max_margin", "min_cost", "max_units"] as const;
const targetKinds = ["units", "export_share", "local_parts_share"] as const;

export function readScenario(document: unknown): ScenarioView {
  const doc = record(document);
  const periods = strings(doc["periods"]);
  return {
    id: text(doc["id"]) ?? "",
    title: text(doc["title"]) ?? text(doc["id"]) ?? "Untitled scenario",
    currency: text(doc["currency"]) ?? "USD",
    integer: doc["integer"] === true,
    periods: periods.length > 0 ? periods : ["base"],
    objective: objectives.find((objective) => objective === doc["objective"]) ?? "max_margin",
    discount_rate: finite(doc["discount_rate"]) ?? 0,
    plants: named(doc["plants"], (plant) => ({ ...optional("country", text(plant["country"])), resources: byId(plant["resources"], periodNumber) })),
    products: named(doc["products"], (product) => ({ family: text(product["family"]) ?? "" })),
    routes: records(doc["routes"]).flatMap((route) => {
      const plant = text(route["plant"]);
      const product = text(route["product"]);
      if (plant === undefined || product === undefined) return [];
      return [{ plant, product, ...optional("ships_to", lanes(route["ships_to"])) }];
    }),
    markets: named(doc["markets"], (market) => ({ export: market["export"] === true, ...optional("country", text(market["country"])) })),
    parts: named(doc["parts"], (part) => ({
      value: typeof part["value"] === "number" ? part["value"] : 1,
      sources: records(part["sources"]).flatMap((source) => {
        const id = text(source["id"]);
        if (id === undefined) return [];
        return [
          {
            id,
            local: source["local"] === true,
            unit_cost: finite(source["unit_cost"]) ?? 0,
            ...optional("capacity", periodNumber(source["capacity"])),
            ...optional("plant", text(source["plant"])),
            ...optional("delivers_to", lanes(source["delivers_to"])),
          },
        ];
      }),
    })),
    demand: records(doc["demand"]).flatMap((row) => {
      const market = text(row["market"]);
      const product = text(row["product"]);
      if (market === undefined || product === undefined) return [];
      const max = periodNumber(row["max"]);
      return [{ market, product, price: periodNumber(row["price"]) ?? 0, ...(max === undefined ? {} : { max }) }];
    }),
    targets: records(doc["targets"]).flatMap((target) => {
      const id = text(target["id"]);
      const kind = targetKinds.find((known) => known === target["kind"]);
      if (id === undefined || kind === undefined) return [];
      const bounds = Object.fromEntries(
        (["min", "max"] as const).flatMap((key) => {
          const value = periodNumber(target[key]);
          return value === undefined ? [] : [[key, value]];
        }),
      );
      const filters = Object.fromEntries(
        (["families", "products", "plants"] as const).flatMap((key) => (Array.isArray(target[key]) ? [[key, strings(target[key])]] : [])),
      );
      return [{ id, kind, ...bounds, ...filters }];
    }),
    investments: named(doc["investments"], (investment) => ({
      plant: text(investment["plant"]) ?? "",
      fixed_cost: finite(investment["fixed_cost"]) ?? 0,
      required: investment["required"] === true,
      ...optional("earliest", text(investment["earliest"])),
      ...optional("latest", text(investment["latest"])),
      ...optional("group", text(investment["group"])),
    })),
  };
}

/** What a target's filters count, with a noun: "car parts", "all sales", "parts of city, andijan". */
export function targetScope(target: TargetView, noun: string): string {
  const families = target.families ?? [];
  const named = [...(target.products ?? []), ...(target.plants ?? [])];
  if (families.length > 0 && named.length === 0) return `${families.join(", ")} ${noun}`;
  if (families.length === 0 && named.length === 0) return `all ${noun}`;
  return `${noun} of ${[...families, ...named].join(", ")}`;
}

/** A PeriodNumber's value in one period: the number itself, the period's entry, or the "*" default. */
export function periodValue(value: PeriodNumber | undefined, period: string): number | undefined {
  if (value === undefined || typeof value === "number") return value;
  return Object.hasOwn(value, period) ? value[period] : value["*"];
}

function record(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function records(value: unknown): Readonly<Record<string, unknown>>[] {
  return Array.isArray(value) ? value.map(record) : [];
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** A number, or an object of numbers keyed by period label; anything else is left out. */
function periodNumber(value: unknown): PeriodNumber | undefined {
  if (typeof value === "number") return finite(value);
  const entries = byId(value, finite);
  return Object.keys(entries).length > 0 ? entries : undefined;
}

/** A field that is present only when it has a value (the library's types are exact about optional fields). */
function optional<K extends string, T>(key: K, value: T | undefined): Partial<Record<K, T>> {
  return (value === undefined ? {} : { [key]: value }) as Partial<Record<K, T>>;
}

/** Lanes keyed by plant or market id, with the format's defaults (no freight, no duty, no limit); absent when the field is. */
function lanes(value: unknown): Readonly<Record<string, Lane>> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  return byId(value, (entry) => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return undefined;
    const lane = record(entry);
    return { cost: finite(lane["cost"]) ?? 0, duty: finite(lane["duty"]) ?? 0, ...optional("capacity", periodNumber(lane["capacity"])) };
  });
}

/** The entries of an object keyed by id that `read` can read, in a null-prototype object (an id such as `__proto__` stays an id). */
function byId<T>(value: unknown, read: (entry: unknown) => T | undefined): Readonly<Record<string, T>> {
  const result = Object.create(null) as Record<string, T>;
  for (const [key, entry] of Object.entries(record(value))) {
    const readable = read(entry);
    if (readable !== undefined) result[key] = readable;
  }
  return result;
}

function named<T>(value: unknown, read: (item: Readonly<Record<string, unknown>>) => T): ({ readonly id: string; readonly name?: string } & T)[] {
  return records(value).flatMap((item) => {
    const id = text(item["id"]);
    if (id === undefined) return [];
    const name = text(item["name"]);
    return [{ id, ...(name === undefined ? {} : { name }), ...read(item) }];
  });
}
