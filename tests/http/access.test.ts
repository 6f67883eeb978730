import * as crypto from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { closeStartedApps, readyApp, startedApps } from "../support/http.js";
import { temporaryDataDir } from "../support/postgres.js";
import { ApiKeys, credentialsOf } from "../../src/http/access.js";
import { buildApp, type AppOptions } from "../../src/http/app.js";
import { configFromEnv } from "../../src/http/config.js";

// Every timingSafeEqual call is recorded (and still compares): the key check must go through it.
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

/**
 * Who may call (docs/service.md, "Who may call"): API keys on every route
 * but /healthz, compared in constant time, and the per-client rate limit.
 */
const key = "planner-key-0123456789abcdef";
const otherKey = "analyst-key-ZYXWVUTSRQPONMLK";
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

afterEach(closeStartedApps);

const start = readyApp;

interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly public: boolean;
}

/** The app with every route it registers, as fastify announces them (routes are registered in plugins, when the app gets ready). */
async function startListingRoutes(options: AppOptions): Promise<{ app: FastifyInstance; routes: RegisteredRoute[] }> {
  const app = buildApp({ poolSize: 1, ...options });
  startedApps.push(app);
  const routes: RegisteredRoute[] = [];
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, public: route.config?.public === true });
  });
  await app.ready();
  return { app, routes };
}

/** A URL that reaches the route: parameters and wildcards filled in (`*` alone is the CORS plugin's OPTIONS route). */
const concrete = (url: string) => (url === "*" ? "/v1/plans" : url.replace(/:[^/]+/g, "kz-uz-2020").replace(/\*$/, "index.css"));

