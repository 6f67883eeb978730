import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffScenarios, applyDiff, type ScenarioDiff } from "../../src/library/diff.js";
import { loadBundledScenario } from "../../src/scenario/bundled.js";
import { parseScenario, validateScenario } from "../../src/scenario/parse.js";
import { valueIn } from "../../src/scenario/periods.js";
import type { Scenario } from "../../src/scenario/schema.js";
import { investmentScenarioArbitrary, networkScenarioArbitrary, scenarioArbitrary } from "../arbitraries/scenario.js";
import { propertyParameters } from "../support/properties.js";

type Json = Record<string, unknown>;
const copy = (scenario: Scenario): Json => JSON.parse(JSON.stringify(scenario)) as Json;
const records = (document: Json, kind: string) => document[kind] as Json[];
const bundled = (id: string): Scenario => parseScenario(loadBundledScenario(id));
const nothing = (diff: ScenarioDiff) => diff.fields.length + diff.changes.length + diff.added.length + diff.removed.length + diff.edited.length === 0;

describe("the diff of two versions", () => {
  const a = bundled("kz-uz-2020");

  it("lists one capacity that differs as one Change, and nothing else", () => {
    const b = copy(a);
    const plant = records(b, "plants")[0] as { id: string; resources: Record<string, number> };
    const resource = Object.keys(plant.resources)[0] ?? "";
    plant.resources[resource] = 1234;
    const diff = diffScenarios(a, parseScenario(b));
    expect(diff).toEqual({ fields: [], changes: [{ on: "capacity", plant: plant.id, resource, set: 1234 }], added: [], removed: [], edited: [] });
    expect(applyDiff(a, diff)).toEqual(parseScenario(b));
  });

  it("is empty between a scenario and itself, and between equal values written differently", () => {
    expect(nothing(diffScenarios(a, a))).toBe(true);
    const b = copy(a);
    const demand = records(b, "demand")[0] as { price: number };
    (demand as unknown as { price: unknown }).price = { "*": demand.price };
    expect(nothing(diffScenarios(a, parseScenario(b)))).toBe(true);
  });

  it("says a price, a bound and a cost period by period, and what no Change can say as records added, removed and edited", () => {
    const base = bundled("kz-uz-2019-2025");
    const [first, second] = base.periods;
    const b = copy(base);
    const demand = records(b, "demand")[0] ?? {};
    const price = valueIn(demand["price"] as number, first ?? "");
    demand["price"] = { "*": valueIn(demand["price"] as number, second ?? ""), [first ?? ""]: price + 100 };
    const removedDemand = records(b, "demand").splice(1, 1)[0] ?? {};
    const product = records(b, "products")[0] ?? {};
    product["name"] = "renamed <b>bold</b>";
    b["title"] = "A new title";
    const diff = diffScenarios(base, parseScenario(b));
    expect(diff.fields).toEqual([{ field: "title", from: base.title, to: "A new title" }]);
    expect(diff.changes).toEqual([{ on: "demand", market: demand["market"], product: demand["product"], field: "price", periods: [first], set: price + 100 }]);
    expect(diff.removed).toEqual([{ records: "demand", key: { market: removedDemand["market"], product: removedDemand["product"] }, record: removedDemand }]);
    expect(diff.edited).toEqual([
      {
        records: "products",
        key: { id: product["id"] },
        field: "name",
        ...(base.products[0]?.name === undefined ? {} : { from: base.products[0].name }),
        to: "renamed <b>bold</b>",
      },
    ]);
    expect(nothing(diffScenarios(applyDiff(base, diff), parseScenario(b)))).toBe(true);
  });

  it("turns every differing value into an edit when the periods themselves changed", () => {
    const b = copy(a);
    b["periods"] = [...a.periods, "later"];
    const plant = records(b, "plants")[0] as { id: string; resources: Record<string, unknown> };
    const resource = Object.keys(plant.resources)[0] ?? "";
    plant.resources[resource] = { "*": 10, later: 20 };
    const later = parseScenario(b);
    const diff = diffScenarios(a, later);
    expect(diff.fields).toEqual([{ field: "periods", from: a.periods, to: [...a.periods, "later"] }]);
    expect(diff.changes).toEqual([]);
    expect(diff.edited).toEqual([
      { records: "plants", key: { id: plant.id }, field: "resources", from: a.plants[0]?.resources, to: later.plants[0]?.resources },
    ]);
    expect(nothing(diffScenarios(applyDiff(a, diff), later))).toBe(true);
  });
});

/**
 * Edits a planner makes between two versions, drawn at random: capacities,
 * prices and bounds (a number, or a value per period), costs, lanes,
 * investments, names, titles, demand rows removed and bounds removed.
 */
const edits = fc.array(fc.tuple(fc.nat(11), fc.nat(), fc.integer({ min: 1, max: 5000 }), fc.boolean()), { minLength: 1, maxLength: 6 });

