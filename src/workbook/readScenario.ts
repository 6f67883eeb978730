import ExcelJS from "exceljs";
import { formatPath, prefixed, validateScenario, type ValidationIssue, type ValidationResult } from "../scenario/parse.js";
import type { IssuePath } from "../scenario/references.js";
import { defaultWorkbookLimits, inspectWorkbookArchive, WorkbookError, type WorkbookLimits } from "./archive.js";
import { CellIndex, cellReference, type CellPlace } from "./cells.js";
import { describeCell, readCell, type ReadCell } from "./cellValues.js";
import {
  INSTRUCTIONS_SHEET,
  scenarioLayout,
  TABLE_HEADER_ROWS,
  tableColumns,
  type ColumnLayout,
  type FieldsSheet,
  type ListSheet,
  type MapTable,
  type RecordTable,
  type TableLayout,
} from "./layout.js";
import { parseList } from "./lists.js";
import { at } from "../util/invariant.js";

/**
 * A scenario workbook read back into a `jointplan/v1` document, following
 * `layout.ts`: every value where the layout puts it, and for each JSON path
 * the cell it came from. What only a workbook can get wrong (an unknown sheet
 * or column, a text where a number belongs, a formula with no saved value,
 * merged cells, a row naming a record that is not there) is reported here with
 * its cell; the rest is the scenario's own validation, placed at its cells.
 */
export interface WorkbookDocument {
  readonly document: Record<string, unknown>;
  readonly cells: CellIndex;
  /** What the workbook itself gets wrong, each with its cell. */
  readonly issues: readonly ValidationIssue[];
  /** Paths whose value was refused here: the scenario's validation says nothing more about them. */
  readonly blamed: readonly IssuePath[];
}

export type WorkbookValidation = (ValidationResult & { readonly cells?: CellIndex }) | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** Reads and validates a scenario workbook: the scenario, or every issue with its JSON path and cell. Throws `WorkbookError` for a file that is no workbook. */
export async function validateScenarioWorkbook(bytes: Uint8Array, limits: WorkbookLimits = defaultWorkbookLimits): Promise<WorkbookValidation> {
  const read = await readScenarioWorkbook(bytes, limits);
  const checked = validateScenario(read.document);
  if (checked.ok && read.issues.length === 0) return { ...checked, cells: read.cells };
  return { ok: false, issues: workbookIssues(read, checked.ok ? [] : checked.issues) };
}

/**
 * The workbook's own issues, then the scenario's (at their cells), leaving out
 * those at or under a path already blamed; `prefix`: the document's path in a
 * request body (`scenario`), put before every path.
 */
export function workbookIssues(read: WorkbookDocument, validation: readonly ValidationIssue[], prefix = ""): ValidationIssue[] {
  const kept = read.cells.placeIssues(validation).filter((issue) => !read.blamed.some((path) => isUnder(issue.path, path)));
  return prefix === "" ? [...read.issues, ...kept] : prefixed(prefix, [...read.issues, ...kept]);
}

function isUnder(path: string, blamed: IssuePath): boolean {
  const text = formatPath(blamed);
  return path === text || path.startsWith(`${text}.`) || path.startsWith(`${text}[`);
}

/** Reads a workbook into a scenario document without validating the scenario. Throws `WorkbookError` for a file that is no workbook. */
export async function readScenarioWorkbook(bytes: Uint8Array, limits: WorkbookLimits = defaultWorkbookLimits): Promise<WorkbookDocument> {
  await inspectWorkbookArchive(bytes, limits);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new WorkbookError("not_workbook", `not a readable Excel workbook (${error instanceof Error ? error.message : String(error)})`);
  }
  return new WorkbookReader(workbook).read();
}

/** A record read from a row: where it sits in the document, and its identity for the tables that belong to it. */
interface RecordRef {
  readonly path: IssuePath;
  readonly value: Record<string, unknown>;
  readonly place: CellPlace;
}

const known = new Set([INSTRUCTIONS_SHEET, ...scenarioLayout.map((layout) => layout.sheet)]);

class WorkbookReader {
  private readonly document: Record<string, unknown> = {};
  private readonly cells = new CellIndex();
  private readonly issues: ValidationIssue[] = [];
  private readonly blamed: IssuePath[] = [];
  /** Each record table's records by identity (the first of equal ones), and all of them in order. */
  private readonly records = new Map<string, { byIdentity: Map<string, RecordRef>; all: RecordRef[] }>();

