import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { loadBundledScenario } from "../../src/scenario/bundled.js";
import { parseScenario } from "../../src/scenario/parse.js";
import { canonicalJson, sha256Hex } from "../../src/library/canonical.js";
import { software } from "../../src/library/software.js";
import { plan } from "../../src/plan/plan.js";
import { closeStartedApps, readyApp } from "../support/http.js";
import { pollJob } from "../support/jobs.js";
import { createTestDatabase, temporaryDataDir, type TestDatabase } from "../support/postgres.js";

type Json = Record<string, unknown>;
const bundled = parseScenario(loadBundledScenario("kz-uz-2020"));
const document = (): Json => JSON.parse(JSON.stringify(bundled)) as Json;
const path = (name: string, rest = "") => `/v1/library/${encodeURIComponent(name)}${rest}`;

async function save(app: FastifyInstance, name: string, scenario: unknown, ifMatch?: string, message = "a save", headers: Record<string, string> = {}) {
  return app.inject({
    method: "POST",
    url: path(name, "/versions"),
    headers: { ...headers, ...(ifMatch === undefined ? {} : { "if-match": ifMatch }) },
    payload: { scenario, message },
  });
}

/** The scenario with one capacity set: plants[0]'s first resource. */
function withCapacity(value: number): { scenario: Json; plant: string; resource: string } {
  const scenario = document();
  const plant = (scenario["plants"] as { id: string; resources: Record<string, unknown> }[])[0];
  const resource = Object.keys(plant?.resources ?? {})[0] ?? "";
  if (plant !== undefined) plant.resources[resource] = value;
  return { scenario, plant: plant?.id ?? "", resource };
}

