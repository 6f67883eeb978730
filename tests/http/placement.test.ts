import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { solvesInline } from "../../src/http/planRequest.js";
import { runPlanTaskInline, type PlanTask } from "../../src/http/planTask.js";
import { formulate, parseScenario, plan } from "../../src/index.js";
import { AUTO_JS_LP_MAX_COLUMNS } from "../../src/solvers/index.js";
import type { Json } from "../support/builders.js";
import { largeScenario } from "../support/largeScenario.js";

/**
 * Where the service solves a plan: on the request's thread only when the
 * backend that will run is cheap and bounded, otherwise in the worker pool.
 * Observed through the request log's `plan.placement` field.
 */
let app: FastifyInstance;
const log: Json[] = [];
beforeAll(async () => {
  app = buildApp({ poolSize: 1, logger: { level: "info", stream: { write: (line: string) => void log.push(JSON.parse(line) as Json) } } });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

/** Posts a plan request and returns its answer with the log line written for it. */
async function placed(payload: Json): Promise<{ status: number; body: Json; placement: unknown }> {
  const before = log.length;
  const response = await app.inject({ method: "POST", url: "/v1/plans", payload });
  const line = log.slice(before).find((entry) => entry["msg"] === "request completed");
  return { status: response.statusCode, body: response.json(), placement: (line?.["plan"] as Json | undefined)?.["placement"] };
}

/** 4 plants × 4 products, 3 markets: 16 routes × (make + 3 sells) = 64 columns, just over auto's javascript-lp-solver limit. */
const midsize = largeScenario({ plants: 4, products: 4, markets: 3 }, "midsize");
/** 3 × 4, 3 markets: 48 columns, where auto picks javascript-lp-solver. */
const small = largeScenario({ plants: 3, products: 4, markets: 3 }, "small");

describe("where a plan is solved", () => {
  it("the test scenarios straddle auto's javascript-lp-solver limit", () => {
    expect(formulate(parseScenario(midsize)).lp.columns.length).toBe(64);
    expect(formulate(parseScenario(small)).lp.columns.length).toBe(48);
    expect(AUTO_JS_LP_MAX_COLUMNS).toBeLessThan(64);
    expect(AUTO_JS_LP_MAX_COLUMNS).toBeGreaterThanOrEqual(48);
  });

  it("javascript-lp-solver named for an LP above auto's limit goes to the pool; auto and HiGHS solve it inline", async () => {
    const named = await placed({ scenario: midsize, options: { backend: "javascript-lp-solver" } });
    expect(named).toMatchObject({ status: 200, placement: "pool", body: { status: "optimal", solver: { backend: "javascript-lp-solver" } } });
    const auto = await placed({ scenario: midsize });
    expect(auto).toMatchObject({ status: 200, placement: "inline", body: { status: "optimal", solver: { backend: "highs" } } });
    const highs = await placed({ scenario: midsize, options: { backend: "highs" } });
    expect(highs).toMatchObject({ status: 200, placement: "inline", body: { status: "optimal", solver: { backend: "highs" } } });
    expect(named.body["objective"]).toBe(plan(midsize, { backend: "javascript-lp-solver" }).objective);
  });

  it("javascript-lp-solver, named or chosen by auto, solves inline within auto's limit; integer models go to the pool", async () => {
    expect(await placed({ scenario: small, options: { backend: "javascript-lp-solver" } })).toMatchObject({ status: 200, placement: "inline" });
    expect(await placed({ scenario: small })).toMatchObject({ status: 200, placement: "inline", body: { solver: { backend: "javascript-lp-solver" } } });
    expect(await placed({ scenario: small, options: { integer: true } })).toMatchObject({ status: 200, placement: "pool" });
    expect(await placed({ scenarioId: "kz-uz-2020", options: { backend: "javascript-lp-solver" } })).toMatchObject({ status: 200, placement: "inline" });
  });

  it("the rule: continuous, unexplained, small, and a backend that stops in time", () => {
    const at = (columns: number, backend: unknown, more: { integer?: boolean; explain?: unknown } = {}) =>
      solvesInline({ integer: more.integer ?? false, columns, backend, explain: more.explain }, 100);
    const limit = AUTO_JS_LP_MAX_COLUMNS;
    expect([at(limit, "auto"), at(limit, undefined), at(limit, "javascript-lp-solver"), at(limit, "highs")]).toEqual([true, true, true, true]);
    expect([at(limit + 1, "auto"), at(limit + 1, "javascript-lp-solver"), at(limit + 1, "highs")]).toEqual([true, false, true]);
    expect([at(101, "auto"), at(101, "highs")]).toEqual([false, false]);
    expect([at(10, "auto", { integer: true }), at(10, "auto", { explain: true }), at(10, "auto", { explain: false })]).toEqual([false, false, true]);
  });

  it("on the request's thread, the rule is checked again on the formulated LP", () => {
    const task = (options: Json): PlanTask => ({ scenario: midsize, options, receivedAt: Date.now(), deadline: Date.now() + 10_000, maxTimeLimitMs: 60_000 });
    // Placed inline on a (wrong) estimate: the LP's 64 columns are too many for javascript-lp-solver here.
    expect(runPlanTaskInline(task({ backend: "javascript-lp-solver" }), 100)).toEqual({ kind: "to_pool" });
    expect(runPlanTaskInline(task({ backend: "highs" }), 100)).toMatchObject({ kind: "plan", plan: { status: "optimal" } });
    expect(runPlanTaskInline(task({ backend: "highs" }), 50)).toEqual({ kind: "to_pool" });
  });
});
