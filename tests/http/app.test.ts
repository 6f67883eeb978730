import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { configFromEnv } from "../../src/http/config.js";
import { planSchema } from "../../src/http/schemas.js";
import { listBundledScenarios, loadBundledScenario, plan, validateScenario, type Plan, type PlanOptions } from "../../src/index.js";
import { formulate, parseScenario } from "../../src/index.js";
import { planOfSolution } from "../../src/plan/plan.js";
import { hostileIds } from "../arbitraries/scenario.js";
import { minimalScenario, type Json } from "../support/builders.js";
import { present } from "../support/present.js";

/** The parts of the OpenAPI document these tests read. */
interface SchemaNode {
  readonly required?: readonly string[];
  readonly anyOf?: readonly SchemaNode[];
  readonly $ref?: string;
}
type Content = Readonly<Record<string, { readonly schema: SchemaNode } | undefined>>;
interface Operation {
  readonly requestBody: { readonly content: Content };
  readonly responses: Readonly<Record<string, { readonly content: Content } | undefined>>;
}
interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation | undefined>> | undefined>>;
  readonly components: { readonly schemas: Readonly<Record<string, SchemaNode | undefined>> };
}
/** What these tests read of an answer: a plan's explanation, a problem's fields. */
interface Answer {
  readonly sensitivity?: { readonly bounds: readonly unknown[] };
  readonly diagnosis?: { readonly conflict: readonly unknown[] };
  readonly production?: readonly unknown[];
  readonly status?: number | string;
  readonly detail?: string;
  readonly errors?: readonly { readonly path: string; readonly message: string }[];
}

/**
 * The HTTP face through `app.inject()` (no socket): every route of docs/service.md,
 * every error status with its problem body pinned, and hostile bodies.
 * Solves that leave the request thread run in the built worker (`npm test`
 * builds first); the real-socket behaviour is in http-service.test.ts.
 */
