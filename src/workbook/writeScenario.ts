import type ExcelJS from "exceljs";
import { ANY_PERIOD } from "../scenario/periods.js";
import { own, ownKeys } from "../scenario/records.js";
import type { PeriodNumber, Scenario } from "../scenario/schema.js";
import { columnLetters, sheetReference } from "./cells.js";
import {
  INSTRUCTIONS_SHEET,
  scenarioLayout,
  TABLE_HEADER_ROWS,
  tableColumns,
  type ColumnLayout,
  type DropDown,
  type FieldsSheet,
  type ListSheet,
  type SheetLayout,
  type TableLayout,
} from "./layout.js";
import { formatList } from "./lists.js";
import { addValidation, fitColumns, newWorkbook, styleHeader, workbookBytes, writeCell, type NumberFormatName } from "./sheets.js";

/** Rows of room below the data that a drop-down still covers, for records a planner adds. */
const DROP_DOWN_ROOM = 200;
/** The most characters a spreadsheet cell holds. */
const CELL_TEXT_LIMIT = 32_767;

/**
 * A parsed scenario as a workbook (docs/spreadsheets.md), following
 * `layout.ts`: the first sheet says how to fill in the others. Reading it back
 * (`readScenario.ts`) gives the same scenario.
 */
export async function scenarioWorkbook(scenario: Scenario): Promise<Uint8Array> {
  const workbook = newWorkbook();
  workbook.title = scenario.title;
  writeInstructions(workbook.addWorksheet(INSTRUCTIONS_SHEET), scenario);
  const writer = new ScenarioWriter(scenario);
  const sheets = new Map<string, { sheet: ExcelJS.Worksheet; layout: SheetLayout; rows: number }>();
  for (const layout of scenarioLayout) {
    if (layout.kind === "strings" && own(scenario as unknown as Record<string, unknown>, layout.field) === undefined) continue;
    const sheet = workbook.addWorksheet(layout.sheet);
    const rows =
      layout.kind === "fields" ? writer.fields(sheet, layout) : layout.kind === "strings" ? writer.strings(sheet, layout) : writer.table(sheet, layout);
    sheets.set(layout.sheet, { sheet, layout, rows });
  }
  for (const { sheet, layout, rows } of sheets.values()) addDropDowns(sheet, layout, rows, sheets);
  return workbookBytes(workbook);
}

/** A record written as a row, and its identity for the tables that belong to it. */
interface WrittenRecord {
  readonly identity: readonly string[];
  readonly value: unknown;
}

class ScenarioWriter {
  private readonly periodColumns: readonly string[];
  private readonly written = new Map<string, WrittenRecord[]>();

  constructor(private readonly scenario: Scenario) {
    this.periodColumns = [...scenario.periods, ANY_PERIOD];
  }

  fields(sheet: ExcelJS.Worksheet, layout: FieldsSheet): number {
    writeCell(sheet.getCell(1, 1), "field");
    writeCell(sheet.getCell(1, 2), "value");
    let r = 1;
    for (const field of layout.fields) {
      const value = fieldOf(this.scenario, field.field);
      if (value === undefined) continue;
      r++;
      writeCell(sheet.getCell(r, 1), field.header);
      this.writeScalar(sheet.getCell(r, 2), field, value, [field.header]);
    }
    styleHeader(sheet, 1, 2, 1);
    fitColumns(sheet);
    return r - 1;
  }

  strings(sheet: ExcelJS.Worksheet, layout: ListSheet): number {
    writeCell(sheet.getCell(1, 1), layout.column.header);
    sheet.getColumn(1).numFmt = "@";
    const items = (fieldOf(this.scenario, [layout.field]) ?? []) as readonly string[];
    items.forEach((item, i) => this.writeScalar(sheet.getCell(i + 2, 1), layout.column, item, [layout.field, i]));
    styleHeader(sheet, 1, 1);
    fitColumns(sheet);
    return items.length;
  }

