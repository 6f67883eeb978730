import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diagnose, stoppedNote } from "../../src/explain/diagnosis.js";
import { DEFAULT_RELAXATION_WEIGHTS } from "../../src/explain/options.js";
import { diagnosisLines, Words } from "../../src/explain/words.js";
import { formulate, loadBundledScenario, parseScenario, plan, type Plan, type Scenario } from "../../src/index.js";
import { networkScenarioArbitrary, scenarioArbitrary } from "../arbitraries/scenario.js";
import { liftAllExcept, setBounds, stripRef, type Ref } from "../support/boundEdits.js";
import { minimalScenario, type Json } from "../support/builders.js";
import { solveReference } from "../support/referenceModel.js";
import { present } from "../support/present.js";
import { closeTo } from "../support/matchers.js";

/**
 * Infeasibility diagnosis, checked by re-solving edited scenarios with the
 * independent reference formulation: the conflict alone (every other bound
 * lifted) is infeasible and stops being so when any one member is dropped;
 * applying the relaxations gives a feasible scenario; no relaxation is larger
 * than it needs to be.
 */
const runs = Number(process.env["PROPS_RUNS"] ?? 100);
type Diagnosis = NonNullable<Plan["diagnosis"]>;
type Entry = Ref & Record<string, unknown>;

function statusOf(scenario: Json, integer: boolean) {
  return solveReference(parseScenario(scenario), integer).status;
}

/** Every property a diagnosis promises, checked independently. */
function expectSoundDiagnosis(scenario: Scenario, diagnosis: Diagnosis, integer = scenario.integer) {
  const conflict = diagnosis.conflict.map((entry) => stripRef(entry as Entry));
  expect(conflict.length, "a conflict is found").toBeGreaterThan(0);
  expect(statusOf(liftAllExcept(scenario, conflict), integer), "the conflict alone is infeasible").toBe("infeasible");
  conflict.forEach((member, i) => {
    const rest = conflict.filter((_, j) => j !== i);
    expect(statusOf(liftAllExcept(scenario, rest), integer), `dropping ${JSON.stringify(member)} makes it feasible`).not.toBe("infeasible");
  });
  for (const relaxations of [diagnosis.relaxations, diagnosis.relaxations_keeping_targets]) {
    if (relaxations === null) continue;
    for (const relaxation of relaxations) expect(relaxation.by, JSON.stringify(relaxation)).toBeGreaterThan(0);
    const relaxed = setBounds(
      scenario,
      relaxations.map((relaxation) => [stripRef(relaxation as Entry), relaxation.to] as const),
    );
    expect(statusOf(relaxed, integer), `relaxed by ${JSON.stringify(relaxations)}`).not.toBe("infeasible");
  }
}

function diagnosisOf(input: unknown): { scenario: Scenario; diagnosis: Diagnosis } {
  const scenario = parseScenario(input);
  const result = plan(scenario);
  expect(result.status).toBe("infeasible");
  return { scenario, diagnosis: present(result.diagnosis, "a diagnosis") };
}

