import type { FastifyInstance } from "fastify";
import { buildApp, type AppOptions } from "../../src/http/app.js";
import type { Json } from "./builders.js";

/** Helpers for tests of the service on a real socket. */

/** Apps started by `listenApp`, for the suite's `afterEach` to close. */
export const startedApps: FastifyInstance[] = [];

export async function listenApp(options: AppOptions): Promise<{ base: string; app: FastifyInstance }> {
  const app = buildApp(options);
  startedApps.push(app);
  return { base: await app.listen({ port: 0, host: "127.0.0.1" }), app };
}

/** An app built and ready for `app.inject()` (one worker thread unless `options` says otherwise); closed by `closeStartedApps`. */
export async function readyApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const app = buildApp({ poolSize: 1, ...options });
  startedApps.push(app);
  await app.ready();
  return app;
}

export async function closeStartedApps(): Promise<void> {
  await Promise.all(startedApps.splice(0).map((app) => app.close()));
}

/**
 * Waits until `condition` holds, polling; fails naming `what` after a
 * generous `timeoutMs` (a loaded 2-core machine is slow, not wrong).
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export interface Answer {
  readonly status: number;
  readonly body: Json;
  readonly headers: Headers;
  /** Milliseconds from sending to the whole answer. */
  readonly ms: number;
}

export async function request(base: string, path: string, body?: unknown): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${base}${path}`, {
    method: body === undefined ? "GET" : "POST",
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  const json = (await response.json()) as Json;
  return { status: response.status, body: json, headers: response.headers, ms: performance.now() - started };
}

/**
 * Polls `/healthz` until `done` settles; the slowest answer in milliseconds.
 * What a planner's monitoring sees while the service solves.
 */
export async function slowestHealthCheck(base: string, done: Promise<unknown>): Promise<number> {
  const state = { settled: false };
  void done.finally(() => (state.settled = true));
  let slowest = 0;
  while (!state.settled) {
    const answer = await request(base, "/healthz");
    if (answer.status !== 200) throw new Error(`/healthz answered ${answer.status}`);
    slowest = Math.max(slowest, answer.ms);
    await sleep(20);
  }
  return slowest;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
