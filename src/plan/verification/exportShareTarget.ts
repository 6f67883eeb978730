import type { TargetCounter } from "./targetCount.js";

/** `export_share` targets (docs/format.md §2): units sold to export markets out of all units sold, over the routes in scope. */
export const countExportShare: TargetCounter = ({ scenario, lookup, table }, _target, routes) => {
  const T = scenario.periods.length;
  return (t) => {
    let exported = 0;
    let sold = 0;
    for (const r of routes) {
      for (const c of lookup.channelsByRoute[r] ?? []) {
        const units = table.sold[c * T + t] ?? 0;
        sold += units;
        if (lookup.channels[c]?.market.export === true) exported += units;
      }
    }
    return { counted: exported, total: sold };
  };
};
