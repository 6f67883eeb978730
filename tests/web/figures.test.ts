import { describe, expect, it } from "vitest";
import { loadBundledScenario, plan, type Plan } from "../../src/index.js";
import { csvColumns, networkCsvColumns, planCsv } from "../../web/src/csv.js";
import { headline, partSourcing, productionTable } from "../../web/src/figures.js";
import { readScenario } from "../../web/src/scenarioDoc.js";

const document = loadBundledScenario("kz-uz-2020");
const scenario = readScenario(document);
const result = plan(document);
const total = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0);

describe("the page's figures, read from a plan", () => {
  it("reads the scenario document with the format's defaults", () => {
    expect(scenario).toMatchObject({ id: "kz-uz-2020", currency: "USD", periods: ["2020"], objective: "max_margin", integer: false });
    expect(scenario.targets.map((target) => [target.id, target.kind, target.min])).toEqual([
      ["joint_goal", "units", 7000],
      ["export_share", "export_share", 0.5],
      ["car_local_parts", "local_parts_share", 0.75],
    ]);
    expect(readScenario({ id: "bare" })).toMatchObject({ periods: ["base"], currency: "USD", parts: [], targets: [], title: "bare" });
  });

  it("headline: margin, units against the joint goal, export and local shares recomputed from the plan's rows", () => {
    const figures = headline(scenario, result, "2020");
    expect(figures.objective).toEqual({ label: "Margin", value: result.objective, unit: "USD" });
    expect(figures.units).toEqual({ made: 7000, goal: 7000, goalLabel: "joint goal" });
    const sold = total(result.sales.map((row) => row.units));
    const exported = total(result.sales.filter((row) => row.market === "KZ").map((row) => row.units));
    expect(figures.exportShare.value).toBeCloseTo(exported / sold, 9);
    expect(figures.exportShare.target).toBe(0.5);
    // The local-parts target counts car parts only, weighted by value.
    const carParts = new Set([
      "engine_small",
      "engine_large",
      "gearbox",
      "body_panels",
      "electronics",
      "interior",
      "tyre_set",
      "glazing",
      "suv_tyre_set",
      "suv_engine",
      "suv_gearbox",
    ]);
    const value = new Map(scenario.parts.map((part) => [part.id, part.value]));
    const weighted = result.procurement
      .filter((row) => carParts.has(row.part))
      .map((row) => ({ local: row.local, weight: (value.get(row.part) ?? 0) * row.units }));
    expect(figures.localShare.value).toBeCloseTo(
      total(weighted.filter((row) => row.local).map((row) => row.weight)) / total(weighted.map((row) => row.weight)),
      9,
    );
    expect(figures.localShare).toMatchObject({ target: 0.75, scope: "car parts" });
  });

  it("production by product and plant adds up to the plan's rows", () => {
    const table = productionTable(scenario, result, "2020");
    expect(table.plants.map((plant) => plant.name)).toEqual(["Andijan", "Samarkand", "Tashkent"]);
    expect(table.total).toBeCloseTo(total(result.production.map((row) => row.units)), 6);
    for (const row of result.production) {
      const line = table.rows.find((candidate) => candidate.product === row.product);
      const column = table.plants.findIndex((plant) => plant.id === row.plant);
      expect(line?.byPlant[column]).toBe(row.units);
    }
  });

  it("parts sourcing splits every part's units into local and imported", () => {
    for (const part of partSourcing(scenario, result, "2020")) {
      const rows = result.procurement.filter((row) => row.part === part.part);
      expect(part.local + part.imported).toBeCloseTo(total(rows.map((row) => row.units)), 9);
    }
  });
});

