import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planWithin } from "../../src/index.js";
import { investmentScenario } from "../support/investmentScenario.js";
import { scaleScenario } from "../support/scaleScenario.js";

/**
 * A time limit bounds the wall clock on every face. The model: a whole-unit
 * plan HiGHS finds no plan for within seconds, and whose search it offers to
 * stop only every second or so — it ran 0.5–3 s past its own limit.
 */
const hard = scaleScenario({ plants: 40, products: 150, parts: 300, integer: true });
const bin = join(import.meta.dirname, "..", "..", "bin", "jointplan.js");
const limit = 2_000;

function timed(args: string[]): { ms: number; status: number | null; stdout: string } {
  const started = performance.now();
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - started, status: run.status, stdout: run.stdout };
}

describe("a time limit is a bound on the wall clock", () => {
  it("jointplan plan --time-limit answers within the limit plus well under a second beyond its start-up", () => {
    const file = join(mkdtempSync(join(tmpdir(), "jointplan-")), "hard.json");
    writeFileSync(file, JSON.stringify(hard));
    // Start-up: the process, reading and validating the file.
    const startUp = timed(["validate", file]);
    expect(startUp.status).toBe(0);
    const planned = timed(["plan", file, "--time-limit", String(limit), "--json"]);
    expect(planned.status).toBe(2); // no plan found in time
    expect(JSON.parse(planned.stdout)).toMatchObject({ status: "time_limit", objective: null, solver: { backend: "highs", integer: true } });
    // 0.6 s is the target (benchmarks/timeLimits.ts measures it); a loaded 2-core machine adds noise to both runs.
    expect(planned.ms).toBeLessThan(startUp.ms + limit + 900);
  });

  it("planWithin (the library) answers within the limit plus 0.3 s, with every capacity and target row", async () => {
    const started = performance.now();
    const result = await planWithin(hard, { timeLimitMs: limit });
    expect(performance.now() - started).toBeLessThan(limit + 300);
    expect(result).toMatchObject({ status: "time_limit", solver: { integer: true } });
    expect(result.capacity.length).toBe(40 * 3);
    expect(result.targets.length).toBeGreaterThan(0);
  });

  it("jointplan plan --time-limit prints the plan it found: the process planning it ends only once its answer has gone", () => {
    // A cluster HiGHS does not prove optimal within the limit, explained within it as the CLI does: a child that
    // closed its channel as soon as it had sent its answer lost it about every second run.
    const file = join(mkdtempSync(join(tmpdir(), "jointplan-")), "cluster.json");
    writeFileSync(file, JSON.stringify(investmentScenario({ candidates: 40 })));
    for (let run = 0; run < 4; run++) {
      const planned = timed(["plan", file, "--time-limit", "3000", "--json"]);
      expect(planned.status).toBe(0);
      expect(JSON.parse(planned.stdout)).toMatchObject({ status: "time_limit", verification: { feasible: true } });
    }
  });

  it("planWithin reports bad input as plan() does", async () => {
    await expect(planWithin({ ...hard, routes: [] }, { timeLimitMs: limit })).rejects.toMatchObject({ name: "ValidationError", subject: "scenario" });
    await expect(planWithin(hard, { timeLimitMs: limit, backend: "glpk" as never })).rejects.toMatchObject({ name: "ValidationError", subject: "options" });
  });
});