function edited(a: Scenario, picks: readonly (readonly [number, number, number, boolean])[]): Json {
  const b = copy(a);
  const perPeriod = (value: number, byPeriod: boolean) => (byPeriod ? Object.fromEntries(a.periods.map((period, i) => [period, value + i])) : value);
  const pick = <T>(list: readonly T[], n: number): T | undefined => list[n % Math.max(1, list.length)];
  for (const [kind, n, value, byPeriod] of picks) {
    const plant = pick(records(b, "plants"), n) as { resources: Record<string, unknown> } | undefined;
    const demand = pick(records(b, "demand"), n);
    const route = pick(records(b, "routes"), n);
    const target = pick(records(b, "targets"), n);
    const part = pick(records(b, "parts"), n) as { sources: Json[] } | undefined;
    const investment = pick(records(b, "investments"), n);
    switch (kind) {
      case 0: {
        const resource = plant === undefined ? undefined : pick(Object.keys(plant.resources), n);
        if (plant !== undefined && resource !== undefined) plant.resources[resource] = perPeriod(value, byPeriod);
        break;
      }
      case 1:
        if (demand !== undefined) demand["price"] = perPeriod(value, byPeriod);
        break;
      case 2:
        if (demand !== undefined) demand[byPeriod ? "max" : "min"] = byPeriod ? 100_000 + value : 0;
        break;
      case 3:
        if (route !== undefined) route[byPeriod ? "unit_cost" : "max"] = byPeriod ? value : perPeriod(100_000 + value, false);
        break;
      case 4:
        if (target !== undefined) target[byPeriod ? "max" : "min"] = target["kind"] === "units" ? value : value / 5000;
        break;
      case 5:
        if (records(b, "demand").length > 1) records(b, "demand").splice(n % records(b, "demand").length, 1);
        break;
      case 6: {
        const source = part === undefined ? undefined : pick(part.sources, n);
        if (source !== undefined) source[byPeriod ? "capacity" : "unit_cost"] = byPeriod ? perPeriod(value, true) : value;
        break;
      }
      case 7: {
        const source = part === undefined ? undefined : pick(part.sources, n);
        const lanes = source?.["delivers_to"] as Record<string, Json> | undefined;
        const lane = lanes === undefined ? undefined : pick(Object.values(lanes), n);
        if (lane !== undefined) lane[byPeriod ? "capacity" : "cost"] = value;
        break;
      }
      case 8:
        if (investment !== undefined) investment[byPeriod ? "operating_cost" : "fixed_cost"] = byPeriod ? perPeriod(value, true) : value;
        break;
      case 9:
        if (investment !== undefined) investment["built"] = byPeriod;
        break;
      case 10:
        b["title"] = `title ${value}`;
        if (byPeriod) b["notes"] = "<script>alert(1)</script>";
        break;
      case 11:
        if (route !== undefined && byPeriod) delete route["max"];
        else if (demand !== undefined) delete demand["max"];
        break;
    }
  }
  return b;
}

describe("property: applying the diff of a and b to a gives b", () => {
  const arbitraries = {
    plain: scenarioArbitrary(),
    "joint network": networkScenarioArbitrary(),
    investments: investmentScenarioArbitrary(),
  };
  for (const [label, arbitrary] of Object.entries(arbitraries)) {
    it(`on generated scenarios (${label}) edited at random`, () => {
      let compared = 0;
      const said = new Set<string>();
      fc.assert(
        fc.property(arbitrary, edits, (document, picks) => {
          const a = parseScenario(document);
          const checked = validateScenario(edited(a, picks));
          fc.pre(checked.ok);
          const b = checked.scenario;
          const diff = diffScenarios(a, b);
          for (const change of diff.changes) said.add(`${change.on}.${change.field ?? "capacity"}${change.periods === undefined ? "" : " by period"}`);
          for (const edit of diff.edited) said.add(`edit ${edit.records}.${edit.field}`);
          if (diff.removed.length > 0) said.add("removed");
          const applied = applyDiff(a, diff);
          // b again, in every value of every period: nothing left to say between them.
          expect(diffScenarios(applied, b)).toEqual({ fields: [], changes: [], added: [], removed: [], edited: [] });
          // And independently of the diff's own comparison: every capacity and price in every period.
          for (const period of b.periods) {
            for (const plant of b.plants) {
              const twin = applied.plants.find((candidate) => candidate.id === plant.id);
              for (const [resource, capacity] of Object.entries(plant.resources))
                expect(valueIn(twin?.resources[resource] ?? NaN, period)).toBe(valueIn(capacity, period));
            }
            for (const demand of b.demand) {
              const twin = applied.demand.find((row) => row.market === demand.market && row.product === demand.product);
              expect(twin === undefined ? undefined : valueIn(twin.price, period)).toBe(valueIn(demand.price, period));
            }
          }
          expect(applied.demand).toHaveLength(b.demand.length);
          expect(applied.title).toBe(b.title);
          compared++;
        }),
        propertyParameters(),
      );
      expect(compared).toBeGreaterThan(20);
      // The edits reached the kinds of Change the diff says (the property is not vacuous).
      expect([...said].filter((kind) => !kind.startsWith("edit")).length).toBeGreaterThan(5);
    }, 120_000);
  }
});
