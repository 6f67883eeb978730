import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { formulate, loadBundledScenario, parsePlanOptions, parseScenario, type Plan } from "../../src/index.js";
import { planFormulation } from "../../src/plan/plan.js";
import { minimalScenario, type Json } from "../support/builders.js";
import { closeStartedApps, listenApp, request, slowestHealthCheck, waitFor } from "../support/http.js";
import { knapsackScenario } from "../support/knapsackScenario.js";
import { anyNumber } from "../support/matchers.js";
import { objectiveOf } from "../support/present.js";
import { scaleScenario } from "../support/scaleScenario.js";

/**
 * The service as a hostile client and an impatient planner meet it: bodies
 * small on the wire that would build huge models or huge answers, solves that
 * do not stop by themselves, a solver that breaks, numbers the solvers
 * cannot represent. Each was found against an earlier version; each is pinned
 * here.
 */
afterEach(closeStartedApps);

const faultyWorker = new URL("../support/faultyWorker.mjs", import.meta.url);

async function post(app: ReturnType<typeof buildApp>, payload: unknown): Promise<{ status: number; body: Json }> {
  const response = await app.inject({ method: "POST", url: "/v1/plans", payload: payload as Json });
  return { status: response.statusCode, body: response.json() };
}

describe("a small body cannot make a huge model", () => {
  /** One route using `resources` resources over `periods` periods: a column a period, a row per resource and period. */
  function manyRows(resources: number, periods: number): Json {
    const names = Array.from({ length: resources }, (_, i) => `r${i}`);
    const hours = Object.fromEntries(names.map((name) => [name, 1_000]));
    return minimalScenario({
      periods: Array.from({ length: periods }, (_, t) => `t${t}`),
      plants: [{ id: "p", resources: hours }],
      routes: [{ plant: "p", product: "q", uses: Object.fromEntries(names.map((name) => [name, 1])) }],
    });
  }

  it("rows and non-zeros count, not only columns: 30 columns over 300,000 capacity rows is refused, naming each limit", async () => {
    const app = buildApp({ poolSize: 1 });
    const body = { scenario: manyRows(10_000, 30) };
    expect(JSON.stringify(body).length).toBeLessThan(400_000);
    const { status, body: problem } = await post(app, body);
    expect(status).toBe(422);
    const errors = problem["errors"] as Json[];
    expect(errors).toContainEqual({ path: "scenario.plants[0].resources", message: "has 10000 resources; this server accepts at most 100 per plant" });
    expect(errors).toContainEqual({
      path: "scenario",
      message: expect.stringMatching(/^the model would have up to 3000\d\d constraints; this server accepts at most 100000$/) as unknown,
    });
    await app.close();
  });

  it("a model within raised limits but too large for the request's thread goes to the pool, never inline", async () => {
    const limits = { resourcesPerPlant: 1_000, rows: 1_000_000, nonZeros: 1_000_000, answerRows: 1_000_000 };
    const log: Json[] = [];
    const { base } = await listenApp({
      poolSize: 1,
      limits,
      logger: { level: "debug", stream: { write: (line: string) => void log.push(JSON.parse(line) as Json) } },
    });
    const answer = request(base, "/v1/plans", { scenario: manyRows(500, 20), options: { timeLimitMs: 20_000 } });
    const slowest = await slowestHealthCheck(base, answer);
    expect((await answer).status).toBe(200);
    expect(log.find((entry) => entry["msg"] === "plan placed")).toMatchObject({ placement: "pool" });
    expect(slowest).toBeLessThan(250);
  });
});

describe("an answer cannot be hundreds of times its request", () => {
  it("a 20 KB id and an answer of more rows than the server sends are refused, each named", async () => {
    const app = buildApp({ poolSize: 1 });
    const resources = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`r${i}`, 10]));
    const scenario = minimalScenario({
      periods: Array.from({ length: 120 }, (_, t) => `t${t}`),
      plants: [{ id: "x".repeat(20_000), resources }, ...Array.from({ length: 10 }, (_, p) => ({ id: `p${p}`, resources }))],
    });
    const { status, body } = await post(app, { scenario });
    expect(status).toBe(422);
    const errors = body["errors"] as Json[];
    expect(errors).toContainEqual({ path: "scenario.plants[0].id", message: "is 20000 characters long; this server accepts ids and labels of at most 128" });
    expect(errors).toContainEqual({
      path: "scenario",
      message: expect.stringMatching(/^its answer could hold up to \d+ rows; this server answers with at most 100000$/) as unknown,
    });
    await app.close();
  });
});

describe("a solve cut at its deadline", () => {
  it("is answered with what its worker sent, without redoing the work on the request's thread", async () => {
    const { base } = await listenApp({ poolSize: 1, workerFile: faultyWorker, terminationMarginMs: 100 });
    const started = Date.now();
    const answer = await request(base, "/v1/plans", { scenario: minimalScenario({ title: "fault: hang" }), options: { integer: true, timeLimitMs: 500 } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ sent: "by the worker before it hung" });
    expect(Date.now() - started).toBeLessThan(500 + 100 + 300);
  });

  it("a whole-unit search that HiGHS stops only seconds late answers within the limit plus 0.3 s, with the model built", async () => {
    const { base } = await listenApp({ poolSize: 1 });
    const limit = 2_000;
    const answer = request(base, "/v1/plans", {
      scenario: scaleScenario({ plants: 40, products: 150, parts: 300, integer: true }),
      options: { timeLimitMs: limit },
    });
    const slowest = await slowestHealthCheck(base, answer);
    const { status, body, ms } = await answer;
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "time_limit", solver: { integer: true } });
    expect((body["capacity"] as Json[]).length).toBeGreaterThan(0);
    expect(ms).toBeLessThan(limit + 300);
    expect(slowest).toBeLessThan(250);
  });

  it("carries the best whole-unit plan found by then, verified", async () => {
    const { base } = await listenApp({ poolSize: 1 });
    const limit = 3_000;
    // HiGHS finds plans for it within about 1.5 s here, and usually needs more than 3 s to prove the best one.
    const { status, body, ms } = await request(base, "/v1/plans", { scenario: knapsackScenario(500, 15), options: { timeLimitMs: limit, mipGap: 0 } });
    expect(status).toBe(200);
    expect(body).toMatchObject({ objective: anyNumber(), verification: { feasible: true } });
    expect(["time_limit", "optimal"]).toContain(body["status"]);
    expect(ms).toBeLessThan(limit + 300);
  });
});

