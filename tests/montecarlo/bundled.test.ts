import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  loadBundledScenario,
  monteCarlo,
  parsePlanOptions,
  parseScenario,
  prepareMonteCarlo,
  sampleMultipliers,
  type MonteCarloSpec,
} from "../../src/index.js";

/** The bundled Monte Carlo requests stay valid, and the readings docs/montecarlo.md gives of them stay true. */
const root = join(import.meta.dirname, "..", "..", "models", "montecarlo");
const read = (scenario: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(root, scenario, "kazakh-demand.json"), "utf8")) as Record<string, unknown>;

describe("bundled Monte Carlo requests", () => {
  it("each is a valid request for its scenario and says its distributions are assumptions", () => {
    expect(readdirSync(root).sort()).toEqual(["kz-uz-2019-2025", "kz-uz-2020"]);
    for (const id of readdirSync(root)) {
      const request = read(id);
      expect(String(request["notes"])).toMatch(/^Illustrative assumptions/);
      expect(() => prepareMonteCarlo(parseScenario(loadBundledScenario(id)), request, parsePlanOptions({}))).not.toThrow();
    }
  });

  it("kz-uz-2020: a plan in 97.5% of the futures; margin median 89.6 million, p5 75.0 million", async () => {
    const result = await monteCarlo(loadBundledScenario("kz-uz-2020"), read("kz-uz-2020"), { threads: 1 });
    expect(result).toMatchObject({ samples: 400, feasible: 390, statuses: { optimal: 390, infeasible: 10 } });
    const { mean, p5, p50, p95 } = result.objective ?? {};
    expect([mean, p5, p50, p95].map((value) => Math.round(value ?? NaN))).toEqual([87_807_404, 74_978_500, 89_585_554, 95_136_212]);
    expect(result.targets.map((row) => row.met_share)).toEqual([0.975, 0.975, 0.975]);
  });

  it("kz-uz-2019-2025: a plan in 97.8%; the nine without one have Kazakh demand at 63% of plan or less", async () => {
    const request = read("kz-uz-2019-2025");
    const result = await monteCarlo(loadBundledScenario("kz-uz-2019-2025"), request, { threads: 1 });
    expect(result).toMatchObject({ samples: 400, feasible: 391 });
    expect([result.objective?.p5, result.objective?.p50].map((value) => Math.round(value ?? NaN))).toEqual([712_100_026, 771_797_237]);
    expect(result.production).toHaveLength(69);
    const spec = request as unknown as MonteCarloSpec;
    const kazakh = Array.from({ length: 400 }, (_, index) => sampleMultipliers(spec, index)[0] ?? NaN);
    expect(kazakh.filter((multiplier) => multiplier <= 0.63)).toHaveLength(9);
  });
});
