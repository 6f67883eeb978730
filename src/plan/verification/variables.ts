import { isAvailable, optionalValueIn } from "../../scenario/periods.js";
import { fmt, q } from "./checker.js";
import type { VerificationContext } from "./context.js";

/**
 * The bounds formulate/variables.ts puts on columns (docs/format.md §2): no
 * production outside a product's availability, route min ≤ made ≤ max,
 * stock ≤ inventory max and = final after the last period, bought ≤ the
 * source's capacity.
 */
export function checkVariableBounds({ scenario, lookup, table, check }: VerificationContext): void {
  const { periods } = scenario;
  const T = periods.length;
  scenario.routes.forEach((route, r) => {
    const product = lookup.routeProduct[r];
    const inventory = route.inventory;
    periods.forEach((period, t) => {
      const where = () => `${q(route.product)} at ${q(route.plant)} in ${q(period)}`;
      const make = table.made[r * T + t] ?? 0;
      if (!isAvailable(periods, period, product?.available_from, product?.available_until)) {
        if (check.range(make, Math.abs(make), 0, 0)) check.describe(`production of ${where()}: the product is not available in this period`);
      } else {
        const min = optionalValueIn(route.min, period) ?? 0;
        const max = optionalValueIn(route.max, period) ?? Infinity;
        if (check.range(make, Math.abs(make), min, max)) check.describe(`route bounds for ${where()}: made ${fmt(make)}, allowed [${fmt(min)}, ${fmt(max)}]`);
      }
      if (inventory === undefined) return;
      const kept = table.stock[r * T + t] ?? 0;
      const max = optionalValueIn(inventory.max, period) ?? Infinity;
      if (check.range(kept, kept, 0, max)) check.describe(`inventory of ${where()}: ${fmt(kept)} exceeds its max ${fmt(max)}`);
      if (t === T - 1 && inventory.final !== undefined && check.range(kept, kept, inventory.final, inventory.final)) {
        check.describe(`final inventory of ${q(route.product)} at ${q(route.plant)}: ${fmt(kept)}, required ${fmt(inventory.final)}`);
      }
    });
  });

  scenario.parts.forEach((part, k) => {
    part.sources.forEach((source, s) => {
      periods.forEach((period, t) => {
        const units = table.boughtFrom(k, s, t);
        const limit = optionalValueIn(source.capacity, period) ?? Infinity;
        if (check.range(units, units, 0, limit))
          check.describe(`source ${q(source.id)} of ${q(part.id)} in ${q(period)}: ${fmt(units)} bought, capacity ${fmt(limit)}`);
      });
    });
  });
}
