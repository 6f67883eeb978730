import { z } from "zod";
import { ANY_PERIOD, valueIn } from "../scenario/periods.js";
import { formatPath, fromZodIssues, parseScenario, validateScenario, ValidationError, type ValidationIssue } from "../scenario/parse.js";
import { own, ownKeys } from "../scenario/records.js";
import type { IssuePath, RawIssue } from "../scenario/references.js";
import type { IdRecord } from "../scenario/records.js";
import type { Lane, PeriodNumber, Scenario } from "../scenario/schema.js";
import { changeSchema, type Change } from "./schema.js";
import { isPerPeriod, select, type LaneField, type Selection } from "./select.js";

/** How a change moves each selected value. */
export type Operation = { readonly set: PeriodNumber } | { readonly scale: number } | { readonly add: number };

export interface ApplyChangesOptions {
  /** Where the change list sits in the request, prefixed to every issue path (default: none, so paths read `[1].id`). */
  readonly path?: IssuePath;
}

/**
 * The scenario with `changes` applied in order, validated and frozen like any
 * parsed scenario. Throws `ValidationError` for an invalid scenario (subject
 * "scenario") or an invalid change list (subject "request", every issue with
 * its path in the request: `options.path` followed by `[i].field`): a
 * selector naming an unknown id or selecting nothing, unknown periods, `scale`
 * or `add` on a value the scenario leaves unset, and a change that makes the
 * scenario invalid (the issue is blamed on the change's operation).
 */
export function applyChanges(scenario: unknown, changes: unknown, options: ApplyChangesOptions = {}): Scenario {
  const parsed = parseScenario(scenario);
  const prefix = options.path ?? [];
  const list = z.array(changeSchema, { error: "expected a list of changes" }).safeParse(changes, { reportInput: true });
  if (!list.success) throw new ValidationError(prefixIssues(prefix, fromZodIssues(list.error.issues)), "request");
  const result = validateChanges(parsed, list.data);
  if (!result.ok)
    throw new ValidationError(
      result.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message })),
      "request",
    );
  return result.scenario;
}

/**
 * Applies parsed changes to a parsed scenario and validates the result;
 * issue paths are relative to the change list (`[1, "id"]`), for callers to
 * place in their request.
 */
export function validateChanges(scenario: Scenario, changes: readonly Change[]): { ok: true; scenario: Scenario } | { ok: false; issues: RawIssue[] } {
  const issues: RawIssue[] = [];
  const writes: Write[] = [];
  let draft = scenario;
  changes.forEach((change, i) => {
    const selected = select(scenario, change);
    if (selected.issues !== undefined) {
      issues.push(...selected.issues.map((issue) => ({ path: [i, ...issue.path], message: issue.message })));
      return;
    }
    const [name, operation] = operationOf(change);
    const edit = editScenario(draft, selected.selection, operation);
    if (!edit.ok) {
      issues.push(...edit.issues.map((issue) => ({ path: [i, name, ...issue.path], message: issue.message })));
      return;
    }
    draft = edit.scenario;
    // A record's fields are checked together (min against max): an issue anywhere in a record written to is the change's.
    for (const field of edit.fields) writes.push({ change: i, operation: name, record: formatPath(field.slice(0, -1)) });
  });
  if (issues.length > 0) return { ok: false, issues };
  if (changes.length === 0) return { ok: true, scenario };
  const checked = validateScenario(draft);
  if (checked.ok) return { ok: true, scenario: checked.scenario };
  return { ok: false, issues: checked.issues.map((issue) => blame(issue, writes)) };
}

/** A record a change wrote to (`targets[0]`, `plants[1].resources`), for blaming validation issues on the change. */
interface Write {
  readonly change: number;
  readonly operation: "set" | "scale" | "add";
  readonly record: string;
}

/** The change that last wrote to the record an issue is about takes the issue, on its operation. */
function blame(issue: ValidationIssue, writes: readonly Write[]): RawIssue {
  const within = (record: string) => issue.path === record || issue.path.startsWith(`${record}.`) || issue.path.startsWith(`${record}[`);
  const culprit = [...writes].reverse().find((write) => within(write.record));
  const message = `yields an invalid scenario: ${issue.path === "" ? "" : `${issue.path}: `}${issue.message}`;
  return culprit === undefined ? { path: [], message } : { path: [culprit.change, culprit.operation], message };
}

