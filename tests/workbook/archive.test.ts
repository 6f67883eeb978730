import { beforeAll, describe, expect, it } from "vitest";
import { loadBundledScenario, parseScenario } from "../../src/index.js";
import { defaultWorkbookLimits, inspectWorkbookArchive, isWorkbookError, type WorkbookFault, type WorkbookLimits } from "../../src/workbook/archive.js";
import { readScenarioWorkbook } from "../../src/workbook/readScenario.js";
import { scenarioWorkbook } from "../../src/workbook/writeScenario.js";
import { withPart, writeZip } from "../support/workbooks.js";

/** Files that are no workbook to read, each refused as a whole before a cell is read, with why. */
let workbook: Uint8Array;
beforeAll(async () => {
  workbook = await scenarioWorkbook(parseScenario(loadBundledScenario("kz-uz-2020")));
});

async function refusal(bytes: Uint8Array, limits: WorkbookLimits = defaultWorkbookLimits): Promise<{ fault: WorkbookFault; message: string }> {
  try {
    await readScenarioWorkbook(bytes, limits);
  } catch (error) {
    if (isWorkbookError(error)) return { fault: error.fault, message: error.message };
    throw error;
  }
  throw new Error("expected the file to be refused");
}

/** A sheet of `rows` empty rows (rows without a number follow each other, as spreadsheets allow). */
function sheetOfRows(rows: number): Buffer {
  const head = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
  return Buffer.from(`${head}${"<row/>".repeat(rows)}</sheetData></worksheet>`);
}

describe("files that are not workbooks, refused before they are expanded", () => {
  it("not a zip: a JSON document, a text", async () => {
    expect(await refusal(Buffer.from('{"format":"jointplan/v1"}'))).toEqual({
      fault: "not_zip",
      message: "not an Excel workbook: an .xlsx file is a zip archive, and this file is not one",
    });
    expect((await refusal(Buffer.alloc(0))).fault).toBe("not_zip");
  });

  it("an .xls file (or a password-protected workbook): says to save it as .xlsx", async () => {
    const compound = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    expect((await refusal(compound)).message).toMatch(/\.xls file .* save it as an Excel workbook \(\.xlsx\)/);
  });

  it("a zip that is not a workbook, an OpenDocument spreadsheet, a damaged zip", async () => {
    expect(await refusal(writeZip([{ name: "notes.txt", data: Buffer.from("hello") }]))).toEqual({
      fault: "not_workbook",
      message: "not an Excel workbook: a zip archive without the parts of one (no xl/workbook.xml)",
    });
    const ods = writeZip([{ name: "mimetype", data: Buffer.from("application/vnd.oasis.opendocument.spreadsheet") }]);
    expect((await refusal(ods)).message).toMatch(/OpenDocument spreadsheet: save it as \.xlsx/);
    const damaged = Buffer.from(workbook.subarray(0, Math.floor(workbook.length / 2)));
    expect((await refusal(damaged)).fault).toBe("not_zip");
  });

  it("the parts of a workbook holding no workbook (broken XML): not a readable workbook", async () => {
    const broken = await withPart(workbook, "xl/workbook.xml", Buffer.from("<workbook><sheets><sheet name="));
    expect(await refusal(broken)).toMatchObject({ fault: "not_workbook", message: expect.stringMatching(/^not a readable Excel workbook/) as unknown });
  });

  it("a zip bomb: a part that expands to 64 MiB of zeros, refused by what it expands to", async () => {
    const bomb = await withPart(workbook, "xl/worksheets/sheet3.xml", Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(200_000); // a thousandth of what it expands to
    const limits = { ...defaultWorkbookLimits, expandedBytes: 16 * 1024 * 1024 };
    expect(await refusal(bomb, limits)).toEqual({
      fault: "too_large",
      message: `the workbook expands to more than ${limits.expandedBytes} bytes, the most a scenario workbook may (a zip bomb?)`,
    });
  });

  it("a zip bomb whose directory lies about the size: refused while inflating, never expanded in full", async () => {
    const liar = await withPart(workbook, "xl/worksheets/sheet3.xml", Buffer.alloc(64 * 1024 * 1024), 1_000);
    const refused = await refusal(liar, { ...defaultWorkbookLimits, expandedBytes: 16 * 1024 * 1024 });
    expect(["too_large", "not_zip"]).toContain(refused.fault);
    expect(refused.message).toMatch(/expands to more than|too many bytes/);
  });

  it("a sheet of a million rows: refused by its row count", async () => {
    const rows = await withPart(workbook, "xl/worksheets/sheet3.xml", sheetOfRows(1_000_000));
    expect(await refusal(rows)).toEqual({
      fault: "too_many_rows",
      message: `a sheet (xl/worksheets/sheet3.xml) has more than ${defaultWorkbookLimits.rows} rows, the most a scenario workbook may have`,
    });
  });

  it("too large a file, too many parts", async () => {
    expect((await refusal(workbook, { ...defaultWorkbookLimits, bytes: 1_000 })).fault).toBe("too_large");
    const many = writeZip(Array.from({ length: 2_100 }, (_, i) => ({ name: `part${i}.xml`, data: Buffer.from("<a/>") })));
    expect((await refusal(many)).message).toMatch(/^the archive has 2100 parts/);
  });

  it("counts rows split across the chunks of a stream once each", async () => {
    // 99,999 rows with long cells, so that row tags fall on chunk boundaries: under the limit, read.
    const cell = `<c t="inlineStr"><is><t>${"x".repeat(50)}</t></is></c>`;
    const head = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
    const sheet = Buffer.from(`${head}${`<row>${cell}</row>`.repeat(defaultWorkbookLimits.rows)}</sheetData></worksheet>`);
    await expect(inspectWorkbookArchive(await withPart(workbook, "xl/worksheets/sheet99.xml", sheet))).resolves.toBeUndefined();
    const over = Buffer.from(`${head}${`<row>${cell}</row>`.repeat(defaultWorkbookLimits.rows + 1)}</sheetData></worksheet>`);
    await expect(inspectWorkbookArchive(await withPart(workbook, "xl/worksheets/sheet99.xml", over))).rejects.toMatchObject({ fault: "too_many_rows" });
  });
});
