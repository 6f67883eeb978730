import { z } from "zod";
import { AUTO_JS_LP_MAX_COLUMNS } from "../solvers/index.js";
import { formatPath, fromZodIssues, type ValidationIssue } from "../scenario/parse.js";
import { catalog, catalogColumns } from "./catalog.js";
import type { ScenarioLimits, ServiceConfig } from "./config.js";
import type { PlanTask } from "./planTask.js";

/**
 * The first look at a `POST /v1/plans` body, on the request's thread and
 * without validating the scenario: the envelope (`scenario` or `scenarioId`,
 * plus `options`), the server's size limits, and where to solve it. The
 * scenario and the options are validated by the task (`planTask.ts`).
 */
export const planEnvelopeSchema = z.strictObject({
  scenario: z.unknown().optional(),
  scenarioId: z.string({ error: "expected the id of a bundled scenario" }).optional(),
  options: z.unknown().optional(),
});

export type Placement = "inline" | "pool";

export type PreparedPlan =
  | { readonly kind: "invalid"; readonly issues: readonly ValidationIssue[] }
  | { readonly kind: "unknown_scenario"; readonly id: string }
  | { readonly kind: "ready"; readonly task: PlanTask; readonly placement: Placement; readonly columns: number };

export function preparePlan(body: unknown, config: ServiceConfig, receivedAt: number): PreparedPlan {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return invalid([{ path: "", message: "expected a JSON object with scenario or scenarioId" }]);
  }
  const envelope = planEnvelopeSchema.safeParse(body, { reportInput: true });
  if (!envelope.success) return invalid(fromZodIssues(envelope.error.issues));
  const { scenario, scenarioId, options } = envelope.data;
  const given = (scenario === undefined ? 0 : 1) + (scenarioId === undefined ? 0 : 1);
  if (given !== 1) {
    return invalid([{ path: "", message: given === 0 ? "scenario or scenarioId is required" : "give either scenario or scenarioId, not both" }]);
  }

  const requested = record(options)?.["integer"];
  let columns: number;
  let integer: boolean;
  if (scenarioId !== undefined) {
    const entry = catalog().get(scenarioId);
    if (entry === undefined) return { kind: "unknown_scenario", id: scenarioId };
    columns = catalogColumns(entry);
    integer = typeof requested === "boolean" ? requested : entry.scenario.integer;
  } else {
    const size = sizeIssues(scenario, config.limits);
    if (size.issues.length > 0) return invalid(size.issues);
    columns = size.columns;
    integer = typeof requested === "boolean" ? requested : record(scenario)?.["integer"] === true;
  }

  const task: PlanTask = {
    ...(scenarioId === undefined ? { scenario } : { scenarioId }),
    options,
    receivedAt,
    deadline: receivedAt + timeLimitOf(options, config),
    maxTimeLimitMs: config.maxTimeLimitMs,
  };
  const opts = record(options);
  const inline = solvesInline({ integer, columns, backend: opts?.["backend"], explain: opts?.["explain"] }, config.inlineMaxColumns);
  const placement: Placement = inline ? "inline" : "pool";
  if (placement === "pool") {
    // Structured clone (the hop to a worker) recurses: refuse deep nesting first. On this thread
    // nothing walks the body recursively — validation stops at the first value of a wrong type.
    const deep = nestedBeyond(body, config.limits.depth);
    if (deep !== undefined) return invalid([{ path: formatPath(deep), message: `nested more than ${config.limits.depth} levels deep` }]);
  }
  return { kind: "ready", task, placement, columns };
}

/** What decides where a plan is solved: the model's kind and size, and the options asked for. */
export interface PlacementInput {
  readonly integer: boolean;
  /** LP columns: estimated from the posted document (an upper bound), or counted. */
  readonly columns: number;
  /** `options.backend` as posted (anything but a backend name counts as `auto`: such a request is refused unsolved). */
  readonly backend: unknown;
  /** `options.explain` as posted. */
  readonly explain: unknown;
}

/**
 * Whether a plan is solved on the request's thread: only when the solve is
 * cheap and bounded. That is a continuous LP, no explanation asked for (it
 * takes a hundred times the solve), of at most `inlineMaxColumns` columns, on
 * a backend that stops in time: HiGHS (it honours the time limit), or
 * javascript-lp-solver only where `auto` would pick it (at most
 * `AUTO_JS_LP_MAX_COLUMNS`) — its simplex cannot be interrupted, and named
 * on a larger LP it may run for minutes. Everything else goes to the pool.
 */
export function solvesInline(input: PlacementInput, inlineMaxColumns: number): boolean {
  if (input.integer || (input.explain !== undefined && input.explain !== false) || input.columns > inlineMaxColumns) return false;
  const backend = input.backend === "highs" || input.backend === "javascript-lp-solver" ? input.backend : "auto";
  const runs = backend === "auto" ? (input.columns <= AUTO_JS_LP_MAX_COLUMNS ? "javascript-lp-solver" : "highs") : backend;
  return runs === "highs" || input.columns <= AUTO_JS_LP_MAX_COLUMNS;
}

/** The request's time limit: its own when it asks for a valid one, else the server's default. */
function timeLimitOf(options: unknown, config: ServiceConfig): number {
  const asked = record(options)?.["timeLimitMs"];
  const valid = typeof asked === "number" && Number.isInteger(asked) && asked > 0 && asked <= config.maxTimeLimitMs;
  return valid ? asked : config.defaultTimeLimitMs;
}

const invalid = (issues: readonly ValidationIssue[]): PreparedPlan => ({ kind: "invalid", issues });

function record(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function field(value: unknown, key: string): unknown {
  const object = record(value);
  return object !== undefined && Object.hasOwn(object, key) ? object[key] : undefined;
}

const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);

const countedCollections = ["plants", "products", "routes", "parts", "markets", "periods", "demand", "targets"] as const;

/**
 * Counts of each collection against the server's limits, and an estimate of
 * the LP's columns (the variables of docs/format.md §2.2: make and stock per route, sell per
 * route and demand row of its product, buy per part source, each per period)
 * read from the raw document, whatever it holds.
 */
function sizeIssues(scenario: unknown, limits: ScenarioLimits): { issues: ValidationIssue[]; columns: number } {
  const issues: ValidationIssue[] = [];
  for (const key of countedCollections) {
    const value = field(scenario, key);
    if (Array.isArray(value) && value.length > limits[key]) {
      issues.push({ path: `scenario.${key}`, message: `has ${value.length} entries; this server accepts at most ${limits[key]}` });
    }
  }
  const demandRows = new Map<unknown, number>();
  for (const row of list(field(scenario, "demand"))) {
    const product = field(row, "product");
    demandRows.set(product, (demandRows.get(product) ?? 0) + 1);
  }
  let perPeriod = 0;
  for (const route of list(field(scenario, "routes"))) {
    perPeriod += 1 + (field(route, "inventory") === undefined ? 0 : 1) + (demandRows.get(field(route, "product")) ?? 0);
  }
  for (const part of list(field(scenario, "parts"))) perPeriod += list(field(part, "sources")).length;
  const columns = perPeriod * Math.max(1, list(field(scenario, "periods")).length);
  if (columns > limits.columns) {
    issues.push({ path: "scenario", message: `the model would have about ${columns} variables; this server accepts at most ${limits.columns}` });
  }
  return { issues, columns };
}

/** The path of the first value nested deeper than `limit` (objects and arrays), if any. Recursion stops at `limit`. */
function nestedBeyond(value: unknown, limit: number, path: (string | number)[] = []): (string | number)[] | undefined {
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
