import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { runTask } from "../../src/tasks/run.js";
import { minimalScenario, type Json } from "../support/builders.js";
import { containing } from "../support/matchers.js";

/**
 * A task that throws (a bug) is a logged 500 with a bare problem body; only a
 * worker that dies is a 503 worker-failed. The pool runs a worker entry that
 * fails on purpose (tests/support/faultyWorker.mjs).
 */
let app: FastifyInstance;
const log: Json[] = [];
beforeAll(async () => {
  app = buildApp({
    poolSize: 1,
    workerFile: new URL("../support/faultyWorker.mjs", import.meta.url),
    logger: { level: "info", stream: { write: (line: string) => void log.push(JSON.parse(line) as Json) } },
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

/** Integer, so that it goes to the pool. */
const pooled = (title: string) => ({ scenario: { ...minimalScenario(), title }, options: { integer: true } });

describe("failures inside a plan task", () => {
  it("the task returns what it threw, as plain data", async () => {
    const throwing = new Proxy(
      {},
      {
        get: () => {
          throw new RangeError("boom");
        },
      },
    );
    const task = {
      kind: "plan" as const,
      body: { scenario: throwing, options: {} },
      receivedAt: Date.now(),
      deadline: Date.now() + 1_000,
      maxTimeLimitMs: 60_000,
    };
    const result = await runTask(task, { inline: false, solverShare: 1 });
    expect(result).toMatchObject({ kind: "failed", error: { name: "RangeError", message: "boom", stack: containing("RangeError: boom") } });
  });

  it("a task that throws in a worker answers a logged 500 without internals; the worker keeps serving", async () => {
    const before = log.length;
    const response = await app.inject({ method: "POST", url: "/v1/plans", payload: pooled("fault: throw") });
    expect(response.statusCode).toBe(500);
    expect(response.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    expect(response.json()).toEqual({
      type: "urn:jointplan:problem:internal",
      title: "Internal error",
      status: 500,
      detail: "The server failed to answer this request; the error has been logged.",
      errors: [],
    });
    expect(response.body).not.toContain("a bug in the task");
    const lines = log.slice(before);
    const logged = lines.find((entry) => entry["msg"] === "task failed");
    expect((logged?.["err"] as Json | undefined)?.["message"]).toBe("a bug in the task");
    expect(String((logged?.["err"] as Json | undefined)?.["stack"])).toContain("faultyWorker.mjs");
    expect(lines.find((entry) => entry["msg"] === "request completed")).toMatchObject({ route: "/v1/plans", status: 500 });

    const threads = [...app.solveService.pool.workers];
    const after = await app.inject({ method: "POST", url: "/v1/plans", payload: pooled("fine") });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({ status: "optimal" });
    expect(app.solveService.pool.workers).toEqual(threads); // the same worker: nothing died
  });

  it("a worker that dies answers 503 worker-failed with Retry-After, and the pool recovers", async () => {
    const response = await app.inject({ method: "POST", url: "/v1/plans", payload: pooled("fault: exit") });
    expect(response.statusCode).toBe(503);
    expect(response.headers["retry-after"]).toBe("1");
    expect(response.json()).toMatchObject({ type: "urn:jointplan:problem:worker-failed", status: 503, errors: [] });
    const after = await app.inject({ method: "POST", url: "/v1/plans", payload: pooled("fine") });
    expect(after.statusCode).toBe(200);
  });
});
