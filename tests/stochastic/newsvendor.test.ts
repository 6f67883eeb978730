import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stochastic } from "../../src/index.js";
import { propertyParameters, propertyRuns, relativeGap } from "../support/properties.js";

/**
 * The newsvendor: one product made at unit cost c before demand is known,
 * sold at price p up to the demand, the rest worth nothing. The best quantity
 * is the smallest demand whose cumulative probability reaches the critical
 * fractile (p − c)/p, and the expected margin is p·E[min(x, D)] − c·x.
 */
const runs = Math.max(20, Math.floor(propertyRuns / 2));

function newsvendorScenario(price: number, cost: number) {
  return {
    format: "jointplan/v1",
    id: "newsvendor",
    title: "Newsvendor",
    plants: [{ id: "constructor", resources: { ["__proto__"]: 1e6 } }],
    products: [{ id: "__proto__", family: "car" }],
    routes: [{ plant: "constructor", product: "__proto__", uses: { ["__proto__"]: 1 }, unit_cost: cost }],
    markets: [{ id: "toString" }],
    demand: [{ market: "toString", product: "__proto__", price }],
  };
}

const expectedMargin = (price: number, cost: number, outcomes: readonly { demand: number; probability: number }[], made: number) =>
  outcomes.reduce((sum, { demand, probability }) => sum + probability * price * Math.min(made, demand), 0) - cost * made;

describe("the newsvendor", () => {
  it("makes the critical-fractile quantile of demand and expects p·E[min(x, D)] − c·x, for generated prices, costs and demand sets", async () => {
    const case_ = fc
      .record({
        price: fc.integer({ min: 2, max: 200 }),
        costShare: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        demands: fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 5 }),
        weights: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 5, maxLength: 5 }),
      })
      .map(({ price, costShare, demands, weights }) => {
        const used = weights.slice(0, demands.length);
        const total = used.reduce((sum, weight) => sum + weight, 0);
        return {
          price,
          cost: Math.round(price * costShare * 100) / 100,
          outcomes: demands.map((demand, i) => ({ demand, probability: (used[i] ?? 1) / total })),
        };
      })
      .filter(({ price, cost }) => cost > 0 && cost < price);
    await fc.assert(
      fc.asyncProperty(case_, async ({ price, cost, outcomes }) => {
        const spec = {
          outcomes: outcomes.map(({ demand, probability }, i) => ({
            name: `demand ${demand} (${i})`,
            probability,
            changes: [{ on: "demand", field: "max", set: demand }],
          })),
        };
        const result = await stochastic(newsvendorScenario(price, cost), spec);
        const sorted = [...outcomes].sort((a, b) => a.demand - b.demand);
        const fractile = (price - cost) / price;
        let cumulative = 0;
        let quantile = sorted.at(-1)?.demand ?? 0;
        let tie = false;
        for (const { demand, probability } of sorted) {
          cumulative += probability;
          if (cumulative >= fractile - 1e-12) {
            quantile = demand;
            // Exactly at the fractile, every quantity up to the next demand is as good.
            tie = Math.abs(cumulative - fractile) <= 1e-9;
            break;
          }
        }
        const best = expectedMargin(price, cost, outcomes, quantile);
        expect(result.status).toBe("optimal");
        expect(relativeGap(result.expected ?? NaN, best)).toBeLessThanOrEqual(1e-6);
        const made = result.here_and_now.production.reduce((sum, row) => sum + row.units, 0);
        if (!tie) expect(Math.abs(made - quantile)).toBeLessThanOrEqual(1e-6 * Math.max(1, quantile));
        // What the plan leaves unsold in each outcome is what it made beyond that outcome's demand.
        result.outcomes.forEach((outcome, w) => {
          const unsold = outcome.unsold.reduce((sum, row) => sum + row.units, 0);
          expect(Math.abs(unsold - Math.max(0, made - (outcomes[w]?.demand ?? 0)))).toBeLessThanOrEqual(1e-6 * Math.max(1, made));
        });
        // Knowing demand first, the vendor makes exactly the demand: wait-and-see is (p − c)·E[D].
        const waitAndSee = outcomes.reduce((sum, { demand, probability }) => sum + probability * (price - cost) * demand, 0);
        expect(relativeGap(result.wait_and_see ?? NaN, waitAndSee)).toBeLessThanOrEqual(1e-6);
        // The mean-value plan makes the mean demand.
        const mean = outcomes.reduce((sum, { demand, probability }) => sum + probability * demand, 0);
        expect(relativeGap(result.eev ?? NaN, expectedMargin(price, cost, outcomes, mean))).toBeLessThanOrEqual(1e-6);
      }),
      propertyParameters(runs),
    );
  }, 600_000);
});
