import { checkReferences, type RawIssue } from "./references.js";
import type { Scenario } from "./schema.js";

/**
 * Reference checks for a document whose shape did not parse, so that one
 * validation lists every error (docs/cli.md: `validate` prints every error), not
 * the shape errors first and the broken references only after they are fixed.
 *
 * The document is read leniently: each field the checks need is taken when it
 * has the right type and otherwise replaced by something neutral (an empty
 * record, no bound, an id no reference can name), positions kept so that
 * paths stay true. Issues at or under a path the shape check already blamed
 * are dropped: that field is reported once, by the shape check.
 */
export function referenceIssuesDespiteShape(input: unknown, blamed: readonly (readonly (string | number)[])[]): RawIssue[] {
  // When a referenced collection, one of its entries, or an entry's id is itself
  // malformed, which names exist is unknown: every "unknown …" would be a guess.
  if (blamed.some(namesUncertain)) return [];
  const scenario = lenientScenario(input);
  if (scenario === undefined) return [];
  let issues: RawIssue[];
  try {
    issues = checkReferences(scenario);
  } catch {
    return []; // a shape the lenient reading did not foresee: the shape errors stand alone
  }
  return issues.filter((issue) => !blamed.some((path) => overlaps(path, issue.path)));
}

/** Collections whose ids (and products' families, plants' resource names) other fields refer to. */
const NAMED = new Set(["periods", "plants", "products", "parts", "markets"]);

function namesUncertain(path: readonly (string | number)[]): boolean {
  const [collection, , field] = path;
  if (typeof collection !== "string" || !NAMED.has(collection)) return false;
  if (path.length <= 2 || field === "id") return true;
  return (collection === "products" && field === "family") || (collection === "plants" && field === "resources" && path.length === 3);
}

function overlaps(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
/** An id that no reference can name (ids are strings the user wrote; this one has a NUL). */
const nobody = (where: string) => `\u0000${where}`;
const text = (value: unknown, where: string) => (typeof value === "string" ? value : nobody(where));
const optionalText = (value: unknown) => (typeof value === "string" ? value : undefined);
const record = (value: unknown): Json => (isObject(value) ? value : {});
const texts = (value: unknown) => (Array.isArray(value) && value.every((item) => typeof item === "string") ? value : undefined);
/** A PeriodNumber only if it is one; anything else counts as absent (the shape check has blamed it). */
const periodNumber = (value: unknown) => {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (isObject(value) && Object.keys(value).every((key) => typeof value[key] === "number" && Number.isFinite(value[key]))) return value;
  return undefined;
};

/** Lanes of the joint network (delivers_to, ships_to) by id, each with its capacity if it is a PeriodNumber. */
const lanes = (value: unknown) => {
  if (!isObject(value)) return undefined;
  const read = Object.create(null) as Record<string, { capacity: ReturnType<typeof periodNumber> }>;
  for (const key of Object.keys(value)) read[key] = { capacity: periodNumber(record(value[key])["capacity"]) };
  return read;
};

function lenientScenario(input: unknown): Scenario | undefined {
  if (!isObject(input)) return undefined;
  const periods = input["periods"] === undefined ? ["base"] : texts(input["periods"]);
  if (periods === undefined) return undefined; // every per-period check needs the period list
  const scenario = {
    periods,
    plants: list(input["plants"]).map((plant, i) => ({ id: text(record(plant)["id"], `plant ${i}`), resources: record(record(plant)["resources"]) })),
    products: list(input["products"]).map((product, i) => {
      const p = record(product);
      return {
        id: text(p["id"], `product ${i}`),
        family: text(p["family"], `family ${i}`),
        available_from: optionalText(p["available_from"]),
        available_until: optionalText(p["available_until"]),
        bom: isObject(p["bom"]) ? p["bom"] : undefined,
      };
    }),
    routes: list(input["routes"]).map((route, i) => {
      const r = record(route);
      return {
        plant: text(r["plant"], `route ${i}`),
        product: text(r["product"], `route ${i}`),
        uses: record(r["uses"]),
        min: periodNumber(r["min"]),
        max: periodNumber(r["max"]),
        inventory: isObject(r["inventory"]) ? { max: periodNumber(r["inventory"]["max"]) } : undefined,
        ships_to: lanes(r["ships_to"]),
      };
    }),
    parts: list(input["parts"]).map((part, k) => ({
      id: text(record(part)["id"], `part ${k}`),
      sources: list(record(part)["sources"]).map((source, s) => ({
        id: text(record(source)["id"], `source ${k} ${s}`),
        capacity: periodNumber(record(source)["capacity"]),
        plant: optionalText(record(source)["plant"]),
        uses: isObject(record(source)["uses"]) ? record(source)["uses"] : undefined,
        bom: isObject(record(source)["bom"]) ? record(source)["bom"] : undefined,
        delivers_to: lanes(record(source)["delivers_to"]),
      })),
    })),
    markets: list(input["markets"]).map((market, m) => ({ id: text(record(market)["id"], `market ${m}`) })),
    demand: list(input["demand"]).map((demand, d) => {
      const row = record(demand);
      return {
        market: text(row["market"], `demand ${d}`),
        product: text(row["product"], `demand ${d}`),
        price: periodNumber(row["price"]) ?? 0,
        min: periodNumber(row["min"]) ?? 0,
        max: periodNumber(row["max"]),
      };
    }),
    investments: list(input["investments"]).map((investment, i) => {
      const row = record(investment);
      return {
        id: text(row["id"], `investment ${i}`),
        plant: text(row["plant"], `investment ${i}`),
        adds: record(row["adds"]),
        operating_cost: periodNumber(row["operating_cost"]) ?? 0,
        earliest: optionalText(row["earliest"]),
        latest: optionalText(row["latest"]),
        group: optionalText(row["group"]),
        required: row["required"] === true,
        built: typeof row["built"] === "boolean" ? row["built"] : undefined,
      };
    }),
    targets: list(input["targets"]).map((target, t) => {
      const row = record(target);
      return {
        id: text(row["id"], `target ${t}`),
        kind: optionalText(row["kind"]),
        min: periodNumber(row["min"]),
        max: periodNumber(row["max"]),
        families: texts(row["families"]),
        products: texts(row["products"]),
        plants: texts(row["plants"]),
        periods: texts(row["periods"]),
      };
    }),
  };
  return scenario as unknown as Scenario;
}