  constructor(private readonly workbook: ExcelJS.Workbook) {}

  read(): WorkbookDocument {
    for (const sheet of this.workbook.worksheets) {
      if (!known.has(sheet.name)) {
        const names = scenarioLayout.map((layout) => layout.sheet).join(", ");
        this.report({ sheet: sheet.name }, "", `unknown sheet; a scenario workbook has the sheets ${names} (and ${INSTRUCTIONS_SHEET}, which is not read)`);
      }
    }
    for (const layout of scenarioLayout) {
      const sheet = this.workbook.getWorksheet(layout.sheet);
      if (layout.kind === "fields") {
        if (sheet !== undefined) this.readFields(sheet, layout);
        continue;
      }
      if (layout.kind === "strings") {
        if (sheet !== undefined) this.readStrings(sheet, layout);
        continue;
      }
      if (layout.kind === "records") this.records.set(layout.sheet, { byIdentity: new Map(), all: [] });
      if (sheet === undefined) {
        if (layout.required) {
          const field = layout.kind === "records" && layout.owner === undefined ? layout.array : "";
          this.report(
            { sheet: layout.sheet },
            field,
            `missing sheet ${JSON.stringify(layout.sheet)}: a scenario workbook needs one`,
            field === "" ? undefined : [field],
          );
        }
      } else if (!this.hasMergedCells(sheet)) {
        this.readTable(sheet, layout);
      }
      this.fillRequired(layout);
    }
    return { document: this.document, cells: this.cells, issues: this.issues, blamed: this.blamed };
  }

  private report(place: CellPlace, path: string, message: string, blame?: IssuePath): void {
    this.issues.push({ path, message, cell: cellReference(place) });
    if (blame !== undefined) this.blamed.push(blame);
  }

  /** A table needs one value per cell: merged cells in it are refused, each range named. */
  private hasMergedCells(sheet: ExcelJS.Worksheet): boolean {
    const merges = sheet.model.merges;
    for (const range of merges) {
      this.issues.push({
        path: "",
        message: "merged cells: a table needs one value in each cell; unmerge them",
        cell: `${cellReference({ sheet: sheet.name })}!${range}`,
      });
    }
    return merges.length > 0;
  }

  private readFields(sheet: ExcelJS.Worksheet, layout: FieldsSheet): void {
    if (this.hasMergedCells(sheet)) return;
    this.cells.set([], { sheet: sheet.name });
    const seen = new Map<string, number>();
    sheet.eachRow((row, r) => {
      if (r === 1) return;
      const nameCell = readCell(row.getCell(1));
      const valueCell = row.getCell(2);
      if (nameCell.kind === "empty") {
        if (readCell(valueCell).kind !== "empty") this.report({ sheet: sheet.name, row: r, column: 1 }, "", "a value without a field name in column A");
        return;
      }
      const name = nameCell.kind === "text" ? nameCell.value : undefined;
      const field = layout.fields.find((candidate) => candidate.header === name);
      if (name === undefined || field === undefined) {
        const fields = layout.fields.map((candidate) => candidate.header).join(", ");
        this.report(
          { sheet: sheet.name, row: r, column: 1 },
          "",
          `unknown field ${name === undefined ? describeCell(nameCell) : JSON.stringify(name)}; the fields are ${fields}`,
        );
        return;
      }
      const before = seen.get(name);
      if (before !== undefined) {
        this.report({ sheet: sheet.name, row: r, column: 1 }, name, `${name} is given twice (also on row ${before})`);
        return;
      }
      seen.set(name, r);
      const place = { sheet: sheet.name, row: r, column: 2 };
      this.cells.set(field.field, place);
      const value = this.scalar(readCell(valueCell), field, place, field.field);
      if (value !== undefined) setField(this.document, field.field, value);
    });
  }

