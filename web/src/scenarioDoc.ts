import type { NamedRecord, ScenarioVocabulary } from "../../src/explain/words.js";

/**
 * A scenario document (jointplan/v1) as the page reads it: the names, the
 * defaults of the format applied (one period "base", USD, no parts, no
 * targets), and the few figures the levers start from. Read leniently: the
 * server validates; a field the page cannot read is left out here, never guessed.
 */
export interface ScenarioView extends ScenarioVocabulary {
  readonly id: string;
  readonly title: string;
  readonly currency: string;
  readonly integer: boolean;
  readonly plants: readonly PlantView[];
  readonly products: readonly ProductView[];
  readonly markets: readonly MarketView[];
  readonly parts: readonly PartView[];
  readonly demand: readonly DemandView[];
  readonly targets: readonly TargetView[];
}

export interface PlantView extends NamedRecord {
  /** Each resource with its capacity as written (a PeriodNumber). */
  readonly resources: readonly { readonly id: string; readonly capacity: unknown }[];
}
export interface ProductView extends NamedRecord {
  readonly family: string;
}
export interface MarketView extends NamedRecord {
  readonly export: boolean;
}
export interface PartView extends NamedRecord {
  /** Weight of the part in the local share (default 1). */
  readonly value: number;
  readonly sources: readonly { readonly id: string; readonly local: boolean; readonly capacity: unknown }[];
}
export interface DemandView {
  readonly market: string;
  readonly product: string;
  /** The PeriodNumber as written; undefined: unlimited. */
  readonly max: unknown;
}
export interface TargetView {
  readonly id: string;
  readonly kind: "units" | "export_share" | "local_parts_share";
  readonly min: unknown;
  readonly max: unknown;
  readonly families?: readonly string[];
  readonly products?: readonly string[];
  readonly plants?: readonly string[];
}

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
    plants: named(doc["plants"], (plant) => ({ resources: Object.entries(record(plant["resources"])).map(([id, capacity]) => ({ id, capacity })) })),
    products: named(doc["products"], (product) => ({ family: text(product["family"]) ?? "" })),
    markets: named(doc["markets"], (market) => ({ export: market["export"] === true })),
    parts: named(doc["parts"], (part) => ({
      value: typeof part["value"] === "number" ? part["value"] : 1,
      sources: named(part["sources"], (source) => ({ local: source["local"] === true, capacity: source["capacity"] })),
    })),
    demand: records(doc["demand"]).flatMap((row) => {
      const market = text(row["market"]);
      const product = text(row["product"]);
      return market === undefined || product === undefined ? [] : [{ market, product, max: row["max"] }];
    }),
    targets: records(doc["targets"]).flatMap((target) => {
      const id = text(target["id"]);
      const kind = targetKinds.find((known) => known === target["kind"]);
      if (id === undefined || kind === undefined) return [];
      const filters = Object.fromEntries(
        (["families", "products", "plants"] as const).flatMap((key) => (Array.isArray(target[key]) ? [[key, strings(target[key])]] : [])),
      );
      return [{ id, kind, min: target["min"], max: target["max"], ...filters }];
    }),
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
export function periodValue(value: unknown, period: string): number | undefined {
  if (typeof value === "number") return value;
  const byPeriod = record(value);
  const entry = Object.hasOwn(byPeriod, period) ? byPeriod[period] : byPeriod["*"];
  return typeof entry === "number" ? entry : undefined;
}

/** The same value in every period: a number, or a map whose entries are all equal. */
export function isUniform(value: unknown): boolean {
  if (typeof value === "number") return true;
  const entries = Object.values(record(value));
  return entries.length > 0 && entries.every((entry) => entry === entries[0]);
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

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function named<T>(value: unknown, read: (item: Readonly<Record<string, unknown>>) => T): (NamedRecord & T)[] {
  return records(value).flatMap((item) => {
    const id = text(item["id"]);
    return id === undefined ? [] : [{ id, name: text(item["name"]), ...read(item) }];
  });
}
