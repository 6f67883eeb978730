import type { Scenario } from "../scenario/schema.js";
import type { BalanceRows } from "./balance.js";
import type { LpBuilder } from "./lp.js";
import { NONE } from "./variables.js";

/** unsold[route][period]: the column index, or NONE where the route has no balance row in the period. */
export type UnsoldColumns = readonly (readonly number[])[];

/**
 * Unsold units (docs/stochastic.md): in the two-stage plan, what is made
 * before demand is known may find no buyer. unsold[p,q,t] ≥ 0 joins each
 * balance row on the side of what leaves —
 * stock[t−1] + make[t] = Σ_m sell[m,t] + stock[t] + unsold[t] — and is worth
 * nothing (no price, no cost; it counts toward no target). Only a model
 * formulated with `unsold: true` has these columns; they come after every
 * other column, so the rest of the LP is a plain plan's, column for column.
 */
export function addUnsold(scenario: Scenario, builder: LpBuilder, balanceRows: BalanceRows, integer: boolean): UnsoldColumns {
  return scenario.routes.map((route, r) => {
    const rows = balanceRows[r] ?? [];
    return scenario.periods.map((period, t) => {
      const row = rows[t] ?? NONE;
      if (row === NONE) return NONE;
      const column = builder.addColumn({
        tag: { kind: "unsold", plant: route.plant, product: route.product, period },
        lower: 0,
        upper: Infinity,
        cost: 0,
        integer,
      });
      builder.appendTerm(row, column, -1);
      return column;
    });
  });
}
