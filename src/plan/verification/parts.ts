import { own } from "../../scenario/records.js";
import { fmt, q } from "./checker.js";
import type { VerificationContext } from "./context.js";

/**
 * Parts (docs/format.md §2.3): Σ_{p,q} bom[q][k]·make[p,q,t] = Σ_s buy[k,s,t]
 * for every part and period when parts are pooled. Per plant (§2.7), for
 * every plant, part and period: what the plant's routes and the parts made
 * there consume equals what the sources deliver to it —
 * Σ_q bom[q][k]·make[p,q,t] + Σ_{s' made at p} bom_{s'}[k]·made(s',t) = Σ_s buy[k,s,p,t],
 * where a source made at a plant makes everything it delivers.
 */
export function checkParts(context: VerificationContext): void {
  if (context.table.perPlant) checkPartsPerPlant(context);
  else checkPooledParts(context);
}

function checkPooledParts({ scenario, lookup, table, check }: VerificationContext): void {
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

function checkPartsPerPlant({ scenario, table, check }: VerificationContext): void {
  const { periods } = scenario;
  const T = periods.length;
  const products = new Map(scenario.products.map((product) => [product.id, product]));
  scenario.plants.forEach((plant, p) => {
    // What consumes each part here: the plant's routes (by the product's bom) and the parts made here (by their source's bom).
    const routeUse = scenario.routes.flatMap((route, r) => (route.plant === plant.id ? [{ r, bom: products.get(route.product)?.bom }] : []));
    const madeHere = scenario.parts.flatMap((part, k) => part.sources.flatMap((source, s) => (source.plant === plant.id ? [{ k, s, bom: source.bom }] : [])));
    scenario.parts.forEach((part, k) => {
      periods.forEach((period, t) => {
        let needed = 0;
        let magnitude = 0;
        for (const { r, bom } of routeUse) {
          const term = (own(bom, part.id) ?? 0) * (table.made[r * T + t] ?? 0);
          needed += term;
          magnitude += Math.abs(term);
        }
        for (const made of madeHere) {
          const perUnit = own(made.bom, part.id);
          if (perUnit === undefined) continue;
          const term = perUnit * table.boughtFrom(made.k, made.s, t);
          needed += term;
          magnitude += Math.abs(term);
        }
        let delivered = 0;
        part.sources.forEach((_source, s) => {
          const units = table.deliveredBy(k, s, p, t);
          delivered += units;
          magnitude += Math.abs(units);
        });
        if (check.range(delivered - needed, magnitude, 0, 0)) {
          check.describe(`parts ${q(part.id)} at ${q(plant.id)} in ${q(period)}: ${fmt(delivered)} delivered ≠ ${fmt(needed)} needed there`);
        }
      });
    });
  });
}