function expectUnauthorized(response: LightMyRequestResponse, challenge: string, detail: string): void {
  expect(response.statusCode).toBe(401);
  expect(response.headers["www-authenticate"]).toBe(challenge);
  expect(response.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
  expect(response.json()).toEqual({ type: "urn:jointplan:problem:unauthorized", title: "Unauthorized", status: 401, detail, errors: [] });
}

const missingKey = { challenge: 'Bearer realm="jointplan"', detail: "This service requires an API key: send it as Authorization: Bearer <key>." };
const invalidKey = {
  challenge: 'Bearer realm="jointplan", error="invalid_token", error_description="The API key is not valid"',
  detail: "The API key is not valid.",
};

describe("API keys", () => {
  it("with keys, every registered route but /healthz answers 401 without a valid key, unknown routes included", async () => {
    const { app, routes } = await startListingRoutes({ apiKeys: [key] });
    // The listing is the app's own: the documented routes, the UI, the document, and whatever else is registered.
    expect(routes.map(({ method, url }) => `${method} ${url}`)).toEqual(
      expect.arrayContaining([
        "GET /healthz",
        "GET /v1/scenarios",
        "GET /v1/scenarios/:id",
        "POST /v1/plans",
        "GET /openapi.json",
        "GET /docs",
        "GET /docs/static/*",
      ]),
    );
    const guarded = routes.filter((route) => !route.public);
    expect(routes.filter((route) => route.public).map(({ method, url }) => `${method} ${url}`)).toEqual(["GET /healthz", "HEAD /healthz"]);
    for (const route of [...guarded, { method: "GET", url: "/", public: false }, { method: "POST", url: "/v1/nowhere", public: false }]) {
      const request = {
        method: route.method,
        url: concrete(route.url),
        payload: route.method === "POST" ? { scenarioId: "kz-uz-2020" } : undefined,
      };
      const label = `${route.method} ${route.url}`;
      const none = await app.inject(request);
      expect(none.statusCode, label).toBe(401);
      if (route.method !== "HEAD") expectUnauthorized(none, missingKey.challenge, missingKey.detail);
      const wrong = await app.inject({ ...request, headers: bearer(otherKey) });
      expect(wrong.statusCode, label).toBe(401);
      expect(wrong.headers["www-authenticate"], label).toBe(invalidKey.challenge);
    }
    for (const method of ["GET", "HEAD"] as const) {
      expect((await app.inject({ method, url: "/healthz" })).statusCode).toBe(200);
      expect((await app.inject({ method, url: "/healthz", headers: bearer("not-a-key-at-all") })).statusCode).toBe(200);
    }
  });

  it("the right key is accepted on every route: the API, its document and the UI", async () => {
    const folder = await temporaryDataDir();
    onTestFinished(async () => {
      await closeStartedApps();
      await folder.remove();
    });
    const { app, routes } = await startListingRoutes({ apiKeys: [otherKey, key], library: { dataDir: folder.dir } });
    // A job to read: GET /v1/jobs/{id} takes the id of one submitted with a key.
    const submitted = await app.inject({ method: "POST", url: "/v1/jobs", payload: { kind: "plan", scenarioId: "kz-uz-2020" }, headers: bearer(key) });
    expect(submitted.statusCode).toBe(202);
    const jobUrl = `/v1/jobs/${submitted.json<{ id: string }>().id}`;
    // A saved version to read (named as concrete() fills in names), and a result saved with it.
    const scenario = (await app.inject({ url: "/v1/scenarios/kz-uz-2020", headers: bearer(key) })).json<unknown>();
    const saved = await app.inject({ method: "POST", url: "/v1/library/kz-uz-2020/versions", payload: { scenario }, headers: bearer(key) });
    expect(saved.statusCode).toBe(201);
    const result = await app.inject({ method: "POST", url: "/v1/plans", payload: { library: { name: "kz-uz-2020" }, save: true }, headers: bearer(key) });
    const resultUrl = String(result.headers["saved-result"]);
    for (const route of routes.filter(({ method }) => method === "GET")) {
      const special: Record<string, string> = {
        "/v1/jobs/:id": jobUrl,
        "/v1/library/results/:id": resultUrl,
        "/v1/library/:name/versions/:version": "/v1/library/kz-uz-2020/versions/1",
      };
      const url = special[route.url] ?? concrete(route.url);
      const response = await app.inject({ method: "GET", url, headers: bearer(key) });
      expect([200, 302], `GET ${route.url}`).toContain(response.statusCode);
    }
    const planned = await app.inject({ method: "POST", url: "/v1/plans", payload: { scenarioId: "kz-uz-2020" }, headers: bearer(otherKey) });
    expect(planned.statusCode).toBe(200);
    expect(planned.json<{ status: string }>().status).toBe("optimal");
    // Scheme names are case-insensitive (RFC 7235).
    expect((await app.inject({ url: "/v1/scenarios", headers: { authorization: `bearer  ${key}` } })).statusCode).toBe(200);
  }, 120_000);

  it('a wrong key is refused with error="invalid_token"; no key, another scheme or an empty Bearer get the bare challenge', async () => {
    const app = await start({ apiKeys: [key] });
    const refused = async (authorization: string) => app.inject({ url: "/v1/scenarios", headers: { authorization } });
    for (const wrong of [`Bearer ${key}x`, `Bearer ${key.slice(0, -1)}`, `Bearer ${key.toUpperCase()}`, "Bearer x"]) {
      expectUnauthorized(await refused(wrong), invalidKey.challenge, invalidKey.detail);
    }
    for (const other of [`Basic ${Buffer.from(`user:${key}`).toString("base64")}`, key, "Bearer", "Bearer "]) {
      expectUnauthorized(await refused(other), missingKey.challenge, missingKey.detail);
    }
    expectUnauthorized(await app.inject({ url: "/v1/scenarios" }), missingKey.challenge, missingKey.detail);
  });

  it("without keys the service is open, and a Bearer header changes nothing", async () => {
    const app = await start({});
    expect((await app.inject({ url: "/v1/scenarios" })).statusCode).toBe(200);
    expect((await app.inject({ url: "/v1/scenarios", headers: bearer("anything-at-all-0123") })).statusCode).toBe(200);
  });

  it("keys are compared in constant time: SHA-256 digests through timingSafeEqual, every key, whatever the token's length", () => {
    const compare = vi.mocked(crypto.timingSafeEqual);
    const keys = new ApiKeys([key, otherKey, "third-key-abcdefghijklmnop"]);
    for (const token of ["x", key, otherKey, `${key}${"y".repeat(1000)}`]) {
      compare.mockClear();
      const client = keys.clientOf(token);
      expect(client === undefined).toBe(token !== key && token !== otherKey);
      expect(compare).toHaveBeenCalledTimes(3);
      for (const [presented, held] of compare.mock.calls) {
        expect([presented.byteLength, held.byteLength]).toEqual([32, 32]);
      }
    }
    expect(keys.clientOf(key)).toBe(`key:${crypto.createHash("sha256").update(key).digest("hex").slice(0, 8)}`);
    expect(keys.clientOf(otherKey)).not.toBe(keys.clientOf(key));
  });

  it("reads Bearer credentials as RFC 6750 writes them", () => {
    expect(credentialsOf(undefined)).toEqual({ kind: "none" });
    expect(credentialsOf("Bearer abc.DEF-_~+/==")).toEqual({ kind: "bearer", token: "abc.DEF-_~+/==" });
    expect(credentialsOf("BEARER   abc ")).toEqual({ kind: "bearer", token: "abc" });
    expect(credentialsOf("Bearer a b")).toEqual({ kind: "none" });
    expect(credentialsOf("Basic abc")).toEqual({ kind: "none" });
  });

  it("the log names the caller by its key's digest, never by the key", async () => {
    const lines: string[] = [];
    const app = await readyApp({ apiKeys: [key], logger: { level: "info", stream: { write: (line: string) => lines.push(line) } } });
    await app.inject({ url: "/v1/scenarios", headers: bearer(key) });
    await app.inject({ url: "/v1/scenarios", headers: bearer(otherKey) });
    const completed = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line["msg"] === "request completed");
    expect(completed.map((line) => [line["status"], line["caller"]])).toEqual([
      [200, new ApiKeys([key]).clientOf(key)],
      [401, undefined],
    ]);
    expect(lines.join("\n")).not.toContain(key);
    expect(lines.join("\n")).not.toContain(otherKey);
  });
});

