import { formatPath, parseScenario, ValidationError } from "../scenario/parse.js";
import { optionalValueIn } from "../scenario/periods.js";
import { own, ownKeys } from "../scenario/records.js";
import type { Lane, PeriodNumber, Scenario } from "../scenario/schema.js";
import { validateChanges } from "../whatif/apply.js";
import type { Change } from "../whatif/schema.js";
import { canonicalJson } from "./canonical.js";

/**
 * The differences between two scenarios (docs/scenario-library.md, "Diff"):
 * what changed in a record both have, as §5 Changes where a Change can say
 * it — a capacity, a price, a bound, a cost, period by period —; records
 * added and removed (matched by id, or by plant and product, market and
 * product); edits of record fields no Change reaches (a name, a bill of
 * materials, a bound removed); and the top-level fields changed.
 * `applyDiff(a, diffScenarios(a, b))` is `b` (up to the order of records and
 * how a value by period is written).
 */
export interface ScenarioDiff {
  readonly fields: readonly FieldChange[];
  readonly changes: readonly Change[];
  readonly added: readonly RecordRef[];
  readonly removed: readonly RecordRef[];
  readonly edited: readonly RecordEdit[];
}

export type RecordKind = "plants" | "products" | "routes" | "parts" | "markets" | "demand" | "targets" | "investments";

/** A top-level field: `to` absent when b leaves it out. */
export interface FieldChange {
  readonly field: string;
  readonly from?: unknown;
  readonly to?: unknown;
}

export interface RecordRef {
  readonly records: RecordKind;
  /** What identifies the record: `{ id }`, `{ plant, product }` for a route, `{ market, product }` for a demand row. */
  readonly key: Readonly<Record<string, string>>;
  readonly record: unknown;
}

/** One field of a record both scenarios have, set to b's value (`to` absent: b leaves it out). */
export interface RecordEdit {
  readonly records: RecordKind;
  readonly key: Readonly<Record<string, string>>;
  readonly field: string;
  readonly from?: unknown;
  readonly to?: unknown;
}

type AnyRecord = Readonly<Record<string, unknown>>;

const KEYS: Readonly<Record<RecordKind, readonly string[]>> = {
  plants: ["id"],
  products: ["id"],
  routes: ["plant", "product"],
  parts: ["id"],
  markets: ["id"],
  demand: ["market", "product"],
  targets: ["id"],
  investments: ["id"],
};
const KINDS = Object.keys(KEYS) as RecordKind[];
const TOP_LEVEL = ["format", "id", "title", "notes", "sources", "currency", "periods", "integer", "objective", "discount_rate"] as const;

const keyOf = (kind: RecordKind, record: AnyRecord): Record<string, string> => Object.fromEntries(KEYS[kind].map((field) => [field, String(record[field])]));
const keyText = (kind: RecordKind, record: AnyRecord) => JSON.stringify(KEYS[kind].map((field) => record[field]));
const same = (x: unknown, y: unknown) => (x === undefined || y === undefined ? x === y : canonicalJson(x) === canonicalJson(y));

