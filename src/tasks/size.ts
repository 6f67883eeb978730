import type { ValidationIssue } from "../scenario/parse.js";
import { formatPath } from "../scenario/parse.js";

/**
 * How large a posted scenario is, read from the raw document before it is
 * validated — whatever it holds — so that a service can refuse what it will
 * not build and decide where to build the rest without doing the work on its
 * own thread. Every figure is an upper bound of what `formulate` makes
 * (docs/format.md §2): columns, rows and non-zeros of the model, and the rows
 * of its answer.
 */
export interface ScenarioSize {
  readonly periods: number;
  readonly columns: number;
  readonly rows: number;
  readonly nonZeros: number;
  /** Rows a Plan of it can hold (capacity, targets, production, inventory, sales, procurement; with `explain`, priced bounds). */
  readonly answerRows: number;
}

/** Limits a service puts on what it accepts. */
export interface SizeLimits {
  readonly plants: number;
  readonly products: number;
  readonly routes: number;
  readonly parts: number;
  readonly markets: number;
  readonly periods: number;
  readonly demand: number;
  readonly targets: number;
  /** Resources of any one plant. */
  readonly resourcesPerPlant: number;
  /** Variables (columns) of the model. */
  readonly columns: number;
  /** Constraints (rows) of the model. */
  readonly rows: number;
  /** Non-zero coefficients of the model's constraint matrix. */
  readonly nonZeros: number;
  /** Rows an answer may hold. */
  readonly answerRows: number;
  /** Characters in an id, a resource name or a period label (they are repeated in every row of an answer). */
  readonly idLength: number;
  /** JSON nesting depth of a request body (a valid one needs 6). */
  readonly depth: number;
}

const countedCollections = ["plants", "products", "routes", "parts", "markets", "periods", "demand", "targets"] as const;

type Path = (string | number)[];

function record(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function field(value: unknown, key: string): unknown {
  const object = record(value);
  return object !== undefined && Object.hasOwn(object, key) ? object[key] : undefined;
}

const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
const keyCount = (value: unknown): number => Object.keys(record(value) ?? {}).length;

/** The size of a raw scenario document; `explain`: the answer includes priced bounds. */
export function scenarioSize(scenario: unknown, explain = false): ScenarioSize {
  const periods = Math.max(1, list(field(scenario, "periods")).length);
  const routes = list(field(scenario, "routes"));
  const products = list(field(scenario, "products"));
  const demandByProduct = new Map<unknown, number>();
  for (const row of list(field(scenario, "demand"))) {
    const product = field(row, "product");
    demandByProduct.set(product, (demandByProduct.get(product) ?? 0) + 1);
  }
  const bomSize = new Map<unknown, number>();
  for (const product of products) bomSize.set(field(product, "id"), keyCount(field(product, "bom")));

  let channels = 0;
  let stocked = 0;
  let uses = 0;
  let bomTerms = 0;
  for (const route of routes) {
    const product = field(route, "product");
    channels += demandByProduct.get(product) ?? 0;
    if (field(route, "inventory") !== undefined) stocked++;
    uses += keyCount(field(route, "uses"));
    bomTerms += bomSize.get(product) ?? 0;
  }
  let sources = 0;
  const parts = list(field(scenario, "parts"));
  for (const part of parts) sources += list(field(part, "sources")).length;
  let resources = 0;
  for (const plant of list(field(scenario, "plants"))) resources += keyCount(field(plant, "resources"));
  const demandRows = list(field(scenario, "demand")).length;

  let targetRows = 0;
  let targetTerms = 0;
  const targets = list(field(scenario, "targets"));
  for (const target of targets) {
    const kind = field(target, "kind");
    if (kind === "export_share") {
      targetRows += 2;
      targetTerms += 2 * channels;
    } else if (kind === "local_parts_share") {
      targetRows += 2;
      targetTerms += 2 * sources;
    } else {
      targetRows += 1;
      targetTerms += routes.length;
    }
  }

  const columns = (routes.length + stocked + channels + sources) * periods;
  const rows = (routes.length + resources + parts.length + demandRows + targetRows) * periods;
  const nonZeros = (routes.length + 2 * stocked + 2 * channels + uses + bomTerms + sources + targetTerms) * periods;
  const planRows = (resources + targets.length + 2 * routes.length + channels + sources) * periods;
  // Priced bounds: at most one per row and two per column, and the unused routes and sales.
  const answerRows = planRows + (explain ? rows + 3 * columns : 0);
  return { periods, columns, rows, nonZeros, answerRows };
}

/**
 * Every way a raw scenario exceeds `limits`, as issues with paths under
 * `prefix` (`scenario.routes`, `scenario.plants[3].id`), each naming the limit.
 * Empty when it is within them.
 */
export function sizeIssues(scenario: unknown, limits: SizeLimits, prefix: Path = ["scenario"], explain = false): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const at = (...path: Path) => formatPath([...prefix, ...path]);
  for (const key of countedCollections) {
    const value = field(scenario, key);
    if (Array.isArray(value) && value.length > limits[key]) {
      issues.push({ path: at(key), message: `has ${value.length} entries; this server accepts at most ${limits[key]}` });
    }
  }
  list(field(scenario, "plants")).forEach((plant, p) => {
    const resources = keyCount(field(plant, "resources"));
    if (resources > limits.resourcesPerPlant) {
      issues.push({
        path: at("plants", p, "resources"),
        message: `has ${resources} resources; this server accepts at most ${limits.resourcesPerPlant} per plant`,
      });
    }
  });
  const long = longIds(scenario, limits.idLength);
  if (long !== undefined) {
    issues.push({ path: at(...long.path), message: `is ${long.length} characters long; this server accepts ids and labels of at most ${limits.idLength}` });
  }
  const size = scenarioSize(scenario, explain);
  const model = [
    ["variables", size.columns, limits.columns],
    ["constraints", size.rows, limits.rows],
    ["non-zero coefficients", size.nonZeros, limits.nonZeros],
  ] as const;
  for (const [what, count, limit] of model) {
    if (count > limit) issues.push({ path: at(), message: `the model would have up to ${count} ${what}; this server accepts at most ${limit}` });
  }
  if (size.answerRows > limits.answerRows) {
    issues.push({ path: at(), message: `its answer could hold up to ${size.answerRows} rows; this server answers with at most ${limits.answerRows}` });
  }
  return issues;
}

