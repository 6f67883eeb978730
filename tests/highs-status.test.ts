import { describe, expect, it } from "vitest";
import { highsRuntime } from "../src/solvers/highs.js";
import { outcomeOf, statusName } from "../src/solvers/highsRun.js";

/**
 * One reading of HiGHS' model statuses for the backend and the explanations
 * (src/solvers/highsRun.ts): what each status says about the model.
 */
describe("HiGHS model statuses", () => {
  const { modelStatus } = highsRuntime.current().constants;

  it("maps each status to what it says about the model", () => {
    const expected: Record<string, string> = {
      optimal: "optimal",
      empty: "optimal",
      infeasible: "infeasible",
      unbounded: "unbounded",
      unboundedOrInfeasible: "unbounded_or_infeasible",
      timeLimit: "stopped",
      interrupted: "stopped",
      iterationLimit: "stopped",
      solutionLimit: "stopped",
      objectiveBound: "stopped",
      objectiveTarget: "stopped",
      solveError: "failed",
      presolveError: "failed",
      postsolveError: "failed",
      modelError: "failed",
      loadError: "failed",
      notSet: "failed",
      unknown: "failed",
    };
    for (const [name, outcome] of Object.entries(expected)) expect(outcomeOf(name), name).toBe(outcome);
  });

  it("covers every status the runtime lists, by its code", () => {
    const known = new Set(["optimal", "infeasible", "unbounded", "unbounded_or_infeasible", "stopped", "failed"]);
    for (const [name, code] of Object.entries(modelStatus)) {
      expect(statusName(code), name).toBe(name);
      expect(known.has(outcomeOf(name)), name).toBe(true);
    }
  });

  it("never reads a stop or an error as infeasible, and counts a status it does not know as a failure", () => {
    for (const name of ["timeLimit", "interrupted", "solveError", "unknown"]) expect(outcomeOf(name)).not.toBe("infeasible");
    expect(outcomeOf("Time limit reached")).toBe("failed");
    expect(outcomeOf("__proto__")).toBe("failed");
    expect(statusName(99)).toBe("unknown");
  });
});
