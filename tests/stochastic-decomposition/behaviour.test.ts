import { readFileSync } from "node:fs";
import { Piscina } from "piscina";
import { describe, expect, it } from "vitest";
import { stochastic } from "../../src/index.js";
import { parsePlanOptions } from "../../src/plan/options.js";
import { parseScenario } from "../../src/scenario/parse.js";
import { solveDecomposed } from "../../src/stochastic/decomposition/lshaped.js";
import { inlineSubproblems, subproblemWorkerUrl } from "../../src/stochastic/decomposition/pool.js";
import type { SubproblemChunk, SubproblemRunner, SubproblemTask } from "../../src/stochastic/decomposition/types.js";
import { hereAndNowColumns, outcomeFormulation } from "../../src/stochastic/extensive.js";
import { prepareStochastic } from "../../src/stochastic/outcomes.js";
import { relativeGap } from "../support/properties.js";

/**
 * What the decomposition says besides its answer: the stop it made (gap or
 * iteration limit), its feasibility cuts, the rule that picks it, and its
 * chunks surviving a thread killed under them.
 */
const read = (path: string) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8")) as Record<string, unknown>;
const kazakh = read("models/kz-uz-2019-2025.json");
const kazakhDemand = read("models/stochastic/kz-uz-2019-2025/kazakh-demand.json");
const uz2020 = read("models/kz-uz-2020.json");
/** Production decided before knowing whether the domestic SUV engine shop delivers 85% of its capacity. */
const engineShortage = {
  outcomes: [
    { name: "suv engines short", probability: 0.4, changes: [{ on: "source", part: "suv_engine", field: "capacity", scale: 0.85 }] },
    { name: "as planned", probability: 0.6, changes: [] },
  ],
  here_and_now: ["production"],
};

function decompositionInput(raw: Record<string, unknown>, spec: Record<string, unknown>) {
  const prepared = prepareStochastic(parseScenario(raw), spec, parsePlanOptions({}));
  const models = prepared.outcomes.map((outcome) => ({ probability: outcome.probability, formulation: outcomeFormulation(outcome.scenario, false) }));
  return { models, isHereAndNow: hereAndNowColumns(prepared.hereAndNow), run: { key: "test", scenario: raw, spec, options: {} } };
}

describe("the decomposition's stops and cuts", () => {
  it("says it stopped at the iteration limit, with its bounds apart, the best plan found and a note", async () => {
    const result = await stochastic(kazakh, { ...kazakhDemand, method: "decomposition", decomposition: { max_iterations: 2 } }, { subproblemThreads: 1 });
    expect(result.decomposition?.stopped).toBe("iterations");
    expect(result.decomposition?.iterations).toBe(2);
    expect(result.decomposition?.history).toHaveLength(2);
    const gap = result.decomposition?.gap;
    expect(gap === null || (gap ?? 0) > 1e-6).toBe(true);
    expect(result.notes.some((note) => note.includes("iteration limit (2)"))).toBe(true);
    if (result.expected === null) expect(result.status).not.toBe("optimal");
    else expect(result.status).toBe("time_limit");
  }, 120_000);

  it("stops at the gap with bounds that close on the extensive form's optimum, reported each iteration", async () => {
    const iterations: (number | null)[][] = [];
    const decomposed = await stochastic(
      kazakh,
      { ...kazakhDemand, method: "decomposition" },
      { subproblemThreads: 1, onIteration: ({ lower, upper, gap }) => iterations.push([lower, upper, gap]) },
    );
    const extensive = await stochastic(kazakh, { ...kazakhDemand, method: "extensive" });
    expect(decomposed.decomposition?.stopped).toBe("gap");
    expect(iterations).toHaveLength(decomposed.decomposition?.iterations ?? -1);
    expect(relativeGap(decomposed.expected ?? NaN, extensive.expected ?? NaN)).toBeLessThanOrEqual(1e-6);
    // A margin: the master's bound never falls below the best plan, and the last gap is within the tolerance.
    for (const [lower, upper] of iterations)
      if (lower !== null && upper !== null && lower !== undefined && upper !== undefined) expect(upper).toBeGreaterThanOrEqual(lower - 1e-6 * Math.abs(upper));
    expect(iterations.at(-1)?.[2]).toBeLessThanOrEqual(1e-6);
    expect(decomposed.evpi).not.toBeNull();
    expect(relativeGap(decomposed.evpi ?? NaN, extensive.evpi ?? NaN)).toBeLessThanOrEqual(1e-4);
  }, 180_000);

  it("cuts off decisions some outcome has no plan with (feasibility cuts) and still meets the extensive form", async () => {
    const input = decompositionInput(uz2020, engineShortage);
    // No outcome held in the master: its first proposals ignore the parts they need, and only feasibility cuts bring them back.
    const decomposed = await solveDecomposed({ ...input, runner: inlineSubproblems, anchor: false, maxIterations: 400 });
    const extensive = await stochastic(uz2020, { ...engineShortage, method: "extensive" });
    expect(decomposed.report.feasibility_cuts).toBeGreaterThan(0);
    expect(decomposed.report.stopped).toBe("gap");
    expect(decomposed.status).toBe("optimal");
    expect(relativeGap(decomposed.report.lower ?? NaN, extensive.expected ?? NaN)).toBeLessThanOrEqual(1e-6);
  }, 300_000);
});

describe("choosing the method", () => {
  it("refuses a decomposition of whole units decided after the outcome, naming `method`", async () => {
    await expect(stochastic({ ...kazakh, integer: true }, { ...kazakhDemand, method: "decomposition" })).rejects.toMatchObject({
      name: "ValidationError",
      issues: [expect.objectContaining({ path: "method" })],
    });
  });

  it("auto solves a small plan's extensive form, and decomposes it as a job", async () => {
    const small = await stochastic(kazakh, kazakhDemand);
    expect(small.decomposition).toBeUndefined();
    const asJob = await stochastic(kazakh, kazakhDemand, { asJob: true, subproblemThreads: 1 });
    expect(asJob.decomposition?.method).toBe("decomposition");
    expect(relativeGap(asJob.expected ?? NaN, small.expected ?? NaN)).toBeLessThanOrEqual(1e-6);
  }, 180_000);
});

describe("subproblem chunks on worker threads", () => {
  it("take up again a chunk whose thread was killed under it, with the same answer", async () => {
    const input = decompositionInput(kazakh, kazakhDemand);
    const pool = new Piscina<SubproblemTask, SubproblemChunk>({ filename: subproblemWorkerUrl.href, minThreads: 2, maxThreads: 2 });
    let started = 0;
    let killed = false;
    const runner: SubproblemRunner = {
      threads: 2,
      run: (task, signal) => {
        const running = pool.run(task, signal === undefined ? {} : { signal });
        // The fifth chunk handed out: kill a busy thread while it solves (its chunk, or the other's, is lost).
        if (++started === 5 && !killed) {
          killed = true;
          setTimeout(() => void pool.threads[0]?.terminate(), 5);
        }
        return running;
      },
    };
    try {
      const decomposed = await solveDecomposed({ ...input, runner, chunkOutcomes: 1 });
      const inline = await solveDecomposed({ ...input, runner: inlineSubproblems, chunkOutcomes: 1 });
      expect(killed).toBe(true);
      expect(decomposed.report.retried_chunks).toBeGreaterThanOrEqual(1);
      expect(decomposed.report.stopped).toBe("gap");
      expect(relativeGap(decomposed.report.lower ?? NaN, inline.report.lower ?? NaN)).toBeLessThanOrEqual(1e-9);
    } finally {
      await pool.destroy();
    }
  }, 300_000);
});
