import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBundledScenario, parsePlanOptions, parseScenario, stochastic, stochasticSummary } from "../../src/index.js";
import { renderStochastic } from "../../src/cli/stochasticCommand.js";
import { prepareStochastic } from "../../src/stochastic/outcomes.js";

/** The bundled two-stage requests stay valid, and the readings docs/stochastic.md gives of them stay true. */
const root = join(import.meta.dirname, "..", "..", "models", "stochastic");
const read = (scenario: string, file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(root, scenario, file), "utf8")) as Record<string, unknown>;

describe("bundled two-stage requests", () => {
  it("each is a valid request for its scenario, with its options, and says its probabilities are assumptions", () => {
    expect(readdirSync(root).sort()).toEqual(["kz-uz-2019-2025", "kz-uz-cluster-2020-2030"]);
    for (const id of readdirSync(root)) {
      for (const file of readdirSync(join(root, id))) {
        const { options = {}, ...request } = read(id, file);
        expect(String(request["notes"])).toMatch(/assumptions/);
        expect(() => prepareStochastic(parseScenario(loadBundledScenario(id)), request, parsePlanOptions(options))).not.toThrow();
      }
    }
  });

  it("kz-uz-2019-2025 under Kazakh demand: EVPI 37.0 million, VSS 22.3 million, 2,914 units unsold in the slump, in words", async () => {
    const scenario = parseScenario(loadBundledScenario("kz-uz-2019-2025"));
    const result = await stochastic(scenario, read("kz-uz-2019-2025", "kazakh-demand.json"));
    expect(result.status).toBe("optimal");
    expect([result.expected, result.wait_and_see, result.evpi, result.eev, result.vss].map((value) => Math.round(value ?? NaN))).toEqual([
      730_066_116, 767_064_694, 36_998_578, 707_730_263, 22_335_853,
    ]);
    expect(result.outcomes.map((outcome) => outcome.verification.feasible)).toEqual([true, true, true]);
    const slump = result.outcomes[0]?.unsold.reduce((sum, row) => sum + row.units, 0) ?? NaN;
    expect(Math.round(slump)).toBe(2_914);
    const words = stochasticSummary(scenario, result);
    expect(words).toContain("Deciding production before the outcome is known costs 37.0M USD of expected margin (EVPI)");
    expect(words).toContain("planning for the average outcome instead would lose 22.3M USD more (VSS)");
    expect(words).toContain('In "slump" 2,914 units go unsold.');
    expect(renderStochastic(scenario, result)).toContain("Production (decided here and now)");
  }, 120_000);
});
