import type { Plan } from "../../src/plan/types.js";
import { csvField } from "../../src/workbook/text.js";

/**
 * A plan as one CSV table (RFC 4180, comma, CRLF): one row per row of the
 * plan's sections, the `section` column saying which (production, sales,
 * inventory, procurement, capacity, targets), the other columns the union of
 * the sections' fields, empty where a section has none. One rectangular table
 * opens in any spreadsheet and filters by section. Ids as in the plan's JSON;
 * numbers unrounded, with a point; booleans true/false; a text that starts
 * like a formula (`=`, `+`, `-`, `@`, tab, carriage return) prefixed with a
 * single quote, so that no spreadsheet runs it. Status, objective and
 * verification are in the JSON download.
 */
export const csvColumns = [
  "section",
  "period",
  "plant",
  "product",
  "market",
  "part",
  "source",
  "local",
  "resource",
  "target",
  "units",
  "revenue",
  "cost",
  "used",
  "available",
  "utilization",
  "value",
  "min",
  "max",
  "met",
  "shadow_price",
] as const;

type Column = (typeof csvColumns)[number];
type Cell = string | number | boolean | null | undefined;

export function planCsv(plan: Plan): string {
  const rows: Partial<Record<Column, Cell>>[] = [
    ...plan.production.map((row) => ({ section: "production", ...row })),
    ...plan.sales.map((row) => ({ section: "sales", ...row })),
    ...plan.inventory.map((row) => ({ section: "inventory", ...row })),
    ...plan.procurement.map((row) => ({ section: "procurement", ...row })),
    ...plan.capacity.map(({ range: _, ...row }) => ({ section: "capacity", ...row })),
    ...plan.targets.map(({ id, range: _, binding: __, ...row }) => ({ section: "targets", target: id, ...row })),
  ];
  const lines = [csvColumns.join(","), ...rows.map((row) => csvColumns.map((column) => csvField(row[column])).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
