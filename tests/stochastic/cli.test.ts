import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { StochasticResult } from "../../src/index.js";
import { root, runCli, scratchFiles } from "../support/cli.js";

/** `jointplan stochastic` as a user runs it, against the built package (npm test builds first). */
const file = scratchFiles("stochastic");
const bundled = join(root, "models", "stochastic", "kz-uz-2019-2025", "kazakh-demand.json");

describe("jointplan stochastic", () => {
  it("prints the summary in words, the figures, the outcomes and the here-and-now production", () => {
    const { code, stdout, stderr } = runCli("stochastic", "kz-uz-2019-2025", bundled);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("Two-stage plan of Kazakhstan–Uzbekistan joint vehicle programme, 2019–2025 (kz-uz-2019-2025): 3 outcomes");
    expect(stdout).toContain("costs 37.0M USD of expected margin (EVPI)");
    expect(stdout).toContain("planning for the average outcome instead would lose 22.3M USD more (VSS)");
    expect(stdout).toMatch(/Make [\d,]+ units of city small car at Andijan/);
    expect(stdout).toMatch(/EVPI\s+36,998,578/);
    expect(stdout).toMatch(/slump\s+0\.3\s+669,525,052\s+705,165,472/);
    expect(stdout).toContain("Production (decided here and now)");
  });

  it("--json prints the result; plan flags apply", () => {
    const { code, stdout } = runCli(
      "stochastic",
      "kz-uz-2020",
      file("listed.json", { outcomes: [{ name: "only", probability: 1 }] }),
      "--json",
      "--backend",
      "highs",
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as StochasticResult;
    expect(result).toMatchObject({ scenario: "kz-uz-2020", status: "optimal", solver: { backend: "highs" } });
    expect(result.evpi).toBe(0);
  });

  it("a bad request file: every problem with its path in the file, exit 1", () => {
    const bad = file("bad.json", {
      outcomes: [
        { name: "a", probability: 0.5, changes: [{ on: "demand", market: "nowhere", field: "max", scale: 1 }] },
        { name: "a", probability: 0.4 },
      ],
      here_and_now: ["investments"],
    });
    const { code, stderr } = runCli("stochastic", "kz-uz-2020", bad);
    expect(code).toBe(1);
    expect(stderr).toContain("outcomes: probabilities must sum to 1");
    expect(stderr).toContain("outcomes[1].name");
    const scenarioField = runCli("stochastic", "kz-uz-2020", file("scenario.json", { scenarioId: "x", outcomes: [] }));
    expect(scenarioField.code).toBe(1);
    expect(scenarioField.stderr).toContain("scenarioId: unknown field: the scenario is given on the command line");
  });

  it("no two-stage plan: exit 2", () => {
    // Every outcome demands more than the plants can make.
    const impossible = file("impossible.json", {
      outcomes: [{ name: "impossible", probability: 1, changes: [{ on: "target", id: "joint_goal", field: "min", set: 1e9 }] }],
    });
    const { code, stdout } = runCli("stochastic", "kz-uz-2020", impossible);
    expect(code).toBe(2);
    expect(stdout).toContain("No two-stage plan (infeasible)");
  });
});
