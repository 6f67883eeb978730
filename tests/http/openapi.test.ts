import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { closeStartedApps, readyApp } from "../support/http.js";
import type { AppOptions } from "../../src/http/app.js";

/**
 * The OpenAPI document the service serves: Redocly's recommended rules pass
 * on it without an error or a warning, and it says who may call.
 */
const root = join(import.meta.dirname, "..", "..");
const redocly = join(root, "node_modules", "@redocly", "cli", "bin", "cli.js");
const key = "planner-key-0123456789abcdef";

afterEach(closeStartedApps);

async function servedDocument(options: AppOptions): Promise<OpenApiDocument> {
  const app = await readyApp(options);
  const response = await app.inject({ url: "/openapi.json", headers: { authorization: `Bearer ${key}` } });
  expect(response.statusCode).toBe(200);
  return response.json();
}

interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { description: string; headers?: Record<string, unknown>; content?: Record<string, unknown> }>;
}
interface OpenApiDocument {
  security: Record<string, string[]>[];
  components: { securitySchemes: Record<string, { type: string; scheme: string; description: string }> };
  paths: Record<string, Record<string, Operation>>;
}

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

const RESULTS_PATH_WARNING =
  "warn no-ambiguous-paths at #/paths/~1v1~1library~1results~1{id}: Paths should resolve unambiguously. Found two ambiguous paths: `/v1/library/{name}/versions` and `/v1/library/results/{id}`.";

/** `redocly lint` with its recommended rules (run where no Redocly config can be found), on the document as a file. */
async function lint(document: OpenApiDocument): Promise<LintReport> {
  const directory = mkdtempSync(join(tmpdir(), "jointplan-openapi-"));
  writeFileSync(join(directory, "openapi.json"), JSON.stringify(document));
  const env = { ...process.env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1" };
  const { stdout } = await promisify(execFile)(process.execPath, [redocly, "lint", "openapi.json", "--format=json"], { cwd: directory, env }).catch(
    // redocly exits 1 when it finds errors; its report is still on stdout.
    (error: unknown) => ({ stdout: typeof error === "object" && error !== null && "stdout" in error && typeof error.stdout === "string" ? error.stdout : "" }),
  );
  return JSON.parse(stdout) as LintReport;
}

const operations = (document: OpenApiDocument) =>
  Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ name: `${method} ${path}`, operation })));

describe("the OpenAPI document", () => {
  it("lints clean under Redocly's recommended rules, served with keys and without", async () => {
    for (const options of [{}, { apiKeys: [key], rateLimitMax: 100 }]) {
      const report = await lint(await servedDocument(options));
      const problems = report.problems.map(({ severity, ruleId, message, location }) => `${severity} ${ruleId} at ${location[0]?.pointer ?? "?"}: ${message}`);
      // The one warning allowed: the contract's GET /v1/library/results/{id} and POST /v1/library/{name}/versions have the same
      // shape (a scenario named "results"); their methods tell them apart, and GET /v1/library/results/diff is answered as the
      // diff of the scenario named "results" (docs/scenario-library.md, "Names").
      expect(problems).toEqual([RESULTS_PATH_WARNING]);
      expect(report.totals).toEqual({ errors: 0, warnings: 1, ignored: 0 });
    }
  }, 60_000);

  it("the lint does find problems: a document without operationIds fails it", async () => {
    const document = await servedDocument({});
    for (const { operation } of operations(document)) delete operation.operationId;
    const report = await lint(document);
    const missing = report.problems.filter(({ ruleId }) => ruleId === "operation-operationId");
    expect(missing).toHaveLength(operations(document).length);
    expect(report.totals.warnings).toBe(operations(document).length + 1); // and the one of RESULTS_PATH_WARNING
  }, 60_000);

  it("names every operation uniquely, and documents 401 and 429 on each but GET /healthz, which needs no key", async () => {
    const document = await servedDocument({ apiKeys: [key] });
    const all = operations(document);
    expect(new Set(all.map(({ operation }) => operation.operationId)).size).toBe(all.length);
    for (const { name, operation } of all) {
      expect(operation.responses["431"], name).toBeDefined();
      if (name === "get /healthz") {
        expect(operation.security).toEqual([]);
        expect(operation.responses["401"]).toBeUndefined();
        expect(operation.responses["429"]).toBeUndefined();
        continue;
      }
      expect(operation.security, name).toBeUndefined();
      expect(operation.responses["401"]?.headers, name).toHaveProperty("WWW-Authenticate");
      expect(operation.responses["429"]?.headers, name).toHaveProperty("Retry-After");
      expect(Object.keys(operation.responses["401"]?.content ?? {}), name).toEqual(["application/problem+json"]);
    }
  });

  it("the bearer scheme is required when the server has keys, optional when it has none", async () => {
    const keyed = await servedDocument({ apiKeys: [key] });
    expect(Object.keys(keyed.components.securitySchemes)).toEqual(["bearer"]);
    expect(keyed.components.securitySchemes["bearer"]).toMatchObject({ type: "http", scheme: "bearer" });
    expect(keyed.security).toEqual([{ bearer: [] }]);
    const open = await servedDocument({});
    expect(open.security).toEqual([{}, { bearer: [] }]);
    expect(open.components.securitySchemes["bearer"]?.description).toMatch(/runs without keys/);
  });
});
