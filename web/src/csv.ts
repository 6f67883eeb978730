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
 * verification are in the JSON download. A plan of the joint network (one
 * with `flows`) adds its columns after these and its flows as two more
 * sections (`borders`, `between_plants`); any other plan's CSV is as before.
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

/** The joint network's columns: freight and duty of procurement and sales rows, what in-house parts used of a capacity, a flow's ends and goods. */
export const networkCsvColumns = ["freight", "duty", "shipping", "used_for_parts", "from", "to", "goods"] as const;

type Column = (typeof csvColumns)[number] | (typeof networkCsvColumns)[number];
type Cell = string | number | boolean | null | undefined;

export function planCsv(plan: Plan): string {
  const rows: Partial<Record<Column, Cell>>[] = [
    ...plan.production.map((row) => ({ section: "production", ...row })),
    ...plan.sales.map((row) => ({ section: "sales", ...row })),
    ...plan.inventory.map((row) => ({ section: "inventory", ...row })),
    ...plan.procurement.map((row) => ({ section: "procurement", ...row })),
    ...plan.capacity.map(({ range: _, ...row }) => ({ section: "capacity", ...row })),
    ...plan.targets.map(({ id, range: _, binding: __, ...row }) => ({ section: "targets", target: id, ...row })),
    ...(plan.flows?.borders.map((row) => ({ section: "borders", ...row })) ?? []),
    ...(plan.flows?.between_plants.map((row) => ({ section: "between_plants", ...row })) ?? []),
  ];
  const columns: readonly Column[] = plan.flows === undefined ? csvColumns : [...csvColumns, ...networkCsvColumns];
  const lines = [columns.join(","), ...rows.map((row) => columns.map((column) => csvField(row[column])).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
