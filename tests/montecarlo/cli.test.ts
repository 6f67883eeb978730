import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { MonteCarloResult } from "../../src/index.js";
import { minimalScenario } from "../support/builders.js";
import { root, runCli, scratchFiles } from "../support/cli.js";

/** `jointplan montecarlo` as a user runs it, against the built package (npm test builds first). */
const run = runCli;
const file = scratchFiles("montecarlo");

/** The bundled request for kz-uz-2020, with fewer samples. */
const bundled = JSON.parse(readFileSync(join(root, "models", "montecarlo", "kz-uz-2020", "kazakh-demand.json"), "utf8")) as Record<string, unknown>;
const small = file("small.json", { ...bundled, samples: 40 });

describe("jointplan montecarlo", () => {
  it("prints what was uncertain, how often a plan exists, the objective's spread, targets met and production quantiles", () => {
    const { code, stdout } = run("montecarlo", "kz-uz-2020", small);
    expect(code).toBe(0);
    expect(stdout).toContain("Monte Carlo of Kazakhstan–Uzbekistan joint vehicle programme, 2020 (kz-uz-2020): 40 samples, seed 2025");
    expect(stdout).toContain("demand max (market KZ): normal, mean 1, sd 0.15 (truncated at 0)");
    expect(stdout).toMatch(/A plan exists in \d+ of 40 samples \(\d+\.\d%\)/);
    expect(stdout).toMatch(/margin \(USD\) over the \d+ samples with a plan\n\s+mean\s+p5\s+p50\s+p95\s+min\s+max/);
    expect(stdout).toMatch(/joint_goal\s+\d+\.\d%/);
    expect(stdout).toMatch(/Andijan\s+city\s+[\d,.]+\s+[\d,.]+\s+[\d,.]+/);
  });

  it("--json prints the result, the same as the library's; plan flags apply", () => {
    const { code, stdout } = run("montecarlo", "kz-uz-2020", small, "--json", "--backend", "highs");
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as MonteCarloResult;
    expect(result).toMatchObject({ samples: 40, requested: 40, seed: 2025 });
    expect(result.objective?.p5).toBeLessThanOrEqual(result.objective?.p50 ?? NaN);
    expect(result.targets.map((row) => row.id)).toEqual(["joint_goal", "export_share", "car_local_parts"]);
    const threads = run("montecarlo", "kz-uz-2020", small, "--json", "--threads", "1");
    expect(JSON.parse(threads.stdout)).toEqual(result);
  });

  it("a bad request file: every problem with its path in the file, exit 1", () => {
    const bad = file("bad.json", {
      samples: 0,
      seed: 1,
      uncertain: [
        { on: "demand", market: "KZ", field: "max", distribution: { kind: "normal", sd: -1 } },
        { on: "target", id: "nope", field: "min", distribution: { kind: "uniform", low: 0.9, high: 1.1 } },
      ],
    });
    const { code, stderr } = run("montecarlo", "kz-uz-2020", bad);
    expect(code).toBe(1);
    expect(stderr).toContain("samples: must be at least 1");
    expect(stderr).toContain("uncertain[0].distribution.sd: a standard deviation must not be negative");
    const unknown = run(
      "montecarlo",
      "kz-uz-2020",
      file("unknown.json", {
        samples: 5,
        seed: 1,
        uncertain: [{ on: "target", id: "nope", field: "min", distribution: { kind: "uniform", low: 0.9, high: 1.1 } }],
      }),
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('uncertain[0].id: unknown target "nope"');
    const wrapped = run("montecarlo", "kz-uz-2020", file("with-scenario.json", { ...bundled, scenarioId: "kz-uz-2020" }));
    expect(wrapped.code).toBe(1);
    expect(wrapped.stderr).toContain("scenarioId: unknown field: the scenario is given on the command line");
    expect(run("montecarlo", "kz-uz-2020").code).toBe(1);
  });

  it("no sample with a plan exits 2", () => {
    const scenario = file("tight.json", minimalScenario({ targets: [{ id: "goal", kind: "units", min: 500 }] }));
    const request = file("tight-request.json", {
      samples: 5,
      seed: 1,
      uncertain: [{ on: "capacity", plant: "p", resource: "hours", distribution: { kind: "uniform", low: 0.9, high: 1.1 } }],
    });
    const { code, stdout } = run("montecarlo", scenario, request);
    expect(code).toBe(2);
    expect(stdout).toContain("A plan exists in 0 of 5 samples (0.0%); none in 5 (infeasible).");
  });
});

describe("jointplan montecarlo, in this process", () => {
  it("prints the same tables as the built command, with a multi-period target table and production by period", async () => {
    let stdout = "";
    let stderr = "";
    const request = file("small-2025.json", {
      samples: 6,
      seed: 3,
      uncertain: [{ on: "demand", market: "KZ", field: "max", distribution: { kind: "normal", sd: 0.1 } }],
    });
    const code = await main(["montecarlo", "kz-uz-2019-2025", request], { out: (text) => (stdout += text), err: (text) => (stderr += text) });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/target\s+2019\s+2020\s+2021\s+2022\s+2023\s+2024\s+2025/);
    expect(stdout).toMatch(/plant\s+product\s+period\s+p5\s+p50\s+p95/);
    expect(stdout).toMatch(/Andijan\s+\w+\s+20\d\d\s+[\d,.]+/);
    const bad = await main(["montecarlo", "kz-uz-2020", file("not-json.json", "{")], { out: () => undefined, err: (text) => (stderr += text) });
    expect(bad).toBe(1);
    expect(stderr).toContain("is not valid JSON");
  });
});
