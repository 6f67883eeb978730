import { describe, expect, it } from "vitest";
import { scaleScenario } from "../support/scaleScenario.js";
import { formulate, isValidationError, loadBundledScenario, parseScenario, plan, type ValidationError } from "../../src/index.js";
import { numbersBeyond } from "../../src/scenario/magnitudes.js";
import { highsBackend, highsRuntime, withHighs } from "../../src/solvers/highs.js";
import { jsLpSolverBackend } from "../../src/solvers/jsLpSolver.js";
import type { LinearProgram } from "../../src/formulate/lp.js";
import { ReplaceableRuntime } from "../../src/solvers/replaceableRuntime.js";
import { minimalScenario } from "../support/builders.js";
import { objectiveOf } from "../support/present.js";

describe("HiGHS backend", () => {
  it("keeps duals and the basis of an optimal LP: a binding capacity row is worth the margin per hour", () => {
    // 100 hours, 1 hour per unit, price 10, no cost: 100 units; one more hour adds 10 to the margin.
    const { lp } = formulate(parseScenario(minimalScenario()));
    const result = highsBackend.solve(lp, { integer: false });
    expect(result.status).toBe("optimal");
    expect(result.objective).toBeCloseTo(1000, 9);
    const capacity = lp.rows.findIndex((row) => row.tag.family === "capacity");
    expect(result.duals?.rows[capacity]).toBeCloseTo(10, 9);
    expect(result.duals?.columns).toHaveLength(lp.columns.length);
    expect(result.basis?.rows).toHaveLength(lp.rows.length);
    expect(result.basis?.columns).toHaveLength(lp.columns.length);
    // A basis has one basic variable (status 1) per row.
    const basic = [...(result.basis?.rows ?? []), ...(result.basis?.columns ?? [])].filter((status) => status === 1).length;
    expect(basic).toBe(lp.rows.length);
  });

  it("reports the MIP gap of an integer solve, within the gap asked for", () => {
    const scenario = parseScenario(loadBundledScenario("kz-uz-2020"));
    const loose = plan(scenario, { backend: "highs", integer: true, mipGap: 0.05 });
    expect(loose.status).toBe("optimal");
    expect(loose.solver.gap).toBeGreaterThanOrEqual(0);
    expect(loose.solver.gap).toBeLessThanOrEqual(0.05);
    expect(loose.verification.feasible).toBe(true);
    const lp = plan(scenario, { backend: "highs" });
    expect(lp.solver.gap).toBeUndefined();
    // The whole-unit plan is within the gap of the LP bound it cannot beat.
    expect(objectiveOf(loose)).toBeLessThanOrEqual(objectiveOf(lp) + 1e-6);
  });

  it("stops at the time limit and returns what it has, verified", () => {
    // 512 whole-unit columns with share targets: HiGHS needs seconds to prove optimality.
    const hard = scaleScenario({ plants: 10, products: 30, parts: 60, integer: true });
    const limit = 400;
    const started = performance.now();
    const result = plan(hard, { backend: "highs", timeLimitMs: limit });
    const elapsed = performance.now() - started;
    expect(result.status).toBe("time_limit");
    // Generous: the machine is shared. The benchmark measures the real margin (3 s limit → within 4 s).
    expect(elapsed).toBeLessThan(limit + 2_500);
    if (result.objective !== null) {
      expect(result.verification.feasible).toBe(true);
      expect(result.production.every((row) => Number.isInteger(row.units))).toBe(true);
      expect(result.solver.gap).toBeGreaterThan(0);
    } else {
      expect(result.production).toEqual([]);
    }
  });
});

