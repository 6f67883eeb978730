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
 * sections (`borders`, `between_plants`). A plan with investments (one with
 * `investments` or `periods`) adds its columns after those and two sections:
 * `investments` (each decision and its costs) and `periods` (the money of each
 * period, undiscounted and at its present value). Any other plan's CSV is as before.
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

/** Investments' columns: a decision and its costs, and the money of a period (docs/format.md §3.5). */
export const investmentCsvColumns = [
  "investment",
  "built",
  "fixed_cost",
  "operating_cost",
  "discount_factor",
  "operating_costs",
  "investment_costs",
  "net",
  "present_value",
] as const;

type Column = (typeof csvColumns)[number] | (typeof networkCsvColumns)[number] | (typeof investmentCsvColumns)[number];
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
    ...(plan.investments?.map(({ id, ...row }) => ({ section: "investments", investment: id, ...row })) ?? []),
    ...(plan.periods?.map((row) => ({ section: "periods", ...row })) ?? []),
  ];
  const columns: readonly Column[] = [
    ...csvColumns,
    ...(plan.flows === undefined ? [] : networkCsvColumns),
    ...(plan.investments === undefined && plan.periods === undefined ? [] : investmentCsvColumns),
  ];
  const lines = [columns.join(","), ...rows.map((row) => columns.map((column) => csvField(row[column])).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
