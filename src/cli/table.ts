/** Plain-text tables for the terminal: a header, a rule, right-aligned numbers. */

export type Align = "left" | "right";

export interface Column {
  readonly header: string;
  readonly align?: Align;
}

export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[], footer?: readonly string[]): string {
  const all = footer === undefined ? rows : [...rows, footer];
  const widths = columns.map((column, c) => Math.max(width(column.header), ...all.map((row) => width(row[c] ?? ""))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => pad(cell, widths[c] ?? 0, columns[c]?.align ?? "left"))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  const out = [line(columns.map((column) => column.header)), rule, ...rows.map(line)];
  if (footer !== undefined) out.push(rule, line(footer));
  return out.join("\n");
}

function width(text: string): number {
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- a width in code points, deliberately (not UTF-16 units, not graphemes)
  return [...text].length;
}

function pad(text: string, size: number, align: Align): string {
  const fill = " ".repeat(Math.max(0, size - width(text)));
  return align === "right" ? fill + text : text + fill;
}

// The number formats are shared with the explanations and the planner's page.
export { formatMoney, formatShare, formatUnits } from "../explain/words.js";
