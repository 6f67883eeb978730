import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import type { AppOptions } from "../../src/http/app.js";
import { loadBundledScenario, plan, type Plan, type PlanOptions } from "../../src/index.js";
import { minimalScenario, type Json } from "../support/builders.js";
import { closeStartedApps, listenApp, request, sleep, waitFor } from "../support/http.js";
import { anyNumber, anyString, containing, matching } from "../support/matchers.js";
import { largeScenario } from "../support/largeScenario.js";

/**
 * The service on a real socket: concurrency, a long solve next to /healthz,
 * deadlines (a worker stuck past its limit is terminated and replaced), the
 * bounded queue, and a graceful SIGTERM of the built server. Durations come
 * from the requests' own time limits, not from how fast this machine solves.
 */

/**
 * A continuous LP that javascript-lp-solver solves in far more than a few
 * seconds (2,500 columns on its dense tableau), and whose simplex no time
 * limit interrupts: only terminating the worker stops it.
 */
const stuck = largeScenario({ plants: 25, products: 25, markets: 3 }, "stuck");
const stuckBody = (timeLimitMs: number) => ({ scenario: stuck, options: { backend: "javascript-lp-solver", timeLimitMs } });
/** A plan that goes to the pool (integer) but solves quickly. */
const pooledBody = (timeLimitMs?: number) => ({ scenarioId: "kz-uz-2020", options: { integer: true, ...(timeLimitMs === undefined ? {} : { timeLimitMs }) } });

afterEach(closeStartedApps);

async function listen(options: AppOptions): Promise<string> {
  return (await listenApp(options)).base;
}

const untimed = (result: Plan | Json) => ({ ...result, solver: { ...(result.solver as Json), ms: 0 } });

describe("the service on a real socket", () => {
  it("answers 100 concurrent plans exactly as the library does", async () => {
    const base = await listen({ poolSize: 2, queueLimit: 200 });
    const cases: { body: Json; scenario: unknown; options?: PlanOptions }[] = [
      { body: { scenarioId: "kz-uz-2020" }, scenario: loadBundledScenario("kz-uz-2020") },
      { body: { scenarioId: "kz-uz-2019-2025" }, scenario: loadBundledScenario("kz-uz-2019-2025") },
      { body: { scenarioId: "kz-uz-parts-shortage" }, scenario: loadBundledScenario("kz-uz-parts-shortage") },
      { body: pooledBody(), scenario: loadBundledScenario("kz-uz-2020"), options: { integer: true } },
      { body: { scenario: minimalScenario() }, scenario: minimalScenario() },
      ...[4, 6, 8].map((n) => {
        const scenario = largeScenario({ plants: n, products: n, markets: 2 }, `generated-${n}`);
        return { body: { scenario, options: { backend: "highs" } }, scenario, options: { backend: "highs" } satisfies PlanOptions };
      }),
    ];
    const expected = cases.map(({ scenario, options }) => untimed(plan(scenario, options)));
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => request(base, "/v1/plans", cases[i % cases.length]?.body)));
    answers.forEach((answer, i) => {
      expect(answer.status).toBe(200);
      expect(untimed(answer.body)).toEqual(expected[i % cases.length]);
    });
  });

  it("keeps /healthz under 100 ms while a multi-second solve runs, then terminates the stuck worker at its deadline", async () => {
    const limit = 3_000;
    const margin = 200;
    const { base, app } = await listenApp({ poolSize: 1, terminationMarginMs: margin });
    const long = request(base, "/v1/plans", stuckBody(limit));
    await waitFor(() => app.solveService.pending === 1, "the solve to be under way in the worker");
    const health: number[] = [];
    const solve = { settled: false };
    void long.finally(() => (solve.settled = true));
    while (!solve.settled) {
      const answer = await request(base, "/healthz");
      expect(answer.status).toBe(200);
      health.push(answer.ms);
      await sleep(50);
    }
    expect(health.length).toBeGreaterThan(20); // polled through the whole solve
    expect(Math.max(...health)).toBeLessThan(100);

    const answer = await long;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      scenario: "stuck",
      status: "time_limit",
      objective: null,
      production: [],
      solver: { backend: "javascript-lp-solver", integer: false },
    });
    expect(answer.ms).toBeGreaterThanOrEqual(limit);
    expect(answer.ms).toBeLessThan(limit + margin + 1_000);

    // The terminated worker was replaced: the pool plans again.
    const after = await request(base, "/v1/plans", pooledBody());
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ status: "optimal", solver: { integer: true } });
  });

  it("counts time waiting for a worker against the request's limit: one that never got a worker is a 503 to retry", async () => {
    const margin = 100;
    const { base, app } = await listenApp({ poolSize: 1, terminationMarginMs: margin, retryAfterSeconds: 2 });
    const blocker = request(base, "/v1/plans", stuckBody(1_500));
    await waitFor(() => app.solveService.pending === 1, "the blocker to hold the worker");
    const queued = await request(base, "/v1/plans", pooledBody(500));
    expect(queued.status).toBe(503);
    expect(queued.headers.get("retry-after")).toBe("2");
    expect(queued.body).toMatchObject({ type: "urn:jointplan:problem:overloaded", detail: matching(/no worker was free/) });
    expect(queued.ms).toBeLessThan(500 + margin + 1_000);
    expect((await blocker).body).toMatchObject({ status: "time_limit" });
  });

  it("answers 503 with Retry-After when the queue is full, while small plans still solve inline", async () => {
    const { base, app } = await listenApp({ poolSize: 1, queueLimit: 1, terminationMarginMs: 100, retryAfterSeconds: 3 });
    // The stuck solve holds the one worker until its deadline: the window in which the queue is full.
    const running = request(base, "/v1/plans", stuckBody(4_000));
    await waitFor(() => app.solveService.pending === 1, "the stuck solve to hold the worker");
    const waiting = request(base, "/v1/plans", pooledBody(4_000));
    await waitFor(() => app.solveService.pending === 2, "a second plan to wait in the queue");
    const refused = await request(base, "/v1/plans", pooledBody());
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("3");
    expect(refused.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    expect(refused.body).toEqual({
      type: "urn:jointplan:problem:overloaded",
      title: "Service overloaded",
      status: 503,
      detail: "2 requests are running or waiting; retry in 3 s.",
      errors: [],
    });
    const inline = await request(base, "/v1/plans", { scenarioId: "kz-uz-2020" });
    expect(inline.status).toBe(200);
    expect(inline.body).toMatchObject({ status: "optimal" });
    expect((await running).status).toBe(200);
    // Its deadline is the stuck one's: it never got the worker, and is told to retry.
    expect((await waiting).status).toBe(503);
    expect((await request(base, "/v1/plans", pooledBody())).status).toBe(200);
  });
});

