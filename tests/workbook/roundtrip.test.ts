import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bundledScenarioIds, loadBundledScenario, parseScenario, plan, validateScenario, type Scenario } from "../../src/index.js";
import { readScenarioWorkbook, validateScenarioWorkbook } from "../../src/workbook/readScenario.js";
import { scenarioWorkbook } from "../../src/workbook/writeScenario.js";
import { investmentScenarioArbitrary, networkScenarioArbitrary, scenarioArbitrary, workbookHostileIds, workbookIdArbitrary } from "../arbitraries/scenario.js";
import { propertyParameters, propertyRuns } from "../support/properties.js";
import { sheetNames, sheetRows } from "../support/workbooks.js";

/** The scenario a workbook reads back as, or the issues that stopped it (so that a failure says what went wrong). */
async function readBack(bytes: Uint8Array): Promise<Scenario> {
  const read = await validateScenarioWorkbook(bytes);
  if (!read.ok) throw new Error(`the workbook does not read back: ${JSON.stringify(read.issues, null, 1)}`);
  return read.scenario;
}

/**
 * The same scenario: equal as JSON (which tells a number from an object with
 * the same value in every period), and deeply equal with prototypes and
 * `undefined` fields (node's own check: vitest's takes an id such as
 * "constructor" for the object's class).
 */
function expectSameScenario(actual: Scenario, expected: Scenario): void {
  expect(JSON.parse(JSON.stringify(actual))).toEqual(JSON.parse(JSON.stringify(expected)));
  expect(isDeepStrictEqual(actual, expected)).toBe(true);
}

/** Generated documents, the valid ones (at least one) through a workbook and back: the same scenario. */
async function expectRoundTrips(documents: fc.Arbitrary<Record<string, unknown>>): Promise<void> {
  let valid = 0;
  await fc.assert(
    fc.asyncProperty(documents, async (document) => {
      const checked = validateScenario(document);
      fc.pre(checked.ok);
      valid++;
      const back = await readBack(await scenarioWorkbook(checked.scenario));
      expectSameScenario(back, checked.scenario);
    }),
    propertyParameters(Math.max(20, Math.round(propertyRuns / 5))),
  );
  expect(valid).toBeGreaterThan(0);
}