  private readStrings(sheet: ExcelJS.Worksheet, layout: ListSheet): void {
    if (this.hasMergedCells(sheet)) return;
    this.cells.set([layout.field], { sheet: sheet.name });
    const items: unknown[] = [];
    sheet.eachRow((row, r) => {
      if (r === 1) {
        this.expectHeader(sheet, row, [layout.column.header]);
        return;
      }
      const cell = row.getCell(1);
      if (readCell(cell).kind === "empty") return;
      const place = { sheet: sheet.name, row: r, column: 1 };
      const path = [layout.field, items.length];
      this.cells.set(path, place);
      items.push(this.scalar(readCell(cell), layout.column, place, path));
    });
    this.document[layout.field] = items;
  }

  /** A sheet of one column: its header must be the expected one. */
  private expectHeader(sheet: ExcelJS.Worksheet, row: ExcelJS.Row, headers: readonly string[]): void {
    headers.forEach((header, c) => {
      const cell = readCell(row.getCell(c + 1));
      if (cell.kind !== "text" || cell.value !== header) {
        this.report({ sheet: sheet.name, row: 1, column: c + 1 }, "", `expected the header ${JSON.stringify(header)}, found ${describeCell(cell)}`);
      }
    });
  }

  private readTable(sheet: ExcelJS.Worksheet, table: TableLayout): void {
    if (table.kind === "records" && table.owner === undefined) {
      // The sheet is there: the collection is, even with no rows.
      this.document[table.array] = [];
      this.cells.set([table.array], { sheet: sheet.name });
    }
    const columns = this.headerColumns(sheet, table);
    if (columns === undefined) return;
    const lastColumn = Math.max(...[...columns.values()].flatMap((placed) => placed.map((entry) => entry.column)));
    sheet.eachRow((row, r) => {
      if (r <= TABLE_HEADER_ROWS) return;
      const cellsOf = (column: ColumnLayout) => (columns.get(column) ?? []).map((entry) => ({ ...entry, cell: readCell(row.getCell(entry.column)) }));
      const stray = this.strayCells(sheet, row, r, columns);
      if (tableColumns(table).every((column) => cellsOf(column).every((entry) => entry.cell.kind === "empty"))) return;
      if (stray) return;
      const rowPlace: CellPlace = { sheet: sheet.name, row: r, column: 1, lastColumn };
      const owner = table.owner === undefined ? undefined : this.ownerOf(table.owner.sheet, table.owner.columns, cellsOf, rowPlace);
      if (owner === null) return;
      if (table.kind === "records") this.readRecordRow(table, owner, cellsOf, rowPlace);
      else if (owner !== undefined) this.readMapRow(table, owner, cellsOf, rowPlace);
    });
  }

  /**
   * The table's header: row 1 names each column, row 2 the period of a
   * per-period one (blank: its one value for every period). Undefined when
   * the columns that place a row (owner, key) are missing.
   */
  private headerColumns(sheet: ExcelJS.Worksheet, table: TableLayout): Map<ColumnLayout, { column: number; period: string | undefined }[]> | undefined {
    const layoutColumns = tableColumns(table);
    const columns = new Map<ColumnLayout, { column: number; period: string | undefined }[]>();
    const names = layoutColumns.map((column) => column.header).join(", ");
    const headerRow = sheet.getRow(1);
    const periodRow = sheet.getRow(2);
    const width = Math.max(headerRow.cellCount, periodRow.cellCount);
    for (let c = 1; c <= width; c++) {
      const header = readCell(headerRow.getCell(c));
      const period = readCell(periodRow.getCell(c));
      if (header.kind === "empty") {
        if (period.kind !== "empty") this.report({ sheet: sheet.name, row: 2, column: c }, "", "a period under no column header");
        continue;
      }
      const name = header.kind === "text" ? header.value : undefined;
      const column = layoutColumns.find((candidate) => candidate.header === name);
      if (column === undefined) {
        const named = name === undefined ? describeCell(header) : JSON.stringify(name);
        this.report({ sheet: sheet.name, row: 1, column: c }, "", `unknown column ${named}; the columns of ${sheet.name} are ${names}`);
        continue;
      }
      let label: string | undefined;
      if (period.kind === "text" || period.kind === "number") label = String(period.value);
      else if (period.kind !== "empty") {
        this.report({ sheet: sheet.name, row: 2, column: c }, "", `expected a period label or nothing, found ${describeCell(period)}`);
        continue;
      }
      if (label !== undefined && column.kind !== "periodNumber") {
        this.report({ sheet: sheet.name, row: 2, column: c }, "", `${column.header} has one value for every period: leave its second header row blank`);
        continue;
      }
      const placed = columns.get(column) ?? [];
      const twin = placed.find((entry) => entry.period === label);
      if (twin !== undefined) {
        const which = label === undefined ? "" : ` for period ${JSON.stringify(label)}`;
        this.report({ sheet: sheet.name, row: 1, column: c }, "", `the column ${column.header}${which} is there twice (also column ${twin.column})`);
        continue;
      }
      columns.set(column, [...placed, { column: c, period: label }]);
    }
    const placing = table.kind === "map" ? [...table.owner.columns, table.key] : (table.owner?.columns ?? []);
    const identity = table.kind === "records" ? layoutColumns.filter((column) => table.identity.includes(column.header)) : [];
    const missing = [...new Set([...placing, ...identity])].filter((column) => !columns.has(column));
    for (const column of missing)
      this.report({ sheet: sheet.name, row: 1 }, "", `missing column ${JSON.stringify(column.header)}; the columns of ${sheet.name} are ${names}`);
    return missing.length > 0 ? undefined : columns;
  }

