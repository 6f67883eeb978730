import { fmt, q } from "./checker.js";
import type { VerificationContext } from "./context.js";

/** Parts (docs/format.md §2): Σ_{p,q} bom[q][k]·make[p,q,t] = Σ_s buy[k,s,t] for every part and period. */
export function checkParts({ scenario, lookup, table, check }: VerificationContext): void {
  const { periods } = scenario;
  const T = periods.length;
  scenario.parts.forEach((part, k) => {
    const users = lookup.partUsers[k] ?? [];
    periods.forEach((period, t) => {
      let needed = 0;
      let magnitude = 0;
      for (const { route, perUnit } of users) {
        const term = perUnit * (table.made[route * T + t] ?? 0);
        needed += term;
        magnitude += Math.abs(term);
      }
      let purchased = 0;
      part.sources.forEach((_source, s) => {
        const units = table.boughtFrom(k, s, t);
        purchased += units;
        magnitude += Math.abs(units);
      });
      if (check.range(purchased - needed, magnitude, 0, 0)) {
        check.describe(`parts ${q(part.id)} in ${q(period)}: ${fmt(purchased)} bought ≠ ${fmt(needed)} needed by the bills of materials`);
      }
    });
  });
}
