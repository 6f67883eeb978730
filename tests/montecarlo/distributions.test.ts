import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { drawMultiplier, multiplierRange } from "../../src/montecarlo/distributions.js";
import { RandomStream } from "../../src/montecarlo/random.js";
import { NORMAL_REACH, sampleMultipliers, type Distribution, type MonteCarloSpec } from "../../src/index.js";

/** The multipliers' distributions: their means, spreads and bounds, and streams that depend on (seed, sample, entry) alone. */
function draws(distribution: Distribution, count: number, seed = 11): Float64Array {
  return Float64Array.from({ length: count }, (_, i) => drawMultiplier(distribution, new RandomStream(seed, i, 0)));
}

function moments(values: Float64Array): { mean: number; sd: number; min: number; max: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return { mean, sd: Math.sqrt(variance), min: Math.min(...values), max: Math.max(...values) };
}

const entry = (distribution: Distribution) => ({ on: "demand", market: "KZ", field: "max", distribution }) as const;

describe("multiplier distributions", () => {
  const n = 20_000;

  it("uniform: mean (low + high) / 2, sd (high − low) / √12, within [low, high)", () => {
    const { mean, sd, min, max } = moments(draws({ kind: "uniform", low: 0.8, high: 1.1 }, n));
    expect(mean).toBeCloseTo(0.95, 2);
    expect(sd).toBeCloseTo(0.3 / Math.sqrt(12), 2);
    expect(min).toBeGreaterThanOrEqual(0.8);
    expect(max).toBeLessThan(1.1);
  });

  it("triangular: mean (low + mode + high) / 3, within [low, high], most draws near the mode", () => {
    const values = draws({ kind: "triangular", low: 0.85, mode: 1, high: 1.05 }, n);
    const { mean, min, max } = moments(values);
    expect(mean).toBeCloseTo((0.85 + 1 + 1.05) / 3, 2);
    expect(min).toBeGreaterThanOrEqual(0.85);
    expect(max).toBeLessThanOrEqual(1.05);
    // P(X ≤ mode) = (mode − low) / (high − low) = 0.75.
    expect(values.filter((value) => value <= 1).length / n).toBeCloseTo(0.75, 1);
  });

  it("normal: mean 1 and the sd asked for when truncation is negligible; never negative; never beyond 1 + 8.58·sd", () => {
    const narrow = moments(draws({ kind: "normal", sd: 0.15 }, n));
    expect(narrow.mean).toBeCloseTo(1, 2);
    expect(narrow.sd).toBeCloseTo(0.15, 2);
    // sd 1: a sixth of the draws would be negative; they are drawn again, which lifts the mean to 1 + φ(1)/Φ(1) ≈ 1.2876.
    const wide = moments(draws({ kind: "normal", sd: 1 }, n));
    expect(wide.min).toBeGreaterThanOrEqual(0);
    expect(wide.mean).toBeCloseTo(1.2876, 1);
    expect(multiplierRange({ kind: "normal", sd: 1 })).toEqual({ low: 0, high: 1 + NORMAL_REACH });
    expect(draws({ kind: "normal", sd: 0 }, 10).every((value) => value === 1)).toBe(true);
  });

  it("a degenerate range draws its one value", () => {
    expect([...draws({ kind: "uniform", low: 1.2, high: 1.2 }, 5)]).toEqual([1.2, 1.2, 1.2, 1.2, 1.2]);
    expect([...draws({ kind: "triangular", low: 0.9, mode: 0.9, high: 0.9 }, 3)]).toEqual([0.9, 0.9, 0.9]);
  });

  it("property: every draw lies in its distribution's range", () => {
    const distribution = fc.oneof(
      fc.record({ kind: fc.constant("normal" as const), sd: fc.double({ min: 0, max: 5, noNaN: true }) }),
      fc.tuple(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true })).map(([a, b]) => ({
        kind: "uniform" as const,
        low: Math.min(a, b),
        high: Math.max(a, b),
      })),
      fc
        .tuple(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true }))
        .map((three) => {
          const [low, mode, high] = three.sort((a, b) => a - b);
          return { kind: "triangular" as const, low, mode, high };
        }),
    );
    fc.assert(
      fc.property(distribution, fc.maxSafeInteger(), fc.nat(), (chosen: Distribution, seed, index) => {
        const value = drawMultiplier(chosen, new RandomStream(seed, index, 0));
        const { low, high } = multiplierRange(chosen);
        return value >= low && value <= high;
      }),
    );
  });
});

describe("sample streams", () => {
  const spec: Pick<MonteCarloSpec, "seed" | "uncertain"> = {
    seed: 42,
    uncertain: [entry({ kind: "normal", sd: 0.15 }), entry({ kind: "uniform", low: 0.5, high: 1.5 })],
  };

  it("depend on the seed and the sample index alone: the same sample draws the same multipliers in any order", () => {
    const forward = [0, 1, 2, 3, 4].map((index) => sampleMultipliers(spec, index));
    const backward = [4, 3, 2, 1, 0].map((index) => sampleMultipliers(spec, index)).reverse();
    expect(backward).toEqual(forward);
    expect(new Set(forward.map((multipliers) => multipliers.join())).size).toBe(5);
    expect(sampleMultipliers({ ...spec, seed: 43 }, 0)).not.toEqual(forward[0]);
    expect(sampleMultipliers({ ...spec, seed: -42 }, 0)).not.toEqual(forward[0]);
  });

  it("give each entry a stream of its own: adding an entry leaves the others' draws as they were", () => {
    const longer = { ...spec, uncertain: [...spec.uncertain, entry({ kind: "triangular", low: 0.8, mode: 1, high: 1.2 })] };
    for (const index of [0, 7, 99_999]) expect(sampleMultipliers(longer, index).slice(0, 2)).toEqual(sampleMultipliers(spec, index));
  });

  it("are pinned: a change of the generator would change every published run", () => {
    expect(new RandomStream(1, 0, 0).next32()).toBe(1903300640);
    expect(new RandomStream(1, 1, 0).next32()).toBe(669577294);
    expect(sampleMultipliers({ seed: 2025, uncertain: [entry({ kind: "uniform", low: 0, high: 1 })] }, 0)).toEqual([0.011508580259244838]);
  });
});