describe("the library's routes (embedded PGlite)", () => {
  let folder: Awaited<ReturnType<typeof temporaryDataDir>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    folder = await temporaryDataDir();
    app = await readyApp({ library: { dataDir: folder.dir }, jobs: { threads: 1 } });
    await app.library.store(); // the embedded database's first start (initdb) takes seconds on a busy machine
  }, 120_000);
  afterAll(async () => {
    await closeStartedApps();
    await folder.remove();
  });

  it("saves a first version (201, Location, ETag) and reads it back with its ETag; If-None-Match answers 304", async () => {
    const created = await save(app, "Tashkent plan", bundled, undefined, "first cut");
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe("/v1/library/Tashkent%20plan/versions/1");
    expect(created.json()).toMatchObject({ name: "Tashkent plan", version: 1, message: "first cut", author: "anonymous", title: bundled.title });
    expect(created.json<Json>()["hash"]).toBe(sha256Hex(canonicalJson(bundled)));

    const read = await app.inject({ url: path("Tashkent plan", "/versions/1") });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.headers["scenario-hash"]).toBe(created.json<Json>()["hash"]);
    expect(parseScenario(read.json())).toEqual(bundled);
    expect((await app.inject({ url: path("Tashkent plan", "/versions/latest") })).body).toBe(read.body);
    expect((await app.inject({ url: path("Tashkent plan", "/versions/1"), headers: { "if-none-match": '"1"' } })).statusCode).toBe(304);
    expect((await app.inject({ url: path("Tashkent plan", "/versions/2") })).statusCode).toBe(404);
    expect((await app.inject({ url: path("Tashkent plan", "/versions/zero") })).statusCode).toBe(422);
  });

  it("asks for If-Match on an existing name: 428 without it, 412 when another save came first, 201 with the latest", async () => {
    await save(app, "guarded", bundled);
    const missing = await save(app, "guarded", withCapacity(10).scenario);
    expect(missing.statusCode).toBe(428);
    expect(missing.headers["content-type"]).toContain("application/problem+json");
    expect((await save(app, "guarded", withCapacity(10).scenario, '"1"')).statusCode).toBe(201);
    const stale = await save(app, "guarded", withCapacity(20).scenario, '"1"');
    expect(stale.statusCode).toBe(412);
    expect(stale.json<Json>()["detail"]).toContain("latest version");
    expect((await save(app, "guarded", withCapacity(20).scenario, "3")).statusCode).toBe(400);
    expect((await save(app, "never saved", bundled, '"1"')).statusCode).toBe(412);
    const history = await app.inject({ url: path("guarded") });
    expect(history.headers.etag).toBe('"2"');
    expect(history.json<{ versions: { version: number }[] }>().versions.map((version) => version.version)).toEqual([2, 1]);
  });

  it("answers an invalid scenario with 422 and its paths, and stores nothing", async () => {
    const broken = document();
    (broken["plants"] as Json[])[0] = { id: "x" };
    const answer = await save(app, "broken", broken);
    expect(answer.statusCode).toBe(422);
    expect(answer.json<{ errors: { path: string }[] }>().errors.map((error) => error.path)).toContain("scenario.plants[0].resources");
    expect((await app.inject({ url: path("broken") })).statusCode).toBe(404);
    expect((await app.inject({ url: "/v1/library" })).json<{ name: string }[]>().map((entry) => entry.name)).not.toContain("broken");
    const badMessage = await app.inject({ method: "POST", url: path("broken", "/versions"), payload: { scenario: bundled, message: 7, extra: true } });
    expect(
      badMessage
        .json<{ errors: { path: string }[] }>()
        .errors.map((error) => error.path)
        .sort(),
    ).toEqual(["extra", "message"]);
  });

  it("keeps any name as given — unicode, spaces, __proto__, ../x, results, % and ? — URL-encoded in routes", async () => {
    const names = ["__proto__", "../x", "План «Ташкент» 2026", "a b", "results", "100% ?x#y", "<img src=x onerror=alert(1)>", "constructor"];
    for (const name of names) expect((await save(app, name, bundled, undefined, `message of ${name}`)).statusCode).toBe(201);
    const listed = (await app.inject({ url: "/v1/library" })).json<{ name: string; latest: number }[]>();
    for (const name of names) {
      expect(listed.find((entry) => entry.name === name)?.latest).toBe(1);
      const history = await app.inject({ url: path(name) });
      expect(history.statusCode).toBe(200);
      expect(history.json<{ name: string; versions: { message: string }[] }>()).toMatchObject({ name, versions: [{ message: `message of ${name}` }] });
      expect((await app.inject({ url: path(name, "/versions/1") })).statusCode).toBe(200);
    }
    // "results" shares its path's shape with GET /v1/library/results/{id}: its diff is still its own.
    expect((await save(app, "results", withCapacity(77).scenario, '"1"')).statusCode).toBe(201);
    expect((await app.inject({ url: path("results", "/diff") })).json()).toMatchObject({
      name: "results",
      from: 1,
      to: 2,
      changes: [{ on: "capacity", set: 77 }],
    });
    expect((await save(app, "x".repeat(201), bundled)).statusCode).toBe(422);
    expect((await save(app, "x".repeat(200), bundled)).statusCode).toBe(201);
    const nul = await app.inject({ method: "POST", url: "/v1/library/a%00b/versions", payload: { scenario: bundled } });
    expect(nul.statusCode).toBe(422);
    const [issue] = nul.json<{ errors: { path: string; message: string }[] }>().errors;
    expect(issue?.path).toBe("name");
    expect(issue?.message).toContain("NUL");
  });

  it("lets exactly one of concurrent saves with the same If-Match win", async () => {
    await save(app, "race", bundled);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => save(app, "race", withCapacity(100 + i).scenario, '"1"')));
    expect(answers.filter((answer) => answer.statusCode === 201)).toHaveLength(1);
    expect(answers.filter((answer) => answer.statusCode === 412)).toHaveLength(9);
  });

  it("diffs two versions that differ in one capacity as that one Change", async () => {
    await save(app, "diffed", bundled);
    const changed = withCapacity(4321);
    await save(app, "diffed", changed.scenario, '"1"', "more capacity");
    const diff = await app.inject({ url: path("diffed", "/diff?from=1&to=2") });
    expect(diff.statusCode).toBe(200);
    expect(diff.json()).toEqual({
      name: "diffed",
      from: 1,
      to: 2,
      fields: [],
      changes: [{ on: "capacity", plant: changed.plant, resource: changed.resource, set: 4321 }],
      added: [],
      removed: [],
      edited: [],
    });
    expect((await app.inject({ url: path("diffed", "/diff") })).json()).toEqual(diff.json());
    expect((await app.inject({ url: path("diffed", "/diff?from=9") })).statusCode).toBe(404);
  });

  it("plans, compares and sweeps a library version, saves each result with its version, options and software", async () => {
    await save(app, "planned", bundled);
    const planned = await app.inject({
      method: "POST",
      url: "/v1/plans",
      payload: { library: { name: "planned" }, options: { backend: "highs" }, save: true },
    });
    expect(planned.statusCode).toBe(200);
    const expected = plan(bundled, { backend: "highs" });
    expect(planned.json<Json>()["objective"]).toBeCloseTo(expected.objective ?? NaN, 6);
    const location = planned.headers["saved-result"];
    expect(location).toMatch(/^\/v1\/library\/results\/[0-9a-f-]{36}$/);
    const saved = await app.inject({ url: String(location) });
    expect(saved.json()).toMatchObject({
      name: "planned",
      version: 1,
      kind: "plan",
      status: "done",
      request: { options: { backend: "highs" } },
      software: software(),
    });
    expect(saved.json<{ result: unknown }>().result).toEqual(planned.json());

    const compared = await app.inject({
      method: "POST",
      url: "/v1/comparisons",
      payload: { library: { name: "planned", version: 1 }, variants: [{ name: "less", changes: [{ on: "demand", field: "max", scale: 0.5 }] }], save: true },
    });
    expect(compared.statusCode).toBe(200);
    const swept = await app.inject({
      method: "POST",
      url: "/v1/sweeps",
      payload: { library: { name: "planned" }, sweep: { parameter: { on: "target", id: "joint_goal", field: "min" }, values: [1000, 2000] }, save: true },
    });
    expect(swept.statusCode).toBe(200);
    const unsaved = await app.inject({ method: "POST", url: "/v1/plans", payload: { library: { name: "planned" } } });
    expect(unsaved.headers["saved-result"]).toBeUndefined();

    const history = (await app.inject({ url: path("planned") })).json<{ results: { kind: string; version: number }[] }>();
    expect(history.results.map((result) => result.kind).sort()).toEqual(["compare", "plan", "sweep"]);
    expect((await app.inject({ url: "/v1/library/results/nope" })).statusCode).toBe(404);
  });

  it("saves a job's result with its version once the job has ended", async () => {
    await save(app, "by job", bundled);
    const submitted = await app.inject({ method: "POST", url: "/v1/jobs", payload: { kind: "plan", library: { name: "by job" }, save: true } });
    expect(submitted.statusCode).toBe(202);
    const location = String(submitted.headers["saved-result"]);
    const job = await pollJob(app, submitted.json<{ id: string }>().id, "succeeded");
    const saved = (await app.inject({ url: location })).json<Json>();
    expect(saved).toMatchObject({ kind: "plan", status: "done", job_id: job.id, version: 1 });
    expect(saved["result"]).toEqual(job.result);
  });

  it("refuses library references that do not fit: unknown name or version (404), library with scenarioId, save without library (422)", async () => {
    const unknown = await app.inject({ method: "POST", url: "/v1/plans", payload: { library: { name: "nothing here" } } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe("library.name");
    await save(app, "one version", bundled);
    const noVersion = await app.inject({ method: "POST", url: "/v1/plans", payload: { library: { name: "one version", version: 2 } } });
    expect(noVersion.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe("library.version");
    const both = await app.inject({ method: "POST", url: "/v1/plans", payload: { library: { name: "one version" }, scenarioId: "kz-uz-2020" } });
    expect(both.statusCode).toBe(422);
    const saveAlone = await app.inject({ method: "POST", url: "/v1/plans", payload: { scenarioId: "kz-uz-2020", save: true } });
    expect(saveAlone.statusCode).toBe(422);
    expect(saveAlone.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe("save");
    const extra = await app.inject({ method: "POST", url: "/v1/plans", payload: { library: { name: "one version", tag: 1 } } });
    expect(extra.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe("library.tag");
    const converted = await app.inject({ method: "POST", url: "/v1/conversions", payload: { library: { name: "one version" } } });
    expect(parseScenario(converted.json())).toEqual(bundled);
  });
});

describe("the library's routes with API keys", () => {
  it("names the author by the calling key's label, never the key", async () => {
    const folder = await temporaryDataDir();
    try {
      const key = "k".repeat(24);
      const app = await readyApp({ library: { dataDir: folder.dir }, apiKeys: [key] });
      await app.library.store();
      const headers = { authorization: `Bearer ${key}` };
      expect((await save(app, "keyed", bundled)).statusCode).toBe(401);
      const created = await save(app, "keyed", bundled, undefined, "m", headers);
      expect(created.json<Json>()["author"]).toMatch(/^key:[0-9a-f]{8}$/);
      const history = await app.inject({ url: path("keyed"), headers });
      expect(history.body).not.toContain(key);
      await closeStartedApps();
    } finally {
      await folder.remove();
    }
  }, 120_000);
});

describe("two service replicas on one PostgreSQL server", () => {
  let database: TestDatabase;
  let replicas: FastifyInstance[];

  beforeAll(async () => {
    database = await createTestDatabase();
    replicas = await Promise.all([1, 2].map(() => readyApp({ library: { databaseUrl: database.url } })));
  }, 60_000);
  afterAll(async () => {
    await closeStartedApps();
    await database.drop();
  });

  it("share one library: a save on one is read on the other, and of concurrent saves across them exactly one wins", async () => {
    const [a, b] = replicas as [FastifyInstance, FastifyInstance];
    expect((await save(a, "shared", bundled)).statusCode).toBe(201);
    expect(parseScenario((await b.inject({ url: path("shared", "/versions/1") })).json())).toEqual(bundled);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => save(i % 2 === 0 ? a : b, "shared", withCapacity(200 + i).scenario, '"1"', `replica ${i % 2}`)),
    );
    expect(answers.filter((answer) => answer.statusCode === 201)).toHaveLength(1);
    expect(answers.filter((answer) => answer.statusCode === 412)).toHaveLength(11);
    const fromA = (await a.inject({ url: path("shared") })).json<{ latest: number }>();
    const fromB = (await b.inject({ url: path("shared") })).json<{ latest: number }>();
    expect(fromA).toEqual(fromB);
    expect(fromA.latest).toBe(2);
  });
});
