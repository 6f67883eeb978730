import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { compare, loadBundledScenario, parseScenario, plan, sweep } from "../../src/index.js";
import { comparisonWorkbook, planWorkbook, sweepWorkbook } from "../../src/workbook/planWorkbook.js";
import { sheetNames, sheetRows } from "../support/workbooks.js";

/** Plans as workbooks, read back by another reader (SheetJS): the same figures as the plan's JSON. */
const scenario = parseScenario(loadBundledScenario("kz-uz-2020"));
const result = plan(scenario, { explain: true });
const sum = (values: readonly unknown[]) => values.reduce<number>((total, value) => total + (typeof value === "number" ? value : 0), 0);

/** A table sheet's rows as records by header. */
function records(bytes: Uint8Array, sheet: string): Record<string, unknown>[] {
  const [header = [], ...rows] = sheetRows(bytes, sheet);
  return rows.map((row) => Object.fromEntries(header.map((name, c) => [String(name), row[c]])));
}

describe("a plan as a workbook", () => {
  it("kz-uz-2020: a sheet per table; the production sheet totals 7,000 units, as the plan does", async () => {
    const bytes = await planWorkbook(scenario, result);
    expect(sheetNames(bytes)).toEqual(["Plan", "Production", "Sales", "Capacity", "Procurement", "Local share", "Targets", "What binds", "Explanation"]);
    const production = records(bytes, "Production");
    expect(sum(production.map((row) => row["units"]))).toBeCloseTo(7_000, 6);
    expect(production).toEqual(
      result.production.map((row) => ({
        period: row.period,
        plant: row.plant,
        product: row.product,
        family: scenario.products.find((p) => p.id === row.product)?.family,
        units: row.units,
      })),
    );
    expect(sum(records(bytes, "Sales").map((row) => row["revenue (USD)"]))).toBeCloseTo(sum(result.sales.map((row) => row.revenue)), 6);
    const summary = new Map(sheetRows(bytes, "Plan").map((row) => [row[0], row[1]]));
    expect(summary.get("margin (USD)")).toBe(result.objective);
    expect(summary.get("units made")).toBeCloseTo(7_000, 6);
    expect(summary.get("verification")).toBe("passed");
  });

  it("capacity with what binds and its price; procurement with the local share; targets met", async () => {
    const bytes = await planWorkbook(scenario, result);
    const capacity = records(bytes, "Capacity");
    expect(capacity).toHaveLength(result.capacity.length);
    const binding = capacity.filter((row) => row["binds"] === true);
    expect(binding.length).toBeGreaterThan(0);
    expect(binding.every((row) => typeof row["shadow price (USD)"] === "number")).toBe(true);
    // The local share of all parts bought, by value, worked out here from the plan's procurement rows.
    const value = new Map(scenario.parts.map((part) => [part.id, part.value]));
    const weighted = result.procurement.map((row) => ({ local: row.local, value: (value.get(row.part) ?? 1) * row.units }));
    const expected = sum(weighted.filter((row) => row.local).map((row) => row.value)) / sum(weighted.map((row) => row.value));
    expect(records(bytes, "Local share")[0]?.["local share"]).toBeCloseTo(expected, 12);
    expect(records(bytes, "Targets").map((row) => [row["target"], row["met"]])).toEqual(result.targets.map((row) => [row.id, row.met]));
    expect(records(bytes, "What binds").length).toBeGreaterThan(0);
  });

  it("opens ready to read: headers frozen and filtered, numbers formatted, columns fitted", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await planWorkbook(scenario, result)) as unknown as ExcelJS.Buffer);
    const production = workbook.getWorksheet("Production");
    expect(production?.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(production?.autoFilter).toBeDefined();
    expect(production?.getCell("E2").numFmt).toBe("#,##0.##");
    expect(workbook.getWorksheet("Capacity")?.getCell("F2").numFmt).toBe("0.0%");
    expect(production?.getColumn(3).width).toBeGreaterThan(8);
  });

  it("an infeasible plan: the explanation says why, in words", async () => {
    const shortage = parseScenario(loadBundledScenario("kz-uz-parts-shortage"));
    const bytes = await planWorkbook(shortage, plan(shortage));
    const lines = sheetRows(bytes, "Explanation").map((row) => row[0]);
    expect(lines[1]).toBe("Why no plan exists");
    expect(lines.join("\n")).toMatch(/cannot be met/);
    expect(sheetRows(bytes, "Production")).toHaveLength(1); // the header alone
  });
});

