import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { resolveConfig } from "../../src/http/config.js";
import { placement } from "../../src/http/placement.js";
import { formulate, parseScenario, plan } from "../../src/index.js";
import { AUTO_JS_LP_MAX_COLUMNS, AUTO_JS_LP_MAX_ROWS, type BackendChoice } from "../../src/solvers/index.js";
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
    const config = resolveConfig({ inlineMaxColumns: 100, inlineMaxRows: 400, inlineMaxNonZeros: 4_000 });
    const at = (columns: number, backend: BackendChoice, more: { integer?: boolean; explain?: boolean; rows?: number; nonZeros?: number } = {}) =>
      placement(
        {
          kind: "plan",
          size: { columns, rows: more.rows ?? 50, nonZeros: more.nonZeros ?? 200, integer: more.integer ?? false },
          backend,
          explain: more.explain ?? false,
        },
        config,
      );
    const limit = AUTO_JS_LP_MAX_COLUMNS;
    expect([at(limit, "auto"), at(limit, "javascript-lp-solver"), at(limit, "highs")]).toEqual(["inline", "inline", "inline"]);
    expect([at(limit + 1, "auto"), at(limit + 1, "javascript-lp-solver"), at(limit + 1, "highs")]).toEqual(["inline", "pool", "inline"]);
    expect([at(101, "auto"), at(101, "highs")]).toEqual(["pool", "pool"]);
    expect([at(10, "auto", { integer: true }), at(10, "auto", { explain: true })]).toEqual(["pool", "pool"]);
    // Rows and non-zeros count too: javascript-lp-solver's tableau has a row per constraint.
    expect(at(limit, "javascript-lp-solver", { rows: AUTO_JS_LP_MAX_ROWS + 1 })).toBe("pool");
    expect([at(50, "highs", { rows: 401 }), at(50, "highs", { nonZeros: 4_001 })]).toEqual(["pool", "pool"]);
    // Comparisons and sweeps are many solves: always in the pool.
    const small = { size: { columns: 10, rows: 10, nonZeros: 20, integer: false }, backend: "auto" as const, explain: false };
    expect([placement({ kind: "compare", ...small }, config), placement({ kind: "sweep", ...small }, config)]).toEqual(["pool", "pool"]);
  });
});