  table(sheet: ExcelJS.Worksheet, table: TableLayout): number {
    const columns = tableColumns(table);
    // Each layout column's sheet columns: one, or for a per-period field the one-value column, a column per period and "*".
    const placed: { column: ColumnLayout; period: string | undefined }[] = columns.flatMap((column) =>
      column.kind === "periodNumber" ? [undefined, ...this.periodColumns].map((period) => ({ column, period })) : [{ column, period: undefined }],
    );
    placed.forEach(({ column, period }, c) => {
      writeCell(sheet.getCell(1, c + 1), column.header);
      if (period !== undefined) writeCell(sheet.getCell(2, c + 1), period);
      if (column.kind === "id" || column.kind === "text" || column.kind === "list" || column.kind === "choice") sheet.getColumn(c + 1).numFmt = "@";
    });
    const rows = this.rowsOf(table);
    rows.forEach((cells, r) => {
      placed.forEach(({ column, period }, c) => {
        const value = cells.get(column);
        const cell = sheet.getCell(TABLE_HEADER_ROWS + 1 + r, c + 1);
        if (column.kind !== "periodNumber") {
          if (value !== undefined) this.writeScalar(cell, column, value, [table.sheet, r, column.header]);
          return;
        }
        const periodValue = periodCell(value as PeriodNumber | undefined, period);
        if (periodValue !== undefined) writeCell(cell, periodValue, formatOf(column));
      });
    });
    const frozen = table.kind === "map" ? table.owner.columns.length + 1 : (table.owner?.columns.length ?? 0) + 1;
    styleHeader(sheet, TABLE_HEADER_ROWS, placed.length, frozen);
    fitColumns(sheet);
    return rows.length;
  }

  /** The rows of a table, each as the value of every layout column; records remembered for the tables that belong to them. */
  private rowsOf(table: TableLayout): Map<ColumnLayout, unknown>[] {
    const owners: readonly WrittenRecord[] = table.owner === undefined ? [{ identity: [], value: this.scenario }] : (this.written.get(table.owner.sheet) ?? []);
    const ownerColumns = table.owner?.columns ?? [];
    const rows: Map<ColumnLayout, unknown>[] = [];
    const records: WrittenRecord[] = [];
    for (const owner of owners) {
      const ownerCells = (row: Map<ColumnLayout, unknown>) => ownerColumns.forEach((column, i) => row.set(column, owner.identity[i]));
      if (table.kind === "records") {
        const items = (fieldOf(owner.value, [table.array]) ?? []) as readonly unknown[];
        for (const item of items) {
          const row = new Map<ColumnLayout, unknown>();
          ownerCells(row);
          for (const column of table.columns) row.set(column, fieldOf(item, column.field));
          rows.push(row);
          const identity = tableColumns(table)
            .filter((column) => table.identity.includes(column.header))
            .map((column) => String(row.get(column)));
          records.push({ identity, value: item });
        }
        continue;
      }
      const map = fieldOf(owner.value, table.map) as Readonly<Record<string, unknown>> | undefined;
      if (map === undefined) continue;
      const keys = ownKeys(map);
      if (keys.length === 0 && table.optional) {
        // The map is there and empty: a row with the owner alone says so.
        const row = new Map<ColumnLayout, unknown>();
        ownerCells(row);
        rows.push(row);
      }
      for (const key of keys) {
        const row = new Map<ColumnLayout, unknown>();
        ownerCells(row);
        row.set(table.key, key);
        const entry = own(map, key);
        for (const column of table.columns) row.set(column, table.entry === "value" ? entry : fieldOf(entry, column.field));
        rows.push(row);
      }
    }
    if (table.kind === "records") this.written.set(table.sheet, records);
    return rows;
  }

  private writeScalar(cell: ExcelJS.Cell, column: ColumnLayout, value: unknown, where: readonly (string | number)[]): void {
    switch (column.kind) {
      case "id":
      case "text":
      case "choice":
        writeCell(cell, checkedText(String(value), where));
        return;
      case "list":
        writeCell(cell, checkedText(formatList(value as readonly string[]), where));
        return;
      case "boolean":
        writeCell(cell, value === true);
        return;
      case "presence":
        if (value !== undefined) writeCell(cell, true);
        return;
      case "number":
      case "periodNumber":
        writeCell(cell, value as number, formatOf(column));
        return;
    }
  }
}

/** A per-period field's value in one of its columns: the one value in the column with no period, else the map's entry. */
function periodCell(value: PeriodNumber | undefined, period: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return period === undefined ? value : undefined;
  return period === undefined ? undefined : own(value, period);
}

function formatOf(column: ColumnLayout): NumberFormatName | undefined {
  return column.format === "money" ? "money" : undefined;
}

function checkedText(text: string, where: readonly (string | number)[]): string {
  if (text.length > CELL_TEXT_LIMIT) {
    throw new RangeError(`${where.join(" ")}: ${text.length} characters do not fit in a spreadsheet cell (at most ${CELL_TEXT_LIMIT})`);
  }
  return text;
}

