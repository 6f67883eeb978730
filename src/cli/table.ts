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

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const money = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 7000 → "7,000"; 12.345 → "12.35". */
export function formatUnits(value: number): string {
  return grouped.format(value);
}

export function formatMoney(value: number): string {
  return money.format(value);
}

export function formatShare(value: number | null): string {
  return value === null ? "—" : `${(value * 100).toFixed(1)}%`;
}