  /** Values in columns with no header are refused (true when there are some). */
  private strayCells(sheet: ExcelJS.Worksheet, row: ExcelJS.Row, r: number, columns: Map<ColumnLayout, { column: number }[]>): boolean {
    const used = new Set([...columns.values()].flatMap((placed) => placed.map((entry) => entry.column)));
    let stray = false;
    row.eachCell((cell, c) => {
      if (used.has(c) || readCell(cell).kind === "empty") return;
      this.report({ sheet: sheet.name, row: r, column: c }, "", "a value in a column without a known header");
      stray = true;
    });
    return stray;
  }

  /** The owner record a row names; null when it names none (reported). */
  private ownerOf(ownerSheet: string, columns: readonly ColumnLayout[], cellsOf: CellsOf, rowPlace: CellPlace): RecordRef | null {
    const identity: string[] = [];
    for (const column of columns) {
      const [entry] = cellsOf(column);
      if (entry === undefined) return null;
      const value = this.idValue(entry.cell, { ...rowPlace, column: entry.column, lastColumn: entry.column }, column);
      if (value === undefined) return null;
      identity.push(value);
    }
    const found = this.records.get(ownerSheet)?.byIdentity.get(JSON.stringify(identity));
    if (found === undefined) {
      const [first] = cellsOf(at(columns, 0, "owner column"));
      const named = columns.map((column, i) => `${column.header} ${JSON.stringify(identity[i])}`).join(" and ");
      this.report({ ...rowPlace, column: first?.column ?? 1, lastColumn: first?.column ?? 1 }, "", `no row of ${ownerSheet} has ${named}`);
      return null;
    }
    return found;
  }

  /** An owner or key cell: a non-empty id; undefined (reported) otherwise. */
  private idValue(cell: ReadCell, place: CellPlace, column: ColumnLayout): string | undefined {
    if (cell.kind === "text") return cell.value;
    if (cell.kind === "number") return String(cell.value);
    this.report(place, "", cell.kind === "empty" ? `${column.header} is required` : `${column.header}: expected an id, found ${describeCell(cell)}`);
    return undefined;
  }

  private readRecordRow(table: RecordTable, owner: RecordRef | undefined, cellsOf: CellsOf, rowPlace: CellPlace): void {
    let items: unknown[];
    if (owner === undefined) {
      const existing = this.document[table.array];
      items = Array.isArray(existing) ? existing : [];
      this.document[table.array] = items;
    } else {
      const existing = owner.value[table.array];
      items = Array.isArray(existing) ? existing : [];
      owner.value[table.array] = items;
    }
    const path: IssuePath = [...(owner?.path ?? []), table.array, items.length];
    const value: Record<string, unknown> = {};
    items.push(value);
    this.cells.set(path, rowPlace);
    this.readFieldsOfRow(table.columns, value, path, cellsOf, rowPlace);

    const entries = this.records.get(table.sheet);
    const identity = tableColumns(table)
      .filter((column) => table.identity.includes(column.header))
      .map((column) => {
        const [entry] = cellsOf(column);
        return entry?.cell.kind === "text" || entry?.cell.kind === "number" ? String(entry.cell.value) : undefined;
      });
    const ref: RecordRef = { path, value, place: rowPlace };
    entries?.all.push(ref);
    if (identity.every((part) => part !== undefined)) {
      const key = JSON.stringify(identity);
      if (entries !== undefined && !entries.byIdentity.has(key)) entries.byIdentity.set(key, ref);
    }
  }

