import { describe, expect, it } from "vitest";
import {
  createMonteCarloPool,
  loadBundledScenario,
  mergeMonteCarlo,
  monteCarlo,
  parsePlanOptions,
  parseScenario,
  prepareMonteCarlo,
  runMonteCarloChunk,
  type MonteCarloChunk,
  type MonteCarloChunkRunner,
  type MonteCarloSpecInput,
} from "../../src/index.js";

/**
 * A run split into chunks any way — on this thread, on worker threads (the
 * build in dist/: npm test builds first), out of order — merges into the
 * same result, every sample counted once.
 */
const scenario = parseScenario(loadBundledScenario("kz-uz-2019-2025"));
const spec: MonteCarloSpecInput = {
  samples: 30,
  seed: 2025,
  uncertain: [
    { on: "demand", market: "KZ", field: "max", distribution: { kind: "normal", sd: 0.15 } },
    { on: "capacity", plant: "andijan", resource: "assembly_hours", distribution: { kind: "triangular", low: 0.85, mode: 1, high: 1.05 } },
    { on: "source", part: "electronics", source: "andijan_electronics", field: "capacity", distribution: { kind: "uniform", low: 0.7, high: 1.1 } },
  ],
};
const prepared = prepareMonteCarlo(scenario, spec, parsePlanOptions({}));
const chunk = (from: number, to: number, key?: string): MonteCarloChunk =>
  runMonteCarloChunk({ scenario, spec: prepared.spec, from, to, options: {}, ...(key === undefined ? {} : { key }) });

describe("Monte Carlo chunks", () => {
  it("the same seed gives the same result, and any split of the samples gives it too", async () => {
    const once = await monteCarlo(scenario, spec, { threads: 1 });
    const again = await monteCarlo(loadBundledScenario("kz-uz-2019-2025"), spec, { threads: 1 });
    expect(again).toEqual(once);
    expect(once.samples).toBe(30);
    expect(once.feasible).toBeGreaterThan(0);

    const whole = mergeMonteCarlo(scenario, prepared.spec, [chunk(0, 30)]);
    // Out of order, with a key (the model kept between chunks) and without, an empty chunk among them.
    const split = mergeMonteCarlo(scenario, prepared.spec, [chunk(20, 30, "run"), chunk(0, 7, "run"), chunk(7, 7), chunk(7, 20)]);
    expect(JSON.stringify(whole)).toBe(JSON.stringify(once));
    expect(JSON.stringify(split)).toBe(JSON.stringify(once));
  }, 60_000);

  it("chunks solved on a pool of two worker threads give the same result, every sample once", async () => {
    const pool = createMonteCarloPool(2);
    const tasks: [number, number][] = [];
    const counting: MonteCarloChunkRunner = {
      threads: pool.threads,
      run: (task, signal) => {
        tasks.push([task.from, task.to]);
        return pool.run(task, signal);
      },
    };
    try {
      const progress: number[] = [];
      const pooled = await monteCarlo(scenario, spec, { pool: counting, onProgress: (done) => progress.push(done) });
      const here = await monteCarlo(scenario, spec, { threads: 1 });
      expect(JSON.stringify(pooled)).toBe(JSON.stringify(here));
      expect(tasks.length).toBeGreaterThan(1);
      expect(tasks.reduce((sum, [from, to]) => sum + to - from, 0)).toBe(30);
      expect(progress.at(-1)).toBe(30);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it("merging throws when two chunks share a sample, and when samples are missing from a run that did not stop", () => {
    const first = chunk(0, 10);
    const second = chunk(8, 20);
    const rest = chunk(20, 30);
    expect(() => mergeMonteCarlo(scenario, prepared.spec, [first, second, rest])).toThrow(/chunks overlap: samples 8 to 9 would be counted twice/);
    expect(() => mergeMonteCarlo(scenario, prepared.spec, [first, first, rest])).toThrow(/counted twice/);
    expect(() => mergeMonteCarlo(scenario, prepared.spec, [first, rest])).toThrow(/samples 10 to 19 are missing/);
    expect(() => mergeMonteCarlo(scenario, prepared.spec, [first])).toThrow(/samples 10 to 29 are missing/);
    const partial = mergeMonteCarlo(scenario, prepared.spec, [rest, first], "cancelled");
    expect(partial).toMatchObject({ samples: 20, requested: 30, stopped: "cancelled" });
    // A chunk that does not hold what it says is refused too.
    expect(() => mergeMonteCarlo(scenario, prepared.spec, [{ ...first, to: 11 }, chunk(11, 30)])).toThrow(/does not hold exactly those samples/);
  });

  it("a chunk stops before a sample that would start after the deadline, and says where", () => {
    const late = runMonteCarloChunk({ scenario, spec: prepared.spec, from: 5, to: 10, options: { deadline: Date.now() - 1 } });
    expect(late).toMatchObject({ from: 5, to: 5, samples: [], stopped: "deadline" });
    expect(() => runMonteCarloChunk({ scenario, spec: prepared.spec, from: 25, to: 31, options: {} })).toThrow(RangeError);
  });

  it("a sample is plain JSON: no NaN, Infinity or undefined, no Maps", () => {
    const solved = chunk(0, 6);
    expect(JSON.parse(JSON.stringify(solved))).toEqual(solved);
    expect(structuredClone(solved)).toEqual(solved);
  });
});

describe("stopping a run", () => {
  it("a signal stops a run on this thread: the samples done are kept", async () => {
    const controller = new AbortController();
    const result = await monteCarlo(scenario, spec, {
      threads: 1,
      signal: controller.signal,
      onProgress: (done) => {
        if (done === 5) controller.abort();
      },
    });
    expect(result).toMatchObject({ samples: 5, requested: 30, stopped: "cancelled" });
    const first5 = mergeMonteCarlo(scenario, prepared.spec, [chunk(0, 5)], "cancelled");
    expect(result).toEqual(first5);
  });

  it("a signal stops a pooled run: the chunks finished are kept, the ones running are dropped", async () => {
    const controller = new AbortController();
    let ran = 0;
    const pool: MonteCarloChunkRunner = {
      threads: 2,
      run: async (task, signal) => {
        // The first two chunks finish; the third cancels the run and, like a worker stopped, never answers.
        if (++ran <= 2) return runMonteCarloChunk(task);
        controller.abort();
        return new Promise((_, reject) => {
          if (signal?.aborted === true) reject(new Error("cancelled"));
          else signal?.addEventListener("abort", () => reject(new Error("cancelled")), { once: true });
        });
      },
    };
    const result = await monteCarlo(scenario, spec, { pool, signal: controller.signal });
    expect(result.stopped).toBe("cancelled");
    // 30 samples in 8 chunks (four per thread): the first two, [0, 3) and [3, 7), are kept.
    expect(result.samples).toBe(7);
    expect(result).toEqual(mergeMonteCarlo(scenario, prepared.spec, [chunk(0, 7)], "cancelled"));
  });

  it("a deadline already past: nothing is counted, and the result says so", async () => {
    const result = await monteCarlo(scenario, spec, { threads: 1, deadline: Date.now() - 1 });
    expect(result).toMatchObject({ samples: 0, feasible: 0, objective: null, production: [], stopped: "deadline" });
    expect(result.targets.every((row) => row.met_share === null)).toBe(true);
  });
});