describe("rate limit", () => {
  const limited = (response: LightMyRequestResponse) => {
    expect(response.statusCode).toBe(429);
    expect(response.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    const retryAfter = Number(response.headers["retry-after"]);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(response.json()).toEqual({
      type: "urn:jointplan:problem:too-many-requests",
      title: "Too many requests",
      status: 429,
      detail: `More than 3 requests in 60 s from this client; retry in ${retryAfter} s.`,
      errors: [],
    });
  };

  it("over its rate a client gets 429 with Retry-After and a problem body; /healthz is exempt", async () => {
    const app = await start({ rateLimitMax: 3, rateLimitWindowMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      const response = await app.inject({ url: "/v1/scenarios" });
      expect(response.statusCode).toBe(200);
      expect(response.headers["x-ratelimit-remaining"]).toBe(String(2 - i));
    }
    limited(await app.inject({ url: "/v1/scenarios" }));
    limited(await app.inject({ method: "POST", url: "/v1/plans", payload: { scenarioId: "kz-uz-2020" } }));
    limited(await app.inject({ url: "/nowhere" }));
    for (let i = 0; i < 10; i++) {
      const health = await app.inject({ url: "/healthz" });
      expect(health.statusCode).toBe(200);
      expect(health.headers["x-ratelimit-remaining"]).toBeUndefined();
    }
  });

  it("the client is its API key when it gives a valid one, else its address: wrong keys spend the address's requests", async () => {
    const app = await start({ apiKeys: [key, otherKey], rateLimitMax: 3, rateLimitWindowMs: 60_000 });
    for (let i = 0; i < 3; i++) expect((await app.inject({ url: "/v1/scenarios", headers: bearer(key) })).statusCode).toBe(200);
    limited(await app.inject({ url: "/v1/scenarios", headers: bearer(key) }));
    // Same address, another key: its own allowance.
    expect((await app.inject({ url: "/v1/scenarios", headers: bearer(otherKey) })).statusCode).toBe(200);
    // Guessing keys is counted against the address, and limited like anything else.
    for (let i = 0; i < 3; i++) expect((await app.inject({ url: "/v1/scenarios", headers: bearer(`guess-${i}-0123456789abcdef`) })).statusCode).toBe(401);
    limited(await app.inject({ url: "/v1/scenarios", headers: bearer("guess-3-0123456789abcdef") }));
    limited(await app.inject({ url: "/v1/scenarios" }));
  });

  it("a window later the client may call again", async () => {
    const app = await start({ rateLimitMax: 1, rateLimitWindowMs: 300 });
    expect((await app.inject({ url: "/v1/scenarios" })).statusCode).toBe(200);
    expect((await app.inject({ url: "/v1/scenarios" })).statusCode).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await app.inject({ url: "/v1/scenarios" })).statusCode).toBe(200);
  });

  it("behind a trusted proxy, each forwarded address is its own client; otherwise X-Forwarded-For is ignored", async () => {
    const forwarded = (address: string) => ({ "x-forwarded-for": address });
    const proxied = await start({ rateLimitMax: 1, trustProxy: ["127.0.0.1"] });
    expect((await proxied.inject({ url: "/v1/scenarios", headers: forwarded("203.0.113.7") })).statusCode).toBe(200);
    expect((await proxied.inject({ url: "/v1/scenarios", headers: forwarded("203.0.113.8") })).statusCode).toBe(200);
    expect((await proxied.inject({ url: "/v1/scenarios", headers: forwarded("203.0.113.7") })).statusCode).toBe(429);
    const direct = await start({ rateLimitMax: 1 });
    expect((await direct.inject({ url: "/v1/scenarios", headers: forwarded("203.0.113.7") })).statusCode).toBe(200);
    expect((await direct.inject({ url: "/v1/scenarios", headers: forwarded("203.0.113.8") })).statusCode).toBe(429);
  });

  it("is off by default: no limit, no rate headers", async () => {
    const app = await start({});
    for (let i = 0; i < 50; i++) {
      const response = await app.inject({ url: "/v1/scenarios" });
      expect(response.statusCode).toBe(200);
      expect(response.headers["x-ratelimit-limit"]).toBeUndefined();
    }
  });
});