/**
 * The first id, key or label longer than `limit` where one is repeated in an
 * answer's rows: ids of every record, resource, bom and use keys, families,
 * target filters, period labels and PeriodNumber keys.
 */
function longIds(scenario: unknown, limit: number): { path: Path; length: number } | undefined {
  const tooLong = (value: unknown): value is string => typeof value === "string" && value.length > limit;
  const keys = (value: unknown, path: Path) => {
    for (const key of Object.keys(record(value) ?? {})) if (key.length > limit) return { path: [...path, key], length: key.length };
    return undefined;
  };
  const strings = (values: unknown, path: Path) => {
    const items = list(values);
    for (let i = 0; i < items.length; i++) if (tooLong(items[i])) return { path: [...path, i], length: (items[i] as string).length };
    return undefined;
  };
  const fields = (value: unknown, names: readonly string[], path: Path) => {
    for (const name of names) {
      const text = field(value, name);
      if (tooLong(text)) return { path: [...path, name], length: text.length };
    }
    return undefined;
  };
  /** The ids of a record's own fields, and the keys of its PeriodNumber maps. */
  const periodKeys = (value: unknown, names: readonly string[], path: Path) => {
    for (const name of names) {
      const found = keys(field(value, name), [...path, name]);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const each = (name: string, check: (item: unknown, path: Path) => { path: Path; length: number } | undefined) => {
    const items = list(field(scenario, name));
    for (let i = 0; i < items.length; i++) {
      const found = check(items[i], [name, i]);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return (
    fields(scenario, ["id"], []) ??
    strings(field(scenario, "periods"), ["periods"]) ??
    each("plants", (plant, path) => {
      const resources = field(plant, "resources");
      return (
        fields(plant, ["id"], path) ??
        keys(resources, [...path, "resources"]) ??
        periodKeys(resources, Object.keys(record(resources) ?? {}), [...path, "resources"])
      );
    }) ??
    each(
      "products",
      (product, path) => fields(product, ["id", "family", "available_from", "available_until"], path) ?? keys(field(product, "bom"), [...path, "bom"]),
    ) ??
    each("routes", (route, path) => {
      const inventory = field(route, "inventory");
      return (
        fields(route, ["plant", "product"], path) ??
        keys(field(route, "uses"), [...path, "uses"]) ??
        periodKeys(route, ["min", "max"], path) ??
        periodKeys(inventory, ["max"], [...path, "inventory"])
      );
    }) ??
    each("parts", (part, path) => {
      const sources = list(field(part, "sources"));
      for (let s = 0; s < sources.length; s++) {
        const found = fields(sources[s], ["id"], [...path, "sources", s]) ?? periodKeys(sources[s], ["capacity"], [...path, "sources", s]);
        if (found !== undefined) return found;
      }
      return fields(part, ["id"], path);
    }) ??
    each("markets", (market, path) => fields(market, ["id"], path)) ??
    each("demand", (demand, path) => fields(demand, ["market", "product"], path) ?? periodKeys(demand, ["price", "min", "max"], path)) ??
    each(
      "targets",
      (target, path) =>
        fields(target, ["id"], path) ??
        periodKeys(target, ["min", "max"], path) ??
        strings(field(target, "families"), [...path, "families"]) ??
        strings(field(target, "products"), [...path, "products"]) ??
        strings(field(target, "plants"), [...path, "plants"]) ??
        strings(field(target, "periods"), [...path, "periods"]),
    )
  );
}

/** The path of the first value nested deeper than `limit` (objects and arrays), if any. Recursion stops at `limit`. */
export function nestedBeyond(value: unknown, limit: number, path: Path = []): Path | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (path.length >= limit) return path;
  const visit = (key: string | number, item: unknown) => {
    path.push(key);
    const found = nestedBeyond(item, limit, path);
    if (found === undefined) path.pop();
    return found;
  };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = visit(i, value[i]);
      if (found !== undefined) return found;
    }
  } else {
    for (const key of Object.keys(value)) {
      const found = visit(key, (value as Record<string, unknown>)[key]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
