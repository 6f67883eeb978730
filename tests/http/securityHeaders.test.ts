import { connect } from "node:net";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp, type AppOptions } from "../../src/http/app.js";
import { contentSecurityPolicy, securityHeaders } from "../../src/http/securityHeaders.js";
import { minimalScenario } from "../support/builders.js";

/** Security headers on every answer, and a content security policy the Swagger UI and a same-origin page work under. */
const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function start(options: AppOptions = {}): Promise<FastifyInstance> {
  const app = buildApp({ poolSize: 1, ...options });
  apps.push(app);
  await app.ready();
  return app;
}

function expectSecurityHeaders(response: { headers: Record<string, unknown> }, label: string): void {
  for (const [name, value] of Object.entries(securityHeaders)) expect(response.headers[name], `${label}: ${name}`).toBe(value);
}

/** The policy as directive → sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .map(([name = "", ...sources]) => [name, sources]),
  );
}

describe("security headers", () => {
  it("are on every answer: 200, 404, 422, 413, a malformed URL, and the refusals 401 and 429", async () => {
    const open = await start({ bodyLimitBytes: 1_000 });
    const answers: [string, LightMyRequestResponse, number][] = [
      ["scenarios", await open.inject({ url: "/v1/scenarios" }), 200],
      ["health", await open.inject({ url: "/healthz" }), 200],
      ["plan", await open.inject({ method: "POST", url: "/v1/plans", payload: { scenarioId: "kz-uz-2020" } }), 200],
      ["unknown route", await open.inject({ url: "/nowhere" }), 404],
      ["unknown scenario", await open.inject({ url: "/v1/scenarios/nowhere" }), 404],
      ["invalid scenario", await open.inject({ method: "POST", url: "/v1/plans", payload: { scenario: minimalScenario({ title: 5 }) } }), 422],
      ["malformed JSON", await open.inject({ method: "POST", url: "/v1/plans", payload: "{", headers: { "content-type": "application/json" } }), 400],
      ["body too large", await open.inject({ method: "POST", url: "/v1/plans", payload: { scenario: minimalScenario({ notes: "x".repeat(2_000) }) } }), 413],
      ["malformed URL", await open.inject({ url: "/v1/scenarios/%E0%A4%A" }), 400],
    ];
    const keyed = await start({ apiKeys: ["planner-key-0123456789abcdef"], rateLimitMax: 1 });
    answers.push(["no key", await keyed.inject({ url: "/v1/scenarios" }), 401], ["over the rate", await keyed.inject({ url: "/v1/scenarios" }), 429]);
    for (const [label, response, status] of answers) {
      expect(response.statusCode, label).toBe(status);
      expectSecurityHeaders(response, label);
    }
  });

  it("are on the answers written on the connection to a request Node cannot read (431, 400)", async () => {
    const app = buildApp({ poolSize: 1 });
    apps.push(app);
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    const exchange = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(address.port, "127.0.0.1", () => socket.end(request));
        let text = "";
        socket.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
        socket.on("close", () => resolve(text)).on("error", reject);
      });
    const parse = (text: string) => {
      const [head = "", body = ""] = text.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
      return { statusLine, headers, body: JSON.parse(body) as unknown };
    };
    const oversized = parse(await exchange(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${"x".repeat(20_000)}\r\n\r\n`));
    expect(oversized.statusLine).toBe("HTTP/1.1 431 Request Header Fields Too Large");
    expect(oversized.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    expect(oversized.body).toEqual({
      type: "urn:jointplan:problem:headers-too-large",
      title: "Request headers too large",
      status: 431,
      detail: "The request headers are larger than this server reads.",
      errors: [],
    });
    expectSecurityHeaders(oversized, "431");
    const malformed = parse(await exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"));
    expect(malformed.statusLine).toBe("HTTP/1.1 400 Bad Request");
    expect(malformed.body).toMatchObject({ type: "urn:jointplan:problem:bad-request", status: 400 });
    expectSecurityHeaders(malformed, "400");
    expect((await fetch(`http://127.0.0.1:${address.port}/healthz`)).status).toBe(200);
  });

  it("the policy lets a same-origin page run its own script and style files, and nothing inline or from elsewhere", () => {
    const policy = directives(contentSecurityPolicy);
    expect(policy.get("default-src")).toEqual(["'self'"]);
    expect(policy.get("script-src")).toEqual(["'self'"]);
    expect(policy.get("script-src-attr")).toEqual(["'none'"]);
    expect(policy.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'self'"]);
    // connect-src falls back to default-src: the page's fetches to this service are allowed.
    expect(policy.has("connect-src")).toBe(false);
    // Plain HTTP on a private network must keep working: nothing upgrades the page's requests to https.
    expect(policy.has("upgrade-insecure-requests")).toBe(false);
  });

  it("the Swagger UI works under it: its page has no inline script, its assets come from this origin, and its answers carry the policy", async () => {
    const app = await start();
    const page = await app.inject({ url: "/docs" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-security-policy"]).toBe(contentSecurityPolicy);
    expectSecurityHeaders(page, "/docs");
    const html = page.body;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = "", content = ""] of scripts) {
      expect(attributes).toMatch(/\bsrc="/);
      expect(content.trim()).toBe("");
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, url = ""]) => url);
    expect(assets.length).toBeGreaterThanOrEqual(5);
    for (const asset of assets) {
      expect(asset, asset).toMatch(/^\/docs\/static\//);
      const response = await app.inject({ url: asset });
      expect(response.statusCode, asset).toBe(200);
      expect(response.headers["content-security-policy"], asset).toBe(contentSecurityPolicy);
    }
    const initializer = await app.inject({ url: "/docs/static/swagger-initializer.js" });
    // The UI loads the document from this origin.
    expect(initializer.body).toContain("resolveUrl('./json')");
  });
});