export function diffScenarios(a: Scenario, b: Scenario): ScenarioDiff {
  const fields: FieldChange[] = [];
  for (const field of TOP_LEVEL) {
    const from: unknown = a[field];
    const to: unknown = b[field];
    if (!same(from, to)) fields.push({ field, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
  }
  // Changes speak of periods: across a change of the period list, every differing value is an edit.
  const periods = same(a.periods, b.periods) ? b.periods : undefined;
  const out: Writable = { changes: [], added: [], removed: [], edited: [] };
  for (const kind of KINDS) {
    const before = new Map((a[kind] as readonly AnyRecord[]).map((record) => [keyText(kind, record), record]));
    const after = new Map((b[kind] as readonly AnyRecord[]).map((record) => [keyText(kind, record), record]));
    for (const [text, record] of before) if (!after.has(text)) out.removed.push({ records: kind, key: keyOf(kind, record), record });
    for (const [text, record] of after) {
      const old = before.get(text);
      if (old === undefined) out.added.push({ records: kind, key: keyOf(kind, record), record });
      else if (!same(old, record)) compareRecord(kind, old, record, periods, out);
    }
  }
  return { fields, ...out };
}

interface Writable {
  changes: Change[];
  added: RecordRef[];
  removed: RecordRef[];
  edited: RecordEdit[];
}

/** The fields of one kind of record that Changes reach, with the selector naming the record. */
function compareRecord(kind: RecordKind, a: AnyRecord, b: AnyRecord, periods: readonly string[] | undefined, out: Writable): void {
  const key = keyOf(kind, b);
  const edit = (field: string) => {
    const from = a[field];
    const to = b[field];
    out.edited.push({ records: kind, key, field, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
  };
  /** A PeriodNumber field as Changes, or false when no Change can say it (removed, or the periods differ). */
  const periodNumber = (selector: ChangeSelector, from: unknown, to: unknown, scope: readonly string[] | undefined): Change[] | false => {
    if (scope === undefined || to === undefined) return false;
    return periodChanges(selector, from as PeriodNumber | undefined, to as PeriodNumber, scope);
  };
  const oneNumber = (selector: ChangeSelector, from: unknown, to: unknown): Change[] | false =>
    periods === undefined || typeof to !== "number" ? false : from === to ? [] : [{ ...selector, set: to } as Change];
  const handled = new Set<string>();
  const field = (name: string, changes: Change[] | false) => {
    handled.add(name);
    if (same(a[name], b[name])) return;
    if (changes === false) edit(name);
    else out.changes.push(...changes);
  };

  switch (kind) {
    case "plants":
      field(
        "resources",
        lanesOrMap(a["resources"], b["resources"], (resource, from, to) =>
          periodNumber({ on: "capacity", plant: key["id"] ?? "", resource }, from, to, periods),
        ),
      );
      break;
    case "demand":
      for (const name of ["min", "max", "price"] as const) {
        field(name, periodNumber({ on: "demand", market: key["market"] ?? "", product: key["product"] ?? "", field: name }, a[name], b[name], periods));
      }
      break;
    case "targets": {
      // A bound counts in the target's own periods only; a change of those periods is an edit of the bounds too.
      const scope = same(a["periods"], b["periods"]) && periods !== undefined ? ((b["periods"] as readonly string[] | undefined) ?? periods) : undefined;
      for (const name of ["min", "max"] as const) field(name, periodNumber({ on: "target", id: key["id"] ?? "", field: name }, a[name], b[name], scope));
      break;
    }
    case "routes": {
      const route = { plant: key["plant"] ?? "", product: key["product"] ?? "" };
      for (const name of ["min", "max"] as const) field(name, periodNumber({ on: "route", ...route, field: name }, a[name], b[name], periods));
      field("unit_cost", oneNumber({ on: "route", ...route, field: "unit_cost" }, a["unit_cost"], b["unit_cost"]));
      field(
        "ships_to",
        lanesOrMap(a["ships_to"], b["ships_to"], (market, from, to) => laneChanges({ on: "shipping", ...route, market }, from, to, periods)),
      );
      break;
    }
    case "parts":
      field("sources", sourceChanges(key["id"] ?? "", a["sources"] as readonly AnyRecord[], b["sources"] as readonly AnyRecord[], periods));
      break;
    case "investments": {
      const id = key["id"] ?? "";
      field("fixed_cost", oneNumber({ on: "investment", id, field: "fixed_cost" }, a["fixed_cost"], b["fixed_cost"]));
      field("operating_cost", periodNumber({ on: "investment", id, field: "operating_cost" }, a["operating_cost"], b["operating_cost"], periods));
      // Setting built to 0 also clears required: a Change says it only where b agrees.
      const built = b["built"];
      const sayable = periods !== undefined && typeof built === "boolean" && (built || b["required"] !== true);
      field("built", sayable ? [{ on: "investment", id, field: "built", set: built ? 1 : 0 }] : false);
      break;
    }
    case "products":
    case "markets":
      break;
  }
  for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) if (!handled.has(name) && !same(a[name], b[name])) edit(name);
}

type ChangeSelector = Record<string, unknown> & { readonly on: Change["on"] };

/**
 * A PeriodNumber that moved from `from` to `to`, as Changes: one `set` of
 * b's value when it was unset (a limit newly given) or when every period
 * moved to one number; else one Change per period that moved. Values are
 * compared period by period, so `{"*": 5}` and `5` are the same.
 */
function periodChanges(selector: ChangeSelector, from: PeriodNumber | undefined, to: PeriodNumber, scope: readonly string[]): Change[] {
  const moved = scope.filter((period) => optionalValueIn(from, period) !== optionalValueIn(to, period));
  if (moved.length === 0) return [];
  const values = scope.map((period) => optionalValueIn(to, period) ?? 0);
  const constant = values.every((value) => value === values[0]);
  if (from === undefined || (constant && moved.length === scope.length)) {
    const set: PeriodNumber = constant ? (values[0] ?? 0) : Object.fromEntries(scope.map((period, i) => [period, values[i] ?? 0]));
    return [{ ...selector, set } as Change];
  }
  return moved.map((period) => ({ ...selector, periods: [period], set: optionalValueIn(to, period) ?? 0 }) as Change);
}

/** Lane fields: cost and duty are one number, capacity a PeriodNumber; a capacity removed is no Change. */
function laneChanges(selector: ChangeSelector, from: unknown, to: unknown, periods: readonly string[] | undefined): Change[] | false {
  if (periods === undefined) return false;
  const a = from as Lane;
  const b = to as Lane;
  const changes: Change[] = [];
  for (const field of ["cost", "duty"] as const) if (a[field] !== b[field]) changes.push({ ...selector, field, set: b[field] } as Change);
  if (!same(a.capacity, b.capacity)) {
    if (b.capacity === undefined) return false;
    changes.push(...periodChanges({ ...selector, field: "capacity" }, a.capacity, b.capacity, periods));
  }
  return changes;
}

/** An id-keyed map (resources, lanes) as Changes of its entries when both have the same keys; else false (an edit of the whole map). */
function lanesOrMap(a: unknown, b: unknown, entry: (id: string, from: unknown, to: unknown) => Change[] | false): Change[] | false {
  if (a === undefined || b === undefined) return false;
  const before = a as Readonly<Record<string, unknown>>;
  const after = b as Readonly<Record<string, unknown>>;
  const keys = ownKeys(after);
  if (!same([...ownKeys(before)].sort(), [...keys].sort())) return false;
  const changes: Change[] = [];
  for (const id of keys) {
    const from = own(before, id);
    const to = own(after, id);
    if (same(from, to)) continue;
    const said = entry(id, from, to);
    if (said === false) return false;
    changes.push(...said);
  }
  return changes;
}

/** A part's sources as Changes (capacity, unit cost, delivery lanes) when the same sources differ only there; else false. */
function sourceChanges(part: string, a: readonly AnyRecord[], b: readonly AnyRecord[], periods: readonly string[] | undefined): Change[] | false {
  if (
    periods === undefined ||
    !same(
      a.map((source) => source["id"]),
      b.map((source) => source["id"]),
    )
  )
    return false;
  const changes: Change[] = [];
  for (const [i, after] of b.entries()) {
    const before = a[i] ?? {};
    const source = String(after["id"]);
    const rest = (record: AnyRecord) => ({ ...record, capacity: undefined, unit_cost: undefined, delivers_to: undefined });
    if (!same(rest(before), rest(after))) return false;
    if (!same(before["capacity"], after["capacity"])) {
      if (after["capacity"] === undefined) return false;
      changes.push(
        ...periodChanges(
          { on: "source", part, source, field: "capacity" },
          before["capacity"] as PeriodNumber | undefined,
          after["capacity"] as PeriodNumber,
          periods,
        ),
      );
    }
    if (before["unit_cost"] !== after["unit_cost"]) changes.push({ on: "source", part, source, field: "unit_cost", set: after["unit_cost"] as number });
    if (!same(before["delivers_to"], after["delivers_to"])) {
      const lanes = lanesOrMap(before["delivers_to"], after["delivers_to"], (plant, from, to) =>
        laneChanges({ on: "delivery", part, source, plant }, from, to, periods),
      );
      if (lanes === false) return false;
      changes.push(...lanes);
    }
  }
  return changes;
}

/**
 * Applies a diff to `a`: top-level fields, records removed and added, record
 * edits, then the Changes (validated once, as `applyChanges` does). Throws
 * `ValidationError` when the diff does not fit `a`.
 */
export function applyDiff(a: Scenario, diff: ScenarioDiff): Scenario {
  const draft = JSON.parse(JSON.stringify(a)) as Record<string, unknown>;
  for (const { field, to } of diff.fields) {
    if (to === undefined) Reflect.deleteProperty(draft, field);
    else draft[field] = to;
  }
  const matches = (kind: RecordKind, key: Readonly<Record<string, string>>) => (record: AnyRecord) => KEYS[kind].every((field) => record[field] === key[field]);
  for (const { records, key } of diff.removed) draft[records] = (draft[records] as AnyRecord[]).filter((record) => !matches(records, key)(record));
  for (const { records, record } of diff.added) draft[records] = [...(draft[records] as AnyRecord[]), record];
  for (const { records, key, field, to } of diff.edited) {
    const list = draft[records] as Record<string, unknown>[];
    const record = list.find(matches(records, key));
    if (record === undefined) throw new ValidationError([{ path: `edited`, message: `no ${records} record ${JSON.stringify(key)} to edit` }], "request");
    if (to === undefined) Reflect.deleteProperty(record, field);
    else record[field] = to;
  }
  const result = validateChanges(parseScenario(draft), diff.changes);
  if (!result.ok)
    throw new ValidationError(
      result.issues.map((issue) => ({ path: formatPath(["changes", ...issue.path]), message: issue.message })),
      "request",
    );
  return result.scenario;
}