/** A field of a record by path, own properties only. */
function fieldOf(record: unknown, field: readonly string[]): unknown {
  let value: unknown = record;
  for (const key of field) {
    if (typeof value !== "object" || value === null || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Drop-downs on the columns that name records of another sheet (or one of a few words), covering room for rows to come. */
function addDropDowns(
  sheet: ExcelJS.Worksheet,
  layout: SheetLayout,
  rows: number,
  sheets: ReadonlyMap<string, { sheet: ExcelJS.Worksheet; layout: SheetLayout; rows: number }>,
): void {
  if (layout.kind === "strings") return;
  const lastRow = (first: number, count: number) => first + count + DROP_DOWN_ROOM - 1;
  const listFormula = (dropDown: DropDown): string | undefined => {
    if ("options" in dropDown) return `"${dropDown.options.join(",")}"`;
    const target = sheets.get(dropDown.sheet);
    if (target === undefined) return undefined;
    const column = headerColumn(target.sheet, dropDown.header);
    if (column === undefined) return undefined;
    const first = target.layout.kind === "strings" ? 2 : TABLE_HEADER_ROWS + 1;
    const letters = columnLetters(column);
    return `${sheetReference(dropDown.sheet)}!$${letters}$${first}:$${letters}$${lastRow(first, target.rows)}`;
  };
  const validation = (formula: string): ExcelJS.DataValidation => ({
    type: "list",
    allowBlank: true,
    formulae: [formula],
    showErrorMessage: true,
    errorStyle: "warning",
    errorTitle: "Not in the list",
    error: "This is not one of the ids listed. Keep it only if you add it there too.",
  });
  if (layout.kind === "fields") {
    layout.fields.forEach((field) => {
      if (field.dropDown === undefined) return;
      const formula = listFormula(field.dropDown);
      const row = findRow(sheet, field.header);
      if (formula !== undefined && row !== undefined) addValidation(sheet, `B${row}`, validation(formula));
    });
    return;
  }
  const first = TABLE_HEADER_ROWS + 1;
  sheet.getRow(1).eachCell((cell, c) => {
    const column = tableColumns(layout).find((candidate) => candidate.header === cell.value);
    if (column?.dropDown === undefined) return;
    const formula = listFormula(column.dropDown);
    const letters = columnLetters(c);
    if (formula !== undefined) addValidation(sheet, `${letters}${first}:${letters}${lastRow(first, rows)}`, validation(formula));
  });
}

function headerColumn(sheet: ExcelJS.Worksheet, header: string): number | undefined {
  let found: number | undefined;
  sheet.getRow(1).eachCell((cell, c) => {
    if (found === undefined && cell.value === header) found = c;
  });
  return found;
}

function findRow(sheet: ExcelJS.Worksheet, field: string): number | undefined {
  let found: number | undefined;
  sheet.eachRow((row, r) => {
    if (found === undefined && r > 1 && row.getCell(1).value === field) found = r;
  });
  return found;
}

/** The first sheet: what the workbook is and how each sheet and column is filled in, from the layout. */
function writeInstructions(sheet: ExcelJS.Worksheet, scenario: Scenario): void {
  const lines: [string, string, string][] = [
    ["sheet", "column", "what it holds"],
    ["", "", `A jointplan/v1 scenario (${scenario.id}): one sheet per kind of record, one row per record, one column per field.`],
    ["", "", "Row 1 names each column. In a table, row 2 names the period of a column that can change from period to period: such a field has"],
    [
      "",
      "",
      `a column with no period (one value for every period), a column per period, and one for * (every period not listed). Fill in either the first or the others.`,
    ],
    ["", "", 'An empty cell is a field left out (its default). Lists in one cell read a, b, c — or a JSON array ["a, b", "c"] when an item holds a comma.'],
    [
      "",
      "",
      "Ids are texts; columns that name records of another sheet offer them as a drop-down. Formulas are read as the value they last showed, never computed.",
    ],
    ["", "", "Check it with: jointplan validate <file>.xlsx — every error names its sheet and cell. This sheet is not read."],
  ];
  for (const layout of scenarioLayout) {
    lines.push([layout.sheet, "", `${layout.about}${"required" in layout && layout.required ? " (required)" : ""}`]);
    const columns = layout.kind === "fields" ? layout.fields : layout.kind === "strings" ? [layout.column] : tableColumns(layout);
    for (const column of columns) lines.push(["", column.header, column.about]);
  }
  lines.forEach((line, r) => line.forEach((value, c) => writeCell(sheet.getCell(r + 1, c + 1), value)));
  styleHeader(sheet, 1, 3, 0, false);
  fitColumns(sheet);
}