describe("whole-unit searches report their incumbents", () => {
  it("each better plan HiGHS finds reaches the caller verified, the last no better than the answer", () => {
    const formulation = formulate(parseScenario(knapsackScenario(200, 10)));
    const incumbents: Plan[] = [];
    const final = planFormulation(formulation, parsePlanOptions({ backend: "highs" }), performance.now(), { onIncumbent: (found) => incumbents.push(found) });
    expect(final.status).toBe("optimal");
    expect(incumbents.length).toBeGreaterThan(0);
    for (const found of incumbents) expect(found).toMatchObject({ status: "time_limit", objective: anyNumber(), verification: { feasible: true } });
    const objectives = incumbents.map((found) => objectiveOf(found));
    expect(objectives).toEqual([...objectives].sort((a, b) => a - b)); // each better than the one before (a maximized margin)
    expect(objectiveOf(final)).toBeGreaterThanOrEqual(objectives.at(-1) ?? Number.NaN);
  });
});

describe("a worker whose solver broke", () => {
  it("is replaced: every whole-unit plan after the failure is answered", async () => {
    const { base, app } = await listenApp({ poolSize: 1, workerFile: faultyWorker });
    app.solveService.start();
    await waitFor(() => app.solveService.pool.workers.length === 1, "the worker to start");
    const before = app.solveService.pool.workers[0]?.threadId;
    const broken = await request(base, "/v1/plans", { scenario: minimalScenario({ title: "fault: highs" }), options: { integer: true } });
    expect(broken.status).toBe(500);
    await waitFor(() => app.solveService.pool.workers.some((worker) => worker.threadId !== before), "a fresh worker");
    for (let i = 0; i < 4; i++) {
      const after = await request(base, "/v1/plans", { scenarioId: "kz-uz-2020", options: { integer: true } });
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({ status: "optimal" });
    }
  });
});

describe("numbers the solvers would get wrong", () => {
  /** HiGHS ends this one in an error state (model status "notSet"), also without presolve. */
  const undecidable = {
    ...minimalScenario(),
    plants: [{ id: "p", resources: { h: 1, g: 1_000_000 } }],
    products: [
      { id: "q", family: "car", bom: { k: 5 } },
      { id: "w", family: "car" },
    ],
    parts: [
      {
        id: "k",
        sources: [
          { id: "s", local: true, capacity: 1, unit_cost: 0.5 },
          { id: "i", local: false, unit_cost: 5 },
        ],
      },
    ],
    routes: [
      { plant: "p", product: "q", uses: { h: 1e12, g: 1e9 }, unit_cost: 5 },
      { plant: "p", product: "w", uses: { h: 0.001 }, unit_cost: 1e9 },
    ],
    markets: [{ id: "m" }, { id: "x", export: true }],
    demand: [
      { market: "m", product: "q", price: 1e6, min: 0 },
      { market: "x", product: "w", price: 1e12, max: 1e6 },
    ],
    targets: [
      { id: "e", kind: "export_share", min: 0.3 },
      { id: "l", kind: "local_parts_share", min: 0.5 },
    ],
  };

  it("a solver that cannot decide is a status the caller can read, not a 500; auto keeps the other backend's verified answer", async () => {
    const app = buildApp({ poolSize: 1 });
    const highs = await post(app, { scenario: undecidable, options: { backend: "highs" } });
    expect(highs.status).toBe(200);
    expect(highs.body).toMatchObject({
      status: "undecided",
      objective: null,
      solver: { backend: "highs", detail: expect.stringMatching(/model status/) as unknown },
    });
    const auto = await post(app, { scenario: undecidable });
    expect(auto.status).toBe(200);
    expect(auto.body).toMatchObject({ status: "optimal", verification: { feasible: true } });
    await app.close();
  });

  it("quantities below what the solvers can tell from zero are refused with their path", async () => {
    const app = buildApp({ poolSize: 1 });
    const scenario = minimalScenario({
      products: [{ id: "q", family: "car", bom: { k: 1e-9 } }],
      parts: [{ id: "k", sources: [{ id: "s", local: true, capacity: 0 }] }],
      demand: [{ market: "m", product: "q", price: 10, min: 1e-9 }],
    });
    const { status, body } = await post(app, { scenario });
    expect(status).toBe(422);
    const paths = (body["errors"] as Json[]).map((error) => error["path"]);
    expect(paths).toEqual(["scenario.products[0].bom.k", "scenario.demand[0].min"]);
    await app.close();
  });

  it("a share target so close to 1 that its coefficients would be dropped is refused, naming the target", async () => {
    const app = buildApp({ poolSize: 1 });
    const scenario = { ...(loadBundledScenario("kz-uz-2020") as Json), targets: [{ id: "almost_all", kind: "export_share", min: 1 - 1e-11 }] };
    const { status, body } = await post(app, { scenario });
    expect(status).toBe(422);
    expect(body["errors"]).toEqual([{ path: "scenario.targets[0].min", message: expect.stringMatching(/below what the solvers can represent/) as unknown }]);
    await app.close();
  });
});
