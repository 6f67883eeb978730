import { describe, expect, it } from "vitest";
import { createSweepPool, loadBundledScenario, sweep, type SweepChunkRunner } from "../../src/index.js";
import { relativeGap } from "../support/properties.js";

/** Grids on worker threads (the workers run the build in dist/: npm test builds first). */
const scenario = loadBundledScenario("kz-uz-2019-2025");
const spec = { parameter: { on: "target", id: "export_share", field: "min", periods: ["2025"] }, from: 0.6, to: 0.8, steps: 24 };

describe("grid sweeps on worker threads", () => {
  it("chunks solved on a pool give the points of a run on one thread, in order, each solve counted once", async () => {
    const pool = createSweepPool(2);
    const tasks: number[] = [];
    const counting: SweepChunkRunner = {
      threads: pool.threads,
      run: (task, signal) => {
        tasks.push(task.values.length);
        return pool.run(task, signal);
      },
    };
    try {
      const progress: number[] = [];
      const spread = await sweep(scenario, spec, { pool: counting, onProgress: (done) => progress.push(done) });
      const here = await sweep(scenario, spec, { threads: 1 });
      expect(tasks.length).toBeGreaterThan(1);
      expect(tasks.reduce((sum, count) => sum + count, 0)).toBe(24); // every point, once: a caller's pool takes them all
      expect(spread.points.map((point) => point.value)).toEqual(here.points.map((point) => point.value));
      spread.points.forEach((point, i) => {
        const other = here.points[i];
        expect(point.status).toBe(other?.status);
        expect(relativeGap(point.objective ?? NaN, other?.objective ?? NaN)).toBeLessThanOrEqual(1e-9);
      });
      expect(spread.solves).toBe(here.solves);
      expect(progress.at(-1)).toBe(24);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it("a cancelled grid keeps the points it finished, in order, and says it stopped", async () => {
    const pool = createSweepPool(2);
    const controller = new AbortController();
    try {
      const result = await sweep(scenario, { ...spec, steps: 60 }, { pool, signal: controller.signal, onProgress: () => controller.abort() });
      expect(result.stopped).toBe("cancelled");
      expect(result.points.length).toBeGreaterThanOrEqual(1);
      expect(result.points.length).toBeLessThan(60);
      const values = result.points.map((point) => point.value);
      expect([...values].sort((a, b) => a - b)).toEqual(values);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it("a sweep past its deadline stops before the next point", async () => {
    const result = await sweep(scenario, spec, { threads: 1, deadline: Date.now() - 1 });
    expect(result).toMatchObject({ stopped: "deadline", points: [] });
  });
});
