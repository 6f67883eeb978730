import type { CapacityRow, Plan } from "./types.js";

/**
 * Figures read from a plan that every report shows alike — the CLI's tables,
 * the planner's page, the plan workbook. Pure (the page bundles it).
 */

/** A capacity row used to the full (within solver tolerance): it binds. */
export function capacityBinds(row: CapacityRow): boolean {
  return row.available > 0 && row.used >= row.available * (1 - 1e-9);
}

/** Parts bought in a period by value (each part's `value` × units): local and all; the share is local ÷ all, none when nothing was bought. */
export function localShare(
  parts: readonly { readonly id: string; readonly value: number }[],
  plan: Pick<Plan, "procurement">,
  period: string,
): { readonly local: number; readonly all: number; readonly share: number | null } {
  const value = new Map(parts.map((part) => [part.id, part.value]));
  let local = 0;
  let all = 0;
  for (const row of plan.procurement) {
    if (row.period !== period) continue;
    const weighted = (value.get(row.part) ?? 1) * row.units;
    all += weighted;
    if (row.local) local += weighted;
  }
  return { local, all, share: all > 0 ? local / all : null };
}
