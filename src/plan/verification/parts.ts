import { own, ownKeys } from "../../scenario/records.js";
import { at } from "../../util/invariant.js";
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
  const P = scenario.plants.length;
  const plantIndex = new Map(scenario.plants.map((plant, p) => [plant.id, p]));
  const partIndex = new Map(scenario.parts.map((part, k) => [part.id, k]));
  const products = new Map(scenario.products.map((product) => [product.id, product]));
  // What each plant needs of each part in each period (cell `(k·P + p)·T + t`), with the size of its terms, gathered
  // in one pass over what consumes parts — the plant's routes, in route order, then the parts made there, in
  // scenario order — so that each cell adds up its terms in the order a plant-by-plant reading would.
  const needed = new Float64Array(scenario.parts.length * P * T);
  const magnitude = new Float64Array(needed.length);
  const need = (part: string, perUnit: number, p: number, units: (t: number) => number) => {
    const k = partIndex.get(part);
    if (k === undefined) return;
    for (let t = 0; t < T; t++) {
      const cell = (k * P + p) * T + t;
      const term = perUnit * units(t);
      needed[cell] = (needed[cell] ?? 0) + term;
      magnitude[cell] = (magnitude[cell] ?? 0) + Math.abs(term);
    }
  };
  scenario.routes.forEach((route, r) => {
    const p = plantIndex.get(route.plant);
    const bom = products.get(route.product)?.bom;
    if (p === undefined) return;
    for (const part of ownKeys(bom)) need(part, own(bom, part) ?? 0, p, (t) => table.made[r * T + t] ?? 0);
  });
  scenario.parts.forEach((made, k) => {
    made.sources.forEach((source, s) => {
      const p = source.plant === undefined ? undefined : plantIndex.get(source.plant);
      if (p === undefined) return;
      for (const part of ownKeys(source.bom)) need(part, own(source.bom, part) ?? 0, p, (t) => table.boughtFrom(k, s, t));
    });
  });

  // Every plant, part and period (plants × parts × periods cells: kept to plain loops).
  const K = scenario.parts.length;
  for (let p = 0; p < P; p++) {
    for (let k = 0; k < K; k++) {
      const sources = at(scenario.parts, k, "part").sources.length;
      for (let t = 0; t < T; t++) {
        const cell = (k * P + p) * T + t;
        const wanted = needed[cell] ?? 0;
        let size = magnitude[cell] ?? 0;
        let delivered = 0;
        for (let s = 0; s < sources; s++) {
          const units = table.deliveredBy(k, s, p, t);
          delivered += units;
          size += Math.abs(units);
        }
        if (check.range(delivered - wanted, size, 0, 0)) {
          const where = `${q(at(scenario.parts, k, "part").id)} at ${q(at(scenario.plants, p, "plant").id)} in ${q(at(periods, t, "period"))}`;
          check.describe(`parts ${where}: ${fmt(delivered)} delivered ≠ ${fmt(wanted)} needed there`);
        }
      }
    }
  }
}
