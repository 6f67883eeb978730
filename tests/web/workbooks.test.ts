import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatMoney } from "../../src/explain/words.js";
import { loadBundledScenario, parseScenario, plan } from "../../src/index.js";
import { scenarioWorkbook } from "../../src/workbook/writeScenario.js";
import { editWorkbook, sheetRows } from "../support/workbooks.js";
import { besidesRefusal, browserSkip, count, pageSuite, shown } from "./pageSession.js";

/** The planner's page with workbooks, in Chromium: a workbook loaded as a JSON file is, and the plan downloaded as a workbook. */
const unavailable = browserSkip("tests/web/workbooks.test.ts");
const WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

describe.skipIf(unavailable !== null)(`the planner's page with workbooks in Chromium${unavailable === null ? "" : ` — NOT RUN: ${unavailable}`}`, () => {
  const { open } = pageSuite();

  it("loads a scenario workbook through the file input and plans it; a bad cell is named next to the input", async () => {
    const { page, trouble } = await open("/");
    const scenario = parseScenario(loadBundledScenario("kz-uz-2020"));
    const edited = await editWorkbook(await scenarioWorkbook(scenario), (workbook) => {
      const fields = workbook.getWorksheet("Scenario");
      fields?.eachRow((row) => {
        if (row.getCell(1).value === "title") row.getCell(2).value = "From a workbook: a 6,500-unit goal";
      });
      const targets = workbook.getWorksheet("Targets");
      targets?.eachRow((row, r) => {
        if (r > 2 && row.getCell(1).value === "joint_goal") row.getCell(3).value = 6500;
      });
    });
    const document = JSON.parse(JSON.stringify(scenario)) as { title: string; targets: { id: string; min?: unknown }[] };
    document.title = "From a workbook: a 6,500-unit goal";
    const goal = document.targets.find((target) => target.id === "joint_goal");
    if (goal !== undefined) goal.min = 6500;
    const expected = plan(document, { explain: true });

    let seen = await count(page);
    await page.setInputFiles("#scenario-file", { name: "my-plan.xlsx", mimeType: WORKBOOK, buffer: Buffer.from(edited) });
    seen = await shown(page, seen);
    expect(new URL(page.url()).search).toBe("?file=my-plan.xlsx");
    expect(await page.textContent("h1")).toBe("From a workbook: a 6,500-unit goal");
    expect(await page.textContent("#figure-objective .value")).toBe(`${formatMoney(expected.objective ?? Number.NaN)} USD`);
    expect(await page.textContent("#figure-units .detail")).toContain("6,500 units");
    expect(trouble).toEqual({ console: [], failed: [] });

    const bad = await editWorkbook(edited, (workbook) => {
      const routes = workbook.getWorksheet("Routes");
      if (routes !== undefined) routes.getCell("A7").value = "nowhere";
    });
    await page.setInputFiles("#scenario-file", { name: "bad.xlsx", mimeType: WORKBOOK, buffer: Buffer.from(bad) });
    await shown(page, seen);
    const errors = await page.$$eval("#scenario-file-error li", (items) => items.map((item) => item.textContent));
    expect(errors).toContain('Routes!A7: unknown plant "nowhere" (routes[4].plant)');
    expect(besidesRefusal(trouble)).toEqual({ console: [], failed: ["422 /v1/conversions"] });
    await page.close();
  });

  it("downloads the plan as an Excel workbook beside JSON and CSV: its production sheet totals 7,000", async () => {
    const { page, trouble } = await open("/");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-xlsx")]);
    expect(download.suggestedFilename()).toBe("kz-uz-2020-plan.xlsx");
    const [header = [], ...rows] = sheetRows(readFileSync(await download.path()), "Production");
    expect(rows.reduce((sum, row) => sum + Number(row[header.indexOf("units")]), 0)).toBeCloseTo(7_000, 6);
    expect(trouble).toEqual({ console: [], failed: [] });
    await page.close();
  });
});