describe("a HiGHS runtime that fails is replaced, not reused", () => {
  it("loads a fresh runtime after a WebAssembly abort; solves fail clearly until it is ready", async () => {
    const before = highsRuntime.current();
    // highs 1.15's LP reader aborts the WebAssembly instance on range syntax (`lo <= expr <= hi`).
    const aborting = "Maximize\n obj: x\nSubject To\n c1: -2 <= x + y <= 4\nEnd\n";
    expect(() => withHighs((highs) => highs.createModel({ format: "lp", data: aborting }))).toThrow(/a fresh HiGHS runtime is being loaded/);
    const { lp } = formulate(parseScenario(minimalScenario()));
    expect(() => highsBackend.solve(lp, { integer: false })).toThrow(/HiGHS is unavailable: it failed .* and is being reloaded/);
    const after = await highsRuntime.ready();
    expect(after).not.toBe(before);
    expect(highsBackend.solve(lp, { integer: false }).objective).toBeCloseTo(1000, 9);
  });

  it("leaves the runtime in place after HiGHS' own errors", () => {
    const before = highsRuntime.current();
    expect(() => withHighs((highs) => highs.withModel((model) => model.options.set("threads", 4)))).toThrow(/not supported/);
    expect(highsRuntime.current()).toBe(before);
  });

  it("retries a reload that failed on the next call", async () => {
    let loads = 0;
    const runtime = new ReplaceableRuntime(
      "Test runtime",
      () => {
        loads++;
        return loads === 1 ? Promise.reject(new Error("disk on fire")) : Promise.resolve(`instance ${loads}`);
      },
      "instance 0",
    );
    expect(runtime.current()).toBe("instance 0");
    runtime.discard(new Error("trap"));
    expect(() => runtime.current()).toThrow("Test runtime is unavailable: it failed (trap) and is being reloaded; try again shortly");
    await expect(runtime.ready()).rejects.toThrow("disk on fire");
    expect(() => runtime.current()).toThrow(/it failed \(disk on fire\)/);
    expect(await runtime.ready()).toBe("instance 2");
    expect(runtime.current()).toBe("instance 2");
    expect(loads).toBe(2);
  });
});

describe("auto's second opinion", () => {
  it("has HiGHS solve again when javascript-lp-solver reports no plan, and says so", () => {
    const result = plan(loadBundledScenario("kz-uz-parts-shortage"), { explain: false });
    expect(result.status).toBe("infeasible");
    expect(result.solver).toMatchObject({ backend: "highs", fallback: { from: "javascript-lp-solver", reason: 'it reported "infeasible"' } });
  });

  it("is not asked for when a backend is named, nor when HiGHS answered first", () => {
    const named = plan(loadBundledScenario("kz-uz-parts-shortage"), { backend: "javascript-lp-solver", explain: false });
    expect(named.solver.backend).toBe("javascript-lp-solver");
    expect(named.solver.fallback).toBeUndefined();
    const whole = plan(loadBundledScenario("kz-uz-parts-shortage"), { integer: true, explain: false });
    expect(whole.solver.backend).toBe("highs");
    expect(whole.solver.fallback).toBeUndefined();
  });
});

describe("numbers beyond HiGHS' range", () => {
  const absurd = minimalScenario({
    routes: [{ plant: "p", product: "q", uses: { hours: 1e308 } }],
    demand: [{ market: "m", product: "q", price: 1e25 }],
  });

  it("are invalid input for HiGHS, each field named, rather than a crash or a silently different model", () => {
    for (const backend of ["highs", "auto"] as const) {
      let issues: readonly { path: string; message: string }[] = [];
      try {
        plan(absurd, { backend, integer: backend === "auto" });
      } catch (error) {
        expect(isValidationError(error)).toBe(true);
        issues = (error as ValidationError).issues;
      }
      expect(issues).toEqual([
        { path: "routes[0].uses.hours", message: "1e+308 is beyond what highs accepts (per-unit quantities and part values must stay below 1e15)" },
        { path: "demand[0].price", message: "1e+25 is beyond what highs accepts (amounts, prices and costs must stay below 1e20)" },
      ]);
    }
  });

  it("are told apart by where they sit in the scenario, not by ids that happen to read like field names", () => {
    // A resource called "uses", a part called "price", periods called "value" and "bom": their
    // amounts (1e16) are within HiGHS' range for amounts; only the bill of materials is a coefficient.
    const lookalikes = minimalScenario({
      periods: ["value", "bom"],
      plants: [{ id: "p", resources: { uses: 1e16 } }],
      products: [{ id: "q", family: "car", bom: { price: 1e16 } }],
      routes: [{ plant: "p", product: "q", uses: { uses: 1 } }],
      parts: [{ id: "price", value: 2, sources: [{ id: "s", local: true, capacity: { value: 1e16, bom: 5 } }] }],
      demand: [{ market: "m", product: "q", price: { value: 1e16, bom: 1 } }],
    });
    const limits = { coefficient: 1e15, amount: 1e20 };
    expect(numbersBeyond(parseScenario(lookalikes), limits, "highs").map((issue) => issue.path)).toEqual([["products", 0, "bom", "price"]]);
    expect(() => plan(lookalikes, { backend: "highs" })).toThrow(/products\[0\]\.bom\.price/);
  });

  it("are left to javascript-lp-solver when it is named", () => {
    expect(["optimal", "unbounded", "infeasible"]).toContain(plan(absurd, { backend: "javascript-lp-solver" }).status);
  });

  it("leave javascript-lp-solver's answer standing in auto, without a HiGHS diagnosis", () => {
    // A demand minimum of 1e308 units from a 100-hour plant: infeasible, but beyond HiGHS' range to confirm or diagnose.
    const result = plan(minimalScenario({ demand: [{ market: "m", product: "q", price: 10, min: 1e308 }] }));
    expect(result.status).toBe("infeasible");
    expect(result.solver.backend).toBe("javascript-lp-solver");
    expect(result.solver.fallback).toBeUndefined();
    expect(result.diagnosis).toBeUndefined();
  });
});

