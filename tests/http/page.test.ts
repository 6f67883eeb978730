import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";

/** The planner's page as files the service serves (built into dist/web by `npm run build`); what it does is tested in tests/web. */
const built = existsSync(join(import.meta.dirname, "..", "..", "dist", "web", "index.html"));

describe("the planner's page is served at /", () => {
  const app = buildApp({ poolSize: 1 });
  afterAll(() => app.close());

  it.runIf(built)("GET / is the page; its script, styles and icon are served beside it", async () => {
    const page = await app.inject({ method: "GET", url: "/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    for (const asset of ["/app.js", "/page.css", "/favicon.svg"]) expect(page.body).toContain(`"${asset}"`);
    const types = { "/app.js": /javascript/, "/page.css": /^text\/css/, "/favicon.svg": /^image\/svg\+xml/, "/licenses.txt": /^text\/plain/ };
    for (const [url, type] of Object.entries(types)) {
      const answer = await app.inject({ method: "GET", url });
      expect(answer.statusCode, url).toBe(200);
      expect(answer.headers["content-type"], url).toMatch(type);
      expect(answer.headers["cache-control"], url).toBe("no-cache");
    }
  });

  it("a path that is neither a page file nor a route stays the API's 404 problem", async () => {
    for (const url of ["/nope.js", "/v1/nothing", "/../package.json"]) {
      const answer = await app.inject({ method: "GET", url });
      expect(answer.statusCode, url).toBe(404);
      expect(answer.headers["content-type"], url).toMatch(/^application\/problem\+json/);
    }
  });

  it("the page stays out of the API's OpenAPI document", async () => {
    const paths = Object.keys((await app.inject({ method: "GET", url: "/openapi.json" })).json<{ paths: object }>().paths);
    expect(paths.some((path) => path === "/" || path.endsWith(".js") || path.endsWith(".css"))).toBe(false);
  });

  it("without a build, / says how to make one instead of failing", async () => {
    const empty = mkdtempSync(join(tmpdir(), "jointplan-web-"));
    const bare = buildApp({ poolSize: 1, webRoot: empty });
    try {
      const answer = await bare.inject({ method: "GET", url: "/" });
      expect(answer.statusCode).toBe(503);
      expect(answer.json<{ detail: string }>().detail).toMatch(/npm run build/);
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