  private readMapRow(table: MapTable, owner: RecordRef, cellsOf: CellsOf, rowPlace: CellPlace): void {
    const mapPath: IssuePath = [...owner.path, ...table.map];
    let map = getField(owner.value, table.map);
    if (map === undefined) {
      map = {};
      setField(owner.value, table.map, map);
    }
    const [keyEntry] = cellsOf(table.key);
    const valuesEmpty = table.columns.every((column) => cellsOf(column).every((entry) => entry.cell.kind === "empty"));
    if (keyEntry === undefined || (keyEntry.cell.kind === "empty" && valuesEmpty)) return; // the map is there, maybe empty
    const key = this.idValue(keyEntry.cell, { ...rowPlace, column: keyEntry.column, lastColumn: keyEntry.column }, table.key);
    if (key === undefined) return;
    const entries = map as Record<string, unknown>;
    const path = [...mapPath, key];
    if (Object.prototype.hasOwnProperty.call(entries, key)) {
      const before = this.cells.locate(formatPath(path));
      this.report(
        rowPlace,
        "",
        `${table.key.header} ${JSON.stringify(key)} is given twice for this ${table.owner.noun}${before?.row === undefined ? "" : ` (also on row ${before.row})`}`,
      );
      return;
    }
    this.cells.set(path, rowPlace);
    if (table.entry === "value") {
      const column = at(table.columns, 0, "map value column");
      const value = this.columnValue(column, cellsOf, path, rowPlace);
      define(entries, key, value); // undefined when empty: the scenario's validation says it is required
    } else {
      const value: Record<string, unknown> = {};
      define(entries, key, value);
      this.readFieldsOfRow(table.columns, value, path, cellsOf, rowPlace);
    }
  }

  /** Every field column of a row into `target`; `presence` columns last, as they look at the others. */
  private readFieldsOfRow(columns: readonly ColumnLayout[], target: Record<string, unknown>, path: IssuePath, cellsOf: CellsOf, rowPlace: CellPlace): void {
    for (const column of columns) {
      if (column.kind === "presence") continue;
      const value = this.columnValue(column, cellsOf, [...path, ...column.field], rowPlace);
      if (value !== undefined) setField(target, column.field, value);
    }
    for (const column of columns) {
      if (column.kind !== "presence") continue;
      const [entry] = cellsOf(column);
      if (entry === undefined) continue;
      const place = { ...rowPlace, column: entry.column, lastColumn: entry.column };
      const fieldPath = [...path, ...column.field];
      const flag = this.scalar(entry.cell, column, place, fieldPath);
      const present = getField(target, column.field) !== undefined;
      if (flag === true && !present) setField(target, column.field, {});
      if (flag === false && present) this.report(place, formatPath(fieldPath), `${column.header} is FALSE, yet the row gives values for it`, fieldPath);
      if (!present && flag !== true) continue;
      this.cells.set(fieldPath, place);
    }
  }

