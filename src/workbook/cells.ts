import { formatPath, parsePath, type ValidationIssue } from "../scenario/parse.js";
import type { IssuePath } from "../scenario/references.js";

/** Where a JSON path of a scenario read from a workbook sits: a sheet, a row (or the sheet's header), columns. */
export interface CellPlace {
  readonly sheet: string;
  /** 1-based row; undefined: the sheet as a whole. */
  readonly row?: number;
  /** 1-based first and last column; undefined: the whole row. */
  readonly column?: number;
  readonly lastColumn?: number;
}

/** "A", …, "Z", "AA", … for a 1-based column. */
export function columnLetters(column: number): string {
  let letters = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** A sheet's name as a formula or an error names it: quoted when it is not a plain word (`'Part sources'`). */
export function sheetReference(sheet: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) ? sheet : `'${sheet.replaceAll("'", "''")}'`;
}

/** `Routes!C7`, `Demand!D5:F5`, `Routes!7:7` (a row), `Plants` (a sheet). */
export function cellReference(place: CellPlace): string {
  const sheet = sheetReference(place.sheet);
  if (place.row === undefined) return sheet;
  if (place.column === undefined) return `${sheet}!${place.row}:${place.row}`;
  const first = `${columnLetters(place.column)}${place.row}`;
  const last = place.lastColumn === undefined || place.lastColumn === place.column ? "" : `:${columnLetters(place.lastColumn)}${place.row}`;
  return `${sheet}!${first}${last}`;
}

/**
 * Each JSON path of a document read from a workbook and the cells it came
 * from; an issue at a path with no cell of its own is placed at the nearest
 * enclosing path that has one (`routes[3].uses` → the route's row).
 */
export class CellIndex {
  private readonly places = new Map<string, CellPlace>();

  set(path: IssuePath, place: CellPlace): void {
    this.places.set(formatPath(path), place);
  }

  /** The place of a path given as `formatPath` writes it. */
  locate(path: string): CellPlace | undefined {
    const exact = this.places.get(path);
    if (exact !== undefined) return exact;
    const segments = parsePath(path);
    if (segments === undefined) return undefined;
    for (let length = segments.length - 1; length >= 0; length--) {
      const place = this.places.get(formatPath(segments.slice(0, length)));
      if (place !== undefined) return place;
    }
    return undefined;
  }

  /** The issues (paths in the document) with the cell of each. */
  placeIssues(issues: readonly ValidationIssue[]): ValidationIssue[] {
    return issues.map((issue) => {
      if (issue.cell !== undefined) return issue;
      const place = this.locate(issue.path);
      return place === undefined ? issue : { ...issue, cell: cellReference(place) };
    });
  }
}
