import ExcelJS from "exceljs";

/**
 * A cell as a scenario reads it. A formula counts as the value it last
 * computed, saved in the file; one saved without a value is refused (nothing
 * here evaluates a formula). A date is refused where a number or an id is
 * expected: it is what a spreadsheet makes of `2025-01` typed in a cell.
 */
export type ReadCell =
  | { readonly kind: "empty" }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "text"; readonly value: string }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "refused"; readonly message: string };

const EMPTY: ReadCell = { kind: "empty" };

export function readCell(cell: ExcelJS.Cell): ReadCell {
  if (cell.type === ExcelJS.ValueType.Formula) {
    // The cell's own `result`: its `value` leaves out a saved value that is falsy (FALSE, 0, an empty text),
    // which is how LibreOffice saves every FALSE (as the formula FALSE() with its value).
    const result = (cell as { readonly result?: ExcelJS.CellValue }).result;
    return result === undefined ? NO_SAVED_VALUE : plainValue(result, true);
  }
  return plainValue(cell.value, false);
}

const NO_SAVED_VALUE: ReadCell = {
  kind: "refused",
  message: "a formula with no saved value: jointplan never computes formulas — open and save the workbook in a spreadsheet program, or type the value",
};

function plainValue(value: ExcelJS.CellValue, fromFormula: boolean): ReadCell {
  if (value === null || value === undefined) return EMPTY;
  if (typeof value === "number") return Number.isFinite(value) ? { kind: "number", value } : { kind: "refused", message: "not a finite number" };
  if (typeof value === "string") return value === "" ? EMPTY : { kind: "text", value };
  if (typeof value === "boolean") return { kind: "boolean", value };
  if (value instanceof Date) {
    return { kind: "refused", message: "a date: type the number, or the label as text (start it with an apostrophe: '2025-01)" };
  }
  if ("error" in value) return { kind: "refused", message: `the error ${value.error}${fromFormula ? " (computed by a formula)" : ""}` };
  if ("richText" in value) return plainValue(value.richText.map((run) => run.text).join(""), fromFormula);
  if ("hyperlink" in value) return plainValue(value.text, fromFormula);
  if ("formula" in value || "sharedFormula" in value) return value.result === undefined ? NO_SAVED_VALUE : plainValue(value.result, true);
  return { kind: "refused", message: "a value of a kind a scenario cannot hold" };
}

/** What a cell holds, in a few words, for an error. */
export function describeCell(cell: ReadCell): string {
  switch (cell.kind) {
    case "empty":
      return "nothing";
    case "number":
      return `the number ${cell.value}`;
    case "text":
      return `the text ${JSON.stringify(cell.value)}`;
    case "boolean":
      return cell.value ? "TRUE" : "FALSE";
    case "refused":
      return cell.message;
  }
}
