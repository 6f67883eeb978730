import { scenarioLookup } from "../scenario/lookup.js";
import { isAvailable } from "../scenario/periods.js";
import type { Scenario } from "../scenario/schema.js";
import { targetPeriods } from "../scenario/scope.js";
import type { ProductionRow, TargetRow } from "../plan/types.js";

/**
 * The fixed order of a sample's figures, derived from the scenario alone, so
 * that a sample solved anywhere reads the same: target rows as a plan lists
 * them (each target, then each period it applies in), and production by
 * period, then route (plant and product), wherever the product can be made.
 */
export interface SampleLayout {
  readonly targets: readonly { readonly id: string; readonly period: string }[];
  readonly production: readonly { readonly period: string; readonly plant: string; readonly product: string }[];
  /** Position in `production` by period index and route index; -1 where the product cannot be made. */
  readonly productionAt: readonly (readonly number[])[];
}

const layouts = new WeakMap<Scenario, SampleLayout>();

export function sampleLayout(scenario: Scenario): SampleLayout {
  let layout = layouts.get(scenario);
  if (layout === undefined) {
    layout = buildLayout(scenario);
    layouts.set(scenario, layout);
  }
  return layout;
}

function buildLayout(scenario: Scenario): SampleLayout {
  const lookup = scenarioLookup(scenario);
  const targets = scenario.targets.flatMap((target) => targetPeriods(scenario, target).map((period) => ({ id: target.id, period })));
  const production: { period: string; plant: string; product: string }[] = [];
  const productionAt = scenario.periods.map((period) =>
    scenario.routes.map((route, r) => {
      const product = lookup.routeProduct[r];
      if (product === undefined || !isAvailable(scenario.periods, period, product.available_from, product.available_until)) return -1;
      production.push({ period, plant: route.plant, product: route.product });
      return production.length - 1;
    }),
  );
  return { targets, production, productionAt };
}

/** A plan's production rows as the layout's vector (rows it leaves out made nothing). */
export function productionVector(scenario: Scenario, layout: SampleLayout, rows: readonly ProductionRow[]): number[] {
  const lookup = scenarioLookup(scenario);
  const vector = layout.production.map(() => 0);
  for (const row of rows) {
    const r = lookup.routeIndex.get(row.plant)?.get(row.product);
    const t = lookup.periodIndex.get(row.period);
    const at = r === undefined || t === undefined ? -1 : (layout.productionAt[t]?.[r] ?? -1);
    if (at < 0) throw new Error(`a verified plan makes ${row.product} at ${row.plant} in ${row.period}, which the scenario does not allow`);
    vector[at] = row.units;
  }
  return vector;
}

/** A plan's target rows as the layout's vector: 1 where the plan meets the target in that period. */
export function metVector(layout: SampleLayout, rows: readonly TargetRow[]): (0 | 1)[] {
  if (rows.length !== layout.targets.length) throw new Error(`a plan lists ${rows.length} target rows, the scenario ${layout.targets.length}`);
  return rows.map((row) => (row.met ? 1 : 0));
}
