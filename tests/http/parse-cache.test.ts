import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { loadBundledScenario, parseScenario, plan, type Plan } from "../../src/index.js";
import { ScenarioCache } from "../../src/http/scenarioCache.js";
import type { Json } from "../support/builders.js";

/**
 * The service's parse cache: a posted body seen before gives back its parsed
 * scenario, so the same document is not parsed, validated and formulated
 * again; any other body, however close, is parsed afresh.
 */
let app: FastifyInstance;
beforeAll(async () => {
  app = buildApp({ poolSize: 1, parseCacheEntries: 2, parseCacheMaxBodyBytes: 32 * 1024 });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

const postText = (payload: string) => app.inject({ method: "POST", url: "/v1/plans", payload, headers: { "content-type": "application/json" } });
const untimed = (result: Plan) => ({ ...result, solver: { ...result.solver, ms: 0 } });
const document = loadBundledScenario("kz-uz-2020") as Json;
const counts = () => ({ hits: app.solveService.cache.hits, misses: app.solveService.cache.misses, size: app.solveService.cache.size });

describe("the parse cache of posted scenarios", () => {
  it("a repeated body reuses its parsed scenario and plans exactly as the first time; another body is not confused with it", async () => {
    const body = JSON.stringify({ scenario: document });
    const start = counts();
    const first = await postText(body);
    expect(first.statusCode).toBe(200);
    expect(counts()).toEqual({ hits: start.hits, misses: start.misses + 1, size: start.size + 1 });
    const second = await postText(body);
    expect(counts()).toEqual({ hits: start.hits + 1, misses: start.misses + 1, size: start.size + 1 });
    expect(untimed(second.json())).toEqual(untimed(first.json()));
    expect(untimed(second.json())).toEqual(untimed(plan(document)));

    // Another scenario, differing in one price: its own parse, its own (different) plan.
    const cheaper = { ...document, title: "cheaper cars" } as Json;
    const changed = JSON.parse(JSON.stringify(cheaper)) as { demand: { price: number }[] };
    for (const row of changed.demand) row.price = Math.round(row.price * 0.8);
    const other = await postText(JSON.stringify({ scenario: changed }));
    expect(counts().misses).toBe(start.misses + 2);
    expect(untimed(other.json())).toEqual(untimed(plan(changed)));
    expect(other.json<Plan>().objective).not.toBe(first.json<Plan>().objective);
    // And the first body still gives the first plan.
    expect(untimed((await postText(body)).json())).toEqual(untimed(first.json()));
    expect(counts().hits).toBe(start.hits + 2);
  });

  it("keys on the exact text: the same document spaced differently is parsed afresh; invalid documents and pooled plans are not cached", async () => {
    const start = counts();
    const spaced = await postText(JSON.stringify({ scenario: document }, null, 1));
    expect(spaced.statusCode).toBe(200);
    expect(counts().misses).toBe(start.misses + 1);

    const invalid = JSON.stringify({ scenario: { ...document, routes: [{ plant: "nowhere", product: "city", uses: {} }] } });
    expect((await postText(invalid)).statusCode).toBe(422);
    expect((await postText(invalid)).statusCode).toBe(422);
    expect(counts().hits).toBe(start.hits);

    // Integer: solved in the pool, which parses in its worker; nothing is looked up here.
    const pooled = JSON.stringify({ scenario: document, options: { integer: true } });
    const before = counts();
    expect((await postText(pooled)).statusCode).toBe(200);
    expect((await postText(pooled)).statusCode).toBe(200);
    expect(counts()).toEqual(before);
  });

  it("bodies over the size bound are not cached", async () => {
    const large = JSON.stringify({ scenario: { ...document, notes: "x".repeat(40 * 1024) } });
    const before = counts();
    expect((await postText(large)).statusCode).toBe(200);
    expect((await postText(large)).statusCode).toBe(200);
    expect(counts()).toEqual(before);
  });
});

describe("ScenarioCache", () => {
  const scenario = (title: string) => parseScenario({ ...document, title });

  it("keeps at most maxEntries, evicting the least recently used", () => {
    const cache = new ScenarioCache(2, 1_000);
    const [a, b, c] = [scenario("a"), scenario("b"), scenario("c")];
    cache.set("a", a);
    cache.set("b", b);
    expect(cache.get("a")).toBe(a); // a is now the most recently used
    cache.set("c", c);
    expect(cache.size).toBe(2);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(a);
    expect(cache.get("c")).toBe(c);
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 3, misses: 1 });
  });

  it("refuses bodies over maxBodyBytes, counted in UTF-8 bytes, and keeps nothing with maxEntries 0", () => {
    const cache = new ScenarioCache(4, 8);
    expect(cache.accepts("12345678")).toBe(true);
    expect(cache.accepts("123456789")).toBe(false);
    expect(cache.accepts("ёёёёё")).toBe(false); // 5 characters, 10 bytes
    cache.set("ёёёёё", scenario("x"));
    expect(cache.size).toBe(0);
    const off = new ScenarioCache(0, 1_000);
    off.set("a", scenario("a"));
    expect(off.size).toBe(0);
    expect(off.accepts("a")).toBe(false);
  });
});
