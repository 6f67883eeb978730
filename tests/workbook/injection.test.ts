import type ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { compare, parseScenario, plan, sweep } from "../../src/index.js";
import { sweepCsv } from "../../src/cli/sweepReport.js";
import { comparisonWorkbook, planWorkbook, sweepWorkbook, variantSheetName } from "../../src/workbook/planWorkbook.js";
import { csvField } from "../../src/workbook/text.js";
import { scenarioWorkbook } from "../../src/workbook/writeScenario.js";
import { editWorkbook, formulaCells, sheetNames, zipParts } from "../support/workbooks.js";

/**
 * Nothing a spreadsheet would run: ids that look like formulas are written as
 * text — in every workbook jointplan writes and in every CSV — and a cell that
 * starts like a formula is formatted as text, so that editing it keeps it text.
 */
const formulaLike = ["=cmd|' /C calc'!A0", "+1", "-5", "@SUM(A1)", "\tlead", "\rcr"] as const;
const [plantId, productId, marketId, partId, resourceId, targetId] = formulaLike;

const scenario = parseScenario({
  format: "jointplan/v1",
  id: '=HYPERLINK("http://example.invalid","x")',
  title: "=1+1",
  periods: ["=2020"],
  plants: [{ id: plantId, name: "=A1", resources: { [resourceId]: 100 } }],
  products: [{ id: productId, family: "=car", bom: { [partId]: 1 } }],
  routes: [{ plant: plantId, product: productId, uses: { [resourceId]: 1 }, unit_cost: 1 }],
  parts: [{ id: partId, sources: [{ id: "@source", local: true, unit_cost: 1 }] }],
  markets: [{ id: marketId, export: true }],
  demand: [{ market: marketId, product: productId, price: 10 }],
  targets: [{ id: targetId, kind: "units", min: 10 }],
});

/** Every worksheet part of a workbook: none may hold a formula element. */
async function formulaElements(bytes: Uint8Array): Promise<string[]> {
  const parts = await zipParts(bytes);
  return [...parts].filter(([name, data]) => name.startsWith("xl/worksheets/") && /<(?:\w+:)?f[\s>/]/.test(data.toString("utf8"))).map(([name]) => name);
}

async function cellsStartingLikeFormulas(bytes: Uint8Array): Promise<{ address: string; format: string }[]> {
  const found: { address: string; format: string }[] = [];
  await editWorkbook(bytes, (workbook: ExcelJS.Workbook) => {
    workbook.eachSheet((worksheet) =>
      worksheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (typeof cell.value === "string" && /^[=+\-@\t\r]/.test(cell.value))
            found.push({ address: `${worksheet.name}!${cell.address}`, format: cell.numFmt });
        }),
      ),
    );
  });
  return found;
}

describe("no cell jointplan writes is a formula", () => {
  it("the scenario workbook: formula-like ids are texts, formatted as text", async () => {
    const bytes = await scenarioWorkbook(scenario);
    expect(formulaCells(bytes)).toEqual([]); // as another reader (SheetJS) sees it
    expect(await formulaElements(bytes)).toEqual([]); // as the file holds it
    const cells = await cellsStartingLikeFormulas(bytes);
    expect(cells.length).toBeGreaterThan(10);
    expect(cells.filter((cell) => cell.format !== "@")).toEqual([]);
  });

  it("the plan, comparison and sweep workbooks", async () => {
    const result = plan(scenario, { explain: true });
    expect(result.status).toBe("optimal");
    const comparison = await compare(scenario, [{ name: "=1+1", changes: [{ on: "capacity", plant: plantId, resource: resourceId, scale: 0.5 }] }]);
    const swept = await sweep(scenario, { parameter: { on: "target", id: targetId, field: "min" }, values: [10, 20] });
    for (const bytes of [await planWorkbook(scenario, result), await comparisonWorkbook(scenario, comparison), await sweepWorkbook(scenario, swept)]) {
      expect(formulaCells(bytes)).toEqual([]);
      expect(await formulaElements(bytes)).toEqual([]);
      expect((await cellsStartingLikeFormulas(bytes)).filter((cell) => cell.format !== "@")).toEqual([]);
    }
  });

  it("a variant's name becomes a sheet name a spreadsheet accepts: 31 characters at most, none of : \\ / ? * [ ], unique", async () => {
    const names = ["=cmd|' /C calc'!A0", "Sheet:[1]/2?*", "'quoted'", "a".repeat(40), "a".repeat(40), "A".repeat(31), "Baseline", "😀".repeat(20), "   "];
    const comparison = await compare(
      scenario,
      names.map((name, i) => ({ name: i === 4 ? `${name}!` : name, changes: [{ on: "capacity", plant: plantId, resource: resourceId, scale: 1 - i / 20 }] })),
    );
    const bytes = await comparisonWorkbook(scenario, comparison);
    const sheets = sheetNames(bytes);
    const variants = comparison.variants.map((_, v) => variantSheetName(comparison, v));
    expect(sheets).toEqual(expect.arrayContaining(variants));
    for (const name of variants) {
      expect(name.length).toBeGreaterThan(0);
      expect(name.length).toBeLessThanOrEqual(31);
      expect(name).not.toMatch(/[:\\/?*[\]]|^'|'$/);
    }
    expect(new Set(sheets.map((name) => name.toLowerCase())).size).toBe(sheets.length);
  });
});

describe("no field of a CSV jointplan writes runs in a spreadsheet", () => {
  it("csvField: a text starting like a formula gets a single quote first; numbers stay numbers", () => {
    expect(formulaLike.map((text) => csvField(text))).toEqual(["'=cmd|' /C calc'!A0", "'+1", "'-5", "'@SUM(A1)", "'\tlead", '"\'\rcr"']);
    expect(csvField("=1,2")).toBe('"\'=1,2"');
    expect(csvField(-5)).toBe("-5");
    expect(csvField(0.1)).toBe("0.1");
    expect(csvField(true)).toBe("true");
    expect(csvField("plain, with a comma")).toBe('"plain, with a comma"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe("");
  });

  it("jointplan sweep --csv: a bound named by a formula-like id is neutralised, the numbers are not", async () => {
    const swept = await sweep(scenario, { parameter: { on: "target", id: targetId, field: "min" }, values: [10, 90] });
    const csv = sweepCsv(swept, 1);
    const lines = csv.trimEnd().split("\n");
    expect(lines[0]).toBe("value,status,objective,slope,binding");
    expect(lines[1]).toMatch(/^10,optimal,\d/);
    for (const line of lines.slice(1)) expect(line.split(",").at(-1)).not.toMatch(/^[=+\-@\t\r]/);
    expect(csv).toContain(",'\tlead at =cmd|' /C calc'!A0"); // the capacity that binds, by resource and plant
  });
});