function operationOf(change: Change): ["set", Operation] | ["scale", Operation] | ["add", Operation] {
  if (change.set !== undefined) return ["set", { set: change.set }];
  if (change.scale !== undefined) return ["scale", { scale: change.scale }];
  return ["add", { add: change.add ?? 0 }];
}

export type Edit = { ok: true; scenario: Scenario; fields: IssuePath[] } | { ok: false; issues: RawIssue[] };

/**
 * The scenario with the selected values moved by `operation`, not validated
 * (a sweep validates the ends of its range once and edits without checks in
 * between). Issue paths are relative to the operation (`["2020"]` for a
 * `set` map's entry); `fields` are the paths of the fields written.
 */
export function editScenario(scenario: Scenario, selection: Selection, operation: Operation): Edit {
  const issues: RawIssue[] = [];
  const fields: IssuePath[] = [];
  const move = (current: PeriodNumber | undefined, where: IssuePath, unsetApplies?: ReadonlySet<string>): PeriodNumber | undefined => {
    fields.push(where);
    const moved = movePeriodNumber(scenario, current, selection, operation, formatPath(where), unsetApplies);
    if (!moved.ok) {
      issues.push(...moved.issues);
      return undefined;
    }
    return moved.value;
  };
  const next = editRecords(scenario, selection, operation, move, (issue) => issues.push(issue), fields);
  return issues.length > 0 || next === undefined ? { ok: false, issues } : { ok: true, scenario: next, fields };
}

type Move = (current: PeriodNumber | undefined, where: IssuePath, unsetApplies?: ReadonlySet<string>) => PeriodNumber | undefined;

