import { valueIn } from "../../scenario/periods.js";
import type { VerificationContext } from "./context.js";
import { freightAndDutyOf } from "./freightAndDuty.js";

/**
 * The objective (docs/format.md §2) of the plan's quantities, from the
 * scenario's prices and costs: `max_margin` is revenue less the costs of
 * making, holding and buying, and the freight and duty of the joint network
 * (§2.7); `min_cost` those costs; `max_units` units made.
 */
export function objectiveOf(context: VerificationContext): number {
  const { scenario, lookup, table } = context;
  const { periods } = scenario;
  const T = periods.length;
  let revenue = 0;
  let cost = 0;
  let units = 0;
  scenario.routes.forEach((route, r) => {
    const channels = lookup.channelsByRoute[r] ?? [];
    periods.forEach((period, t) => {
      for (const c of channels) {
        const price = scenario.demand[lookup.channels[c]?.demand ?? -1]?.price ?? 0;
        revenue += valueIn(price, period) * (table.sold[c * T + t] ?? 0);
      }
      const made = table.made[r * T + t] ?? 0;
      if (route.inventory !== undefined) cost += route.inventory.holding_cost * (table.stock[r * T + t] ?? 0);
      cost += route.unit_cost * made;
      units += made;
    });
  });
  scenario.parts.forEach((part, k) => {
    for (let t = 0; t < T; t++) {
      part.sources.forEach((source, s) => {
        cost += source.unit_cost * table.boughtFrom(k, s, t);
      });
    }
  });
  cost += freightAndDutyOf(context);
  if (scenario.objective === "max_margin") return revenue - cost;
  return scenario.objective === "min_cost" ? cost : units;
}
