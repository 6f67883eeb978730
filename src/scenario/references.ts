import { checkInvestmentReferences } from "./investmentReferences.js";
import { checkNetworkReferences } from "./networkReferences.js";
import { ANY_PERIOD, valueIn } from "./periods.js";
import { own, ownKeys } from "./records.js";
import type { PeriodNumber, Scenario, Target } from "./schema.js";

export type IssuePath = readonly (string | number)[];
export interface RawIssue {
  readonly path: IssuePath;
  readonly message: string;
}

/**
 * The rules of docs/format.md §1.5 that need the whole scenario: references between
 * collections, unique ids, period labels, and bounds compared per period.
 * Runs only on a scenario whose shape already parsed.
 */
export function checkReferences(scenario: Scenario): RawIssue[] {
  const issues: RawIssue[] = [];
  const report = (path: IssuePath, message: string) => issues.push({ path, message });
  const periods = new Set(scenario.periods);

  checkUnique(scenario.periods, (label) => label, ["periods"], "period label", report);
  scenario.periods.forEach((label, t) => {
    if (label === ANY_PERIOD) report(["periods", t], `"${ANY_PERIOD}" is reserved for the default entry of period maps`);
  });
  checkUnique(scenario.plants, (plant) => plant.id, ["plants"], "plant id", report, "id");
  checkUnique(scenario.products, (product) => product.id, ["products"], "product id", report, "id");
  checkUnique(scenario.parts, (part) => part.id, ["parts"], "part id", report, "id");
  checkUnique(scenario.markets, (market) => market.id, ["markets"], "market id", report, "id");
  checkUnique(scenario.targets, (target) => target.id, ["targets"], "target id", report, "id");

  const plants = new Map(scenario.plants.map((plant) => [plant.id, plant]));
  const products = new Map(scenario.products.map((product) => [product.id, product]));
  const parts = new Set(scenario.parts.map((part) => part.id));
  const markets = new Set(scenario.markets.map((market) => market.id));
  const families = new Set(scenario.products.map((product) => product.family));

  const periodNumber = (value: PeriodNumber | undefined, path: IssuePath) => checkPeriodNumber(value, path, scenario.periods, periods, report);
  const knownPeriod = (label: string | undefined, path: IssuePath) => {
    if (label !== undefined && !periods.has(label)) report(path, `unknown period ${JSON.stringify(label)}`);
  };
  const boundsInOrder = (min: PeriodNumber | undefined, max: PeriodNumber | undefined, path: IssuePath, minValid: boolean) => {
    if (min === undefined || max === undefined || !minValid) return;
    for (const period of scenario.periods) {
      const low = valueIn(min, period);
      const high = valueIn(max, period);
      if (low > high) {
        report(path, `min (${low}) is greater than max (${high}) in period ${JSON.stringify(period)}`);
        return;
      }
    }
  };

  scenario.plants.forEach((plant, p) => {
    for (const resource of ownKeys(plant.resources)) {
      periodNumber(own(plant.resources, resource), ["plants", p, "resources", resource]);
    }
  });

  scenario.products.forEach((product, q) => {
    knownPeriod(product.available_from, ["products", q, "available_from"]);
    knownPeriod(product.available_until, ["products", q, "available_until"]);
    if (
      product.available_from !== undefined &&
      product.available_until !== undefined &&
      periods.has(product.available_from) &&
      periods.has(product.available_until) &&
      scenario.periods.indexOf(product.available_from) > scenario.periods.indexOf(product.available_until)
    ) {
      report(["products", q, "available_until"], "is before available_from");
    }
    for (const part of ownKeys(product.bom)) {
      if (!parts.has(part)) report(["products", q, "bom", part], `unknown part ${JSON.stringify(part)}`);
    }
  });

  checkUniquePairs(scenario.routes, ["plant", "product"], ["routes"], "route", report);
  scenario.routes.forEach((route, r) => {
    const plant = plants.get(route.plant);
    if (plant === undefined) report(["routes", r, "plant"], `unknown plant ${JSON.stringify(route.plant)}`);
    if (!products.has(route.product)) {
      report(["routes", r, "product"], `unknown product ${JSON.stringify(route.product)}`);
    }
    if (plant !== undefined) {
      for (const resource of ownKeys(route.uses)) {
        if (own(plant.resources, resource) === undefined) {
          report(["routes", r, "uses", resource], `plant ${JSON.stringify(plant.id)} has no resource ${JSON.stringify(resource)}`);
        }
      }
    }
    const minValid = periodNumber(route.min, ["routes", r, "min"]);
    const maxValid = periodNumber(route.max, ["routes", r, "max"]);
    boundsInOrder(route.min, route.max, ["routes", r, "min"], minValid && maxValid);
    if (route.inventory !== undefined) periodNumber(route.inventory.max, ["routes", r, "inventory", "max"]);
  });

  scenario.parts.forEach((part, k) => {
    checkUnique(part.sources, (source) => source.id, ["parts", k, "sources"], "source id", report, "id");
    part.sources.forEach((source, s) => periodNumber(source.capacity, ["parts", k, "sources", s, "capacity"]));
  });
  checkNetworkReferences(scenario, report, periodNumber);
  checkInvestmentReferences(scenario, report, periodNumber);

  checkUniquePairs(scenario.demand, ["market", "product"], ["demand"], "demand", report);
  scenario.demand.forEach((demand, d) => {
    if (!markets.has(demand.market)) report(["demand", d, "market"], `unknown market ${JSON.stringify(demand.market)}`);
    if (!products.has(demand.product)) {
      report(["demand", d, "product"], `unknown product ${JSON.stringify(demand.product)}`);
    }
    periodNumber(demand.price, ["demand", d, "price"]);
    const minValid = periodNumber(demand.min, ["demand", d, "min"]);
    const maxValid = periodNumber(demand.max, ["demand", d, "max"]);
    boundsInOrder(demand.min, demand.max, ["demand", d, "min"], minValid && maxValid);
  });

  scenario.targets.forEach((target, t) => {
    const minValid = periodNumber(target.min, ["targets", t, "min"]);
    const maxValid = periodNumber(target.max, ["targets", t, "max"]);
    if (minValid && maxValid) {
      if (isShare(target)) {
        checkShare(target.min, ["targets", t, "min"], scenario.periods, report);
        checkShare(target.max, ["targets", t, "max"], scenario.periods, report);
      }
      boundsInOrder(target.min, target.max, ["targets", t, "min"], true);
    }
    target.families?.forEach((family, i) => {
      if (!families.has(family)) report(["targets", t, "families", i], `no product has family ${JSON.stringify(family)}`);
    });
    target.products?.forEach((product, i) => {
      if (!products.has(product)) report(["targets", t, "products", i], `unknown product ${JSON.stringify(product)}`);
    });
    target.plants?.forEach((plant, i) => {
      if (!plants.has(plant)) report(["targets", t, "plants", i], `unknown plant ${JSON.stringify(plant)}`);
    });
    target.periods?.forEach((period, i) => knownPeriod(period, ["targets", t, "periods", i]));
  });

  return issues;
}

