import { describe, expect, it } from "vitest";
import { parseScenario, plan } from "../../src/index.js";
import { hostileIds } from "../arbitraries/scenario.js";
import { at } from "../../src/util/invariant.js";

/**
 * Ids are arbitrary strings chosen by users (docs/format.md §1.1). Ones that look like
 * javascript-lp-solver result keys or JavaScript internals must work and come
 * back unchanged.
 */
function scenarioNamedWith(name: (role: string) => string): unknown {
  const plant = name("plant");
  const product = name("product");
  const resource = name("resource");
  const part = name("part");
  const source = name("source");
  const market = name("market");
  const period = name("period");
  const record = (key: string, value: unknown): unknown => JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value)}}`);
  return JSON.parse(
    JSON.stringify({
      format: "jointplan/v1",
      id: name("scenario"),
      title: "Hostile ids",
      periods: [period],
      plants: [{ id: plant, resources: record(resource, record(period, 10)) }],
      products: [{ id: product, family: name("family"), bom: record(part, 1) }],
      routes: [{ plant, product, uses: record(resource, 1) }],
      parts: [{ id: part, sources: [{ id: source, local: true, unit_cost: 1 }] }],
      markets: [{ id: market, export: true }],
      demand: [{ market, product, price: 5 }],
      targets: [{ id: name("target"), kind: "units", min: 1, families: [name("family")] }],
    }),
  );
}

describe("ids that look like solver or JavaScript internals", () => {
  it.each(hostileIds)("%s works in every role and round-trips", (id) => {
    const scenario = scenarioNamedWith(() => id);
    const parsed = parseScenario(scenario);
    expect(Object.keys(at(parsed.plants, 0, "plant").resources)).toEqual([id]);
    for (const backend of ["javascript-lp-solver", "highs"] as const) {
      const result = plan(scenario, { backend });
      expect(result.status).toBe("optimal");
      expect(result.objective).toBeCloseTo(40, 6); // 10 units at 5, less 10 parts at 1
      expect(result.scenario).toBe(id);
      expect(result.production).toEqual([{ period: id, plant: id, product: id, units: 10 }]);
      expect(result.sales).toEqual([{ period: id, plant: id, product: id, market: id, units: 10, revenue: 50 }]);
      expect(result.procurement).toEqual([{ period: id, part: id, source: id, local: true, units: 10, cost: 10 }]);
      expect(result.capacity).toEqual([{ period: id, plant: id, resource: id, used: 10, available: 10, utilization: 1 }]);
      expect(result.targets).toEqual([{ id, period: id, value: 10, min: 1, max: null, met: true }]);
      expect(result.verification.feasible).toBe(true);
    }
  });

  it("keeps distinct hostile ids apart", () => {
    const scenario = scenarioNamedWith(
      (role) =>
        ({
          plant: "__proto__",
          product: "constructor",
          resource: "feasible",
          part: "result",
          source: "bounded",
          market: "toString",
          period: "Андижан",
          scenario: "a b",
          family: "valueOf",
          target: "hasOwnProperty",
        })[role] ?? role,
    );
    const result = plan(scenario);
    expect(result.production).toEqual([{ period: "Андижан", plant: "__proto__", product: "constructor", units: 10 }]);
    expect(result.capacity[0]).toMatchObject({ plant: "__proto__", resource: "feasible" });
    expect(result.procurement[0]).toMatchObject({ part: "result", source: "bounded" });
  });

  it("does not let a __proto__ key pollute prototypes", () => {
    parseScenario(scenarioNamedWith(() => "__proto__"));
    expect(({} as Record<string, unknown>)["10"]).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("__proto__.10");
  });
});
