import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundledScenarioIds, loadBundledScenario, plan, validateScenario } from "../../src/index.js";

const root = join(import.meta.dirname, "..", "..");

describe("documentation and bundled data stay true", () => {
  it("the commented example in docs/ is a valid scenario that plans", () => {
    const text = readFileSync(join(root, "docs", "scenario-example.jsonc"), "utf8").replace(/\/\/.*$/gm, "");
    const result = validateScenario(JSON.parse(text));
    expect(result.ok ? [] : result.issues).toEqual([]);
    expect(plan(JSON.parse(text)).status).toBe("optimal");
  });

  it("every bundled scenario says which figures are facts and which are assumptions", () => {
    expect(bundledScenarioIds()).toEqual(expect.arrayContaining(["kz-uz-2020", "kz-uz-2019-2025", "kz-uz-parts-shortage"]));
    for (const id of bundledScenarioIds()) {
      const document = loadBundledScenario(id) as { id: string; notes: string; sources: string[] };
      expect(document.id).toBe(id);
      expect(document.notes).toMatch(/Seed facts/);
      expect(document.notes).toMatch(/Assumptions/);
      expect(document.sources.length).toBeGreaterThan(0);
    }
  });

  it("kz-uz-2020 meets the 7,000 goal, and the goal matters: without it the plan makes fewer", () => {
    const document = loadBundledScenario("kz-uz-2020") as { targets: { id: string }[] };
    const withGoal = plan(document);
    expect(withGoal.targets.find((row) => row.id === "joint_goal")).toMatchObject({ value: 7000, met: true });
    expect(withGoal.capacity.some((row) => row.utilization !== null && row.utilization > 1 - 1e-9)).toBe(true);
    const withoutGoal = plan({ ...document, targets: document.targets.filter((target) => target.id !== "joint_goal") });
    const units = withoutGoal.production.reduce((sum, row) => sum + row.units, 0);
    expect(units).toBeLessThan(7000);
    expect(withoutGoal.objective as number).toBeGreaterThan(withGoal.objective as number);
  });

  it("kz-uz-2019-2025 raises the export share to 80% and only builds the new SUV from 2020", () => {
    const result = plan(loadBundledScenario("kz-uz-2019-2025"));
    expect(result.status).toBe("optimal");
    expect(result.targets.find((row) => row.id === "export_share" && row.period === "2025")).toMatchObject({ min: 0.8, met: true });
    expect(result.production.some((row) => row.product === "new_suv" && row.period === "2019")).toBe(false);
    expect(result.production.some((row) => row.product === "new_suv" && row.period === "2020")).toBe(true);
  });

  it("the load and fault drill passes (smoke duration): nothing lost, no unintended 5xx, the pool recovers", () => {
    const output = execFileSync(process.execPath, ["--import", "tsx", join(root, "benchmarks", "load.ts"), "--smoke"], { encoding: "utf8", cwd: root });
    expect(output).toMatch(/\(0 lost\)/);
    expect(output).toMatch(/unintended 5xx: 0; answers not as expected: 0/);
    expect(output).toMatch(/a clean failure/);
    expect(output).toMatch(/^OK:/m);
  }, 120_000);

  it("the benchmark script runs (smoke sizes)", () => {
    const output = execFileSync(process.execPath, ["--import", "tsx", join(root, "benchmarks", "run.ts"), "--smoke"], { encoding: "utf8", cwd: root });
    expect(output).toMatch(/ratio plan \/ raw solve/);
    expect(output).toMatch(/Exact mode against uniform grids/);
    expect(output).toMatch(/point ÷ raw/);
  });
});
