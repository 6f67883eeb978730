import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { isValidationError, loadBundledScenario, plan, validateScenario } from "../../src/index.js";
import { scenarioArbitrary } from "../arbitraries/scenario.js";
import { propertyParameters, propertyRuns } from "../support/properties.js";
import { put, type Json } from "../support/transform.js";
import { at } from "../../src/util/invariant.js";

/**
 * Hostile input through the library and the CLI: every mutation of a valid
 * scenario gets a clear error naming the field, or — where the result is still
 * valid — a plan; nothing throws anything else, nothing crashes.
 */
const base = (): Json => JSON.parse(JSON.stringify(loadBundledScenario("kz-uz-2020"))) as Json;
type Path = readonly (string | number)[];

/** A copy of `document` with the value at `path` replaced (or deleted when `value` is `DELETE`). */
const DELETE = Symbol("delete");
function mutate(document: Json, path: Path, value: unknown): Json {
  const copy = JSON.parse(JSON.stringify(document)) as Json;
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1);
  if (last === undefined) throw new Error("an empty path names no field");
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the path names the field to delete
  if (value === DELETE) delete node[last];
  else if (typeof last === "string") put(node, last, value);
  else node[last] = value;
  return copy;
}

function nested(depth: number): unknown {
  return JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`);
}

const cases: [string, Json, string, RegExp?][] = [
  ["a string where a number belongs", mutate(base(), ["plants", 0, "resources", "assembly_hours"], "lots"), "plants[0].resources.assembly_hours"],
  ["an object where an array belongs", mutate(base(), ["routes"], { plant: "andijan" }), "routes", /expected array/],
  ["null for a required field", mutate(base(), ["markets"], null), "markets"],
  ["a deleted required field", mutate(base(), ["demand"], DELETE), "demand", /is required/],
  ["a boolean given as a string", mutate(base(), ["markets", 1, "export"], "true"), "markets[1].export"],
  ["a dangling plant reference", mutate(base(), ["routes", 3, "plant"], "bukhara"), "routes[3].plant", /unknown plant "bukhara"/],
  ["a dangling part in a bom", mutate(base(), ["products", 0, "bom", "turbo"], 1), "products[0].bom.turbo", /unknown part/],
  ["a duplicate plant id", mutate(base(), ["plants", 2, "id"], "andijan"), "plants[2].id", /duplicate/],
  ["a duplicate demand row", mutate(base(), ["demand", 1, "market"], "UZ"), "demand[1]", /duplicate demand/],
  ["a huge negative number", mutate(base(), ["plants", 1, "resources", "assembly_hours"], -1e308), "plants[1].resources.assembly_hours", /negative/],
  ["a negative capacity", mutate(base(), ["parts", 0, "sources", 0, "capacity"], -5), "parts[0].sources[0].capacity", /negative/],
  ["a share above one", mutate(base(), ["targets", 1, "min"], 80), "targets[1].min", /\[0, 1\]/],
  ["deep nesting in a string field", mutate(base(), ["notes"], nested(20_000)), "notes", /expected string/],
  ["deep nesting in an unknown field", mutate(base(), ["extra"], nested(20_000)), "extra", /unknown field/],
  ["a __proto__ key at the top", mutate(base(), ["__proto__"], { polluted: true }), "__proto__", /unknown field/],
  [
    "a constructor key in a record of a known shape",
    mutate(base(), ["routes", 0, "constructor"], { prototype: { polluted: true } }),
    "routes[0].constructor",
    /unknown field/,
  ],
  ["an unknown period in a period map", mutate(base(), ["demand", 0, "max"], { "2020": 10, "1066": 5 }), 'demand[0].max["1066"]', /unknown period/],
];

describe("hostile input through the library", () => {
  it.each(cases)("%s → a ValidationError naming the field", (_name, input, path, message) => {
    const result = validateScenario(input);
    expect(result.ok).toBe(false);
    const issue = result.ok ? undefined : result.issues.find((candidate) => candidate.path === path);
    expect(issue, JSON.stringify(result.ok ? [] : result.issues)).toBeDefined();
    if (message !== undefined) expect(issue?.message).toMatch(message);
    expect(() => plan(input)).toThrow(expect.objectContaining({ name: "ValidationError" }));
  });

  it("NaN and ±Infinity (possible only through the library) are rejected with their path", () => {
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      const result = validateScenario(mutate(base(), ["demand", 2, "price"], 0));
      expect(result.ok).toBe(true);
      const input = base() as { demand: Json[] };
      at(input.demand, 2, "demand row")["price"] = bad;
      const rejected = validateScenario(input);
      expect(rejected.ok ? [] : rejected.issues.map((issue) => issue.path)).toContain("demand[2].price");
    }
  });

  it("__proto__ and constructor keys never reach any prototype", () => {
    const input: unknown = JSON.parse(
      '{"format":"jointplan/v1","id":"x","title":"t","plants":[{"id":"p","resources":{"__proto__":{"polluted":1},"constructor":5}}],' +
        '"products":[{"id":"q","family":"car"}],"routes":[{"plant":"p","product":"q","uses":{"constructor":1}}],"markets":[{"id":"m"}],' +
        '"demand":[{"market":"m","product":"q","price":1}]}',
    );
    const result = validateScenario(input);
    expect(result.ok ? [] : result.issues.map((issue) => issue.path)).toContain("plants[0].resources.__proto__");
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  it("valid but extreme documents plan without crashing: multi-MiB strings, thousands of periods, huge numbers", () => {
    const longText = "Андижан ".repeat(400_000); // about 5 MiB of UTF-8
    const withLongStrings = { ...base(), title: longText, notes: longText };
    expect(plan(withLongStrings).status).toBe("optimal");

    const periods = Array.from({ length: 3_000 }, (_, i) => `month ${i + 1}`);
    const manyPeriods = {
      format: "jointplan/v1",
      id: "many-periods",
      title: "Three thousand periods",
      periods,
      plants: [{ id: "p", resources: { hours: 100 } }],
      products: [{ id: "q", family: "car" }],
      routes: [{ plant: "p", product: "q", uses: { hours: 1 }, inventory: { max: 50, holding_cost: 0.1 } }],
      markets: [{ id: "m" }],
      demand: [{ market: "m", product: "q", price: { "*": 5, "month 3000": 9 }, max: 80 }],
    };
    const long = plan(manyPeriods);
    expect(long.status).toBe("optimal");
    expect(long.verification.feasible).toBe(true);

    const huge = mutate(base(), ["demand", 0, "price"], 1e300);
    const hugePlan = plan(huge);
    expect(["optimal", "unbounded", "infeasible", "time_limit"]).toContain(hugePlan.status);
  });

  it("a random replacement anywhere in a valid scenario yields a ValidationError with paths, or a plan — never another exception", () => {
    const junk = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(-1, 0, 1e308, -1e308, "", "__proto__", "*", null, [], {}, true, Number.NaN, Infinity));
    const withPath = scenarioArbitrary({ integer: false }).chain((input) => {
      const paths: Path[] = [];
      const walk = (node: unknown, path: Path) => {
        paths.push(path);
        if (Array.isArray(node)) node.forEach((child, i) => walk(child, [...path, i]));
        else if (typeof node === "object" && node !== null) for (const key of Object.keys(node)) walk((node as Json)[key], [...path, key]);
      };
      walk(input, []);
      return fc.record({ input: fc.constant(input), path: fc.constantFrom(...paths.slice(1)), value: fc.oneof(junk, fc.constant(DELETE)) });
    });
    let rejected = 0;
    fc.assert(
      fc.property(withPath, ({ input, path, value }) => {
        const document = mutate(input, path, value);
        let outcome;
        try {
          outcome = plan(document, { backend: "highs" });
        } catch (error) {
          expect(isValidationError(error), String(error)).toBe(true);
          const issues = (error as { issues: { path: string; message: string }[] }).issues;
          expect(issues.length).toBeGreaterThan(0);
          for (const issue of issues) {
            expect(typeof issue.path).toBe("string");
            expect(issue.message.length).toBeGreaterThan(0);
          }
          rejected++;
          return;
        }
        expect(["optimal", "infeasible", "unbounded", "time_limit"]).toContain(outcome.status);
      }),
      propertyParameters(),
    );
    expect(rejected).toBeGreaterThan(propertyRuns * 0.3);
  });
});

describe("hostile input through HTTP", () => {
  const app = buildApp();
  afterAll(() => app.close());

  it.each(cases.filter(([name]) => !name.startsWith("deep")))("%s → 422 naming the field under scenario.", async (_name, input, path) => {
    const response = await app.inject({
      method: "POST",
      url: "/v1/plans",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ scenario: input }),
    });
    expect(response.statusCode).toBe(422);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const body = response.json<{ errors: { path: string }[] }>();
    expect(body.errors.map((issue) => issue.path)).toContain(path.startsWith("[") ? `scenario${path}` : `scenario.${path}`);
  });

  it("deeply nested JSON (100,000 levels) → 422 naming the field, plainly and with whole units", async () => {
    const depth = 100_000;
    for (const options of [{}, { integer: true }]) {
      const payload = JSON.stringify({ scenario: { ...base(), notes: "DEEP" }, options }).replace('"DEEP"', `${"[".repeat(depth)}${"]".repeat(depth)}`);
      const response = await app.inject({ method: "POST", url: "/v1/plans", headers: { "content-type": "application/json" }, payload });
      expect(response.statusCode).toBe(422);
      // Bound for a worker (whole units), the depth limit names the first level past it: scenario.notes[0]…[0].
      const paths = response.json<{ errors: { path: string }[] }>().errors.map((issue) => issue.path);
      expect(
        paths.some((path) => path.startsWith("scenario.notes")),
        JSON.stringify(paths),
      ).toBe(true);
    }
  });

  it("the random-replacement fuzz never gets a 5xx", async () => {
    const documents = fc.sample(
      scenarioArbitrary({ integer: false }).chain((input) =>
        fc.record({ input: fc.constant(input), value: fc.jsonValue({ maxDepth: 2 }), position: fc.nat() }),
      ),
      { numRuns: Math.max(50, Math.floor(propertyRuns / 2)), seed: 7 },
    );
    for (const { input, value, position } of documents) {
      const keys = Object.keys(input);
      const document = mutate(input, [at(keys, position % keys.length, "key")], value);
      const response = await app.inject({ method: "POST", url: "/v1/plans", payload: { scenario: document } });
      expect(response.statusCode, response.body.slice(0, 300)).toBeLessThan(500);
    }
  });
});

describe("hostile input through the CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "jointplan-hostile-"));
  const bin = join(import.meta.dirname, "..", "..", "bin", "jointplan.js");
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });

  const shallow = cases.filter(([name]) => !name.startsWith("deep"));
  it.each(shallow.filter((_, i) => i % 3 === 0))("%s → exit 1 naming the field, no stack trace", (name, input, path) => {
    const file = join(dir, `${name.replace(/\W+/g, "-")}.json`);
    writeFileSync(file, JSON.stringify(input));
    for (const command of ["validate", "plan"]) {
      const result = run(command, file);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`${path}:`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("deeply nested JSON (100,000 levels) exits 1 naming the field", () => {
    const file = join(dir, "deep.json");
    const depth = 100_000;
    writeFileSync(file, JSON.stringify({ ...base(), notes: "DEEP" }).replace('"DEEP"', `${"[".repeat(depth)}${"]".repeat(depth)}`));
    const result = run("validate", file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("notes: ");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("a file that is not JSON at all, or is binary, exits 1 without a stack trace", () => {
    const garbage = join(dir, "garbage.json");
    writeFileSync(garbage, Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22]));
    const result = run("plan", garbage);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/not valid JSON/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
