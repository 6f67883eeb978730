import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Comparison, SweepResult } from "../../src/index.js";
import { minimalScenario } from "../support/builders.js";
import { root, runCli, scratchFiles } from "../support/cli.js";

/** `jointplan compare` and `jointplan sweep` as a user runs them, against the built package (npm test builds first). */
const bundled = (scenario: string, file: string) => join(root, "models", "whatif", scenario, file);
const run = runCli;
const file = scratchFiles("whatif");

describe("jointplan compare", () => {
  it("prints the baseline and the variants side by side, with what binds and why a variant has no plan", () => {
    const { code, stdout } = run("compare", "kz-uz-2020", bundled("kz-uz-2020", "variants.compare.json"));
    expect(code).toBe(0);
    expect(stdout).toMatch(/baseline\s+Kazakh demand −20%\s+Andijan assembly \+10%\s+85% local car parts/);
    for (const row of ["status", "margin (USD)", "units made", "export share", "local parts share", "production by plant", "targets", "what binds"]) {
      expect(stdout).toContain(row);
    }
    expect(stdout).toMatch(/assembly_hours at andijan\s+binds\s+binds\s+·/);
    expect(stdout).toMatch(/85% local car parts: no plan \(infeasible\); the smallest change that restores one: target car_local_parts min to \d+(\.\d)?%/);
  });

  it("--json prints the comparison", () => {
    const { code, stdout } = run("compare", "kz-uz-2020", bundled("kz-uz-2020", "variants.compare.json"), "--json");
    expect(code).toBe(0);
    const comparison = JSON.parse(stdout) as Comparison;
    expect(comparison.baseline.status).toBe("optimal");
    expect(comparison.variants.map((variant) => variant.name)).toEqual(["Kazakh demand −20%", "Andijan assembly +10%", "85% local car parts"]);
    expect(comparison.variants[0]?.delta.objective).toBeLessThan(0);
  });

  it("a bad variants file: every problem with its path in the file, exit 1", () => {
    const variants = file("bad-variants.json", {
      variants: [
        { name: "a", changes: [{ on: "target", id: "nope", field: "min", set: 1 }] },
        { name: "a", changes: [] },
      ],
    });
    const { code, stderr } = run("compare", "kz-uz-2020", variants);
    expect(code).toBe(1);
    expect(stderr).toContain("variants[1].name: duplicate variant name");
    const second = run(
      "compare",
      "kz-uz-2020",
      file("bad-variants-2.json", { variants: [{ name: "a", changes: [{ on: "target", id: "nope", field: "min", set: 1 }] }] }),
    );
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('variants[0].changes[0].id: unknown target "nope"');
    const wrapped = run("compare", "kz-uz-2020", file("with-scenario.json", { scenarioId: "kz-uz-2020", variants: [] }));
    expect(wrapped.stderr).toContain("scenarioId: unknown field: the scenario is given on the command line");
  });

  it("no plan at all — the baseline and every variant infeasible — exits 2", () => {
    const scenario = file("tight.json", minimalScenario({ targets: [{ id: "goal", kind: "units", min: 500 }] }));
    const variants = file("tight-variants.json", { variants: [{ name: "still too much", changes: [{ on: "target", id: "goal", field: "min", set: 400 }] }] });
    expect(run("compare", scenario, variants).code).toBe(2);
  });
});

describe("jointplan sweep", () => {
  it("exact: the segments, what changes at each breakpoint, and the curve with its breakpoints marked", () => {
    const { code, stdout } = run("sweep", "kz-uz-2020", bundled("kz-uz-2020", "joint-goal.sweep.json"));
    expect(code).toBe(0);
    expect(stdout).toMatch(/exact mode: \d+ segments, \d+ LP solves/);
    expect(stdout).toContain("+ target joint_goal min");
    expect(stdout).toMatch(/\^ breakpoints \(\d+\)/);
    expect(stdout).toMatch(/slope \(USD per unit\)/);
  });

  it("grid: a table of values, a share shown in percent and its slope per share point", () => {
    const { code, stdout } = run("sweep", "kz-uz-2020", bundled("kz-uz-2020", "export-share.sweep.json"));
    expect(code).toBe(0);
    expect(stdout).toMatch(/grid mode: 31 values, 31 LP solves/);
    expect(stdout).toMatch(/^50\.0%\s+optimal\s+93,250,386\s+−14,000/m);
    expect(stdout).toContain("slope (USD per share point)");
  });

  it("--csv: one row per point, header first; --json: the result", () => {
    const csv = run("sweep", "kz-uz-2020", bundled("kz-uz-2020", "local-parts.sweep.json"), "--csv");
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split("\n");
    expect(lines[0]).toBe("value,status,objective,slope,binding");
    expect(lines).toHaveLength(22);
    expect(lines.at(-1)).toBe("0.85,infeasible,,,");
    const json = run("sweep", "kz-uz-2020", bundled("kz-uz-2020", "local-parts.sweep.json"), "--json");
    const result = JSON.parse(json.stdout) as SweepResult;
    expect(result.mode).toBe("grid");
    expect(result.points).toHaveLength(21);
  });

  it("bad input exits 1: a bare sweep object, --json with --csv, exact on a price, exact without duals", () => {
    const sweep = { parameter: { on: "target", id: "joint_goal", field: "min" }, from: 4000, to: 7000 };
    const bare = run("sweep", "kz-uz-2020", file("bare.json", sweep));
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('parameter: unknown field: put the sweep under "sweep"');
    expect(run("sweep", "kz-uz-2020", file("ok.json", { sweep }), "--json", "--csv").code).toBe(1);
    const price = run(
      "sweep",
      "kz-uz-2020",
      file("price.json", { sweep: { parameter: { on: "demand", market: "KZ", field: "price" }, from: 1, to: 2, mode: "exact" } }),
    );
    expect(price.code).toBe(1);
    expect(price.stderr).toContain("sweep.mode: exact mode traces bounds");
    expect(price.stderr).toContain('use mode "grid"');
    const noDuals = run("sweep", "kz-uz-2020", file("exact.json", { sweep: { ...sweep, mode: "exact" } }), "--backend", "javascript-lp-solver");
    expect(noDuals.code).toBe(1);
    expect(noDuals.stderr).toContain("options.backend: exact mode reads HiGHS' duals");
  });

  it("no value with a plan exits 2", () => {
    const result = run(
      "sweep",
      "kz-uz-2020",
      file("too-far.json", { sweep: { parameter: { on: "target", id: "joint_goal", field: "min" }, values: [9000, 10000] } }),
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("No value in the range has a plan.");
  });
});