describe("the parts-shortage showcase (kz-uz-parts-shortage)", () => {
  const scenario = parseScenario(loadBundledScenario("kz-uz-parts-shortage"));
  const { diagnosis } = diagnosisOf(loadBundledScenario("kz-uz-parts-shortage"));

  /*
   * Cars need a stamped body set each and Andijan stamping makes 4,000; buses are capped by
   * Samarkand's 110,000 assembly hours (280 h a city bus: 392.9), agricultural machines by
   * Tashkent's 95,000 (60 h a tractor: 1,583.3). With nothing else holding, at most
   * 4,000 + 392.9 + 1,583.3 = 5,976 < 7,000 units: those four bounds clash, and each is needed.
   */
  it("names the goal, the body-set supply and the two assembly shops that clash", () => {
    expect(diagnosis.conflict).toEqual([
      { kind: "target", id: "joint_goal", period: "2020", bound: "min", value: 7000 },
      { kind: "capacity", plant: "samarkand", resource: "assembly_hours", period: "2020", value: 110000 },
      { kind: "capacity", plant: "tashkent", resource: "assembly_hours", period: "2020", value: 95000 },
      { kind: "source_capacity", part: "body_panels", source: "andijan_stamping", period: "2020", value: 4000 },
    ]);
  });

  /*
   * With every other bound held (export share, local parts, demand), the most units are
   * 5,791.67; the goal weighs 1 and capacities 10, so the cheapest fix lowers the goal there.
   * Holding the goal instead, 1,208.33 more body sets restore feasibility.
   */
  it("lowers the goal to what is reachable, or adds the body sets it needs", () => {
    expect(diagnosis.max_achievable).toEqual([{ id: "joint_goal", period: "2020", bound: "min", value: closeTo(5791.6667, 3) }]);
    expect(diagnosis.relaxations).toEqual([
      { kind: "target", id: "joint_goal", period: "2020", bound: "min", value: 7000, by: closeTo(1208.3333, 3), to: closeTo(5791.6667, 3) },
    ]);
    expect(diagnosis.relaxations_keeping_targets).toEqual([
      {
        kind: "source_capacity",
        part: "body_panels",
        source: "andijan_stamping",
        period: "2020",
        value: 4000,
        by: closeTo(1208.3333, 3),
        to: closeTo(5208.3333, 3),
      },
    ]);
  });

  it("is irreducible and its relaxations suffice, re-solved independently", () => {
    expectSoundDiagnosis(scenario, diagnosis);
  });

  it("the goal's best value is reachable and no more", () => {
    const goal: Ref = { kind: "target", id: "joint_goal", period: "2020", bound: "min" };
    const best = present(diagnosis.max_achievable[0]?.value, "the goal's best value");
    expect(statusOf(setBounds(scenario, [[goal, best - 1e-3]]), false)).toBe("optimal");
    expect(statusOf(setBounds(scenario, [[goal, best + 1e-3]]), false)).toBe("infeasible");
  });

  it("follows the weights the options give", () => {
    const cheapCapacity = present(plan(scenario, { explain: { weights: { capacity: 0.01, source_capacity: 0.01 } } }).diagnosis, "a diagnosis");
    expect(cheapCapacity.relaxations.map((relaxation) => relaxation.kind)).toEqual(["source_capacity"]);
    expect(cheapCapacity.weights).toMatchObject({ capacity: 0.01, source_capacity: 0.01, target: 1 });
    expect(plan(scenario, { explain: false }).diagnosis).toBeUndefined();
    expect(() => plan(scenario, { explain: { weights: { capacity: -1 } } })).toThrow(/explain\.weights\.capacity: must be positive/);
  });

  it("stops at its time limit and says so rather than naming a wrong conflict", () => {
    // No time at all: the first solve stops, deterministically.
    const hurried = diagnose(formulate(scenario), DEFAULT_RELAXATION_WEIGHTS, 0);
    expect(hurried.conflict).toEqual([]);
    expect(hurried.relaxations).toEqual([]);
    expect(hurried.notes.join(" ")).toMatch(/ran out of its time \(under 1 ms, what the solve left of the plan's time limit\)/);
  });

  it("tells a stop by the time limit from another HiGHS stop, and never prints an undefined limit", () => {
    expect(stoppedNote("timeLimit", 250)).toMatch(/ran out of its time \(250 ms,/);
    expect(stoppedNote("interrupted", 1234.6)).toMatch(/ran out of its time \(1235 ms,/);
    expect(stoppedNote("timeLimit", undefined)).toMatch(/HiGHS stopped .* \(model status "timeLimit"\)/);
    expect(stoppedNote("iterationLimit", 1000)).toMatch(/HiGHS stopped .* \(model status "iterationLimit"\)/);
    for (const limit of [undefined, 0, 5]) expect(stoppedNote("timeLimit", limit)).not.toMatch(/undefined|NaN/);
  });
});

describe("hand-made infeasible scenarios, with the conflict worked out", () => {
  /* 100 hours at 1 h a unit, but at least 200 must be sold: relaxing the demand by half (weight 1) beats doubling the hours (weight 10). */
  it("demand minimum above capacity", () => {
    const { scenario, diagnosis } = diagnosisOf(minimalScenario({ demand: [{ market: "m", product: "q", price: 10, min: 200 }] }));
    expect(diagnosis.conflict).toEqual([
      { kind: "capacity", plant: "p", resource: "hours", period: "base", value: 100 },
      { kind: "demand", market: "m", product: "q", period: "base", bound: "min", value: 200 },
    ]);
    expect(diagnosis.relaxations).toEqual([{ kind: "demand", market: "m", product: "q", period: "base", bound: "min", value: 200, by: 100, to: 100 }]);
    expect(diagnosis.max_achievable).toEqual([]);
    expectSoundDiagnosis(scenario, diagnosis);
  });

  /* A final stock of 10 in a yard for 5: give up 5 of the final stock (weight 1) rather than double the yard (weight 10). */
  it("final stock above the yard limit", () => {
    const { scenario, diagnosis } = diagnosisOf(
      minimalScenario({ routes: [{ plant: "p", product: "q", uses: { hours: 1 }, inventory: { max: 5, final: 10 } }] }),
    );
    expect(diagnosis.conflict).toEqual([
      { kind: "inventory", plant: "p", product: "q", period: "base", bound: "max", value: 5 },
      { kind: "inventory", plant: "p", product: "q", period: "base", bound: "final", value: 10 },
    ]);
    expect(diagnosis.relaxations).toEqual([{ kind: "inventory", plant: "p", product: "q", period: "base", bound: "final", value: 10, by: 5, to: 5 }]);
    expectSoundDiagnosis(scenario, diagnosis);
  });

  /*
   * 80 of a and 50 of b at 1 h each in 100 hours: the hours and both minimums clash. Relaxing a's
   * minimum by 30 (30/80 × 1) is cheaper than b's (30/50 × 1) or 30 more hours (30/100 × 10).
   */
  it("route minimums above capacity", () => {
    const { scenario, diagnosis } = diagnosisOf(
      minimalScenario({
        products: ["a", "b"].map((id) => ({ id, family: "car" })),
        routes: [
          { plant: "p", product: "a", uses: { hours: 1 }, min: 80 },
          { plant: "p", product: "b", uses: { hours: 1 }, min: 50 },
        ],
        demand: ["a", "b"].map((product) => ({ market: "m", product, price: 1 })),
      }),
    );
    expect(diagnosis.conflict).toEqual([
      { kind: "capacity", plant: "p", resource: "hours", period: "base", value: 100 },
      { kind: "route", plant: "p", product: "a", period: "base", bound: "min", value: 80 },
      { kind: "route", plant: "p", product: "b", period: "base", bound: "min", value: 50 },
    ]);
    expect(diagnosis.relaxations).toEqual([{ kind: "route", plant: "p", product: "a", period: "base", bound: "min", value: 80, by: 30, to: 50 }]);
    expectSoundDiagnosis(scenario, diagnosis);
  });

  /*
   * At least 100 units with an export share of 80%, but the export market takes 40: the three
   * clash. Holding the rest, the goal can reach 40 / 0.8 = 50 and the share 40 / 100 = 40%.
   */
  it("export share, joint goal and export demand", () => {
    const { scenario, diagnosis } = diagnosisOf(
      minimalScenario({
        plants: [{ id: "p", resources: { hours: 1000 } }],
        markets: [{ id: "home" }, { id: "abroad", export: true }],
        demand: [
          { market: "home", product: "q", price: 10 },
          { market: "abroad", product: "q", price: 10, max: 40 },
        ],
        targets: [
          { id: "goal", kind: "units", min: 100 },
          { id: "exports", kind: "export_share", min: 0.8 },
        ],
      }),
    );
    expect(diagnosis.conflict).toEqual([
      { kind: "target", id: "goal", period: "base", bound: "min", value: 100 },
      { kind: "target", id: "exports", period: "base", bound: "min", value: 0.8 },
      { kind: "demand", market: "abroad", product: "q", period: "base", bound: "max", value: 40 },
    ]);
    expect(diagnosis.max_achievable).toEqual([
      { id: "goal", period: "base", bound: "min", value: closeTo(50, 9) },
      { id: "exports", period: "base", bound: "min", value: closeTo(0.4, 9) },
    ]);
    expect(diagnosis.relaxations_keeping_targets).toEqual([
      { kind: "demand", market: "abroad", product: "q", period: "base", bound: "max", value: 40, by: 40, to: 80 },
    ]);
    expectSoundDiagnosis(scenario, diagnosis);
  });

  /* At least 30 must be sold but at most 20 made: the lowest the cap can be is 30; the demand gives up a third (cheaper than the cap's half). */
  it("units cap below a demand minimum", () => {
    const { scenario, diagnosis } = diagnosisOf(
      minimalScenario({ demand: [{ market: "m", product: "q", price: 1, min: 30 }], targets: [{ id: "cap", kind: "units", max: 20 }] }),
    );
    expect(diagnosis.conflict).toEqual([
      { kind: "target", id: "cap", period: "base", bound: "max", value: 20 },
      { kind: "demand", market: "m", product: "q", period: "base", bound: "min", value: 30 },
    ]);
    expect(diagnosis.max_achievable).toEqual([{ id: "cap", period: "base", bound: "max", value: 30 }]);
    expect(diagnosis.relaxations).toEqual([{ kind: "demand", market: "m", product: "q", period: "base", bound: "min", value: 30, by: 10, to: 20 }]);
    expectSoundDiagnosis(scenario, diagnosis);
  });

  /* A goal of 80 in each of two years, with 100 hours in y1 and 50 in y2 and no stock: only y2 clashes. */
  it("names the period that fails", () => {
    const { scenario, diagnosis } = diagnosisOf(
      minimalScenario({
        periods: ["y1", "y2"],
        plants: [{ id: "p", resources: { hours: { y1: 100, y2: 50 } } }],
        targets: [{ id: "goal", kind: "units", min: 80 }],
      }),
    );
    expect(diagnosis.conflict).toEqual([
      { kind: "target", id: "goal", period: "y2", bound: "min", value: 80 },
      { kind: "capacity", plant: "p", resource: "hours", period: "y2", value: 50 },
    ]);
    expect(diagnosis.max_achievable).toEqual([{ id: "goal", period: "y2", bound: "min", value: 50 }]);
    expect(diagnosis.relaxations).toEqual([{ kind: "target", id: "goal", period: "y2", bound: "min", value: 80, by: 30, to: 50 }]);
    expectSoundDiagnosis(scenario, diagnosis);
  });

  /* 50 engines for a goal of 80 cars: holding the goal, the engine source needs 30 more. */
  it("a part source too small for the goal", () => {
    const { scenario, diagnosis } = diagnosisOf(
      minimalScenario({
        products: [{ id: "q", family: "car", bom: { engine: 1 } }],
        parts: [{ id: "engine", sources: [{ id: "shop", local: true, capacity: 50 }] }],
        targets: [{ id: "goal", kind: "units", min: 80 }],
      }),
    );
    expect(diagnosis.conflict).toEqual([
      { kind: "target", id: "goal", period: "base", bound: "min", value: 80 },
      { kind: "source_capacity", part: "engine", source: "shop", period: "base", value: 50 },
    ]);
    expect(diagnosis.relaxations_keeping_targets).toEqual([
      { kind: "source_capacity", part: "engine", source: "shop", period: "base", value: 50, by: 30, to: 80 },
    ]);
    expectSoundDiagnosis(scenario, diagnosis);
  });

  /*
   * The joint network: B must make 80 (a goal on B) from kits that reach it along a lane of 50.
   * The conflict is the goal and the lane; keeping the goal, the lane must carry 30 more.
   */
  it("a delivery lane too small for a plant's goal", () => {
    const { scenario, diagnosis } = diagnosisOf(
      minimalScenario({
        plants: [
          { id: "A", resources: { hours: 100 } },
          { id: "B", resources: { hours: 100 } },
        ],
        products: [{ id: "q", family: "car", bom: { kit: 1 } }],
        routes: [{ plant: "B", product: "q", uses: { hours: 1 } }],
        parts: [{ id: "kit", sources: [{ id: "kit_line", local: true, plant: "A", delivers_to: { B: { cost: 1, capacity: 50 } } }] }],
        targets: [{ id: "goal", kind: "units", min: 80, plants: ["B"] }],
      }),
    );
    expect(diagnosis.conflict).toEqual([
      { kind: "target", id: "goal", period: "base", bound: "min", value: 80 },
      { kind: "lane_capacity", part: "kit", source: "kit_line", plant: "B", period: "base", value: 50 },
    ]);
    expect(diagnosis.relaxations_keeping_targets).toEqual([
      { kind: "lane_capacity", part: "kit", source: "kit_line", plant: "B", period: "base", value: 50, by: 30, to: 80 },
    ]);
    expect(diagnosisLines(new Words(scenario), diagnosis).join("\n")).toMatch(/Meeting it needs \+30 kit delivered from Kit line to B/);
    expectSoundDiagnosis(scenario, diagnosis);
  });

  /* A shipping lane: at least 40 must be sold in m, but the only route ships at most 25 there. */
  it("a shipping lane too small for a demand commitment", () => {
    const { scenario, diagnosis } = diagnosisOf(
      minimalScenario({
        routes: [{ plant: "p", product: "q", uses: { hours: 1 }, ships_to: { m: { capacity: 25 } } }],
        demand: [{ market: "m", product: "q", price: 10, min: 40 }],
      }),
    );
    expect(diagnosis.conflict).toEqual([
      { kind: "shipping_capacity", plant: "p", product: "q", market: "m", period: "base", value: 25 },
      { kind: "demand", market: "m", product: "q", period: "base", bound: "min", value: 40 },
    ]);
    expectSoundDiagnosis(scenario, diagnosis);
  });

  /* Whole units only: at most half a unit made but half a unit sold — feasible as an LP, not in whole units. */
  it("diagnoses an infeasibility that only whole units cause", () => {
    const input = minimalScenario({
      integer: true,
      routes: [{ plant: "p", product: "q", uses: { hours: 1 }, max: 0.5 }],
      demand: [{ market: "m", product: "q", price: 1, min: 0.5 }],
    });
    expect(plan(input, { integer: false }).status).toBe("optimal");
    const { scenario, diagnosis } = diagnosisOf(input);
    expect(diagnosis.conflict).toEqual([
      { kind: "demand", market: "m", product: "q", period: "base", bound: "min", value: 0.5 },
      { kind: "route", plant: "p", product: "q", period: "base", bound: "max", value: 0.5 },
    ]);
    expectSoundDiagnosis(scenario, diagnosis, true);
  });
});

describe("properties on generated infeasible scenarios", () => {
  function checkGenerated(input: Record<string, unknown>, options: { minimal: boolean }) {
    const scenario = parseScenario(input);
    const result = plan(scenario);
    if (result.status !== "infeasible") return;
    const diagnosis = present(result.diagnosis, "a diagnosis");
    expectSoundDiagnosis(scenario, diagnosis);
    for (const entry of diagnosis.max_achievable) {
      expect(diagnosis.conflict.some((member) => member.kind === "target" && member.id === entry.id && member.period === entry.period)).toBe(true);
    }
    if (!options.minimal || scenario.integer) return;
    /*
     * The relaxations minimize a weighted sum of changes: giving any one of them up by 1%, with
     * the others held, must leave the scenario infeasible. (A share's change is read off the
     * plan found and is not itself a term of that sum, so those cases are skipped.)
     */
    const shares = new Set(scenario.targets.filter((target) => target.kind !== "units").map((target) => target.id));
    if (diagnosis.relaxations.some((relaxation) => relaxation.kind === "target" && shares.has(relaxation.id))) return;
    const edits = diagnosis.relaxations.map((relaxation) => [stripRef(relaxation as Entry), relaxation.to] as const);
    diagnosis.relaxations.forEach((relaxation, i) => {
      if (relaxation.by < 0.1) return;
      const less = relaxation.to + (relaxation.to > relaxation.value ? -0.01 : 0.01) * relaxation.by;
      const smaller = edits.map((edit, j) => (j === i ? ([edit[0], less] as const) : edit));
      expect(statusOf(setBounds(scenario, smaller), false), `1% less of ${JSON.stringify(relaxation)}`).toBe("infeasible");
    });
  }

  it("relaxes a final stock (an equality) exactly: rounded, it could ask for more than capacity makes", () => {
    // Found by the property below (seed 1417178766): plant a makes at most 41/3 + 5 units, all of
    // which must end in its final stock; a change rounded up to 18.666667 was out of reach.
    checkGenerated(
      {
        format: "jointplan/v1",
        id: "generated",
        title: "Generated scenario",
        periods: ["b0", "1e3"],
        integer: false,
        objective: "max_margin",
        plants: [
          { id: "beta", resources: { "|my$}": { "*": 23 } } },
          { id: "a", resources: { "|my$}": 41 } },
          { id: "back\\slash", resources: { "|my$}": { "*": 397 } } },
        ],
        products: [{ id: "r0", family: "constructor" }],
        routes: [
          { plant: "beta", product: "r0", uses: { "|my$}": 1 }, unit_cost: 0 },
          { plant: "a", product: "r0", uses: { "|my$}": 3 }, unit_cost: 0, max: { b0: 14, "1e3": 5 }, inventory: { holding_cost: 0, initial: 0, final: 3 } },
          {
            plant: "back\\slash",
            product: "r0",
            uses: { "|my$}": 1 },
            unit_cost: 0,
            inventory: { holding_cost: 0, initial: 0, max: { b0: 15, "1e3": 68 }, final: 4 },
          },
        ],
        parts: [
          { id: "andijan", value: 1, sources: [{ id: "U!;:", local: false, unit_cost: 0 }] },
          { id: "delta", value: 1, sources: [{ id: "[P|9", local: true, capacity: { "*": 292, b0: 300, "1e3": 13 }, unit_cost: 13 }] },
        ],
        markets: [{ id: "bus", export: false }],
        demand: [],
        targets: [
          { id: "beta", kind: "units", min: 0 },
          { id: "4wJ&c8", kind: "units", min: 44, max: 100, families: ["constructor"] },
          { id: "\\eRM", kind: "units", families: ["constructor"], periods: ["1e3"] },
        ],
      },
      { minimal: true },
    );
  });

  it("LP: the conflict is irreducible, the relaxations suffice and none is larger than needed", () => {
    fc.assert(
      fc.property(scenarioArbitrary({ integer: false }), (input) => checkGenerated(input, { minimal: true })),
      { numRuns: runs },
    );
  });

  it("joint network, LP: the conflict is irreducible, the relaxations suffice and none is larger than needed (lanes among the bounds)", () => {
    fc.assert(
      fc.property(networkScenarioArbitrary({ integer: false }), (input) => checkGenerated(input, { minimal: true })),
      { numRuns: runs },
    );
  });

  it("whole units: the conflict is irreducible and the relaxations suffice", () => {
    fc.assert(
      fc.property(scenarioArbitrary({ maxPeriods: 2, maxProducts: 3 }), (input) => checkGenerated(input, { minimal: false })),
      { numRuns: Math.ceil(runs / 3) },
    );
  });
});
