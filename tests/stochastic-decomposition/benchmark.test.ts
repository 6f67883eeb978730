import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

describe("bench:stochastic", () => {
  it("runs (smoke size): the decomposition agrees with the extensive form, and one and two workers are set against the machine's two processes", () => {
    const output = execFileSync(process.execPath, ["--import", "tsx", join(root, "benchmarks", "stochastic.ts"), "--smoke"], { encoding: "utf8", cwd: root });
    expect(output).toContain("Agreement: every size within 1e-6");
    expect(output).toContain("machine: 2 processes vs 1");
  }, 300_000);
});
