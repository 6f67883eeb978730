/**
 * Text that a spreadsheet shows but never runs, and text that survives the
 * trip through a workbook's XML. Pure (no Node API): the planner's page bundles
 * the CSV half.
 */

/**
 * The characters a spreadsheet takes as the start of a formula when it reads a
 * CSV field or when a planner edits a cell: `=`, `+`, `-`, `@`, a tab and a
 * carriage return (the OWASP list for CSV injection).
 */
export function startsLikeFormula(text: string): boolean {
  return /^[=+\-@\t\r]/.test(text);
}

/**
 * One CSV field (RFC 4180): numbers and booleans as they are; a text that
 * starts like a formula is prefixed with a single quote, which every
 * spreadsheet shows as text and never evaluates (so `=1+1` reads `'=1+1`);
 * then quoted when it holds a comma, a quote or a line break. Empty for null.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") return String(value);
  const text = startsLikeFormula(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A text as a workbook stores it (ECMA-376 ST_Xstring): characters XML cannot
 * hold, and the carriage return XML readers turn into a line feed, are written
 * as `_xHHHH_`; an `_xHHHH_` already in the text is escaped as `_x005F_xHHHH_`
 * so that it reads back as itself. Readers of workbooks (exceljs, other
 * spreadsheet programs) decode these escapes, so every string comes back as it
 * was: ids are arbitrary strings.
 */
export function toXstring(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- control characters are what this escapes
    /_(?=x[0-9A-Fa-f]{4}_)|[\u0000-\u0008\u000b-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (match) => `_x${match.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`,
  );
}
