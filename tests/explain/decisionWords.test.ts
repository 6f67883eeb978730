import { describe, expect, it } from "vitest";
import type { DecisionAlternative, DecisionWorth } from "../../src/explain/types.js";
import { decisionsCaveat, gapLine, objectiveName } from "../../src/explain/words.js";

/** Words the CLI and the planner's page share about a plan with investments (src/explain/words.ts). */

const finished = (period: string | null, objective: number): DecisionAlternative => ({ period, objective, status: "optimal", instead: [] });

describe("what each decision is worth: the caveat of alternatives cut short", () => {
  const built: DecisionWorth = {
    id: "line",
    built: true,
    period: "y2",
    reversed: finished(null, 90),
    earlier: finished("y1", 95),
    later: { period: "y3", objective: 97, status: "time_limit", instead: [] },
    worth: 10,
  };
  const notBuilt: DecisionWorth = { id: "shed", built: false, period: null, reversed: finished("y1", 80), worth: 20 };

  it("is absent when every alternative finished", () => {
    expect(decisionsCaveat([{ ...built, later: finished("y3", 97) }, notBuilt])).toBeNull();
  });

  it("counts the alternatives that stopped at the time limit among all of them", () => {
    expect(decisionsCaveat([built, notBuilt])).toBe(
      "1 of these 4 re-optimisations stopped at the time limit with the best plan found by then, so the figures they give are not proven; a longer time limit gives proven ones.",
    );
  });
});

describe("the objective's name and the MIP gap", () => {
  it("names a present value when the scenario discounts", () => {
    expect(objectiveName("max_margin", 0.08)).toBe("net present value of the margin");
    expect(objectiveName("max_margin", 0)).toBe("margin");
    expect(objectiveName("min_cost", 0.05)).toBe("present value of the costs");
    expect(objectiveName("max_units", 0.05)).toBe("units made");
  });

  it("says the gap of a plan stopped short, and nothing for a proven optimum or a plan without a gap", () => {
    expect(gapLine({ status: "time_limit", objective: 100, solver: { gap: 0.008 } })).toBe("The plan is within 0.8% of the best possible, not proven optimal.");
    expect(gapLine({ status: "optimal", objective: 100, solver: { gap: 0.00005 } })).toBe("The plan is within 0.005% of the best possible.");
    expect(gapLine({ status: "optimal", objective: 100, solver: { gap: 0 } })).toBeNull();
    expect(gapLine({ status: "optimal", objective: 100, solver: {} })).toBeNull();
    expect(gapLine({ status: "infeasible", objective: null, solver: { gap: 0.1 } })).toBeNull();
  });
});
