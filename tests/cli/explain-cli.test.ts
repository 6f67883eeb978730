import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { loadBundledScenario, plan, type Plan } from "../../src/index.js";

/**
 * The explanation as a planner reads it. The showcase runs `node bin/jointplan.js`
 * against the built package; the rest call the CLI's `main` in-process (same
 * code, without a process start per case).
 */
const bin = join(import.meta.dirname, "..", "..", "bin", "jointplan.js");

function spawnCli(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function run(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { out: (text) => (stdout += text), err: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

describe("jointplan plan --explain", () => {
  /* The words are part of the interface: a change to them is a decision, made here. */
  it("explains the parts shortage in sentences a planner can act on, without being asked", () => {
    const { code, stdout } = spawnCli("plan", "kz-uz-parts-shortage");
    expect(code).toBe(2);
    const words = [
      "Why no plan exists",
      "The 7,000-unit joint goal for 2020 cannot be met.",
      "Together with assembly hours at Samarkand (110,000), assembly hours at Tashkent (95,000) and the supply of stamped body set from Andijan stamping (4,000), it is infeasible.",
      "Meeting it needs +1,209 units of stamped body set from Andijan stamping, or lowering the goal to 5,791.",
    ];
    expect(stdout.slice(stdout.indexOf("Why no plan exists"))).toBe(`${words.join("\n")}\n`);
    // The documentation shows the same words: the explanations page, and the README's example.
    for (const page of ["docs/explanations.md", "README.md"]) {
      expect(readFileSync(join(import.meta.dirname, "..", "..", page), "utf8"), page).toContain(words.join("\n"));
    }
  });

  it("returns the diagnosis in --json", async () => {
    const { code, stdout } = await run("plan", "kz-uz-parts-shortage", "--explain", "--json");
    expect(code).toBe(2);
    const result = JSON.parse(stdout) as Plan;
    expect(result.diagnosis?.conflict).toHaveLength(4);
    expect(result.diagnosis?.relaxations[0]).toMatchObject({ kind: "target", id: "joint_goal", bound: "min" });
  });

  it("prints what binds, the largest prices first", async () => {
    const { code, stdout } = await run("plan", "kz-uz-2020", "--explain");
    expect(code).toBe(0);
    const table = stdout.slice(stdout.indexOf("What binds"));
    expect(table).toMatch(/per unit more of each bound/);
    const rows = table
      .split("\n")
      .slice(3)
      .filter((line) => /^\S/.test(line) && !line.startsWith("…") && !line.startsWith("Unused"));
    const prices = rows.map((line) =>
      Number((/\s(-?[\d,]+(?:\.\d+)?)\s{2,}(?:resource|part|unit|share point|[a-z ]+hours)\s/.exec(line)?.[1] ?? "NaN").replace(/,/g, "")),
    );
    expect(prices.length).toBeGreaterThan(5);
    expect(prices.every(Number.isFinite)).toBe(true);
    expect(prices.map(Math.abs)).toEqual([...prices.map(Math.abs)].sort((a, b) => b - a));
    expect(table).toMatch(/assembly hours at Andijan\s+120,000\s+1,150\s+assembly hours/);
  });

  it("says when whole-unit prices come from the LP with the quantities fixed, and adds the LP relaxation's, labelled", async () => {
    const { stdout } = await run("plan", "kz-uz-2020", "--explain", "--integer");
    expect(stdout).toMatch(/Whole-unit plan: prices are those of the LP with every whole-unit quantity fixed/);
    const relaxation = stdout.slice(stdout.indexOf("What binds in the LP relaxation, fractional units allowed"));
    expect(relaxation).toMatch(/assembly hours at Andijan\s+120,000\s+1,150\s+assembly hours/);
  });

  it("returns in --json what the library returns", async () => {
    const { stdout } = await run("plan", "kz-uz-2020", "--explain", "--json");
    const fromCli = JSON.parse(stdout) as Plan;
    const fromLibrary = JSON.parse(JSON.stringify(plan(loadBundledScenario("kz-uz-2020"), { explain: true }))) as Plan;
    expect({ ...fromCli, solver: { ...fromCli.solver, ms: 0 } }).toEqual({ ...fromLibrary, solver: { ...fromLibrary.solver, ms: 0 } });
    expect(fromCli.capacity.every((row) => typeof row.shadow_price === "number")).toBe(true);
  });
});