function editRecords(
  scenario: Scenario,
  selection: Selection,
  operation: Operation,
  move: Move,
  report: (issue: RawIssue) => void,
  fields: IssuePath[],
): Scenario | undefined {
  // Set from the callbacks below (a closure assignment the compiler does not follow into the switch).
  const outcome = { failed: false };
  const moved = (current: PeriodNumber | undefined, where: IssuePath, unsetApplies?: ReadonlySet<string>): PeriodNumber => {
    const value = move(current, where, unsetApplies);
    if (value === undefined) outcome.failed = true;
    return value ?? 0;
  };
  const movedNumber = (current: number, where: IssuePath): number => {
    fields.push(where);
    const value = moveNumber(current, operation, String(where[where.length - 1]));
    if (typeof value === "string") {
      report({ path: [], message: value });
      outcome.failed = true;
      return current;
    }
    return value;
  };
  let next: Scenario;
  switch (selection.on) {
    case "target": {
      const t = selection.target;
      const applies = new Set(selection.periods);
      next = {
        ...scenario,
        targets: scenario.targets.map((target, i) => {
          if (i !== t) return target;
          // Outside the target's periods its bound counts nowhere; inside them an unset bound stays unset only where not selected.
          const where: IssuePath = ["targets", t, selection.field];
          const inScope = new Set(target.periods ?? scenario.periods);
          const value = moved(target[selection.field], where, new Set([...inScope].filter((period) => !applies.has(period))));
          return selection.field === "min" ? { ...target, min: value } : { ...target, max: value };
        }),
      };
      break;
    }
    case "capacity": {
      const p = selection.plant;
      next = {
        ...scenario,
        plants: scenario.plants.map((plant, i) => {
          if (i !== p) return plant;
          // Null-prototype, as parsing builds id records: a resource named "__proto__" is an own entry.
          const resources = Object.create(null) as Record<string, PeriodNumber>;
          for (const resource of ownKeys(plant.resources)) {
            const current = own(plant.resources, resource);
            if (current === undefined) continue;
            resources[resource] = resource === selection.resource ? moved(current, ["plants", p, "resources", resource]) : current;
          }
          return { ...plant, resources };
        }),
      };
      break;
    }
    case "demand": {
      const selected = new Set(selection.demand);
      const field = selection.field;
      next = {
        ...scenario,
        demand: scenario.demand.map((demand, d) => {
          if (!selected.has(d)) return demand;
          const value = moved(demand[field], ["demand", d, field]);
          return field === "min" ? { ...demand, min: value } : field === "max" ? { ...demand, max: value } : { ...demand, price: value };
        }),
      };
      break;
    }
    case "source": {
      const byPart = new Map<number, Set<number>>();
      for (const { part, source } of selection.sources) byPart.set(part, (byPart.get(part) ?? new Set<number>()).add(source));
      next = {
        ...scenario,
        parts: scenario.parts.map((part, k) => {
          const sources = byPart.get(k);
          if (sources === undefined) return part;
          return {
            ...part,
            sources: part.sources.map((source, s) => {
              if (!sources.has(s)) return source;
              const where: IssuePath = ["parts", k, "sources", s, selection.field];
              return selection.field === "capacity"
                ? { ...source, capacity: moved(source.capacity, where) }
                : { ...source, unit_cost: movedNumber(source.unit_cost, where) };
            }),
          };
        }),
      };
      break;
    }
    case "delivery": {
      const byPart = new Map<number, Map<number, Set<string>>>();
      for (const { part, source, plant } of selection.lanes) {
        const bySource = byPart.get(part) ?? new Map<number, Set<string>>();
        bySource.set(source, (bySource.get(source) ?? new Set<string>()).add(plant));
        byPart.set(part, bySource);
      }
      next = {
        ...scenario,
        parts: scenario.parts.map((part, k) => {
          const bySource = byPart.get(k);
          if (bySource === undefined) return part;
          return {
            ...part,
            sources: part.sources.map((source, s) => {
              const plants = bySource.get(s);
              if (plants === undefined || source.delivers_to === undefined) return source;
              const where: IssuePath = ["parts", k, "sources", s, "delivers_to"];
              return { ...source, delivers_to: editLanes(source.delivers_to, plants, selection.field, where, moved, movedNumber) };
            }),
          };
        }),
      };
      break;
    }
    case "shipping": {
      const byRoute = new Map<number, Set<string>>();
      for (const { route, market } of selection.lanes) byRoute.set(route, (byRoute.get(route) ?? new Set<string>()).add(market));
      next = {
        ...scenario,
        routes: scenario.routes.map((route, r) => {
          const markets = byRoute.get(r);
          if (markets === undefined || route.ships_to === undefined) return route;
          return { ...route, ships_to: editLanes(route.ships_to, markets, selection.field, ["routes", r, "ships_to"], moved, movedNumber) };
        }),
      };
      break;
    }
    case "investment": {
      const i = selection.investment;
      next = {
        ...scenario,
        investments: scenario.investments.map((investment, j) => {
          if (j !== i) return investment;
          const where: IssuePath = ["investments", i, selection.field];
          if (selection.field === "fixed_cost") return { ...investment, fixed_cost: movedNumber(investment.fixed_cost, where) };
          if (selection.field === "operating_cost") return { ...investment, operating_cost: moved(investment.operating_cost, where) };
          fields.push(where);
          const decided = "set" in operation && (operation.set === 0 || operation.set === 1) ? operation.set === 1 : undefined;
          if (decided === undefined) {
            report({ path: [], message: 'built takes "set": 1 (build it within its window) or "set": 0 (never build it)' });
            outcome.failed = true;
            return investment;
          }
          return { ...investment, built: decided, ...(decided ? {} : { required: false }) };
        }),
      };
      break;
    }
    case "route": {
      const selected = new Set(selection.routes);
      const field = selection.field;
      next = {
        ...scenario,
        routes: scenario.routes.map((route, r) => {
          if (!selected.has(r)) return route;
          const where: IssuePath = ["routes", r, field];
          if (field === "unit_cost") return { ...route, unit_cost: movedNumber(route.unit_cost, where) };
          const value = moved(route[field], where);
          return field === "min" ? { ...route, min: value } : { ...route, max: value };
        }),
      };
      break;
    }
  }
  return outcome.failed ? undefined : next;
}

/** Lanes by id (delivers_to, ships_to) with the selected lanes' field moved; a null-prototype record, as parsing builds id records. */
function editLanes(
  lanes: IdRecord<Lane>,
  selected: ReadonlySet<string>,
  field: LaneField,
  where: IssuePath,
  moved: (current: PeriodNumber | undefined, where: IssuePath) => PeriodNumber,
  movedNumber: (current: number, where: IssuePath) => number,
): IdRecord<Lane> {
  const edited = Object.create(null) as Record<string, Lane>;
  for (const id of ownKeys(lanes)) {
    const lane = own(lanes, id);
    if (lane === undefined) continue;
    if (!selected.has(id)) edited[id] = lane;
    else if (field === "capacity") edited[id] = { ...lane, capacity: moved(lane.capacity, [...where, id, "capacity"]) };
    else edited[id] = { ...lane, [field]: movedNumber(lane[field], [...where, id, field]) };
  }
  return edited;
}