let app: FastifyInstance;
beforeAll(async () => {
  app = buildApp({ poolSize: 1 });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

const post = (payload: unknown, url = "/v1/plans") => app.inject({ method: "POST", url, payload: payload as Json });
const postRaw = (payload: string, contentType = "application/json") =>
  app.inject({ method: "POST", url: "/v1/plans", payload, headers: { "content-type": contentType } });

/** A plan without its timing, the one field two solves of the same scenario may differ in. */
const untimed = (result: Plan) => ({ ...result, solver: { ...result.solver, ms: 0 } });

function expectPlanLike(response: LightMyRequestResponse, expected: Plan): void {
  expect(response.statusCode).toBe(200);
  expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
  expect(untimed(response.json())).toEqual(untimed(expected));
}

function expectProblem(response: LightMyRequestResponse, body: { status: number; type: string; title: string; detail: string; errors?: unknown[] }): void {
  expect(response.statusCode).toBe(body.status);
  expect(response.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
  expect(response.json()).toEqual({ errors: [], ...body });
}

const invalidRequest = (errors: { path: string; message: string }[]) => ({
  type: "urn:jointplan:problem:invalid-request",
  title: "Invalid request",
  status: 422,
  detail: `The request has ${errors.length} issue${errors.length === 1 ? "" : "s"}; each is listed with its path in the body.`,
  errors,
});

describe("routes of docs/service.md", () => {
  it("GET /healthz answers ok", async () => {
    const response = await app.inject({ method: "GET", url: "/healthz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok" });
  });

  it("GET /v1/scenarios lists the bundled scenarios", async () => {
    const response = await app.inject({ method: "GET", url: "/v1/scenarios" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(listBundledScenarios());
  });

  it("GET /v1/scenarios/:id answers the document itself", async () => {
    for (const { id } of listBundledScenarios()) {
      const response = await app.inject({ method: "GET", url: `/v1/scenarios/${id}` });
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(response.json()).toEqual(loadBundledScenario(id));
    }
  });

  it("POST /v1/plans by scenarioId answers the library's plan, infeasible included", async () => {
    // The server's largest time limit: the cluster scenario's mixed-integer solve may pass the default 10 s on a busy machine.
    for (const { id } of listBundledScenarios()) {
      expectPlanLike(await post({ scenarioId: id, options: { timeLimitMs: 60_000 } }), plan(loadBundledScenario(id)));
    }
    expect((await post({ scenarioId: "kz-uz-parts-shortage" })).json()).toMatchObject({ status: "infeasible", objective: null });
  }, 180_000);

  it("options the library adds flow through: explanations, and the diagnosis of an infeasible plan", async () => {
    const shortage = loadBundledScenario("kz-uz-parts-shortage");
    const explained = await post({ scenarioId: "kz-uz-2020", options: { explain: true } });
    expectPlanLike(explained, plan(loadBundledScenario("kz-uz-2020"), { explain: true }));
    expect(explained.json<Answer>().sensitivity?.bounds.length).toBeGreaterThan(0);
    const diagnosed = await post({ scenario: shortage });
    expectPlanLike(diagnosed, plan(shortage));
    expect(diagnosed.json<Answer>().diagnosis?.conflict.length).toBeGreaterThan(0);
    const undiagnosed = await post({ scenario: shortage, options: { explain: false } });
    expectPlanLike(undiagnosed, plan(shortage, { explain: false }));
    expect(undiagnosed.json()).not.toHaveProperty("diagnosis");
  });

  it("POST /v1/plans with a posted scenario and options answers the library's plan", async () => {
    const scenario = loadBundledScenario("kz-uz-2020");
    const cases: PlanOptions[] = [
      {},
      { backend: "highs" },
      { integer: true },
      { integer: true, backend: "highs", mipGap: 0 },
      { backend: "javascript-lp-solver" },
    ];
    for (const options of cases) {
      expectPlanLike(await post({ scenario, options }), plan(scenario, options));
    }
  });

  it("ids that look like JavaScript or solver internals plan over HTTP and come back unchanged", async () => {
    for (const id of hostileIds) {
      const record = (key: string, value: unknown) => JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value)}}`) as Json;
      const scenario = minimalScenario({
        id,
        plants: [{ id, resources: record(id, 10) }],
        products: [{ id, family: id }],
        routes: [{ plant: id, product: id, uses: record(id, 1) }],
        markets: [{ id }],
        demand: [{ market: id, product: id, price: 5 }],
      });
      const text = JSON.stringify({ scenario });
      const response = await postRaw(text);
      expectPlanLike(response, plan((JSON.parse(text) as { scenario: unknown }).scenario));
      expect(response.json<Answer>().production).toEqual([{ period: "base", plant: id, product: id, units: 10 }]);
    }
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("GET /openapi.json describes every route, /v1/plans with its request and Plan schemas", async () => {
    const response = await app.inject({ method: "GET", url: "/openapi.json" });
    expect(response.statusCode).toBe(200);
    const document = response.json<OpenApiDocument>();
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths).sort()).toEqual([
      "/healthz",
      "/v1/comparisons",
      "/v1/conversions",
      "/v1/jobs",
      "/v1/jobs/{id}",
      "/v1/library",
      "/v1/library/results/{id}",
      "/v1/library/{name}",
      "/v1/library/{name}/diff",
      "/v1/library/{name}/versions",
      "/v1/library/{name}/versions/{version}",
      "/v1/plans",
      "/v1/scenarios",
      "/v1/scenarios/{id}",
      "/v1/sweeps",
    ]);
    const operation = present(document.paths["/v1/plans"]?.["post"], "POST /v1/plans");
    const body = operation.requestBody.content["application/json"]?.schema;
    expect(body?.anyOf?.map((branch) => branch.required)).toEqual([["scenario"], ["scenarioId"], ["library"]]);
    expect(Object.keys(operation.responses).sort()).toEqual(["200", "400", "401", "404", "413", "415", "422", "429", "431", "500", "503"]);
    // The Plan, the Problem and the Scenario are named schemas, so that a generated client has them as types.
    expect(operation.responses["200"]?.content["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/Plan" });
    expect(operation.responses["422"]?.content["application/problem+json"]?.schema).toEqual({ $ref: "#/components/schemas/Problem" });
    expect(document.components.schemas["Plan"]?.required).toEqual(
      expect.arrayContaining(["scenario", "status", "objective", "production", "sales", "capacity", "targets", "verification", "solver"]),
    );
    expect(document.components.schemas["Problem"]?.required).toEqual(["type", "title", "status", "detail", "errors"]);
  });

  it("GET /docs serves the Swagger UI, which loads the same document", async () => {
    const page = await app.inject({ method: "GET", url: "/docs" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/text\/html/);
    expect(page.body).toMatch(/swagger-ui/i);
    const initializer = await app.inject({ method: "GET", url: "/docs/static/swagger-initializer.js" });
    expect(initializer.statusCode).toBe(200);
    const json = await app.inject({ method: "GET", url: "/docs/json" });
    expect(json.json()).toEqual((await app.inject({ method: "GET", url: "/openapi.json" })).json());
  });
});

describe("the OpenAPI schemas say what the server enforces", () => {
  let requestSchema: (value: unknown) => boolean;
  beforeAll(async () => {
    const document = (await app.inject({ method: "GET", url: "/openapi.json" })).json<OpenApiDocument>();
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    // The body schema with the named schemas it references, as one JSON Schema.
    const schema = present(document.paths["/v1/plans"]?.["post"]?.requestBody.content["application/json"]?.schema, "the request schema");
    const body = { ...schema, $defs: document.components.schemas };
    requestSchema = ajv.compile(JSON.parse(JSON.stringify(body).replaceAll('"#/components/schemas/', '"#/$defs/')) as Json);
  });

  it("accepts the bundled scenarios and the commented example, which the server plans", async () => {
    const example = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "docs", "scenario-example.jsonc"), "utf8").replace(/\/\/.*$/gm, "")) as Json;
    for (const scenario of [...listBundledScenarios().map(({ id }) => loadBundledScenario(id)), example]) {
      expect(requestSchema({ scenario, options: { backend: "highs", timeLimitMs: 5_000 } })).toBe(true);
      expect((await post({ scenario, options: { backend: "highs", timeLimitMs: 5_000 } })).statusCode).toBe(200);
    }
    expect(requestSchema({ scenarioId: "kz-uz-2020" })).toBe(true);
  });

  it("rejects what the server rejects: unknown fields, unknown options, too long a time limit, both or neither source", async () => {
    const scenario = minimalScenario();
    const rejected = [
      { scenario: { ...scenario, colour: "red" } },
      { scenario, options: { verbose: true } },
      { scenario, options: { timeLimitMs: 60_001 } },
      { scenario, options: { backend: "gurobi" } },
      { scenario: { ...scenario, plants: [{ id: "p", resources: { hours: -1 } }] } },
      { scenario, scenarioId: "kz-uz-2020" },
      {},
    ];
    for (const body of rejected) {
      expect(requestSchema(body)).toBe(false);
      expect((await post(body)).statusCode).toBe(422);
    }
  });

  it("the documented Plan schema holds every plan the library returns, field for field", () => {
    const document = loadBundledScenario("kz-uz-2019-2025");
    const plans = [
      plan(document),
      plan(document, { explain: true }),
      plan(loadBundledScenario("kz-uz-2020"), { integer: true, explain: true }),
      plan(loadBundledScenario("kz-uz-parts-shortage")),
      plan(loadBundledScenario("kz-uz-parts-shortage"), { explain: false }),
      planOfSolution(formulate(parseScenario(document)), null, { backend: "highs", ms: 5, integer: false }),
    ];
    expect(plans[1]?.sensitivity).toBeDefined();
    expect(plans[3]?.diagnosis).toBeDefined();
    for (const result of plans) expect(planSchema.parse(result)).toEqual(result);
  });
});

describe("every error is a problem+json body", () => {
  it("400 for malformed JSON, also NaN and an empty body", async () => {
    const malformed = { status: 400, type: "urn:jointplan:problem:malformed-json", title: "Malformed JSON", detail: "The request body is not valid JSON." };
    expectProblem(await postRaw('{"scenarioId": "kz-uz-2020"'), malformed);
    expectProblem(await postRaw('{"scenarioId": "kz-uz-2020", "options": {"timeLimitMs": NaN}}'), malformed);
    expectProblem(await postRaw(""), { ...malformed, detail: "The request body is empty; expected a JSON object." });
  });

  it("404 for an unknown scenario id, in the path or in the body, and for an unknown route", async () => {
    expectProblem(await app.inject({ method: "GET", url: "/v1/scenarios/__proto__" }), {
      status: 404,
      type: "urn:jointplan:problem:not-found",
      title: "Not found",
      detail: 'No bundled scenario has the id "__proto__"; GET /v1/scenarios lists them.',
    });
    expectProblem(await post({ scenarioId: "constructor" }), {
      status: 404,
      type: "urn:jointplan:problem:not-found",
      title: "Not found",
      detail: 'No bundled scenario has the id "constructor"; GET /v1/scenarios lists them.',
      errors: [{ path: "scenarioId", message: 'unknown scenario "constructor"' }],
    });
    expectProblem(await app.inject({ method: "GET", url: "/v1/plans?x=1" }), {
      status: 404,
      type: "urn:jointplan:problem:not-found",
      title: "Not found",
      detail: "There is no GET /v1/plans; see /docs for the API.",
    });
  });

  it("400 for a malformed URL or a body shorter than its Content-Length, 414 for an overlong path segment", async () => {
    expectProblem(await app.inject({ method: "GET", url: "/v1/scenarios/%E0%A4%A" }), {
      status: 400,
      type: "urn:jointplan:problem:bad-request",
      title: "Bad request",
      detail: "The request URL is malformed.",
    });
    expectProblem(
      await app.inject({
        method: "POST",
        url: "/v1/plans",
        payload: '{"scenarioId": "kz-uz-2020"}',
        headers: { "content-type": "application/json", "content-length": "5" },
      }),
      { status: 400, type: "urn:jointplan:problem:bad-request", title: "Bad request", detail: "The Content-Length header does not match the body." },
    );
    // Path parameters may be 2,600 characters long (a library name of 200 characters, URL-encoded).
    expectProblem(await app.inject({ method: "GET", url: `/v1/scenarios/${"x".repeat(3_000)}` }), {
      status: 414,
      type: "urn:jointplan:problem:uri-too-long",
      title: "URI too long",
      detail: "A path segment of the URL is too long.",
    });
  });

  it("413 for a body over the limit (1 MiB by default)", async () => {
    const notes = "x".repeat(3 * 1024 * 1024);
    expectProblem(await post({ scenario: { ...minimalScenario(), notes } }), {
      status: 413,
      type: "urn:jointplan:problem:body-too-large",
      title: "Request body too large",
      detail: "The request body exceeds this server's limit of 1048576 bytes.",
    });
  });

  it("415 for a body that is not sent as JSON", async () => {
    expectProblem(await postRaw('{"scenarioId":"kz-uz-2020"}', "text/plain"), {
      status: 415,
      type: "urn:jointplan:problem:unsupported-media-type",
      title: "Unsupported media type",
      detail: "Send the request body as application/json (or a scenario as application/vnd.openxmlformats-officedocument.spreadsheetml.sheet).",
    });
  });

  it("422 names the joint network's errors with their paths: a bom cycle, an unknown plant, a ships_to market without demand, an unsupplied plant", async () => {
    const scenario = minimalScenario({
      plants: [
        { id: "p", resources: { hours: 10 } },
        { id: "kz", resources: { hours: 10 } },
      ],
      products: [{ id: "q", family: "car", bom: { engine: 1 } }],
      routes: [
        { plant: "p", product: "q", uses: { hours: 1 }, ships_to: { m: {}, abroad: {} } },
        { plant: "kz", product: "q", uses: { hours: 1 } },
      ],
      markets: [{ id: "m" }, { id: "abroad" }],
      parts: [
        { id: "engine", sources: [{ id: "shop", local: true, plant: "p", bom: { block: 1 }, delivers_to: { p: {}, nowhere: {} } }] },
        { id: "block", sources: [{ id: "foundry", local: true, plant: "p", bom: { engine: 1 } }] },
      ],
    });
    expectProblem(
      await post({ scenario }),
      invalidRequest([
        { path: "scenario.parts[0].sources[0].delivers_to.nowhere", message: 'unknown plant "nowhere"' },
        { path: "scenario.routes[0].ships_to.abroad", message: 'market "abroad" has no demand row for product "q": nothing could be sold there' },
        { path: "scenario.parts[1].sources[0].bom.engine", message: "engine is needed to make itself: engine → block → engine" },
        { path: "scenario.parts[0].sources", message: 'no source of part "engine" delivers to plant "kz", which needs it (to make "q")' },
      ]),
    );
  });

  it("plans the bundled joint network with its flows across the border", async () => {
    const response = await post({ scenarioId: "kz-uz-joint-2020" });
    expect(response.statusCode).toBe(200);
    const planned = response.json<Plan>();
    expect(planned.status).toBe("optimal");
    expect(planned.flows?.between_plants).toEqual([expect.objectContaining({ from: "andijan", to: "kostanay", part: "body_kit", units: 2000 })]);
    expect(planned.procurement.every((row) => row.plant !== undefined)).toBe(true);
  });

  it("422 lists every issue of the scenario with its path in the body, as the library finds them", async () => {
    const scenario = minimalScenario({
      title: 5,
      routes: [{ plant: "nowhere", product: "q", uses: { hours: 1 }, unit_cost: -1 }],
      demand: [{ market: "m", product: "q", price: 10, colour: "red" }],
    });
    const library = validateScenario(scenario);
    expect(library.ok).toBe(false);
    const response = await post({ scenario });
    expectProblem(
      response,
      invalidRequest([
        { path: "scenario.title", message: "expected a string" },
        { path: "scenario.routes[0].unit_cost", message: "must not be negative" },
        { path: "scenario.demand[0].colour", message: "unknown field" },
        { path: "scenario.routes[0].plant", message: 'unknown plant "nowhere"' },
      ]),
    );
    const issues = library.ok ? [] : library.issues;
    expect(response.json<Answer>().errors).toEqual(issues.map(({ path, message }) => ({ path: `scenario.${path}`, message })));
    // Cross-references alone:
    expectProblem(
      await post({ scenario: minimalScenario({ routes: [{ plant: "nowhere", product: "q", uses: { hours: 1 } }] }) }),
      invalidRequest([{ path: "scenario.routes[0].plant", message: 'unknown plant "nowhere"' }]),
    );
  });

  it("422 for invalid options names each, together with the scenario's issues; unknown options included", async () => {
    expectProblem(
      await post({ scenario: minimalScenario({ title: null }), options: { backend: "cplex", verbose: true, timeLimitMs: 1.5 } }),
      invalidRequest([
        { path: "options.backend", message: "expected one of auto, javascript-lp-solver, highs" },
        { path: "options.timeLimitMs", message: "expected a whole number of milliseconds" },
        { path: "options.verbose", message: "unknown field" },
        { path: "scenario.title", message: "expected a string" },
      ]),
    );
    expectProblem(
      await post({ scenarioId: "kz-uz-2020", options: { timeLimitMs: 120_000 } }),
      invalidRequest([{ path: "options.timeLimitMs", message: "must be at most 60000 (this server's maximum)" }]),
    );
    expectProblem(
      await post({ scenarioId: "kz-uz-2020", options: "fast" }),
      invalidRequest([{ path: "options", message: "Invalid input: expected object, received string" }]),
    );
  });

  it("422 for an envelope without exactly one of scenario and scenarioId, or with unknown fields", async () => {
    expectProblem(await post({ options: {} }), invalidRequest([{ path: "", message: "scenario or scenarioId is required" }]));
    expectProblem(
      await post({ scenarioId: "kz-uz-2020", scenario: minimalScenario() }),
      invalidRequest([{ path: "", message: "give either scenario or scenarioId, not both" }]),
    );
    expectProblem(await post({ scenarioId: "kz-uz-2020", option: {} }), invalidRequest([{ path: "option", message: "unknown field" }]));
    expectProblem(await post({ scenarioId: 7 }), invalidRequest([{ path: "scenarioId", message: "expected the id of a bundled scenario" }]));
    expectProblem(await postRaw("[1, 2]"), invalidRequest([{ path: "", message: "expected a JSON object with scenario or scenarioId" }]));
    expectProblem(await postRaw('"kz-uz-2020"'), invalidRequest([{ path: "", message: "expected a JSON object with scenario or scenarioId" }]));
  });
});

describe("hostile bodies get 4xx problems, never 5xx, and the server keeps serving", () => {
  it("prototype-polluting keys are plain data: unknown fields where the format has none", async () => {
    const text = '{"scenarioId": "kz-uz-2020", "__proto__": {"polluted": true}, "options": {"constructor": {"prototype": {"polluted": true}}}}';
    expectProblem(await postRaw(text), invalidRequest([{ path: "__proto__", message: "unknown field" }]));
    const inOptions = '{"scenarioId": "kz-uz-2020", "options": {"constructor": {"prototype": {"polluted": true}}, "__proto__": {"backend": "highs"}}}';
    expectProblem(
      await postRaw(inOptions),
      invalidRequest([
        { path: "options.constructor", message: "unknown field" },
        { path: "options.__proto__", message: "unknown field" },
      ]),
    );
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("backend");
  });

  it("deep nesting is refused before anything walks it", async () => {
    const depth = 100_000;
    const deep = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    // Solved inline, nothing recurses: validation stops at the array where a string belongs.
    const inline = await postRaw(`{"scenario": {"format": "jointplan/v1", "notes": ${deep}}}`);
    expect(inline.statusCode).toBe(422);
    expect(inline.json<Answer>().errors).toContainEqual({ path: "scenario.notes", message: "Invalid input: expected string, received array" });
    // Bound for a worker (integer), the body would be copied: the depth is checked first.
    const pooled = await postRaw(`{"scenario": {"format": "jointplan/v1", "notes": ${deep}}, "options": {"integer": true}}`);
    expectProblem(pooled, invalidRequest([{ path: `scenario.notes${"[0]".repeat(30)}`, message: "nested more than 32 levels deep" }]));
    const inOptions = await postRaw(`{"scenarioId": "kz-uz-2019-2025", "options": {"backend": ${deep}}}`);
    expectProblem(inOptions, invalidRequest([{ path: `options.backend${"[0]".repeat(30)}`, message: "nested more than 32 levels deep" }]));
  });

  it("non-finite numbers (1e999 parses to Infinity) are named", async () => {
    const scenario = JSON.stringify(minimalScenario()).replace('"hours":100', '"hours":1e999');
    expectProblem(
      await postRaw(`{"scenario": ${scenario}, "options": {"timeLimitMs": 1e999}}`),
      invalidRequest([
        { path: "options.timeLimitMs", message: "expected a number of milliseconds" },
        { path: "scenario.plants[0].resources.hours", message: "expected a finite number" },
      ]),
    );
  });

  it("wrong types anywhere are named, not taken for missing fields", async () => {
    for (const scenario of ["kz-uz-2020", 42, null, [], true]) {
      const response = await post({ scenario });
      expect(response.statusCode).toBe(422);
      expect(response.json<Answer>().errors?.[0]?.path).toBe("scenario");
    }
    expectProblem(
      await post({ scenario: minimalScenario({ plants: "andijan", integer: "yes" }) }),
      invalidRequest([
        { path: "scenario.integer", message: "expected true or false" },
        { path: "scenario.plants", message: "Invalid input: expected array, received string" },
      ]),
    );
  });

  it("a server's count limits are 422s naming the collection, checked before validation", async () => {
    const limited = buildApp({ poolSize: 1, limits: { routes: 2, periods: 3, columns: 50 } });
    try {
      const scenario = minimalScenario({
        periods: ["a", "b", "c", "d"],
        routes: [1, 2, 3].map(() => ({ plant: "p", product: "q", uses: { hours: 1 } })),
      });
      expectProblem(
        await limited.inject({ method: "POST", url: "/v1/plans", payload: { scenario } }),
        invalidRequest([
          { path: "scenario.routes", message: "has 3 entries; this server accepts at most 2" },
          { path: "scenario.periods", message: "has 4 entries; this server accepts at most 3" },
        ]),
      );
      const wide = minimalScenario({
        markets: Array.from({ length: 60 }, (_, m) => ({ id: `m${m}` })),
        demand: Array.from({ length: 60 }, (_, m) => ({ market: `m${m}`, product: "q" })),
      });
      expectProblem(
        await limited.inject({ method: "POST", url: "/v1/plans", payload: { scenario: wide } }),
        invalidRequest([{ path: "scenario", message: "the model would have up to 61 variables; this server accepts at most 50" }]),
      );
    } finally {
      await limited.close();
    }
  });

  it("property: any JSON body, scenario or options gets an answer below 500 in the documented shape", async () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    const bodies = fc.oneof(
      json,
      json.map((scenario) => ({ scenario })),
      json.map((options) => ({ scenarioId: "kz-uz-2020", options })),
      fc.record({
        scenario: fc.constant(minimalScenario()),
        options: fc.dictionary(fc.constantFrom("backend", "integer", "timeLimitMs", "mipGap", "__proto__", "x"), json),
      }),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const response = await postRaw(JSON.stringify(body));
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode !== 200) {
          expect(Object.keys(response.json()).sort()).toEqual(["detail", "errors", "status", "title", "type"]);
          expect(response.json<Answer>().status).toBe(response.statusCode);
        }
      }),
      { numRuns: Number(process.env["PROPS_RUNS"] ?? 150) },
    );
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    expect((await post({ scenarioId: "kz-uz-2020" })).statusCode).toBe(200);
  });
});

describe("configuration", () => {
  it("reads every setting from the environment and names a malformed one", () => {
    const config = configFromEnv({
      JOINTPLAN_POOL_SIZE: "3",
      JOINTPLAN_BODY_LIMIT_BYTES: "2048",
      JOINTPLAN_MAX_TIME_LIMIT_MS: "90000",
      JOINTPLAN_MAX_ROUTES: "10",
      JOINTPLAN_MAX_VARIABLES: "500",
    });
    expect(config).toMatchObject({ poolSize: 3, bodyLimitBytes: 2048, maxTimeLimitMs: 90_000, defaultTimeLimitMs: 10_000 });
    expect(config.limits).toMatchObject({ routes: 10, columns: 500, plants: 200 });
    expect(() => configFromEnv({ JOINTPLAN_QUEUE_LIMIT: "many" })).toThrow("JOINTPLAN_QUEUE_LIMIT must be a number");
    expect(() => configFromEnv({ JOINTPLAN_POOL_SIZE: "0" })).toThrow("poolSize must be a whole number of at least 1, got 0");
    expect(() => configFromEnv({ JOINTPLAN_DEFAULT_TIME_LIMIT_MS: "90000" })).toThrow("the default time limit (90000 ms) exceeds the maximum (60000 ms)");
  });

  it("applies the body limit it is given", async () => {
    const small = buildApp({ poolSize: 1, bodyLimitBytes: 1_000 });
    try {
      const response = await small.inject({ method: "POST", url: "/v1/plans", payload: { scenario: loadBundledScenario("kz-uz-2020") } });
      expect(response.statusCode).toBe(413);
      expect(response.json<Answer>().detail).toBe("The request body exceeds this server's limit of 1000 bytes.");
    } finally {
      await small.close();
    }
  });
});
