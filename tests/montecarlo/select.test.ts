import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sampleLayout } from "../../src/montecarlo/layout.js";
import { orderStatistics } from "../../src/montecarlo/select.js";
import { loadBundledScenario, mergeMonteCarlo, monteCarloSpecSchema, parseScenario, runMonteCarloChunk } from "../../src/index.js";

/** The value at each rank as a full sort places it. */
function bySorting(values: readonly number[], ranks: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  return ranks.map((rank) => sorted[rank] ?? NaN);
}

/** Values with many repeats (as production at a capacity is), or any finite doubles. */
const valuesArbitrary = fc.oneof(
  fc.array(fc.constantFrom(0, 1, 2.5, 636, 1000), { minLength: 1, maxLength: 300 }),
  fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 300 }),
);

describe("order statistics by selection", () => {
  it("gives, at every rank asked, what a full sort gives, for any values and any ranks in any order", () => {
    fc.assert(
      fc.property(
        valuesArbitrary.chain((values) => fc.tuple(fc.constant(values), fc.array(fc.nat({ max: values.length - 1 }), { minLength: 1, maxLength: 5 }))),
        ([values, ranks]) => {
          expect(orderStatistics(Float64Array.from(values), ranks)).toEqual(bySorting(values, ranks));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("takes one pass over a column of equal values, and refuses a rank outside the values", () => {
    const equal = new Float64Array(200_000).fill(636);
    expect(orderStatistics(equal, [9_999, 99_999, 189_999])).toEqual([636, 636, 636]);
    expect(() => orderStatistics(new Float64Array(3), [3])).toThrow(/rank 3 is outside 0 to 2/);
    expect(() => orderStatistics(new Float64Array(3), [-1])).toThrow(RangeError);
  });

  it("makes the merge's production quantiles the nearest-rank percentiles of the samples' units", () => {
    const scenario = parseScenario(loadBundledScenario("kz-uz-2019-2025"));
    const spec = monteCarloSpecSchema.parse({
      samples: 40,
      seed: 7,
      uncertain: [{ on: "demand", market: "KZ", field: "max", distribution: { kind: "normal", sd: 0.2 } }],
    });
    const chunk = runMonteCarloChunk({ scenario, spec, from: 0, to: 40, options: {} });
    const result = mergeMonteCarlo(scenario, spec, [chunk]);
    const layout = sampleLayout(scenario);
    const planned = chunk.samples.filter((sample) => sample.objective !== null);
    expect(result.production.length).toBeGreaterThan(0);
    for (const row of result.production) {
      const p = layout.production.findIndex((cell) => cell.plant === row.plant && cell.product === row.product && cell.period === row.period);
      const units = planned.map((sample) => sample.production[p] ?? 0);
      // Nearest rank: the smallest value with at least p% of the values at or below it.
      const ranks = [5, 50, 95].map((percent) => Math.max(1, Math.ceil((percent * units.length) / 100)) - 1);
      const [p5, p50, p95] = bySorting(units, ranks);
      // The result snaps a figure within 1e-9 of a whole number to it (clean), as it does every figure.
      [row.p5, row.p50, row.p95].forEach((value, q) => expect(value).toBeCloseTo([p5, p50, p95][q] ?? NaN, 6));
    }
  });
});