  /** A column's value in a row, its cells recorded under `path`. */
  private columnValue(column: ColumnLayout, cellsOf: CellsOf, path: IssuePath, rowPlace: CellPlace): unknown {
    const entries = cellsOf(column);
    if (entries.length === 0) return undefined;
    if (column.kind !== "periodNumber") {
      const [entry] = entries;
      if (entry === undefined) return undefined;
      const place = { ...rowPlace, column: entry.column, lastColumn: entry.column };
      this.cells.set(path, place);
      return this.scalar(entry.cell, column, place, path);
    }
    const columnsUsed = entries.map((entry) => entry.column);
    this.cells.set(path, { ...rowPlace, column: Math.min(...columnsUsed), lastColumn: Math.max(...columnsUsed) });
    const filled = entries.filter((entry) => entry.cell.kind !== "empty");
    if (filled.length === 0) return undefined;
    const plain = filled.find((entry) => entry.period === undefined);
    if (plain !== undefined && filled.length > 1) {
      this.report(
        { ...rowPlace, column: Math.min(...columnsUsed), lastColumn: Math.max(...columnsUsed) },
        formatPath(path),
        `${column.header}: give one value for every period (the column with no period) or values by period, not both`,
        path,
      );
      return undefined;
    }
    const number = (entry: (typeof filled)[number], at: IssuePath) => {
      const place = { ...rowPlace, column: entry.column, lastColumn: entry.column };
      if (entry.cell.kind === "number") return entry.cell.value;
      this.report(place, formatPath(at), `${column.header}: expected a number, found ${describeCell(entry.cell)}`, at);
      return undefined;
    };
    if (plain !== undefined) {
      // One value for every period: its cell is the field's.
      this.cells.set(path, { ...rowPlace, column: plain.column, lastColumn: plain.column });
      return number(plain, path);
    }
    const byPeriod: Record<string, unknown> = {};
    let valid = true;
    for (const entry of filled) {
      const label = entry.period ?? "";
      const at = [...path, label];
      this.cells.set(at, { ...rowPlace, column: entry.column, lastColumn: entry.column });
      const value = number(entry, at);
      if (value === undefined) valid = false;
      else define(byPeriod, label, value);
    }
    return valid ? byPeriod : undefined;
  }

  /** One cell's value by the column's kind; undefined when empty, or refused (reported, its path blamed). */
  private scalar(read: ReadCell, column: ColumnLayout, place: CellPlace, path: IssuePath): unknown {
    const value = this.cellOfKind(read, column, place, path);
    return value === REFUSED ? undefined : value;
  }

  private cellOfKind(read: ReadCell, column: ColumnLayout, place: CellPlace, path: IssuePath): unknown {
    if (read.kind === "empty") return undefined;
    const refuse = (expected: string): { refused: true } => {
      this.report(place, formatPath(path), `${column.header}: expected ${expected}, found ${describeCell(read)}`, path);
      return REFUSED;
    };
    switch (column.kind) {
      case "id":
      case "text":
      case "choice":
        if (read.kind === "text") return read.value;
        if (read.kind === "number") return String(read.value);
        return refuse("a text");
      case "list": {
        if (read.kind === "number") return [String(read.value)];
        if (read.kind !== "text") return refuse("a list of ids");
        const list = parseList(read.value);
        if ("error" in list) {
          this.report(place, formatPath(path), `${column.header}: ${list.error}`, path);
          return undefined;
        }
        return list.items;
      }
      case "boolean":
      case "presence": {
        if (read.kind === "boolean") return read.value;
        const word = read.kind === "text" ? read.value.trim().toLowerCase() : "";
        if (word === "true" || word === "yes") return true;
        if (word === "false" || word === "no") return false;
        return refuse("TRUE or FALSE");
      }
      case "number":
      case "periodNumber":
        return read.kind === "number" ? read.value : refuse("a number");
    }
  }

  /** After a table is read: each owner gets the required maps and arrays it has no rows for (so that "needs at least one" reads at its row). */
  private fillRequired(table: TableLayout): void {
    if (table.owner === undefined) return;
    if (table.kind === "map" && table.optional) return;
    for (const owner of this.records.get(table.owner.sheet)?.all ?? []) {
      if (table.kind === "map" && getField(owner.value, table.map) === undefined) setField(owner.value, table.map, {});
      if (table.kind === "records" && owner.value[table.array] === undefined) owner.value[table.array] = [];
    }
  }
}

/** A cell refused (and reported) by its column's kind. */
const REFUSED = { refused: true } as const;

type CellsOf = (column: ColumnLayout) => { column: number; period: string | undefined; cell: ReadCell }[];

/** An own property, even for a key such as "__proto__". */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function getField(target: Record<string, unknown>, field: readonly string[]): unknown {
  let value: unknown = target;
  for (const key of field) {
    if (typeof value !== "object" || value === null || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function setField(target: Record<string, unknown>, field: readonly string[], value: unknown): void {
  let object = target;
  field.forEach((key, i) => {
    if (i === field.length - 1) {
      define(object, key, value);
      return;
    }
    let next = object[key];
    if (typeof next !== "object" || next === null) {
      next = {};
      define(object, key, next);
    }
    object = next as Record<string, unknown>;
  });
}
