import { describe, expect, it } from "vitest";
import { highsRuntime } from "../../src/solvers/highs.js";
import { outcomeOf, runModel, statusName } from "../../src/solvers/highsRun.js";
import { loadBundledScenario, plan } from "../../src/index.js";
import { at } from "../../src/util/invariant.js";

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

describe("a HiGHS run that ends in HiGHS' error state", () => {
  /*
   * A cost of 1e19 (inside HiGHS' 1e20 range, so the model is accepted) next to a bill of
   * materials of 1e5 parts makes HiGHS end some runs with native status -1, which the highs
   * package throws as HighsError. Such a run is a failed run — retried without presolve, then
   * reported by its model status — never an exception out of plan().
   */
  const document = structuredClone(loadBundledScenario("kz-uz-2020")) as { routes: { unit_cost: number }[]; products: { bom?: Record<string, number> }[] };
  at(document.routes, 5, "route").unit_cost = 1e19;
  (at(document.products, 2, "product") as { bom: Record<string, number> }).bom["engine_small"] = 1e5;

  it("is a failed run, retried and reported, not thrown (plan with explanations, both backends)", () => {
    for (const backend of ["auto", "highs"] as const) {
      const result = plan(document, { backend, explain: true });
      expect(result.status).toBe("optimal");
      expect(result.sensitivity).toBeDefined();
    }
  });

  it("runModel reads a thrown HighsError as a failure with HiGHS' recorded status, and retries once without presolve", () => {
    const runtime = highsRuntime.current();
    const { modelStatus } = runtime.constants;
    const presolve: string[] = [];
    let runs = 0;
    const options = new Map<string, unknown>([["presolve", "choose"]]);
    const model = {
      run: () => {
        runs++;
        presolve.push(String(options.get("presolve")));
        throw new runtime.errors.HighsError("run failed with HiGHS status -1", "run");
      },
      getModelStatus: () => modelStatus.solveError,
      clearSolver: () => undefined,
      options: { get: (name: string) => options.get(name), set: (name: string, value: unknown) => void options.set(name, value) },
    };
    const run = runModel(model as unknown as Parameters<typeof runModel>[0], undefined, () => () => undefined);
    expect(run).toEqual({ outcome: "failed", status: "solveError" });
    expect(runs).toBe(2);
    expect(presolve).toEqual(["choose", "off"]);
    expect(options.get("presolve")).toBe("choose");
  });

  it("rethrows the wrapper's own errors (a bug, not a solve failure)", () => {
    const runtime = highsRuntime.current();
    const model = {
      run: () => {
        throw new runtime.errors.HighsValidationError("bad input");
      },
    };
    expect(() => runModel(model as unknown as Parameters<typeof runModel>[0], undefined, () => () => undefined)).toThrow("bad input");
  });
});
