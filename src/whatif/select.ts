import type { IssuePath, RawIssue } from "../scenario/references.js";
import { own, ownKeys } from "../scenario/records.js";
import type { Scenario } from "../scenario/schema.js";
import { targetPeriods } from "../scenario/scope.js";
import type { SweepParameter } from "./schema.js";

/**
 * The records and periods a change (or a sweep's parameter) selects, by
 * scenario position. Fields that hold one number for every period
 * (`unit_cost`) are selected in every period.
 */
export type Selection =
  | { readonly on: "target"; readonly field: "min" | "max"; readonly target: number; readonly periods: readonly string[] }
  | { readonly on: "capacity"; readonly field: "capacity"; readonly plant: number; readonly resource: string; readonly periods: readonly string[] }
  | { readonly on: "demand"; readonly field: "min" | "max" | "price"; readonly demand: readonly number[]; readonly periods: readonly string[] }
  | { readonly on: "source"; readonly field: "capacity" | "unit_cost"; readonly sources: readonly SourceAt[]; readonly periods: readonly string[] }
  | { readonly on: "route"; readonly field: "min" | "max" | "unit_cost"; readonly routes: readonly number[]; readonly periods: readonly string[] }
  | { readonly on: "delivery"; readonly field: LaneField; readonly lanes: readonly DeliveryLaneAt[]; readonly periods: readonly string[] }
  | { readonly on: "shipping"; readonly field: LaneField; readonly lanes: readonly ShippingLaneAt[]; readonly periods: readonly string[] }
  | { readonly on: "investment"; readonly field: "fixed_cost" | "operating_cost" | "built"; readonly investment: number; readonly periods: readonly string[] };

export type LaneField = "cost" | "duty" | "capacity";

/** A delivery lane: source s of part k to a plant its `delivers_to` names. */
export interface DeliveryLaneAt {
  readonly part: number;
  readonly source: number;
  readonly plant: string;
}

/** A shipping lane: route r to a market its `ships_to` names. */
export interface ShippingLaneAt {
  readonly route: number;
  readonly market: string;
}

/** A part source by position: part k, source s. */
export interface SourceAt {
  readonly part: number;
  readonly source: number;
}

/** Fields that hold one number for every period (no period map): costs and duty rates. */
const ONE_NUMBER_FIELDS: ReadonlySet<string> = new Set(["unit_cost", "cost", "duty", "fixed_cost", "built"]);

/** Whether the selected field holds a value per period (a PeriodNumber), not one number for every period. */
export function isPerPeriod(selection: { readonly field?: string | undefined }): boolean {
  return selection.field === undefined || !ONE_NUMBER_FIELDS.has(selection.field);
}

/**
 * What `selector` selects in `scenario`, or every problem with it: unknown
 * ids (blamed on the selector naming them), unknown periods, a selection of
 * nothing. Issue paths are relative to the change.
 */
export function select(scenario: Scenario, selector: SweepParameter): { selection: Selection; issues?: undefined } | { issues: RawIssue[] } {
  const issues: RawIssue[] = [];
  const report = (path: IssuePath, message: string) => issues.push({ path, message });
  const periods = selectedPeriods(scenario, selector, report);
  const selection = selectRecords(scenario, selector, periods, report);
  return issues.length > 0 || selection === undefined ? { issues } : { selection };
}

function selectedPeriods(scenario: Scenario, selector: SweepParameter, report: (path: IssuePath, message: string) => void): readonly string[] {
  if (selector.periods === undefined) return scenario.periods;
  if (!isPerPeriod(selector)) {
    report(["periods"], `${selector.field} is one number for every period: a change of it takes no periods`);
    return scenario.periods;
  }
  const known = new Set(scenario.periods);
  selector.periods.forEach((period, j) => {
    if (!known.has(period)) report(["periods", j], `unknown period ${JSON.stringify(period)}`);
  });
  const listed = new Set(selector.periods);
  return scenario.periods.filter((period) => listed.has(period));
}