describe("the plan as CSV", () => {
  it("is one table: a header, then one row per row of each section, the section named first", () => {
    const lines = planCsv(result).split("\r\n");
    expect(lines.pop()).toBe("");
    expect(lines[0]).toBe(csvColumns.join(","));
    const sections = lines.slice(1).map((line) => line.split(",")[0]);
    const count = (name: string) => sections.filter((section) => section === name).length;
    expect(count("production")).toBe(result.production.length);
    expect(count("sales")).toBe(result.sales.length);
    expect(count("procurement")).toBe(result.procurement.length);
    expect(count("capacity")).toBe(result.capacity.length);
    expect(count("targets")).toBe(result.targets.length);
    expect(sections.length).toBe(
      result.production.length + result.sales.length + result.inventory.length + result.procurement.length + result.capacity.length + result.targets.length,
    );
    for (const line of lines) expect(line.split(",").length).toBe(csvColumns.length);
    const goal = lines.find((line) => line.startsWith("targets,"))?.split(",");
    expect(goal?.[csvColumns.indexOf("target")]).toBe("joint_goal");
    expect(goal?.[csvColumns.indexOf("value")]).toBe("7000");
    expect(goal?.[csvColumns.indexOf("met")]).toBe("true");
  });

  it("a plan without the joint network's fields is written exactly as before: the same columns, the same sections, byte for byte", () => {
    const plain: Plan = {
      ...result,
      production: [{ period: "2020", plant: "andijan", product: "city", units: 1.5 }],
      sales: [{ period: "2020", plant: "andijan", product: "city", market: "UZ", units: 1.5, revenue: 15000 }],
      inventory: [],
      procurement: [{ period: "2020", part: "engine", source: "own", local: true, units: 1.5, cost: 300 }],
      capacity: [{ period: "2020", plant: "andijan", resource: "assembly_hours", used: 30, available: 40, utilization: 0.75 }],
      targets: [{ id: "joint_goal", period: "2020", value: 1.5, min: 1, max: null, met: true }],
    };
    expect(planCsv(plain)).toBe(
      [
        "section,period,plant,product,market,part,source,local,resource,target,units,revenue,cost,used,available,utilization,value,min,max,met,shadow_price",
        "production,2020,andijan,city,,,,,,,1.5,,,,,,,,,,",
        "sales,2020,andijan,city,UZ,,,,,,1.5,15000,,,,,,,,,",
        "procurement,2020,,,,engine,own,true,,,1.5,,300,,,,,,,,",
        "capacity,2020,andijan,,,,,,assembly_hours,,,,,30,40,0.75,,,,,",
        "targets,2020,,,,,,,,joint_goal,,,,,,,1.5,1,,true,",
        "",
      ].join("\r\n"),
    );
  });

  it("a plan of the joint network adds its columns after the others, and its flows as sections of their own", () => {
    const network: Plan = {
      ...result,
      production: [],
      sales: [{ period: "2020", plant: "andijan", product: "sedan", market: "KZ", units: 2, revenue: 30000, shipping: 900, duty: 4500 }],
      inventory: [],
      procurement: [{ period: "2020", part: "kit", source: "kit_line", local: true, units: 2, cost: 1200, plant: "kostanay", freight: 700, duty: 180 }],
      capacity: [{ period: "2020", plant: "andijan", resource: "paint_hours", used: 5, available: 10, utilization: 0.5, used_for_parts: 4.4 }],
      targets: [],
      flows: {
        borders: [{ period: "2020", from: "UZ", to: "KZ", goods: "parts", units: 2, value: 1200, freight: 700, duty: 180 }],
        between_plants: [{ period: "2020", from: "andijan", to: "kostanay", part: "kit", source: "kit_line", units: 2, value: 1200, freight: 700, duty: 180 }],
      },
    };
    const lines = planCsv(network).split("\r\n");
    expect(lines[0]).toBe([...csvColumns, ...networkCsvColumns].join(","));
    const cells = (section: string) => {
      const row = lines.find((line) => line.startsWith(`${section},`))?.split(",") ?? [];
      return (column: string) => row[[...csvColumns, ...networkCsvColumns].indexOf(column as never)];
    };
    const procurement = cells("procurement");
    expect([procurement("plant"), procurement("freight"), procurement("duty"), procurement("cost")]).toEqual(["kostanay", "700", "180", "1200"]);
    const sales = cells("sales");
    expect([sales("shipping"), sales("duty"), sales("revenue")]).toEqual(["900", "4500", "30000"]);
    expect(cells("capacity")("used_for_parts")).toBe("4.4");
    const border = cells("borders");
    expect([border("from"), border("to"), border("goods"), border("units"), border("value"), border("freight"), border("duty")]).toEqual([
      "UZ",
      "KZ",
      "parts",
      "2",
      "1200",
      "700",
      "180",
    ]);
    const between = cells("between_plants");
    expect([between("from"), between("to"), between("part"), between("source"), between("units")]).toEqual(["andijan", "kostanay", "kit", "kit_line", "2"]);
    for (const line of lines.slice(0, -1)) expect(line.split(",").length).toBe(csvColumns.length + networkCsvColumns.length);
  });

  it("quotes ids with commas, quotes or line breaks (RFC 4180)", () => {
    const hostile = { ...result, production: [{ period: "2020", plant: 'a "quoted", plant', product: "line\nbreak", units: 1 }] };
    const row = planCsv(hostile).split("\r\n")[1];
    expect(row).toBe('production,2020,"a ""quoted"", plant","line\nbreak",,,,,,,1,,,,,,,,,,');
  });
});

describe("the page's plan CSV runs nothing in a spreadsheet", () => {
  it("an id that starts like a formula is prefixed with a single quote; numbers stay numbers", () => {
    const hostile = structuredClone(document) as { plants: { id: string }[]; routes: { plant: string }[] };
    const andijan = hostile.plants.find((plant) => plant.id === "andijan");
    if (andijan !== undefined) andijan.id = '=HYPERLINK("http://example.invalid")';
    for (const route of hostile.routes) if (route.plant === "andijan") route.plant = '=HYPERLINK("http://example.invalid")';
    const csv = planCsv(plan(hostile));
    expect(csv).toContain(`,"'=HYPERLINK(""http://example.invalid"")",`);
    expect(csv).not.toMatch(/(^|,)=/m);
    expect(csv.split("\r\n")[1]).toMatch(/^production,2020,/);
  });
});
