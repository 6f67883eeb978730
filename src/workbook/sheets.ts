import ExcelJS from "exceljs";
import { columnLetters } from "./cells.js";
import { startsLikeFormula, toXstring } from "./text.js";

/**
 * How jointplan writes any sheet: a bold frozen header, a filter on it,
 * columns as wide as what they hold, numbers as numbers in the format given,
 * and every text as text — never a formula: a text that starts like one is
 * also formatted as text (`@`), so that editing the cell keeps it text.
 */

/** A cell as jointplan writes it: null or undefined leave it empty; a number may carry its own format, overriding its column's. */
export type CellContent = string | number | boolean | null | undefined | { readonly value: number; readonly format: NumberFormatName };

export const numberFormats = {
  money: "#,##0.00",
  wholeMoney: "#,##0",
  units: "#,##0.##",
  share: "0.0%",
  factor: "0.0000",
  general: "General",
} as const;

export type NumberFormatName = keyof typeof numberFormats;

const BOOLEAN_FORMAT = '"TRUE";"TRUE";"FALSE"';

const WIDEST = 60;
const NARROWEST = 6;

export function newWorkbook(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "jointplan";
  // Fixed, so that the same scenario or plan gives the same file.
  workbook.created = new Date(Date.UTC(2020, 0, 1));
  workbook.modified = workbook.created;
  return workbook;
}

/** Puts a value in a cell: a text as text (escaped as a workbook stores it), a number as a number. */
export function writeCell(cell: ExcelJS.Cell, content: CellContent, columnFormat?: NumberFormatName): void {
  if (content === null || content === undefined) return;
  const value = typeof content === "object" ? content.value : content;
  const format = typeof content === "object" ? content.format : columnFormat;
  if (typeof value === "string") {
    cell.value = toXstring(value);
    if (startsLikeFormula(value)) cell.numFmt = "@";
    return;
  }
  cell.value = value;
  // A boolean shows as TRUE or FALSE everywhere (LibreOffice shows 1 or 0 without a format saying so).
  if (typeof value === "boolean") cell.numFmt = BOOLEAN_FORMAT;
  else if (format !== undefined && format !== "general") cell.numFmt = numberFormats[format];
}

/** Header rows in bold on a grey band, frozen with the first `frozenColumns` columns, a filter on the last header row. */
export function styleHeader(sheet: ExcelJS.Worksheet, headerRows: number, columnCount: number, frozenColumns = 0, filter = true): void {
  for (let r = 1; r <= headerRows; r++) {
    const row = sheet.getRow(r);
    for (let c = 1; c <= columnCount; c++) {
      const cell = row.getCell(c);
      cell.font = { bold: true };
      cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8ECF0" } };
      cell.border = r === headerRows ? { bottom: { style: "thin", color: { argb: "FF8899AA" } } } : {};
    }
  }
  sheet.views = [{ state: "frozen", ySplit: headerRows, xSplit: frozenColumns, topLeftCell: `${columnLetters(frozenColumns + 1)}${headerRows + 1}` }];
  if (filter && columnCount > 0) sheet.autoFilter = { from: { row: headerRows, column: 1 }, to: { row: headerRows, column: columnCount } };
}

/** Each column as wide as its widest shown value, within bounds. */
export function fitColumns(sheet: ExcelJS.Worksheet): void {
  const widths = new Map<number, number>();
  sheet.eachRow((row) => {
    row.eachCell((cell, c) => {
      widths.set(c, Math.max(widths.get(c) ?? 0, shownLength(cell)));
    });
  });
  for (const [c, width] of widths) sheet.getColumn(c).width = Math.min(WIDEST, Math.max(NARROWEST, width + 2));
}

function shownLength(cell: ExcelJS.Cell): number {
  const { value } = cell;
  if (typeof value === "number") {
    if (cell.numFmt === numberFormats.share) return 7;
    const digits = Math.abs(value) >= 1 ? Math.floor(Math.log10(Math.abs(value))) + 1 : 1;
    return digits + Math.floor((digits - 1) / 3) + 3; // separators and two decimals
  }
  if (typeof value === "boolean") return 5;
  const text = typeof value === "string" ? value : "";
  return Math.max(...text.split("\n").map((line) => line.length)) + 1; // a bold header is a little wider
}

/**
 * A sheet of one table: a header row, the rows, formatted numbers, the header
 * frozen and filtered, columns fitted. `formats` gives each column's number
 * format (by position).
 */
export function addTableSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  headers: readonly string[],
  rows: readonly (readonly CellContent[])[],
  formats: readonly (NumberFormatName | undefined)[] = [],
  frozenColumns = 0,
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name);
  headers.forEach((header, c) => writeCell(sheet.getCell(1, c + 1), header));
  rows.forEach((row, r) => row.forEach((value, c) => writeCell(sheet.getCell(r + 2, c + 1), value, formats[c])));
  styleHeader(sheet, 1, headers.length, frozenColumns);
  fitColumns(sheet);
  return sheet;
}

/** A sheet of lines of text (an explanation), one per row, under a header. */
export function addTextSheet(workbook: ExcelJS.Workbook, name: string, header: string, lines: readonly string[]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name);
  writeCell(sheet.getCell(1, 1), header);
  lines.forEach((line, r) => {
    writeCell(sheet.getCell(r + 2, 1), line);
    sheet.getCell(r + 2, 1).alignment = { wrapText: true, vertical: "top" };
  });
  styleHeader(sheet, 1, 1);
  sheet.getColumn(1).width = 120;
  return sheet;
}

/** The workbook's file. */
export async function workbookBytes(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer);
}

/** exceljs keeps a sheet's data validations (drop-downs) in `dataValidations`, which its typings leave out. */
interface SheetWithValidations {
  readonly dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
}

/** A drop-down (or another validation) on a range of a sheet. */
export function addValidation(sheet: ExcelJS.Worksheet, range: string, validation: ExcelJS.DataValidation): void {
  (sheet as unknown as SheetWithValidations).dataValidations.add(range, validation);
}