function isShare(target: Target): boolean {
  return target.kind === "export_share" || target.kind === "local_parts_share";
}

function checkShare(value: PeriodNumber | undefined, path: IssuePath, periods: readonly string[], report: (path: IssuePath, message: string) => void) {
  if (value === undefined) return;
  for (const period of periods) {
    const share = valueIn(value, period);
    if (share > 1) {
      report(path, `a share must lie in [0, 1], got ${share} in period ${JSON.stringify(period)}`);
      return;
    }
  }
}

/** Reports unknown period labels and uncovered periods; true when the value resolves in every period. */
function checkPeriodNumber(
  value: PeriodNumber | undefined,
  path: IssuePath,
  periodList: readonly string[],
  periods: ReadonlySet<string>,
  report: (path: IssuePath, message: string) => void,
): boolean {
  if (value === undefined || typeof value === "number") return true;
  let valid = true;
  for (const label of ownKeys(value)) {
    if (label !== ANY_PERIOD && !periods.has(label)) {
      report([...path, label], `unknown period ${JSON.stringify(label)}`);
      valid = false;
    }
  }
  if (own(value, ANY_PERIOD) === undefined) {
    const missing = periodList.filter((period) => own(value, period) === undefined);
    if (missing.length > 0) {
      report(path, `no value for period ${missing.map((period) => JSON.stringify(period)).join(", ")} and no "*" default`);
      valid = false;
    }
  }
  return valid;
}

function checkUnique<T>(
  items: readonly T[],
  key: (item: T) => string,
  path: IssuePath,
  what: string,
  report: (path: IssuePath, message: string) => void,
  field?: string,
) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const value = key(item);
    if (seen.has(value)) {
      report(field === undefined ? [...path, i] : [...path, i, field], `duplicate ${what} ${JSON.stringify(value)}`);
    }
    seen.add(value);
  });
}

/** Rows identified by a pair of ids (a route by plant and product, demand by market and product) must be unique. */
function checkUniquePairs<K extends string>(
  items: readonly Readonly<Record<K, string>>[],
  [first, second]: readonly [K, K],
  path: IssuePath,
  what: string,
  report: (path: IssuePath, message: string) => void,
) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = JSON.stringify([item[first], item[second]]);
    if (seen.has(key)) {
      report([...path, i], `duplicate ${what} for ${first} ${JSON.stringify(item[first])} and ${second} ${JSON.stringify(item[second])}`);
    }
    seen.add(key);
  });
}
