import type { BoundRef } from "../explain/types.js";
import type { Plan } from "../plan/types.js";
import type { Delta, ProductionDelta, TargetDelta } from "./types.js";

/**
 * How one plan differs from another (docs/whatif.md, "Compare"): objective,
 * production, targets and what binds. Pure, with nothing but type imports:
 * compare() answers with it, the CLI's tables and the planner's page (which
 * bundles this file for the browser) read binding changes with it.
 */

/** A plan and what binds in it (the rule of docs/whatif.md, "What binding means"). */
export interface PlanWithBinding {
  readonly plan: Plan;
  readonly binding: readonly BoundRef[];
}

export function delta(baseline: PlanWithBinding, variant: PlanWithBinding): Delta {
  const before = baseline.plan;
  const after = variant.plan;
  return {
    objective: before.objective === null || after.objective === null ? null : after.objective - before.objective,
    production: productionDelta(before, after),
    targets: targetDelta(before, after),
    binding: bindingChange(baseline.binding, variant.binding),
  };
}

/** What binds after and not before (`became`), and before but not after (`released`). */
export function bindingChange(before: readonly BoundRef[], after: readonly BoundRef[]): Delta["binding"] {
  const beforeKeys = new Set(before.map(boundKey));
  const afterKeys = new Set(after.map(boundKey));
  return {
    became: after.filter((ref) => !beforeKeys.has(boundKey(ref))),
    released: before.filter((ref) => !afterKeys.has(boundKey(ref))),
  };
}

/** A stable key for a bound, for comparing what binds in two plans. */
export function boundKey(ref: BoundRef): string {
  return JSON.stringify(Object.entries(ref).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Units by plant, product and period in either plan; null for a plan without a solution. */
function productionDelta(before: Plan, after: Plan): ProductionDelta[] {
  const rows = new Map<string, { period: string; plant: string; product: string; baseline: number; variant: number }>();
  const add = (plan: Plan, side: "baseline" | "variant") => {
    for (const row of plan.production) {
      const key = JSON.stringify([row.period, row.plant, row.product]);
      const entry = rows.get(key) ?? { period: row.period, plant: row.plant, product: row.product, baseline: 0, variant: 0 };
      entry[side] += row.units;
      rows.set(key, entry);
    }
  };
  add(before, "baseline");
  add(after, "variant");
  const hasBefore = before.objective !== null;
  const hasAfter = after.objective !== null;
  return [...rows.values()].map((row) => ({
    period: row.period,
    plant: row.plant,
    product: row.product,
    baseline: hasBefore ? row.baseline : null,
    variant: hasAfter ? row.variant : null,
    change: hasBefore && hasAfter ? row.variant - row.baseline : null,
  }));
}

function targetDelta(before: Plan, after: Plan): TargetDelta[] {
  const key = (row: { id: string; period: string }) => JSON.stringify([row.id, row.period]);
  const baseline = new Map(before.targets.map((row) => [key(row), row]));
  return after.targets.map((row) => ({
    id: row.id,
    period: row.period,
    baseline: before.objective === null ? null : (baseline.get(key(row))?.value ?? null),
    variant: after.objective === null ? null : row.value,
    met: after.objective !== null && row.met,
  }));
}
