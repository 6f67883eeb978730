import type { TargetCounter } from "./targetCount.js";

/** `units` targets (docs/format.md §2): Σ make over the routes in scope. */
export const countUnits: TargetCounter = ({ scenario, table }, _target, routes) => {
  const T = scenario.periods.length;
  return (t) => {
    let made = 0;
    for (const r of routes) made += table.made[r * T + t] ?? 0;
    return { counted: made, total: made };
  };
};