describe("a scenario through a workbook and back (json → xlsx → json)", () => {
  it.each(bundledScenarioIds())("%s comes back the same scenario, and the same plan", async (id) => {
    const scenario = parseScenario(loadBundledScenario(id));
    const back = await readBack(await scenarioWorkbook(scenario));
    expectSameScenario(back, scenario);
    const before = plan(scenario);
    const after = plan(back);
    expect(after.status).toBe(before.status);
    expect(after.objective).toBe(before.objective);
    expect(after.production).toEqual(before.production);
    expect(after.procurement).toEqual(before.procurement);
  });

  it("property: a generated scenario with hostile ids and per-period maps comes back the same (and so plans the same)", async () => {
    await expectRoundTrips(scenarioArbitrary({ ids: workbookIdArbitrary }));
  }, 120_000);

  it("property: the joint network's fields come back the same: in-house parts, delivery and shipping lanes, countries", async () => {
    await expectRoundTrips(networkScenarioArbitrary({ ids: workbookIdArbitrary }));
  }, 120_000);

  it("property: investments come back the same: what each adds, costs per period, windows, groups, decisions taken, the discount rate", async () => {
    await expectRoundTrips(investmentScenarioArbitrary({ ids: workbookIdArbitrary }));
  }, 120_000);

  it("keeps a number apart from an object with the same value in every period, and a default apart from the periods", async () => {
    const scenario = parseScenario({
      format: "jointplan/v1",
      id: "periods",
      title: "Per-period values",
      periods: ["2025", "2026"],
      plants: [{ id: "a", resources: { flat: 10, mapped: { "2025": 10, "2026": 10 }, defaulted: { "*": 10 }, mixed: { "2026": 12, "*": 10 } } }],
      products: [{ id: "p", family: "car", bom: {} }],
      routes: [{ plant: "a", product: "p", uses: { flat: 1 }, inventory: {} }],
      markets: [{ id: "m" }],
      demand: [{ market: "m", product: "p", price: { "2025": 5, "*": 6 } }],
      sources: [],
    });
    const back = await readBack(await scenarioWorkbook(scenario));
    expectSameScenario(back, scenario);
    const resources = back.plants[0]?.resources;
    expect(resources?.["flat"]).toBe(10);
    expect(resources?.["mapped"]).toEqual({ "2025": 10, "2026": 10 });
    expect(resources?.["defaulted"]).toEqual({ "*": 10 });
    expect(back.products[0]?.bom).toEqual({}); // an empty bill of materials stays one
    expect(back.routes[0]?.inventory).toEqual({ holding_cost: 0, initial: 0 }); // stock kept with every default
    expect(back.sources).toEqual([]);
  });

  it.each(workbookHostileIds.filter((id) => id !== "*"))("the id %j comes back unchanged in every role", async (id) => {
    const scenario = parseScenario({
      format: "jointplan/v1",
      id,
      title: id,
      notes: id,
      periods: [id],
      plants: [{ id, name: id, country: id, resources: { [id]: { [id]: 10 } } }],
      products: [{ id, name: id, family: id, available_from: id, bom: { [id]: 1 } }],
      routes: [{ plant: id, product: id, uses: { [id]: 1 } }],
      parts: [{ id, name: id, sources: [{ id, local: true }] }],
      markets: [{ id, name: id }],
      demand: [{ market: id, product: id, price: 5 }],
      targets: [{ id, kind: "units", min: 1, families: [id], products: [id], plants: [id], periods: [id] }],
      sources: [id],
    });
    const bytes = await scenarioWorkbook(scenario);
    expectSameScenario(await readBack(bytes), scenario);
    // Another reader (SheetJS) reads the same text where the id was written.
    expect(sheetRows(bytes, "Plants")[2]?.[0]).toBe(id);
  });

  it("another spreadsheet reader (SheetJS) reads the values jointplan wrote: kz-uz-2020's routes and demand", async () => {
    const scenario = parseScenario(loadBundledScenario("kz-uz-2020"));
    const bytes = await scenarioWorkbook(scenario);
    expect(sheetNames(bytes)[0]).toBe("How to fill in");
    const [header, periods, ...routes] = sheetRows(bytes, "Routes");
    expect(header?.slice(0, 4)).toEqual(["plant", "product", "unit_cost", "min"]);
    expect(periods?.slice(3, 6)).toEqual([null, "2020", "*"]);
    expect(routes.map((row) => [row[0], row[1], row[2]])).toEqual(scenario.routes.map((route) => [route.plant, route.product, route.unit_cost]));
    const demand = sheetRows(bytes, "Demand").slice(2);
    const maxColumn = (sheetRows(bytes, "Demand")[0] ?? []).indexOf("max");
    expect(demand.map((row) => row[maxColumn] ?? undefined)).toEqual(scenario.demand.map((row) => row.max));
  });

  it("writes each read cell's place: the route of a Uses row, the period of a per-period column", async () => {
    const scenario = parseScenario(loadBundledScenario("kz-uz-2019-2025"));
    const read = await readScenarioWorkbook(await scenarioWorkbook(scenario));
    expect(read.issues).toEqual([]);
    expect(read.cells.locate("routes[0].plant")).toMatchObject({ sheet: "Routes", row: 3, column: 1 });
    expect(read.cells.locate("routes[0].uses.assembly_hours")).toMatchObject({ sheet: "Uses" });
    const cell = read.cells.locate('plants[0].resources.assembly_hours["2019"]');
    expect(cell).toMatchObject({ sheet: "Resources" });
    expect(cell?.lastColumn).toBe(cell?.column); // one cell, not the field's range
    expect(read.cells.locate("plants[0].resources.assembly_hours")?.lastColumn).toBeGreaterThan(cell?.column ?? 0);
  });
});
