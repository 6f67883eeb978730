import { afterEach, describe, expect, it, vi } from "vitest";
import { present } from "../support/present.js";

// Spies on what plan() hands to the explanation step, and on the HiGHS range check behind it.
vi.mock("../../src/explain/index.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../src/explain/index.js")>();
  return { ...actual, explainPlan: vi.fn(actual.explainPlan) };
});
vi.mock("../../src/solvers/index.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../src/solvers/index.js")>();
  return { ...actual, beyondHighsRange: vi.fn(actual.beyondHighsRange) };
});

const { explainPlan } = await import("../../src/explain/index.js");
const { beyondHighsRange } = await import("../../src/solvers/index.js");
const { formulate, loadBundledScenario, parseScenario, plan } = await import("../../src/index.js");

/** The time budget plan() gave its explanation step (the last call's). */
function budgetGiven(): number | undefined {
  const calls = vi.mocked(explainPlan).mock.calls;
  expect(calls.length).toBe(1);
  return calls[0]?.[3].timeLimitMs;
}

afterEach(() => {
  vi.mocked(explainPlan).mockClear();
  vi.mocked(beyondHighsRange).mockClear();
});

describe("plan and explanation share one time limit", () => {
  it("a diagnosis gets what the solve left of the limit, not the whole limit again", () => {
    const limit = 20_000;
    const result = plan(loadBundledScenario("kz-uz-parts-shortage"), { timeLimitMs: limit });
    const budget = present(budgetGiven(), "the time limit given to the explanation");
    // The deadline was set before the solve, so what is left is at most the limit less the solve's time.
    expect(budget).toBeLessThanOrEqual(limit - result.solver.ms);
    expect(budget).toBeGreaterThan(0);
    expect(result.diagnosis?.conflict.length).toBeGreaterThan(0);
  });

  it("so do prices", () => {
    const limit = 20_000;
    const result = plan(loadBundledScenario("kz-uz-2020"), { timeLimitMs: limit, explain: true });
    expect(budgetGiven()).toBeLessThanOrEqual(limit - result.solver.ms);
    expect(result.sensitivity?.bounds.length).toBeGreaterThan(0);
  });

  it("without a time limit, the explanation has none either", () => {
    plan(loadBundledScenario("kz-uz-2020"), { explain: true });
    expect(budgetGiven()).toBeUndefined();
  });

  it("with no time left, the explanation is skipped and the plan says so", () => {
    const shortage = parseScenario(loadBundledScenario("kz-uz-parts-shortage"));
    const unsolved = plan(shortage, { explain: false });
    const diagnosis = explainPlan(formulate(shortage), unsolved.status, null, { explain: undefined, timeLimitMs: 0.5 }).diagnosis;
    expect(diagnosis).toMatchObject({ conflict: [], relaxations: [], max_achievable: [], relaxations_keeping_targets: null });
    expect(diagnosis?.notes.join(" ")).toMatch(/used up the plan's time limit, so the diagnosis was skipped/);

    const scenario = parseScenario(loadBundledScenario("kz-uz-2020"));
    const solved = plan(scenario);
    const formulation = formulate(scenario);
    const values = new Float64Array(formulation.lp.columns.length); // not read: nothing is priced
    const explanation = explainPlan(formulation, solved.status, values, { explain: true, timeLimitMs: -3 });
    expect(explanation.sensitivity).toMatchObject({ bounds: [], unused_routes: [], unused_sales: [] });
    expect(explanation.sensitivity?.notes.join(" ")).toMatch(/so the prices were skipped/);
    expect(explanation.pricedBounds).toBeUndefined(); // rows keep no shadow price rather than a made-up 0
  });
});

describe("the HiGHS range check behind explanations", () => {
  it("runs only when there is something to explain", () => {
    plan(loadBundledScenario("kz-uz-2020"));
    plan(loadBundledScenario("kz-uz-parts-shortage"), { explain: false });
    expect(beyondHighsRange).not.toHaveBeenCalled();
    plan(loadBundledScenario("kz-uz-2020"), { explain: true });
    expect(beyondHighsRange).toHaveBeenCalledTimes(1);
  });
});
