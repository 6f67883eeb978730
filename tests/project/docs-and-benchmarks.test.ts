import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withResultsSection } from "../../benchmarks/harness.js";
import { planSchema } from "../../src/http/schemas.js";
import { planOptionsSchema } from "../../src/plan/options.js";
import {
  demandSchema,
  inventorySchema,
  marketSchema,
  partSchema,
  partSourceSchema,
  plantSchema,
  productSchema,
  routeSchema,
  scenarioShapeSchema,
  targetSchema,
} from "../../src/scenario/schema.js";
import { bundledScenarioIds, loadBundledScenario, plan, validateScenario } from "../../src/index.js";
import { objectiveOf } from "../support/present.js";

const root = join(import.meta.dirname, "..", "..");

describe("documentation and bundled data stay true", () => {
  it("the commented example in docs/ is a valid scenario that plans", () => {
    const text = readFileSync(join(root, "docs", "scenario-example.jsonc"), "utf8").replace(/\/\/.*$/gm, "");
    const result = validateScenario(JSON.parse(text));
    expect(result.ok ? [] : result.issues).toEqual([]);
    expect(plan(JSON.parse(text)).status).toBe("optimal");
  });

  it("docs/format.md names every field of the scenario, the plan and the plan options", () => {
    const format = readFileSync(join(root, "docs", "format.md"), "utf8");
    const records = {
      scenarioShapeSchema,
      plantSchema,
      productSchema,
      routeSchema,
      inventorySchema,
      partSchema,
      partSourceSchema,
      marketSchema,
      demandSchema,
      targetSchema,
    };
    const missing = Object.entries(records).flatMap(([name, schema]) =>
      Object.keys(schema.shape).flatMap((field) => (format.includes(`\`${field}\``) ? [] : [`${name}.${field}`])),
    );
    const { shape } = planSchema;
    const planFields = [
      ...Object.keys(shape),
      ...Object.keys(shape.verification.shape).map((field) => `verification.${field}`),
      ...Object.keys(shape.solver.shape).map((field) => `solver.${field}`),
    ];
    for (const field of planFields) {
      const last = field.split(".").pop() ?? field;
      if (!format.includes(`\`${field}\``) && !format.includes(`"${last}"`)) missing.push(`plan ${field}`);
    }
    for (const option of Object.keys(planOptionsSchema.shape)) if (!format.includes(`| \`${option}\` |`)) missing.push(`option ${option}`);
    expect(missing).toEqual([]);
  });

  it("each benchmark command rewrites only its own section of benchmarks/RESULTS.md", () => {
    const first = withResultsSection("", "npm run bench", ["## bench", "a"]);
    expect(first).toMatch(/^# jointplan benchmarks\n/);
    const both = withResultsSection(first, "npm run bench:http", ["## http", "b"]);
    const rerun = withResultsSection(`${both}\nnotes kept\n`, "npm run bench", ["## bench", "c"]);
    expect(rerun).toContain("<!-- npm run bench: begin -->\n## bench\nc\n<!-- npm run bench: end -->");
    expect(rerun).toContain("<!-- npm run bench:http: begin -->\n## http\nb\n<!-- npm run bench:http: end -->");
    expect(rerun).not.toContain("\na\n");
    expect(rerun).toContain("notes kept");

    const results = readFileSync(join(root, "benchmarks", "RESULTS.md"), "utf8");
    for (const command of ["npm run bench", "npm run bench:http"]) {
      expect(results).toMatch(new RegExp(`<!-- ${command}: begin -->\\n## ${command}:[\\s\\S]*Node v20[\\s\\S]*<!-- ${command}: end -->`));
    }
    expect(results).toContain("### Targets, on this run's numbers");
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
    expect(objectiveOf(withoutGoal)).toBeGreaterThan(objectiveOf(withGoal));
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

  it("the time-limit benchmark runs (smoke sizes) and reports both faces against their targets", () => {
    const output = execFileSync(process.execPath, ["--import", "tsx", join(root, "benchmarks", "timeLimits.ts"), "--smoke"], { encoding: "utf8", cwd: root });
    expect(output).toMatch(/Worst wall − start-up: \d+ ms, -?\d+ ms past the limit/);
    expect(output).toMatch(/Worst answer past the limit: -?\d+ ms \(target ≤ 300 ms\)/);
  }, 60_000);

  it("the investments benchmark runs (smoke sizes): plan(auto) against raw HiGHS on a mixed-integer model, its explanation, a series and a time limit", () => {
    const output = execFileSync(process.execPath, ["--import", "tsx", join(root, "benchmarks", "investments.ts"), "--smoke"], { encoding: "utf8", cwd: root });
    // A generated cluster planned with auto against a raw HiGHS solve of the same MIP: same objective, verified.
    expect(output).toMatch(/\| investments-2x2p2t +\| +\d+ \| +\d+ \| +3 \| +1 \| .* ms \| +\d+\.\d{3} \|.*\| yes +\|/);
    expect(output).toMatch(/\| investments-2x2p2t +\| .* ms \| .* ms \| .* ms \| +2 \|/);
    expect(output).toMatch(/^\| +3 \| +\d+ \| +\d+ \| +4 \| .* \| yes +\|$/m);
    // A loaded machine can start the validating process slower than the planning one: the difference may be negative.
    expect(output).toMatch(/^\| +1 \| +\d+ ms \| +\d+ ms \| +-?\d+ ms \| +-?\d+ ms \| (optimal|time_limit) /m);
    expect(output).toMatch(/through the CLI: worst wall − start-up -?\d+ ms, -?\d+ ms past the limit \(target ≤ 600 ms\)/);
  }, 180_000);

  it("the jobs benchmark runs (smoke size): embedded and, where redis-server is installed, on worker processes", () => {
    const output = execFileSync(process.execPath, ["--import", "tsx", join(root, "benchmarks", "jobs.ts"), "--smoke"], { encoding: "utf8", cwd: root });
    expect(output).toMatch(/job, embedded, 2 threads/);
    expect(output).toMatch(/2 plain processes, no queue/);
    if (existsSync("/usr/bin/redis-server")) {
      expect(output).toMatch(/job, Redis, 2 worker processes/);
      expect(output).toMatch(/What these 2 cores give this work by themselves \(2 plain processes against 1, same run\): \d+\.\d\d×/);
      if (existsSync("/proc/self/stat")) expect(output).toMatch(/Cores busy while a job ran .*with 1 worker \d+\.\d\d .*with 2 workers \d+\.\d\d/);
      expect(output).toMatch(/The queue's overhead per sample/);
    } else {
      expect(output).toMatch(/Redis: not measured/);
    }
  }, 120_000);

  it("the benchmark script runs (smoke sizes)", () => {
    const output = execFileSync(process.execPath, ["--import", "tsx", join(root, "benchmarks", "run.ts"), "--smoke"], { encoding: "utf8", cwd: root });
    expect(output).toMatch(/ratio plan \/ raw solve/);
    // The joint network's section: a generated network planned with auto against a raw HiGHS solve of its LP.
    expect(output).toMatch(/\| 2 plants +\| +\d+ \|.*\| highs +\| +\d+\.\d\d \|.* ms \| +\d+\.\d\d \| yes +\| +\d+ MiB \| +\d+ MiB \|/);
    expect(output).toMatch(/Growth with columns/);
    expect(output).toMatch(/Exact mode against uniform grids/);
    expect(output).toMatch(/point ÷ raw/);
  }, 180_000);
});
