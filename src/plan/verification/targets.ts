import { optionalValueIn } from "../../scenario/periods.js";
import { routeInScope, targetPeriods } from "../../scenario/scope.js";
import type { Target, TargetKind } from "../../scenario/schema.js";
import type { TargetRow } from "../types.js";
import { fmt, q } from "./checker.js";
import type { VerificationContext } from "./context.js";
import { countExportShare } from "./exportShareTarget.js";
import { countLocalPartsShare } from "./localPartsShareTarget.js";
import type { TargetCounter } from "./targetCount.js";
import { countUnits } from "./unitsTarget.js";

const counters: Readonly<Record<TargetKind, TargetCounter>> = {
  units: countUnits,
  export_share: countExportShare,
  local_parts_share: countLocalPartsShare,
};

/**
 * Targets (docs/format.md §2), one counter per kind: each bound holds in each
 * period the target applies to. Shares are checked in their linear form,
 * counted − bound·total, as the model states them. Every target and period
 * gets a row of the plan, with or without bounds.
 */
export function checkTargets(context: VerificationContext): TargetRow[] {
  const { scenario, lookup } = context;
  return scenario.targets.flatMap((target) => {
    const routes: number[] = [];
    scenario.routes.forEach((route, r) => {
      const product = lookup.routeProduct[r];
      if (product !== undefined && routeInScope(target, route, product)) routes.push(r);
    });
    const count = counters[target.kind](context, target, routes);
    return targetPeriods(scenario, target).map((period) => targetRow(context, target, period, count(lookup.periodIndex.get(period) ?? 0)));
  });
}

function targetRow({ check }: VerificationContext, target: Target, period: string, { counted, total }: { counted: number; total: number }): TargetRow {
  const min = optionalValueIn(target.min, period);
  const max = optionalValueIn(target.max, period);
  const isShare = target.kind !== "units";
  const state = () => (isShare ? `share ${total > 0 ? fmt(counted / total) : "of nothing"}` : `${fmt(counted)} units`);
  let met = true;
  if (min !== undefined && check.range(isShare ? counted - min * total : counted, total, isShare ? 0 : min, Infinity)) {
    check.describe(`target ${q(target.id)} in ${q(period)}: ${state()}, min ${fmt(min)}`);
    met = false;
  }
  if (max !== undefined && check.range(isShare ? counted - max * total : counted, total, -Infinity, isShare ? 0 : max)) {
    check.describe(`target ${q(target.id)} in ${q(period)}: ${state()}, max ${fmt(max)}`);
    met = false;
  }
  return {
    id: target.id,
    period,
    value: isShare ? (total > 0 ? counted / total : null) : counted,
    min: min ?? null,
    max: max ?? null,
    met,
  };
}
