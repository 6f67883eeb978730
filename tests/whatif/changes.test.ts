import { describe, expect, it } from "vitest";
import { applyChanges, isValidationError, loadBundledScenario, parseScenario, plan, type ValidationIssue } from "../../src/index.js";
import { minimalScenario, type Json } from "../support/builders.js";

/** The issues `applyChanges` throws, or [] when it applies. */
function issuesOf(scenario: unknown, changes: unknown, path?: (string | number)[]): ValidationIssue[] {
  try {
    applyChanges(scenario, changes, path === undefined ? {} : { path });
    return [];
  } catch (error) {
    if (!isValidationError(error)) throw error;
    return [...error.issues];
  }
}

const put = (target: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

/** Two periods, two plants, two products, two markets, parts from two sources, a target of each kind. */
const scenario: Json = minimalScenario({
  periods: ["2020", "2021"],
  plants: [
    { id: "andijan", resources: { assembly: { "2020": 100, "2021": 120 }, paint: 50 } },
    { id: "tashkent", resources: { assembly: 80 } },
  ],
  products: [
    { id: "car", family: "car", bom: { engine: 1 } },
    { id: "tractor", family: "agri" },
  ],
  routes: [
    { plant: "andijan", product: "car", uses: { assembly: 1, paint: 0.5 }, unit_cost: 100, max: 90 },
    { plant: "tashkent", product: "tractor", uses: { assembly: 2 }, unit_cost: 50 },
  ],
  parts: [
    {
      id: "engine",
      sources: [
        { id: "local", local: true, capacity: 60, unit_cost: 10 },
        { id: "import", local: false, unit_cost: 12 },
      ],
    },
  ],
  markets: [{ id: "UZ" }, { id: "KZ", export: true }],
  demand: [
    { market: "UZ", product: "car", price: 900, max: 40 },
    { market: "KZ", product: "car", price: 950, max: { "2020": 50, "*": 60 } },
    { market: "KZ", product: "tractor", price: 500 },
  ],
  targets: [
    { id: "goal", kind: "units", min: 50 },
    { id: "exports", kind: "export_share", min: 0.5 },
    { id: "local", kind: "local_parts_share", min: 0.6, families: ["car"], periods: ["2021"] },
  ],
});

describe("applyChanges: edits in the scenario's own terms", () => {
  it("set, scale and add move every selected value, in every period unless `periods` narrows them", () => {
    const changed = applyChanges(scenario, [
      { on: "target", id: "goal", field: "min", set: 70 },
      { on: "capacity", plant: "andijan", resource: "assembly", scale: 1.5 },
      { on: "demand", market: "KZ", product: "car", field: "max", add: 5, periods: ["2021"] },
      { on: "source", part: "engine", source: "local", field: "capacity", set: { "2020": 30, "2021": 40 } },
      { on: "route", product: "tractor", field: "unit_cost", scale: 2 },
    ]);
    expect(changed.targets[0]?.min).toBe(70);
    expect(changed.plants[0]?.resources["assembly"]).toEqual({ "2020": 150, "2021": 180 });
    expect(changed.plants[0]?.resources["paint"]).toBe(50);
    // The car's KZ max, 50 / 60, becomes 50 / 65.
    expect(changed.demand[1]?.max).toEqual({ "2020": 50, "2021": 65 });
    expect(changed.parts[0]?.sources[0]?.capacity).toEqual({ "2020": 30, "2021": 40 });
    expect(changed.routes[1]?.unit_cost).toBe(100);
    expect(changed.routes[0]?.unit_cost).toBe(100);
  });

  it("returns a parsed, frozen scenario that plans; the input is not touched", () => {
    const parsed = parseScenario(scenario);
    const changed = applyChanges(parsed, [{ on: "demand", family: "car", field: "price", scale: 1.1 }]);
    expect(Object.isFrozen(changed)).toBe(true);
    expect(Object.isFrozen(changed.demand[0])).toBe(true);
    expect(parsed.demand[0]?.price).toBe(900);
    expect(changed.demand[0]?.price).toBeCloseTo(990, 9);
    expect(plan(changed).status).toBe("optimal");
  });

  it("changes apply in order: set defines an unset value that a later change scales", () => {
    const changed = applyChanges(scenario, [
      { on: "target", id: "goal", field: "max", set: 100 },
      { on: "target", id: "goal", field: "max", scale: 0.9 },
    ]);
    expect(changed.targets[0]?.max).toBe(90);
  });

  it("an empty change list gives the scenario back, validated", () => {
    expect(applyChanges(scenario, [])).toEqual(parseScenario(scenario));
  });

  it("a target changes only in the periods it applies in; outside them its unset bound takes the value, which counts nowhere", () => {
    const changed = applyChanges(scenario, [{ on: "target", id: "local", field: "max", set: 0.9 }]);
    expect(changed.targets[2]?.max).toBe(0.9);
  });

  it("ids that look like JavaScript or solver internals work as any other", () => {
    const hostile: Json = minimalScenario({ periods: ["__proto__", "constructor"] });
    const capacityByPeriod = { constructor: 20 };
    Object.defineProperty(capacityByPeriod, "__proto__", { value: 10, enumerable: true, writable: true, configurable: true });
    const resources: Record<string, unknown> = {};
    put(resources, "constructor", capacityByPeriod);
    hostile["plants"] = [{ id: "__proto__", resources }];
    hostile["products"] = [{ id: "toString", family: "hasOwnProperty" }];
    const uses: Record<string, unknown> = {};
    put(uses, "constructor", 1);
    hostile["routes"] = [{ plant: "__proto__", product: "toString", uses }];
    hostile["markets"] = [{ id: "feasible" }];
    hostile["demand"] = [{ market: "feasible", product: "toString", price: 10 }];
    hostile["targets"] = [{ id: "valueOf", kind: "units", min: 1 }];
    const goal: Record<string, unknown> = {};
    put(goal, "__proto__", 2);
    put(goal, "constructor", 3);
    const changed = applyChanges(hostile, [
      { on: "capacity", plant: "__proto__", resource: "constructor", add: 5, periods: ["__proto__"] },
      { on: "demand", market: "feasible", family: "hasOwnProperty", field: "max", set: 7 },
      { on: "target", id: "valueOf", field: "min", set: goal },
    ]);
    const capacity = Object.getOwnPropertyDescriptor(changed.plants[0]?.resources ?? {}, "constructor")?.value as Record<string, number>;
    expect(Object.keys(capacity).sort()).toEqual(["__proto__", "constructor"]);
    expect(Object.getOwnPropertyDescriptor(capacity, "constructor")?.value).toBe(20);
    expect(Object.getOwnPropertyDescriptor(capacity, "__proto__")?.value).toBe(15);
    expect(changed.demand[0]?.max).toBe(7);
    expect(Object.getOwnPropertyDescriptor(changed.targets[0]?.min, "__proto__")?.value).toBe(2);
    expect(plan(changed).status).toBe("optimal");
  });
});

describe("applyChanges: every problem, with its path in the request", () => {
  const at = ["variants", 1, "changes"];

  it("unknown ids are blamed on the selector naming them, all changes at once", () => {
    expect(
      issuesOf(
        scenario,
        [
          { on: "target", id: "nope", field: "min", set: 1 },
          { on: "capacity", plant: "samarkand", resource: "assembly", scale: 2 },
          { on: "capacity", plant: "tashkent", resource: "paint", scale: 2 },
          { on: "demand", market: "RU", product: "bus", family: "bus", field: "max", set: 1 },
          { on: "source", part: "engine", source: "china", field: "capacity", set: 1 },
          { on: "route", plant: "andijan", product: "tractor", field: "max", set: 1 },
          { on: "demand", market: "UZ", product: "tractor", field: "max", set: 1 },
        ],
        at,
      ),
    ).toEqual([
      { path: "variants[1].changes[0].id", message: 'unknown target "nope"' },
      { path: "variants[1].changes[1].plant", message: 'unknown plant "samarkand"' },
      { path: "variants[1].changes[2].resource", message: 'plant "tashkent" has no resource "paint"' },
      { path: "variants[1].changes[3].product", message: 'unknown product "bus"' },
      { path: "variants[1].changes[3].market", message: 'unknown market "RU"' },
      { path: "variants[1].changes[3].family", message: 'no product has family "bus"' },
      { path: "variants[1].changes[4].source", message: 'part "engine" has no source "china"' },
      { path: "variants[1].changes[5]", message: 'selects no route: no route makes product "tractor" and plant "andijan"' },
      { path: "variants[1].changes[6]", message: 'selects no demand row: no demand entry names market "UZ" and product "tractor"' },
    ]);
    expect(issuesOf(scenario, [{ on: "demand", market: "RU", product: "bus", field: "max", set: 1 }])).toEqual([
      { path: "[0].product", message: 'unknown product "bus"' },
      { path: "[0].market", message: 'unknown market "RU"' },
    ]);
  });

  it("the shape of a change: exactly one operation, known fields and kinds", () => {
    expect(
      issuesOf(
        scenario,
        [
          { on: "target", id: "goal", field: "min" },
          { on: "target", id: "goal", field: "min", set: 1, add: 2 },
          { on: "plant", id: "andijan" },
          { on: "route", field: "speed", set: 1 },
          { on: "capacity", plant: "andijan", resource: "assembly", scale: 2, note: "more" },
        ],
        at,
      ),
    ).toEqual([
      { path: "variants[1].changes[0]", message: 'needs one of "set", "scale" or "add"' },
      { path: "variants[1].changes[1].add", message: 'takes exactly one of "set", "scale" or "add", not set and add' },
      {
        path: "variants[1].changes[2].on",
        message: 'expected "on" to be one of "target", "capacity", "demand", "source", "route", "delivery", "investment", "shipping"',
      },
      { path: "variants[1].changes[3].field", message: 'expected "min", "max" or "unit_cost"' },
      { path: "variants[1].changes[4].note", message: "unknown field" },
    ]);
    expect(issuesOf(scenario, { on: "target" }, at)).toEqual([{ path: "variants[1].changes", message: "expected a list of changes" }]);
  });

  it("scale or add on an unset value is an error; set defines it", () => {
    expect(issuesOf(scenario, [{ on: "target", id: "goal", field: "max", scale: 2 }], at)).toEqual([
      { path: "variants[1].changes[0].scale", message: 'targets[0].max is not set (no limit): cannot scale it; use "set" to give it a value' },
    ]);
    expect(issuesOf(scenario, [{ on: "source", part: "engine", field: "capacity", add: 10 }], at)).toEqual([
      { path: "variants[1].changes[0].add", message: 'parts[0].sources[1].capacity is not set (no limit): cannot add to it; use "set" to give it a value' },
    ]);
    expect(issuesOf(scenario, [{ on: "source", part: "engine", field: "capacity", set: 10 }])).toEqual([]);
    // An unset limit cannot be set in one period only: the format has no "unlimited" for the others.
    expect(issuesOf(scenario, [{ on: "demand", product: "tractor", field: "max", set: 5, periods: ["2020"] }], at)).toEqual([
      {
        path: "variants[1].changes[0].set",
        message: 'demand[2].max is not set (no limit) in period "2021": a value cannot be unlimited in some periods only; set it in every period',
      },
    ]);
  });

  it("periods: unknown labels, periods a target does not apply in, a set map's labels, fields without periods", () => {
    expect(
      issuesOf(
        scenario,
        [
          { on: "capacity", plant: "andijan", resource: "assembly", set: 1, periods: ["2020", "2030"] },
          { on: "target", id: "local", field: "min", set: 0.5, periods: ["2020"] },
          { on: "capacity", plant: "andijan", resource: "assembly", set: { "2020": 1, "2030": 2 }, periods: ["2020"] },
          { on: "capacity", plant: "andijan", resource: "assembly", set: { "2021": 1 }, periods: ["2020"] },
          { on: "capacity", plant: "andijan", resource: "assembly", set: { "2020": 1 } },
          { on: "route", plant: "andijan", field: "unit_cost", set: 1, periods: ["2020"] },
          { on: "route", plant: "andijan", field: "unit_cost", set: { "*": 1 } },
        ],
        at,
      ),
    ).toEqual([
      { path: "variants[1].changes[0].periods[1]", message: 'unknown period "2030"' },
      { path: "variants[1].changes[1].periods[0]", message: 'target "local" does not apply in period "2020"' },
      { path: 'variants[1].changes[2].set["2030"]', message: 'unknown period "2030"' },
      { path: 'variants[1].changes[3].set["2021"]', message: 'period "2021" is not one the change applies in' },
      { path: "variants[1].changes[3].set", message: 'no value for period "2020" and no "*" default' },
      { path: "variants[1].changes[4].set", message: 'no value for period "2021" and no "*" default' },
      { path: "variants[1].changes[5].periods", message: "unit_cost is one number for every period: a change of it takes no periods" },
      { path: "variants[1].changes[6].set", message: "unit_cost is one number for every period: set it to a number, not a map by period" },
    ]);
  });

  it("a change that makes the scenario invalid is blamed on its operation, naming what breaks", () => {
    expect(
      issuesOf(
        scenario,
        [
          { on: "target", id: "goal", field: "max", set: 10 },
          { on: "target", id: "exports", field: "min", scale: 3 },
          { on: "capacity", plant: "tashkent", resource: "assembly", add: -100 },
          { on: "route", plant: "andijan", field: "min", set: 95 },
        ],
        at,
      ),
    ).toEqual([
      { path: "variants[1].changes[2].add", message: "yields an invalid scenario: plants[1].resources.assembly: must not be negative" },
      { path: "variants[1].changes[3].set", message: 'yields an invalid scenario: routes[0].min: min (95) is greater than max (90) in period "2020"' },
      { path: "variants[1].changes[0].set", message: 'yields an invalid scenario: targets[0].min: min (50) is greater than max (10) in period "2020"' },
      { path: "variants[1].changes[1].scale", message: 'yields an invalid scenario: targets[1].min: a share must lie in [0, 1], got 1.5 in period "2020"' },
    ]);
  });

  it("an invalid scenario is reported as the scenario's, not the request's", () => {
    try {
      applyChanges({ ...scenario, plants: [] }, []);
      expect.unreachable();
    } catch (error) {
      expect(isValidationError(error) && error.subject).toBe("scenario");
    }
  });

  it("bundled scenarios take the seed's questions as changes", () => {
    const kz = loadBundledScenario("kz-uz-2019-2025");
    const changed = applyChanges(kz, [
      { on: "demand", market: "KZ", field: "max", scale: 0.8 },
      { on: "capacity", plant: "andijan", resource: "assembly_hours", scale: 1.1, periods: ["2025"] },
    ]);
    const andijan = changed.plants.find((plant) => plant.id === "andijan")?.resources["assembly_hours"] as Record<string, number>;
    expect(andijan["2025"]).toBeCloseTo(151838 * 1.1, 6);
    expect(andijan["2024"]).toBe(145998);
  });
});