/** A number field (a unit cost, a lane's cost or duty) moved by the operation, or why it cannot be. */
function moveNumber(current: number, operation: Operation, field: string): number | string {
  if ("scale" in operation) return current * operation.scale;
  if ("add" in operation) return current + operation.add;
  if (typeof operation.set === "number") return operation.set;
  return `${field} is one number for every period: set it to a number, not a map by period`;
}

/**
 * A PeriodNumber moved in the selected periods and kept elsewhere. Scaling
 * or adding to an unset value is an error; `set` defines it, but only where
 * the unset value may stay unset elsewhere (`unsetApplies`: periods where an
 * unset value still counts, all by default; a bound cannot be unlimited in
 * some periods and not in others). The result is a number when it is the same in every period.
 */
function movePeriodNumber(
  scenario: Scenario,
  current: PeriodNumber | undefined,
  selection: Selection,
  operation: Operation,
  where: string,
  unsetApplies: ReadonlySet<string> | undefined,
): { ok: true; value: PeriodNumber } | { ok: false; issues: RawIssue[] } {
  const selected = new Set(isPerPeriod(selection) ? selection.periods : scenario.periods);
  const issues: RawIssue[] = [];
  const setMap = "set" in operation && typeof operation.set === "object" ? operation.set : undefined;
  if (setMap !== undefined) {
    for (const label of ownKeys(setMap)) {
      if (label === ANY_PERIOD) continue;
      if (!scenario.periods.includes(label)) issues.push({ path: [label], message: `unknown period ${JSON.stringify(label)}` });
      else if (!selected.has(label)) issues.push({ path: [label], message: `period ${JSON.stringify(label)} is not one the change applies in` });
    }
    const uncovered = [...selected].filter((period) => own(setMap, period) === undefined);
    if (own(setMap, ANY_PERIOD) === undefined && uncovered.length > 0) {
      issues.push({ path: [], message: `no value for period ${uncovered.map((period) => JSON.stringify(period)).join(", ")} and no "*" default` });
    }
  } else if (current === undefined && !("set" in operation)) {
    const verb = "scale" in operation ? "scale" : "add to";
    issues.push({ path: [], message: `${where} is not set (no limit): cannot ${verb} it; use "set" to give it a value` });
  }
  if (issues.length > 0) return { ok: false, issues };

  const values = Object.create(null) as Record<string, number>;
  let fill: number | undefined;
  const unset: string[] = [];
  for (const period of scenario.periods) {
    if (selected.has(period)) {
      const value =
        "set" in operation
          ? valueIn(operation.set, period)
          : "scale" in operation
            ? valueIn(current ?? 0, period) * operation.scale
            : valueIn(current ?? 0, period) + operation.add;
      values[period] = value;
      fill ??= value;
    } else if (current !== undefined) {
      values[period] = valueIn(current, period);
    } else if (unsetApplies === undefined || unsetApplies.has(period)) {
      unset.push(period);
    }
  }
  if (unset.length > 0) {
    return {
      ok: false,
      issues: [
        {
          path: [],
          message: `${where} is not set (no limit) in period ${unset.map((period) => JSON.stringify(period)).join(", ")}: a value cannot be unlimited in some periods only; set it in every period`,
        },
      ],
    };
  }
  // Periods where an unset value counts nowhere (outside a target's periods) take any value: the first one set.
  for (const period of scenario.periods) if (own(values, period) === undefined) values[period] = fill ?? 0;
  const numbers = scenario.periods.map((period) => values[period] ?? 0);
  const first = numbers[0] ?? 0;
  return { ok: true, value: numbers.every((value) => Object.is(value, first)) ? first : values };
}

function prefixIssues(prefix: IssuePath, issues: readonly ValidationIssue[]): ValidationIssue[] {
  const head = formatPath(prefix);
  return issues.map(({ path, message }) => ({
    path: head === "" ? path : path === "" ? head : path.startsWith("[") ? `${head}${path}` : `${head}.${path}`,
    message,
  }));
}
