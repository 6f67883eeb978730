import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { propertyRuns } from "../support/properties.js";

/**
 * javascript-lp-solver's simplex has no iteration or time limit, and `auto`
 * gives it every small LP: a degenerate one that made it cycle would hang a
 * plan for good. 73,000 such LPs never did; the search goes on in every run,
 * in a child process stopped at a deadline, so a hang fails the test and
 * names the scenario instead of stalling the suite.
 */
describe("javascript-lp-solver on degenerate LPs", () => {
  it("property: never cycles or hangs on a degenerate LP of at most 60 columns, and its plans verify", () => {
    const current = join(mkdtempSync(join(tmpdir(), "jointplan-degenerate-")), "current.json");
    const search = join(import.meta.dirname, "..", "support", "degenerateSearch.mjs");
    const run = spawnSync(process.execPath, [search], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, DEGENERATE_RUNS: String(propertyRuns), DEGENERATE_CURRENT: current },
    });
    if (run.error !== undefined || run.signal !== null) {
      throw new Error(`the search did not finish (${run.signal ?? String(run.error)}); the LP being solved:\n${readFileSync(current, "utf8")}`);
    }
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\d+ degenerate LPs solved/);
  });
});
