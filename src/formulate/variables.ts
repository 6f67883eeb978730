import { isAvailable, optionalValueIn } from "../scenario/periods.js";
import { POOLED, type ScenarioLookup } from "../scenario/lookup.js";
import type { Scenario } from "../scenario/schema.js";
import { at } from "../util/invariant.js";
import { discountFactor } from "./discounting.js";
import { makingMoneyOf, purchaseCoefficient, purchaseMoneyOf, saleCoefficient, saleMoneyOf } from "./freightAndDuty.js";
import type { LpBuilder } from "./lp.js";

/** Column index, or `NONE` where docs/format.md §2.2 defines no variable. */
export const NONE = -1;

/** Column indices of the decision variables of docs/format.md §2.2, by scenario position. */
export interface Variables {
  /** make[route][period]; NONE where the product is not available. */
  readonly make: readonly (readonly number[])[];
  /** stock[route][period]; NONE for routes without inventory. */
  readonly stock: readonly (readonly number[])[];
  /** sell[channel][period], channels as in `ScenarioLookup.channels`; NONE where the route has nothing to sell. */
  readonly sell: readonly (readonly number[])[];
  /**
   * buy[part][source][delivery][period], deliveries as in
   * `ScenarioLookup.deliveries`: one into the pool when parts are pooled, one
   * per plant the source delivers to in the joint network's per-plant form.
   */
  readonly buy: readonly (readonly (readonly (readonly number[])[])[])[];
}

/**
 * Columns of every decision variable, with their bounds and objective
 * coefficients (a purchase's and a sale's money, freight and duty included,
 * from freightAndDuty.ts). Route bounds (min/max on units made), inventory
 * bounds (max, final) and, when parts are pooled, source capacities are
 * column bounds, not rows.
 */
export function addVariables(scenario: Scenario, lookup: ScenarioLookup, builder: LpBuilder, integer: boolean): Variables {
  const { periods, objective } = scenario;
  const margin = objective === "max_margin";
  const costSign = margin ? -1 : objective === "min_cost" ? 1 : 0;
  const lastPeriod = periods.length - 1;

  const make = scenario.routes.map((route, r) => {
    const product = at(lookup.routeProduct, r, "route product");
    return periods.map((period, t) => {
      if (!isAvailable(periods, period, product.available_from, product.available_until)) return NONE;
      return builder.addColumn({
        tag: { kind: "make", plant: route.plant, product: route.product, period },
        lower: optionalValueIn(route.min, period) ?? 0,
        upper: optionalValueIn(route.max, period) ?? Infinity,
        cost: objective === "max_units" ? 1 : purchaseCoefficient(objective, makingMoneyOf(scenario, r, t)),
        integer,
      });
    });
  });

  const stock = scenario.routes.map((route) => {
    const inventory = route.inventory;
    if (inventory === undefined) return periods.map(() => NONE);
    return periods.map((period, t) => {
      const final = t === lastPeriod ? inventory.final : undefined;
      const max = optionalValueIn(inventory.max, period) ?? Infinity;
      return builder.addColumn({
        tag: { kind: "stock", plant: route.plant, product: route.product, period },
        // A final stock above the yard limit leaves lower > upper: infeasible, and reported so.
        lower: final ?? 0,
        upper: final === undefined ? max : Math.min(final, max),
        cost: costSign * inventory.holding_cost * discountFactor(scenario, t),
        integer,
      });
    });
  });

  const sell = lookup.channels.map(({ route: r, market }, c) => {
    const route = at(scenario.routes, r, "route");
    return periods.map((period, t) => {
      // Without stock, a route sells only what it makes in the same period.
      if (make[r]?.[t] === NONE && stock[r]?.[t] === NONE) return NONE;
      return builder.addColumn({
        tag: { kind: "sell", plant: route.plant, product: route.product, market: market.id, period },
        lower: 0,
        upper: Infinity,
        cost: saleCoefficient(objective, saleMoneyOf(scenario, lookup, c, t)),
        integer,
      });
    });
  });

  const buy = scenario.parts.map((part, k) =>
    part.sources.map((source, s) =>
      (lookup.deliveries[k]?.[s] ?? []).map(({ plant }) =>
        periods.map((period, t) =>
          builder.addColumn({
            tag:
              plant === POOLED ? { kind: "buy", part: part.id, source: source.id, period } : { kind: "buy", part: part.id, source: source.id, plant, period },
            lower: 0,
            // Pooled, a source's capacity bounds its one column; per plant it bounds the sum of its deliveries (sourceCapacity.ts).
            upper: plant === POOLED ? (optionalValueIn(source.capacity, period) ?? Infinity) : Infinity,
            cost: purchaseCoefficient(objective, purchaseMoneyOf(scenario, k, s, plant, t)),
            integer,
          }),
        ),
      ),
    ),
  );

  return { make, stock, sell, buy };
}
