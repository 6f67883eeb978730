import { describe, expect, it } from "vitest";
import { formulate, parseScenario, plan } from "../../src/index.js";
import type { Plan } from "../../src/plan/types.js";
import { valueIn } from "../../src/scenario/periods.js";
import type { PeriodNumber, Scenario } from "../../src/scenario/schema.js";
import { networkScenario } from "../support/networkScenario.js";

/**
 * The network benchmark's scenarios (tests/support/networkScenario.ts) must be
 * what the benchmark says it times: joint networks whose plans are optimal
 * and verified, where in-house lines, lanes and capacities matter — not LPs
 * whose answer is trivial.
 */

const AT_LIMIT = 1e-7;
const atLimit = (used: number, limit: number) => used >= limit - AT_LIMIT * Math.max(1, limit);

/** How many limits of each kind the plan reaches, read from the plan's quantities and the scenario. */
function bindingLimits(scenario: Scenario, result: Plan) {
  const limit = (value: PeriodNumber | undefined, period: string) => (value === undefined ? undefined : valueIn(value, period));
  let lanes = 0;
  let shipping = 0;
  let sources = 0;
  const fromSource = new Map<string, number>();
  for (const row of result.procurement) {
    const key = JSON.stringify([row.part, row.source, row.period]);
    fromSource.set(key, (fromSource.get(key) ?? 0) + row.units);
    const source = scenario.parts.find((part) => part.id === row.part)?.sources.find((candidate) => candidate.id === row.source);
    const capacity = row.plant === undefined ? undefined : limit(source?.delivers_to?.[row.plant]?.capacity, row.period);
    if (capacity !== undefined && atLimit(row.units, capacity)) lanes++;
  }
  for (const part of scenario.parts) {
    for (const source of part.sources) {
      for (const period of scenario.periods) {
        const capacity = limit(source.capacity, period);
        if (capacity !== undefined && atLimit(fromSource.get(JSON.stringify([part.id, source.id, period])) ?? 0, capacity)) sources++;
      }
    }
  }
  for (const row of result.sales) {
    const route = scenario.routes.find((candidate) => candidate.plant === row.plant && candidate.product === row.product);
    const capacity = limit(route?.ships_to?.[row.market]?.capacity, row.period);
    if (capacity !== undefined && atLimit(row.units, capacity)) shipping++;
  }
  const shops = result.capacity.filter((row) => atLimit(row.used, row.available)).length;
  const lines = result.capacity.filter((row) => row.resource === "line_hours");
  const linesBusy = lines.filter((row) => (row.used_for_parts ?? 0) > 0).length;
  const linesFull = lines.filter((row) => atLimit(row.used, row.available)).length;
  return { lanes, shipping, sources, shops, linesBusy, linesFull };
}

describe("generated joint networks for the benchmark", () => {
  it("are the same document for the same options, and another for another seed", () => {
    expect(JSON.stringify(networkScenario({ plants: 6, periods: 2 }))).toBe(JSON.stringify(networkScenario({ plants: 6, periods: 2 })));
    expect(JSON.stringify(networkScenario({ plants: 6, seed: 7 }))).not.toBe(JSON.stringify(networkScenario({ plants: 6 })));
    expect(() => networkScenario({ plants: 1 })).toThrow(/two plants/);
  });

  it("span two countries, with two levels of parts made in-house and lanes across the border", () => {
    const scenario = parseScenario(networkScenario({ plants: 10 }));
    expect(new Set(scenario.plants.map((plant) => plant.country))).toEqual(new Set(["UZ", "KZ"]));
    expect(new Set(scenario.markets.map((market) => market.country))).toEqual(new Set(["UZ", "KZ"]));
    const madeAt = new Map(
      scenario.parts.flatMap((part) => part.sources.flatMap((source) => (source.plant === undefined ? [] : ([[part.id, source]] as const)))),
    );
    // A kit's line takes sub-assemblies made in-house, whose lines take bought parts only.
    const kit = madeAt.get("kit_001");
    const subParts = Object.keys(kit?.bom ?? {});
    const madeSubParts = subParts.filter((part) => madeAt.has(part));
    expect(madeSubParts.length).toBeGreaterThan(0);
    for (const sub of madeSubParts) {
      const bought = Object.keys(madeAt.get(sub)?.bom ?? {});
      expect(bought.length).toBeGreaterThan(0);
      expect(bought.every((part) => !madeAt.has(part))).toBe(true);
    }
    const country = new Map(scenario.plants.map((plant) => [plant.id, plant.country]));
    const crossing = [...madeAt.values()].flatMap((source) =>
      Object.entries(source.delivers_to ?? {}).filter(([plant, lane]) => country.get(plant) !== country.get(source.plant ?? "") && lane.duty > 0),
    );
    expect(crossing.length).toBeGreaterThan(0);
    expect(scenario.routes.every((route) => route.ships_to !== undefined)).toBe(true);
  });

  it.each([
    { plants: 4, periods: 1 },
    { plants: 10, periods: 1 },
    { plants: 6, periods: 3 },
  ])("plan optimally and verified, with lines, lanes and capacities binding ($plants plants, $periods periods)", (options) => {
    const document = networkScenario(options);
    const scenario = parseScenario(document);
    const result = plan(document);
    expect(result.status).toBe("optimal");
    expect(result.verification).toMatchObject({ feasible: true, violations: [] });
    expect(formulate(scenario).lp.rows.some((row) => row.tag.family === "parts" && row.tag.plant !== undefined)).toBe(true);

    const binding = bindingLimits(scenario, result);
    expect(binding.lanes).toBeGreaterThan(0);
    expect(binding.shops).toBeGreaterThan(0);
    expect(binding.sources).toBeGreaterThan(0);
    expect(binding.linesBusy).toBeGreaterThan(0);
    expect(binding.linesFull).toBeGreaterThan(0);
    if (options.plants >= 10) expect(binding.shipping).toBeGreaterThan(0);
    // Parts and products cross the border both ways' worth of goods: the flows name both kinds.
    expect(new Set(result.flows?.borders.map((flow) => flow.goods))).toEqual(new Set(["parts", "products"]));
    // Kits and sub-assemblies both travel between plants.
    const travelling = new Set(result.flows?.between_plants.map((flow) => flow.part.split("_")[0]));
    expect(travelling).toEqual(new Set(["kit", "sub"]));
  });
});
