import { describe, expect, it } from "vitest";
import { parseScenario, plan } from "../../src/index.js";
import { investmentScenario } from "../support/investmentScenario.js";

/**
 * The investments benchmark's scenarios (tests/support/investmentScenario.ts)
 * must be what the benchmark says it times: valid cluster-like scenarios —
 * candidates in groups of alternatives at different plants, some alone, a
 * discount rate — whose plans build some candidates and not others, so that
 * the branch and bound has a question to answer.
 */
describe("generated clusters for the investments benchmark", () => {
  it("are the same document for the same options, and another for another seed", () => {
    expect(JSON.stringify(investmentScenario({ candidates: 5, plants: 3, periods: 3 }))).toBe(
      JSON.stringify(investmentScenario({ candidates: 5, plants: 3, periods: 3 })),
    );
    expect(JSON.stringify(investmentScenario({ candidates: 5, seed: 7 }))).not.toBe(JSON.stringify(investmentScenario({ candidates: 5 })));
    expect(() => investmentScenario({ candidates: 0 })).toThrow(/at least one candidate/);
  });

  it("are valid, with clusters of three alternatives at different plants, every fourth candidate alone, and a discount rate", () => {
    const scenario = parseScenario(investmentScenario({ candidates: 40, plants: 4, periods: 6 }));
    expect(scenario.investments).toHaveLength(40);
    expect(scenario.discount_rate).toBe(0.08);
    const groups = new Map<string, string[]>();
    scenario.investments.forEach((investment, i) => {
      if (i % 4 === 3) expect(investment.group).toBeUndefined();
      else groups.set(investment.group ?? "", [...(groups.get(investment.group ?? "") ?? []), investment.plant]);
      expect(Object.values(investment.adds).some((added) => typeof added === "number" && added > 0)).toBe(true);
      expect(investment.fixed_cost).toBeGreaterThan(0);
    });
    expect(groups.has("")).toBe(false);
    for (const plants of groups.values()) {
      expect(plants.length).toBeLessThanOrEqual(3);
      expect(new Set(plants).size).toBe(plants.length);
    }
    expect(groups.size).toBe(10);
  });

  it("plan optimally and verified, building some candidates and not others", () => {
    const result = plan(investmentScenario({ candidates: 6, plants: 4, periods: 4 }));
    expect(result.status).toBe("optimal");
    expect(result.verification.feasible).toBe(true);
    const built = (result.investments ?? []).filter((row) => row.built);
    expect(built.length).toBeGreaterThan(0);
    expect(built.length).toBeLessThan(6);
  }, 60_000);
});
