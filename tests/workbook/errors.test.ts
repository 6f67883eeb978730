import type ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadBundledScenario, parseScenario, type ValidationIssue } from "../../src/index.js";
import { validateScenarioWorkbook } from "../../src/workbook/readScenario.js";
import { scenarioWorkbook } from "../../src/workbook/writeScenario.js";
import { editWorkbook } from "../support/workbooks.js";

/**
 * A workbook edited the way a planner edits one, then read: every error names
 * its sheet and cell beside its JSON path, all of them at once. Rows count
 * from the two header rows of a table (the first record is row 3).
 */
let kzUz2020: Uint8Array;
let multiPeriod: Uint8Array;
beforeAll(async () => {
  kzUz2020 = await scenarioWorkbook(parseScenario(loadBundledScenario("kz-uz-2020")));
  multiPeriod = await scenarioWorkbook(parseScenario(loadBundledScenario("kz-uz-2019-2025")));
});

async function issuesAfter(edit: (workbook: ExcelJS.Workbook) => void, bytes = kzUz2020): Promise<ValidationIssue[]> {
  const read = await validateScenarioWorkbook(await editWorkbook(bytes, edit));
  if (read.ok) throw new Error("expected the edited workbook to be refused");
  return [...read.issues];
}

const sheet = (workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet => {
  const found = workbook.getWorksheet(name);
  if (found === undefined) throw new Error(`no sheet ${name}`);
  return found;
};

/** The 1-based column of a header in row 1 (the first one, or the one over `period` in row 2). */
function columnOf(worksheet: ExcelJS.Worksheet, header: string, period?: string): number {
  for (let c = 1; c <= worksheet.columnCount; c++) {
    const below = worksheet.getCell(2, c).value;
    if (worksheet.getCell(1, c).value === header && (period === undefined ? true : below === period)) return c;
  }
  throw new Error(`no column ${header}`);
}

describe("errors name the sheet and the cell, beside the JSON path", () => {
  it("a route naming an unknown plant: Routes!A7", async () => {
    const issues = await issuesAfter((workbook) => {
      sheet(workbook, "Routes").getCell("A7").value = "nowhere";
      // The route's Uses rows move with it, as a planner renaming the route would.
      sheet(workbook, "Uses").eachRow((row, r) => {
        if (r > 2 && row.getCell(1).value === "andijan" && row.getCell(2).value === sheet(workbook, "Routes").getCell("B7").value)
          row.getCell(1).value = "nowhere";
      });
    });
    expect(issues.map(({ cell, path }) => ({ cell, path })).filter((issue) => issue.cell === "Routes!A7")).toEqual([
      { cell: "Routes!A7", path: "routes[4].plant" },
    ]);
    expect(issues.find((issue) => issue.cell === "Routes!A7")?.message).toBe('unknown plant "nowhere"');
  });

  it("investments: a negative cost, a resource the plant lacks, a window the wrong way round, each at its cell", async () => {
    const cluster = await scenarioWorkbook(parseScenario(loadBundledScenario("kz-uz-cluster-2020-2030")));
    const issues = await issuesAfter((workbook) => {
      const investments = sheet(workbook, "Investments");
      investments.getCell(3, columnOf(investments, "fixed_cost")).value = -5;
      investments.getCell(4, columnOf(investments, "earliest")).value = "2030";
      investments.getCell(4, columnOf(investments, "latest")).value = "2021";
      const adds = sheet(workbook, "Investment adds");
      adds.getCell(3, columnOf(adds, "resource")).value = "moon_hours";
    }, cluster);
    const at = (cell: string): string[] => issues.filter((issue) => issue.cell === cell).map(({ path, message }) => `${path}: ${message}`);
    expect(at("Investments!D3")).toEqual([expect.stringMatching(/^investments\[0\]\.fixed_cost: /)]);
    expect(at("'Investment adds'!C3").join("\n")).toMatch(/^investments\[0\]\.adds\.moon_hours: .*moon_hours/);
    expect(issues.some((issue) => issue.path.startsWith("investments[1].") && issue.cell?.startsWith("Investments!") && /2030|2021/.test(issue.message))).toBe(
      true,
    );
  });

  it("every kind of error at once, each at its cell", async () => {
    const issues = await issuesAfter((workbook) => {
      const routes = sheet(workbook, "Routes");
      routes.getCell(3, columnOf(routes, "unit_cost")).value = "cheap"; // a text for a number
      routes.getCell(4, columnOf(routes, "min")).value = { formula: "1+1" }; // a formula with no saved value
      routes.getCell(5, columnOf(routes, "max")).value = 10; // one value for every period …
      routes.getCell(5, columnOf(routes, "max", "2020")).value = 20; // … and one for 2020
      routes.getCell(6, columnOf(routes, "min")).value = { formula: "2*2", result: 4 }; // a formula's saved value is read
      routes.getCell(6, columnOf(routes, "max")).value = 3; // … so min 4 > max 3
      const demand = sheet(workbook, "Demand");
      demand.getCell(3, columnOf(demand, "price")).value = -5; // negative, the same in every period
      demand.getCell(3, columnOf(demand, "price", "2020")).value = null;
      demand.getCell(3, columnOf(demand, "price", "*")).value = null;
      sheet(workbook, "Uses").getCell("C3").value = "paint"; // a resource the plant does not have
      sheet(workbook, "Markets").getCell(3, columnOf(sheet(workbook, "Markets"), "export")).value = "maybe";
      const targets = sheet(workbook, "Targets");
      targets.getCell(3, columnOf(targets, "families")).value = '["car"'; // a broken JSON list
      sheet(workbook, "BOM").getCell("A3").value = "no_such_product"; // a row of a product that is not there
    });
    const at = (cell: string) => issues.filter((issue) => issue.cell === cell).map(({ path, message }) => ({ path, message }));
    expect(at("Routes!C3")).toEqual([{ path: "routes[0].unit_cost", message: 'unit_cost: expected a number, found the text "cheap"' }]);
    expect(at("Routes!D4")[0]?.message).toMatch(/^min: expected a number, found a formula with no saved value/);
    expect(issues.find((issue) => issue.path === "routes[2].max")?.cell).toBe("Routes!G5:I5");
    expect(issues.find((issue) => issue.path === "routes[3].min")).toEqual({
      path: "routes[3].min",
      cell: "Routes!D6",
      message: 'min (4) is greater than max (3) in period "2020"',
    });
    expect(at("Demand!C3")).toEqual([{ path: "demand[0].price", message: "must not be negative" }]);
    expect(at("Uses!D3")).toEqual([{ path: "routes[0].uses.paint", message: 'plant "andijan" has no resource "paint"' }]);
    expect(at("Markets!C3")).toEqual([{ path: "markets[0].export", message: 'export: expected TRUE or FALSE, found the text "maybe"' }]);
    expect(issues.find((issue) => issue.path === "targets[0].families")?.cell).toBe("Targets!I3");
    expect(at("BOM!A3")[0]?.message).toBe('no row of Products has product "no_such_product"');
  });

  it("a formula's saved value is read even when it is FALSE or 0 (LibreOffice saves every FALSE as the formula FALSE())", async () => {
    const edited = await editWorkbook(kzUz2020, (workbook) => {
      const markets = sheet(workbook, "Markets");
      markets.getCell(3, columnOf(markets, "export")).value = { formula: "FALSE()", result: false };
      markets.getCell(4, columnOf(markets, "export")).value = { formula: "TRUE()", result: true };
      const routes = sheet(workbook, "Routes");
      routes.getCell(3, columnOf(routes, "unit_cost")).value = { formula: "1-1", result: 0 };
    });
    const read = await validateScenarioWorkbook(edited);
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    expect(read.scenario.markets.map((market) => market.export)).toEqual([false, true]);
    expect(read.scenario.routes[0]?.unit_cost).toBe(0);
  });

  it("a value missing for a period, with no * default: the field's columns in that row", async () => {
    const issues = await issuesAfter((workbook) => {
      const resources = sheet(workbook, "Resources");
      resources.getCell(3, columnOf(resources, "capacity", "2019")).value = null;
      resources.getCell(3, columnOf(resources, "capacity", "*")).value = null;
    }, multiPeriod);
    const issue = issues.find((candidate) => candidate.message.startsWith("no value for period"));
    expect(issue?.cell).toMatch(/^Resources!C3:[A-Z]+3$/);
    expect(issue?.path).toMatch(/^plants\[0\]\.resources\./);
  });

  it("sheets and columns: a missing required sheet, an unknown sheet, an unknown column, a missing column", async () => {
    const issues = await issuesAfter((workbook) => {
      workbook.removeWorksheet(sheet(workbook, "Markets").id);
      workbook.addWorksheet("Notes").getCell("A1").value = "my notes";
      sheet(workbook, "Plants").getCell("E1").value = "comment";
      sheet(workbook, "Plants").getCell("E3").value = "the old plant";
      sheet(workbook, "Routes").getCell("B1").value = "produce";
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: "markets", cell: "Markets", message: 'missing sheet "Markets": a scenario workbook needs one' },
        expect.objectContaining({ path: "", cell: "Notes", message: expect.stringMatching(/^unknown sheet/) as unknown }),
        expect.objectContaining({
          cell: "Plants!E1",
          message: expect.stringMatching(/^unknown column "comment"; the columns of Plants are id, name, country/) as unknown,
        }),
        expect.objectContaining({ cell: "Plants!E3", message: "a value in a column without a known header" }),
        expect.objectContaining({ cell: "Routes!1:1", message: expect.stringMatching(/^missing column "product"/) as unknown }),
      ]),
    );
  });

  it("merged cells in a table are refused with their range", async () => {
    const issues = await issuesAfter((workbook) => sheet(workbook, "Demand").mergeCells("A3:A4"));
    expect(issues).toContainEqual({ path: "", cell: "Demand!A3:A4", message: "merged cells: a table needs one value in each cell; unmerge them" });
  });

  it("a part with no source row: its row on Parts; a duplicate map row: the second row", async () => {
    const issues = await issuesAfter((workbook) => {
      const sources = sheet(workbook, "Part sources");
      const first = sources.getCell("A3").value;
      sources.eachRow((row, r) => {
        if (r > 2 && row.getCell(1).value === first) row.values = [];
      });
      const uses = sheet(workbook, "Uses");
      uses.getRow(uses.rowCount + 1).values = uses.getRow(3).values;
    });
    expect(issues).toContainEqual({ path: "parts[0].sources", cell: "Parts!A3:C3", message: "a part needs at least one source" });
    expect(issues.find((issue) => issue.message.includes("is given twice"))?.message).toMatch(
      /^resource "[a-z_]+" is given twice for this route \(also on row 3\)$/,
    );
  });
});
