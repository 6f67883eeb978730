import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadBundledScenario, parseScenario } from "../../src/index.js";
import { runCli, scratchFiles } from "../support/cli.js";
import { editWorkbook, sheetRows } from "../support/workbooks.js";

/** The command line with workbooks: convert either way, every command takes a .xlsx scenario, plans written as workbooks. */
const file = scratchFiles("workbooks");

describe("jointplan with workbooks", () => {
  it("convert kz-uz-2020 kz-uz-2020.xlsx, then back to JSON: the same scenario, and plan takes the workbook", () => {
    const workbook = file("kz-uz-2020.xlsx", "");
    const converted = runCli("convert", "kz-uz-2020", workbook);
    expect(converted.stderr).toBe(`jointplan: wrote ${workbook}\n`);
    expect(converted.code).toBe(0);
    const json = file("back.json", "");
    expect(runCli("convert", workbook, json).code).toBe(0);
    expect(JSON.parse(readFileSync(json, "utf8"))).toEqual(JSON.parse(JSON.stringify(parseScenario(loadBundledScenario("kz-uz-2020")))));
    const validated = runCli("validate", workbook);
    expect(validated.stdout).toMatch(/valid jointplan\/v1 scenario "kz-uz-2020" — 3 plants, 10 products/);
    const planned = runCli("plan", workbook, "--json");
    expect(planned.code).toBe(0);
    expect(JSON.parse(planned.stdout)).toMatchObject({ scenario: "kz-uz-2020", status: "optimal" });
  });

  it("validate names the sheet and cell of an unknown plant on a route, beside its path; exit 1", async () => {
    const source = file("source.xlsx", "");
    runCli("convert", "kz-uz-2020", source);
    const edited = await editWorkbook(readFileSync(source), (workbook) => {
      const routes = workbook.getWorksheet("Routes");
      if (routes !== undefined) routes.getCell("A7").value = "nowhere";
    });
    const bad = file("bad.xlsx", "");
    writeFileSync(bad, edited);
    const result = runCli("validate", bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('  Routes!A7: unknown plant "nowhere" (routes[4].plant)\n');
    const planned = runCli("plan", bad);
    expect(planned.code).toBe(1);
    expect(planned.stderr).toContain('Routes!A7: unknown plant "nowhere"');
  });

  it("a file named .xlsx that is not a workbook: exit 1, and why", () => {
    const fake = file("fake.xlsx", '{"format":"jointplan/v1"}');
    const result = runCli("validate", fake);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not an Excel workbook: an \.xlsx file is a zip archive, and this file is not one/);
  });

  it("plan kz-uz-2020 --xlsx plan.xlsx: a workbook whose production sheet totals 7,000 units, with what binds and its price", () => {
    const output = file("plan.xlsx", "");
    const result = runCli("plan", "kz-uz-2020", "--xlsx", output);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/What binds/); // --xlsx asks for the explanation
    const bytes = readFileSync(output);
    const [header = [], ...rows] = sheetRows(bytes, "Production");
    const units = header.indexOf("units");
    expect(rows.reduce((sum, row) => sum + Number(row[units]), 0)).toBeCloseTo(7_000, 6);
    expect((sheetRows(bytes, "Capacity")[0] ?? []).includes("shadow price (USD)")).toBe(true);
  });

  it("compare and sweep --xlsx; --xlsx wants a .xlsx name; convert wants .json or .xlsx", () => {
    const comparison = file("compare.xlsx", "");
    expect(runCli("compare", "kz-uz-2020", "models/whatif/kz-uz-2020/variants.compare.json", "--xlsx", comparison).code).toBe(0);
    expect(sheetRows(readFileSync(comparison), "Comparison").length).toBeGreaterThan(2);
    const swept = file("sweep.xlsx", "");
    expect(runCli("sweep", "kz-uz-2020", "models/whatif/kz-uz-2020/joint-goal.sweep.json", "--xlsx", swept).code).toBe(0);
    expect(sheetRows(readFileSync(swept), "Segments").length).toBeGreaterThan(1);
    expect(runCli("plan", "kz-uz-2020", "--xlsx", file("plan.csv", "")).stderr).toMatch(/--xlsx writes an Excel workbook: name it \.xlsx/);
    expect(runCli("convert", "kz-uz-2020", file("out.txt", "")).stderr).toMatch(/convert writes a \.json or an \.xlsx file/);
  });
});