describe("jointplan serve", () => {
  it("on SIGTERM stops accepting, lets in-flight solves finish, logs one line per request without bodies, and exits 0", async () => {
    const bin = join(import.meta.dirname, "..", "..", "bin", "jointplan.js");
    const server = spawn(process.execPath, [bin, "serve", "--port", "0"], {
      env: { ...process.env, JOINTPLAN_POOL_SIZE: "1", LOG_LEVEL: "debug" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
    const log: Json[] = [];
    const base = await new Promise<string>((resolve, reject) => {
      server.once("exit", (code) => reject(new Error(`server exited early with ${code}`)));
      createInterface({ input: server.stdout }).on("line", (line) => {
        const entry = JSON.parse(line) as Json;
        log.push(entry);
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(String(entry["msg"]));
        if (match?.[1] !== undefined) resolve(match[1]);
      });
    });

    const secret = { ...minimalScenario(), title: "a title that must not reach the log" };
    expect((await request(base, "/v1/plans", { scenario: secret })).status).toBe(200);
    const inFlight = request(base, "/v1/plans", stuckBody(3_000));
    await waitFor(() => log.some((entry) => entry["msg"] === "plan placed" && entry["placement"] === "pool"), "the slow plan to reach the pool");
    server.kill("SIGTERM");
    await waitFor(() => log.some((entry) => String(entry["msg"]).startsWith("shutting down")), "the server to begin shutting down");
    // No new connections: once the listener is closed, a request cannot connect.
    await waitFor(
      () =>
        fetch(`${base}/healthz`).then(
          () => false,
          () => true,
        ),
      "the server to refuse new connections",
    );

    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ scenario: "stuck", status: "time_limit" });
    expect(await exited).toBe(0);

    const requests = log.filter((entry) => entry["msg"] === "request completed");
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ reqId: anyString(), method: "POST", route: "/v1/plans", status: 200, ms: anyNumber() });
    expect(requests[0]?.["plan"]).toMatchObject({ scenario: "test", status: "optimal", placement: "inline", solveMs: anyNumber() });
    expect(requests[1]?.["plan"]).toMatchObject({ scenario: "stuck", status: "time_limit", placement: "pool", abandoned: true });
    expect(log.map((entry) => entry["msg"])).toEqual(
      expect.arrayContaining(["shutting down: no new connections, finishing in-flight requests", "shut down cleanly"]),
    );
    expect(JSON.stringify(log)).not.toContain("must not reach the log");
  });
});

describe("jointplan serve, wrongly asked", () => {
  const bin = join(import.meta.dirname, "..", "..", "bin", "jointplan.js");
  it("exits 1 with the reason for a bad port, a stray argument, bad configuration or a port in use", async () => {
    const run = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [bin, "serve", ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 20_000 });
    expect(run(["--port", "http"])).toMatchObject({ status: 1, stderr: containing('--port expects a port number, got "http"') });
    expect(run(["now"])).toMatchObject({ status: 1, stderr: containing("serve takes no arguments, got now") });
    expect(run([], { JOINTPLAN_POOL_SIZE: "lots" })).toMatchObject({ status: 1, stderr: containing("JOINTPLAN_POOL_SIZE must be a number") });
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    try {
      const port = String((blocker.address() as AddressInfo).port);
      expect(run(["--port", port], { LOG_LEVEL: "warn" })).toMatchObject({ status: 1, stderr: containing("EADDRINUSE") });
    } finally {
      blocker.close();
    }
  });
});

describe("npm run bench:http", () => {
  it("runs (smoke: one short round) and reports every contender against the baseline", () => {
    const root = join(import.meta.dirname, "..", "..");
    const output = execFileSync(process.execPath, ["--import", "tsx", join(root, "benchmarks", "http.ts"), "--smoke"], { encoding: "utf8", cwd: root });
    expect(output).toMatch(/bare route: raw javascript-lp-solver Solve \(baseline\)\s+\d+ req\/s/);
    expect(output.match(/% of baseline {2}p99 \d+\.\d\d × baseline/g)).toHaveLength(4);
  });
});