describe("configuration of access", () => {
  const keyFile = (text: string) => {
    const path = join(mkdtempSync(join(tmpdir(), "jointplan-keys-")), "keys");
    writeFileSync(path, text);
    return path;
  };

  it("reads keys from JOINTPLAN_API_KEYS or a key file, one per line with comments", () => {
    expect(configFromEnv({}).apiKeys).toEqual([]);
    expect(configFromEnv({ JOINTPLAN_API_KEYS: ` ${key} ,${otherKey},` }).apiKeys).toEqual([key, otherKey]);
    const file = keyFile(`# the planning office\n${key}\n\n  ${otherKey}  \r\n# retired: old-key-0123456789abcdef\n`);
    expect(configFromEnv({ JOINTPLAN_API_KEYS_FILE: file }).apiKeys).toEqual([key, otherKey]);
  });

  it("refuses settings that would open the service by mistake or cannot work, without echoing a key", () => {
    expect(() => configFromEnv({ JOINTPLAN_API_KEYS: " , " })).toThrow("JOINTPLAN_API_KEYS is set but holds no key");
    expect(() => configFromEnv({ JOINTPLAN_API_KEYS: "" })).toThrow("JOINTPLAN_API_KEYS is set but holds no key");
    expect(() => configFromEnv({ JOINTPLAN_API_KEYS_FILE: keyFile("# nobody yet\n\n") })).toThrow("holds no key");
    expect(() => configFromEnv({ JOINTPLAN_API_KEYS_FILE: "/nonexistent/keys" })).toThrow('JOINTPLAN_API_KEYS_FILE "/nonexistent/keys" cannot be read');
    expect(() => configFromEnv({ JOINTPLAN_API_KEYS: key, JOINTPLAN_API_KEYS_FILE: keyFile(key) })).toThrow("not both");
    expect(() => configFromEnv({ JOINTPLAN_API_KEYS: `${key},short-secret` })).toThrow(
      "API key 2 of 2 is shorter than 16 characters; generate one with: openssl rand -base64 32",
    );
    expect(() => configFromEnv({ JOINTPLAN_API_KEYS: "has space inside it 0123" })).toThrow("API key 1 of 1 has characters a Bearer token cannot carry");
    expect(() => buildApp({ apiKeys: ['quote"inside-0123456789'] })).toThrow("API key 1 of 1 has characters");
    try {
      configFromEnv({ JOINTPLAN_API_KEYS: "short-secret" });
    } catch (error) {
      expect(String(error)).not.toContain("short-secret");
    }
  });

  it("reads the rate limit, the CORS origins and the trusted proxies", () => {
    const config = configFromEnv({
      JOINTPLAN_RATE_LIMIT_MAX: "600",
      JOINTPLAN_RATE_LIMIT_WINDOW_MS: "10000",
      JOINTPLAN_CORS_ORIGINS: "https://plans.example.com, http://localhost:5173",
      JOINTPLAN_TRUST_PROXY: "10.0.0.0/8, 127.0.0.1",
    });
    expect(config).toMatchObject({
      rateLimitMax: 600,
      rateLimitWindowMs: 10_000,
      corsOrigins: ["https://plans.example.com", "http://localhost:5173"],
      trustProxy: ["10.0.0.0/8", "127.0.0.1"],
    });
    expect(configFromEnv({}).rateLimitMax).toBe(0);
    expect(configFromEnv({ JOINTPLAN_TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(configFromEnv({ JOINTPLAN_TRUST_PROXY: "0" }).trustProxy).toBe(false);
    expect(() => configFromEnv({ JOINTPLAN_RATE_LIMIT_MAX: "many" })).toThrow("JOINTPLAN_RATE_LIMIT_MAX must be a number");
    expect(() => configFromEnv({ JOINTPLAN_RATE_LIMIT_WINDOW_MS: "0" })).toThrow("rateLimitWindowMs must be a whole number of at least 1");
    for (const origin of ["https://plans.example.com/", "*", "plans.example.com", "null", "https://plans.example.com/app"]) {
      expect(() => configFromEnv({ JOINTPLAN_CORS_ORIGINS: origin })).toThrow(`CORS origin ${JSON.stringify(origin)} is not an origin`);
    }
  });
});
