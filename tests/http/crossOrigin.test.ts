import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { closeStartedApps, readyApp } from "../support/http.js";

/** CORS: closed by default; open to the exact origins configured, with preflights answered before any key is asked for. */
const page = "https://plans.example.com";
const key = "planner-key-0123456789abcdef";

afterEach(closeStartedApps);

const start = readyApp;

const preflight = (app: FastifyInstance, origin: string, method = "POST") =>
  app.inject({
    method: "OPTIONS",
    url: "/v1/plans",
    headers: { origin, "access-control-request-method": method, "access-control-request-headers": "authorization, content-type" },
  });

function expectRefused(response: LightMyRequestResponse): void {
  expect(response.headers["access-control-allow-origin"]).toBeUndefined();
  expect(response.headers["access-control-allow-methods"]).toBeUndefined();
  expect(response.headers["access-control-allow-headers"]).toBeUndefined();
}

describe("CORS", () => {
  it("is closed by default: no page on another origin may call, preflight or not", async () => {
    const app = await start({});
    const answered = await preflight(app, page);
    expect(answered.statusCode).toBe(404);
    expect(answered.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    expectRefused(answered);
    const read = await app.inject({ url: "/v1/scenarios", headers: { origin: page } });
    expect(read.statusCode).toBe(200);
    expectRefused(read);
  });

  it("answers the preflight of a configured origin, allowing Authorization", async () => {
    const app = await start({ corsOrigins: ["http://localhost:5173", page] });
    for (const method of ["POST", "GET", "DELETE"]) {
      const answered = await preflight(app, page, method);
      expect(answered.statusCode).toBe(204);
      expect(answered.headers["access-control-allow-origin"]).toBe(page);
      expect(answered.headers["access-control-allow-methods"]).toBe("GET, HEAD, POST, DELETE");
      expect(answered.headers["access-control-allow-headers"]).toBe("Authorization, Content-Type");
      expect(answered.headers["access-control-max-age"]).toBe("600");
      expect(answered.headers["access-control-allow-credentials"]).toBeUndefined();
    }
    const read = await app.inject({ url: "/v1/scenarios", headers: { origin: page } });
    expect(read.statusCode).toBe(200);
    expect(read.headers["access-control-allow-origin"]).toBe(page);
    expect(read.headers.vary).toMatch(/Origin/);
    expect(read.headers["access-control-expose-headers"]).toMatch(/Retry-After/);
  });

  it("refuses every other origin, including near misses of a configured one", async () => {
    const app = await start({ corsOrigins: [page] });
    for (const origin of [
      "https://evil.example.com",
      "http://plans.example.com",
      "https://plans.example.com:8443",
      "https://plans.example.com.evil.net",
      "null",
    ]) {
      const answered = await preflight(app, origin);
      expect(answered.statusCode, origin).toBe(404);
      expectRefused(answered);
      const read = await app.inject({ url: "/v1/scenarios", headers: { origin } });
      expectRefused(read);
    }
  });

  it("with keys, the preflight needs none, and refusals still carry CORS headers for the page to read", async () => {
    const app = await start({ corsOrigins: [page], apiKeys: [key] });
    const answered = await preflight(app, page);
    expect(answered.statusCode).toBe(204);
    expect(answered.headers["access-control-allow-origin"]).toBe(page);
    const unauthorized = await app.inject({ url: "/v1/scenarios", headers: { origin: page } });
    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.headers["access-control-allow-origin"]).toBe(page);
    expect(unauthorized.headers["access-control-expose-headers"]).toMatch(/WWW-Authenticate/);
    // Another origin's preflight is not answered: without a key it is refused like any request.
    const other = await preflight(app, "https://evil.example.com");
    expect(other.statusCode).toBe(401);
    expectRefused(other);

    const limitedApp = await start({ corsOrigins: [page], apiKeys: [key], rateLimitMax: 1 });
    const headers = { origin: page, authorization: `Bearer ${key}` };
    expect((await limitedApp.inject({ url: "/v1/scenarios", headers })).statusCode).toBe(200);
    const limited = await limitedApp.inject({ url: "/v1/scenarios", headers });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers["access-control-allow-origin"]).toBe(page);
    expect(limited.headers["access-control-expose-headers"]).toMatch(/Retry-After/);
  });
});