describe("a plan of the joint network as a workbook", () => {
  it("kz-uz-joint-2020: the flows across borders and between plants, purchases by plant with freight and duty, capacity for parts", async () => {
    const joint = parseScenario(loadBundledScenario("kz-uz-joint-2020"));
    const result = plan(joint);
    expect(result.flows).toBeDefined();
    const bytes = await planWorkbook(joint, result);
    expect(sheetNames(bytes)).toEqual(expect.arrayContaining(["Border flows", "Plant flows"]));
    const borders = records(bytes, "Border flows");
    expect(borders.map((row) => [row["from"], row["to"], row["goods"], row["units"]])).toEqual(
      result.flows?.borders.map((row) => [row.from, row.to, row.goods, row.units]),
    );
    expect(records(bytes, "Plant flows")).toHaveLength(result.flows?.between_plants.length ?? -1);
    const procurement = records(bytes, "Procurement");
    expect(procurement.map((row) => row["plant"])).toEqual(result.procurement.map((row) => row.plant));
    expect(sum(procurement.map((row) => row["freight (USD)"]))).toBeCloseTo(sum(result.procurement.map((row) => row.freight ?? 0)), 6);
    expect(sum(records(bytes, "Capacity").map((row) => row["of it for parts"]))).toBeCloseTo(sum(result.capacity.map((row) => row.used_for_parts ?? 0)), 6);
    expect(sum(records(bytes, "Sales").map((row) => row["duty (USD)"]))).toBeCloseTo(sum(result.sales.map((row) => row.duty ?? 0)), 6);
  });
});

describe("comparisons and sweeps as workbooks", () => {
  it("kz-uz-cluster-2020-2030: which investments are built when, the money of each period summing to the net present value, and what each decision is worth in words", async () => {
    const cluster = parseScenario(loadBundledScenario("kz-uz-cluster-2020-2030"));
    const clusterPlan = plan(cluster, { explain: true });
    const bytes = await planWorkbook(cluster, clusterPlan);
    expect(sheetNames(bytes)).toEqual(expect.arrayContaining(["Investments", "Money by period"]));
    const investments = records(bytes, "Investments");
    expect(investments.map((row) => [row["investment"], row["built"], row["period"] ?? null])).toEqual(
      (clusterPlan.investments ?? []).map((row) => [row.id, row.built, row.period]),
    );
    expect(investments.some((row) => row["built"] === true)).toBe(true);
    const money = records(bytes, "Money by period");
    expect(money.map((row) => row["period"])).toEqual(cluster.periods);
    expect(sum(money.map((row) => row["present value (USD)"]))).toBeCloseTo(clusterPlan.objective ?? Number.NaN, 2);
    const explanation = sheetRows(bytes, "Explanation").map((row) => String(row[0]));
    const built = (clusterPlan.investments ?? []).find((row) => row.built);
    const name = cluster.investments.find((investment) => investment.id === built?.id)?.name ?? "";
    expect(explanation.some((line) => line.startsWith(`Building ${name} in ${built?.period ?? ""}`))).toBe(true);
  }, 120_000);

  it("a sheet per variant with its production against the baseline", async () => {
    const comparison = await compare(scenario, [{ name: "KZ demand −20%", changes: [{ on: "demand", market: "KZ", field: "max", scale: 0.8 }] }]);
    const bytes = await comparisonWorkbook(scenario, comparison);
    expect(sheetNames(bytes)).toEqual(["Comparison", "Baseline", "KZ demand −20%", "Targets", "Binding"]);
    const [baselineRow, variantRow] = records(bytes, "Comparison");
    expect(baselineRow?.["margin (USD)"]).toBe(comparison.baseline.objective);
    expect(variantRow?.["change"]).toBe(comparison.variants[0]?.delta.objective);
    expect(records(bytes, "KZ demand −20%")).toHaveLength(comparison.variants[0]?.delta.production.length ?? -1);
  });

  it("the points of a sweep, and the segments of an exact one", async () => {
    const swept = await sweep(scenario, { parameter: { on: "target", id: "joint_goal", field: "min" }, from: 4000, to: 7450, mode: "exact" });
    const bytes = await sweepWorkbook(scenario, swept);
    expect(records(bytes, "Points").map((row) => row["value"])).toEqual(swept.points.map((point) => point.value));
    expect(records(bytes, "Segments")).toHaveLength(swept.segments?.length ?? -1);
  });
});
