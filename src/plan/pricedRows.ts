import type { BoundSensitivity } from "../explain/types.js";
import type { CapacityRow, TargetRow } from "./types.js";

/** Capacity and target rows with the shadow price of their binding bound and its allowable range. */
export function pricedRows(
  rows: { readonly capacity: readonly CapacityRow[]; readonly targets: readonly TargetRow[] },
  bounds: readonly BoundSensitivity[],
): { capacity: CapacityRow[]; targets: TargetRow[] } {
  const capacity = new Map<string, BoundSensitivity>();
  const targets = new Map<string, Extract<BoundSensitivity, { kind: "target" }>[]>();
  for (const bound of bounds) {
    if (bound.kind === "capacity") capacity.set(key(bound.period, bound.plant, bound.resource), bound);
    if (bound.kind === "target") {
      const id = key(bound.period, bound.id);
      targets.set(id, [...(targets.get(id) ?? []), bound]);
    }
  }
  return {
    capacity: rows.capacity.map((row) => {
      const bound = capacity.get(key(row.period, row.plant, row.resource));
      return bound === undefined ? row : { ...row, shadow_price: bound.shadow_price, range: bound.range };
    }),
    targets: rows.targets.map((row) => {
      const priced = targets.get(key(row.period, row.id)) ?? [];
      // At most one bound of a target binds; without one, the price is 0.
      const binding = priced.find((bound) => bound.shadow_price !== 0);
      return {
        ...row,
        shadow_price: binding?.shadow_price ?? 0,
        binding: binding?.bound ?? null,
        range: binding?.range ?? null,
      };
    }),
  };
}

function key(...parts: string[]): string {
  return JSON.stringify(parts);
}