describe("statuses the solvers get wrong on their own, found by the property tests", () => {
  /*
   * Route "hx|" makes "1*1" with no resource and sells it without limit, and the objective is
   * max_units: the model is unbounded (the whole-unit plan HiGHS finds verifies, so it is
   * feasible). HiGHS' LP solver calls it infeasible and its branch and bound returns an
   * "optimum" of some 42 million units; javascript-lp-solver says unbounded.
   */
  const unboundedRay: unknown = {
    format: "jointplan/v1",
    id: "generated",
    title: "Generated scenario",
    periods: ["constructor", "beta"],
    integer: false,
    objective: "max_units",
    plants: [
      { id: "hx|", resources: { isIntegral: { "*": 355 } } },
      { id: "objective", resources: { isIntegral: { constructor: 28, beta: 24 } } },
      { id: "-e;<", resources: { "`": { "*": 66, constructor: 238 }, isIntegral: { "*": 362 } } },
    ],
    products: [
      { id: '"8or9', family: "constructor" },
      { id: "1*1", family: "bus", available_from: "constructor", available_until: "beta" },
      { id: "1e3", family: "bus", available_from: "constructor", available_until: "beta" },
      { id: "samarkand", family: "constructor", available_from: "constructor", available_until: "constructor" },
    ],
    routes: [
      { plant: "hx|", product: '"8or9', uses: { isIntegral: 1 }, unit_cost: 0, min: 0 },
      { plant: "hx|", product: "1*1", uses: {}, unit_cost: 0, min: 0 },
      { plant: "hx|", product: "1e3", uses: { isIntegral: 1 }, unit_cost: 0 },
      { plant: "-e;<", product: "samarkand", uses: { "`": 1 }, unit_cost: 0, inventory: { holding_cost: 0, initial: 0 } },
    ],
    parts: [],
    markets: [
      { id: "_MW}0", export: true },
      { id: "__proto__", export: false },
      { id: "x", export: false },
    ],
    demand: [
      { market: "_MW}0", product: '"8or9', price: { "*": 0 }, max: { constructor: 10, beta: 10 } },
      { market: "_MW}0", product: "1*1", price: 0 },
      { market: "__proto__", product: "samarkand", price: { "*": 0 }, min: { "*": 1 }, max: { "*": 10 } },
      { market: "x", product: '"8or9', price: { constructor: 0, beta: 0 }, max: { constructor: 10, beta: 10 } },
      { market: "x", product: "1*1", price: { constructor: 0, beta: 0 } },
    ],
    targets: [{ id: "back\\slash", kind: "export_share", min: 0.2, max: 0.8, families: ["bus", "constructor"], plants: ["hx|", "-e;<"] }],
  };

  it("an LP with an unbounded ray is unbounded, not infeasible, on every backend", () => {
    for (const backend of ["highs", "javascript-lp-solver", "auto"] as const) {
      expect(plan(unboundedRay, { backend }).status, backend).toBe("unbounded");
    }
  });

  it("a whole-unit model whose relaxation is unbounded is unbounded, not a huge optimum", () => {
    for (const backend of ["highs", "javascript-lp-solver"] as const) {
      expect(plan(unboundedRay, { backend, integer: true, timeLimitMs: 5_000 }).status, backend).toBe("unbounded");
    }
  });

  it("javascript-lp-solver sees a row on no columns that asks for a nonzero total", () => {
    // It drops a constraint on no variables; a row 1 ≤ (nothing) ≤ ∞ makes the LP infeasible.
    const column = { tag: { family: "make", plant: "p", product: "q", period: "1" }, lower: 0, upper: 10, cost: 1, integer: false };
    const lp = {
      sense: "max",
      columns: [column],
      rows: [{ tag: { family: "demand", market: "m", product: "q", period: "1" }, columns: [], values: [], lower: 1, upper: Infinity }],
    } as unknown as LinearProgram;
    expect(jsLpSolverBackend.solve(lp, { integer: false }).status).toBe("infeasible");
    expect(highsBackend.solve(lp, { integer: false }).status).toBe("infeasible");
  });
});