function selectRecords(
  scenario: Scenario,
  selector: SweepParameter,
  periods: readonly string[],
  report: (path: IssuePath, message: string) => void,
): Selection | undefined {
  switch (selector.on) {
    case "target": {
      const target = scenario.targets.findIndex((candidate) => candidate.id === selector.id);
      const found = scenario.targets[target];
      if (found === undefined) {
        report(["id"], `unknown target ${JSON.stringify(selector.id)}`);
        return undefined;
      }
      // A target counts only in the periods it applies in: a change elsewhere would change nothing.
      const applies = new Set(targetPeriods(scenario, found));
      selector.periods?.forEach((period, j) => {
        if (scenario.periods.includes(period) && !applies.has(period)) {
          report(["periods", j], `target ${JSON.stringify(found.id)} does not apply in period ${JSON.stringify(period)}`);
        }
      });
      return { on: "target", field: selector.field, target, periods: periods.filter((period) => applies.has(period)) };
    }
    case "capacity": {
      const plant = scenario.plants.findIndex((candidate) => candidate.id === selector.plant);
      const found = scenario.plants[plant];
      if (found === undefined) {
        report(["plant"], `unknown plant ${JSON.stringify(selector.plant)}`);
        return undefined;
      }
      if (own(found.resources, selector.resource) === undefined) {
        report(["resource"], `plant ${JSON.stringify(found.id)} has no resource ${JSON.stringify(selector.resource)}`);
        return undefined;
      }
      return { on: "capacity", field: "capacity", plant, resource: selector.resource, periods };
    }
    case "demand": {
      const known = knownIds(scenario, selector, report);
      if (selector.family !== undefined && !scenario.products.some((product) => product.family === selector.family)) {
        report(["family"], `no product has family ${JSON.stringify(selector.family)}`);
        return undefined;
      }
      if (!known) return undefined;
      const family = new Map(scenario.products.map((product) => [product.id, product.family]));
      const demand = scenario.demand.flatMap((row, d) =>
        (selector.market === undefined || row.market === selector.market) &&
        (selector.product === undefined || row.product === selector.product) &&
        (selector.family === undefined || family.get(row.product) === selector.family)
          ? [d]
          : [],
      );
      if (demand.length === 0) {
        report([], `selects no demand row: no demand entry names ${describe(selector, ["market", "product", "family"])}`);
        return undefined;
      }
      return { on: "demand", field: selector.field, demand, periods };
    }
    case "source": {
      const part = scenario.parts.findIndex((candidate) => candidate.id === selector.part);
      const found = scenario.parts[part];
      if (found === undefined) {
        report(["part"], `unknown part ${JSON.stringify(selector.part)}`);
        return undefined;
      }
      const sources = found.sources.flatMap((source, s) => (selector.source === undefined || source.id === selector.source ? [{ part, source: s }] : []));
      if (sources.length === 0) {
        report(["source"], `part ${JSON.stringify(found.id)} has no source ${JSON.stringify(selector.source)}`);
        return undefined;
      }
      return { on: "source", field: selector.field, sources, periods };
    }
    case "route": {
      if (!knownIds(scenario, selector, report)) return undefined;
      const routes = scenario.routes.flatMap((route, r) =>
        (selector.plant === undefined || route.plant === selector.plant) && (selector.product === undefined || route.product === selector.product) ? [r] : [],
      );
      if (routes.length === 0) {
        report([], `selects no route: no route makes ${describe(selector, ["product", "plant"])}`);
        return undefined;
      }
      return { on: "route", field: selector.field, routes, periods };
    }
    case "delivery":
      return selectDeliveryLanes(scenario, selector, periods, report);
    case "investment": {
      const investment = scenario.investments.findIndex((candidate) => candidate.id === selector.id);
      if (investment === -1) {
        report(["id"], `unknown investment ${JSON.stringify(selector.id)}`);
        return undefined;
      }
      return { on: "investment", field: selector.field, investment, periods };
    }
    case "shipping": {
      if (!knownIds(scenario, selector, report)) return undefined;
      const lanes = scenario.routes.flatMap((route, r) =>
        (selector.plant === undefined || route.plant === selector.plant) && (selector.product === undefined || route.product === selector.product)
          ? ownKeys(route.ships_to).flatMap((market) => (selector.market === undefined || market === selector.market ? [{ route: r, market }] : []))
          : [],
      );
      if (lanes.length === 0) {
        report([], `selects no shipping lane: no route's ships_to names ${describe(selector, ["plant", "product", "market"])}`);
        return undefined;
      }
      return { on: "shipping", field: selector.field, lanes, periods };
    }
  }
}

function selectDeliveryLanes(
  scenario: Scenario,
  selector: Extract<SweepParameter, { on: "delivery" }>,
  periods: readonly string[],
  report: (path: IssuePath, message: string) => void,
): Selection | undefined {
  const part = selector.part === undefined ? undefined : scenario.parts.findIndex((candidate) => candidate.id === selector.part);
  if (part === -1) {
    report(["part"], `unknown part ${JSON.stringify(selector.part)}`);
    return undefined;
  }
  if (!knownIds(scenario, { plant: selector.plant }, report)) return undefined;
  const candidates = scenario.parts.flatMap((candidate, k) =>
    part === undefined || part === k ? candidate.sources.map((source, s) => ({ k, s, source })) : [],
  );
  const sources = candidates.filter(({ source }) => selector.source === undefined || source.id === selector.source);
  if (sources.length === 0) {
    report(["source"], `${part === undefined ? "no part has" : `part ${JSON.stringify(selector.part)} has no`} source ${JSON.stringify(selector.source)}`);
    return undefined;
  }
  const lanes = sources.flatMap(({ k, s, source }) =>
    ownKeys(source.delivers_to).flatMap((plant) => (selector.plant === undefined || plant === selector.plant ? [{ part: k, source: s, plant }] : [])),
  );
  if (lanes.length === 0) {
    report([], `selects no delivery lane: no source's delivers_to names ${describe(selector, ["part", "source", "plant"])}`);
    return undefined;
  }
  return { on: "delivery", field: selector.field, lanes, periods };
}

/** The plant, product and market a selector names exist; each unknown one is reported on its own field. */
function knownIds(
  scenario: Scenario,
  selector: { readonly plant?: string | undefined; readonly product?: string | undefined; readonly market?: string | undefined },
  report: (path: IssuePath, message: string) => void,
): boolean {
  let known = true;
  const check = (field: "plant" | "product" | "market", ids: readonly { readonly id: string }[]) => {
    const value = selector[field];
    if (value !== undefined && !ids.some((item) => item.id === value)) {
      report([field], `unknown ${field} ${JSON.stringify(value)}`);
      known = false;
    }
  };
  check("plant", scenario.plants);
  check("product", scenario.products);
  check("market", scenario.markets);
  return known;
}

function describe(selector: Readonly<Partial<Record<string, unknown>>>, fields: readonly string[]): string {
  const named = fields.flatMap((field) => {
    const value = selector[field];
    return typeof value === "string" ? [`${field} ${JSON.stringify(value)}`] : [];
  });
  return named.length === 0 ? "anything" : named.join(" and ");
}
