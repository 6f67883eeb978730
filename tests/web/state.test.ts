import { describe, expect, it } from "vitest";
import { applyChanges, loadBundledScenario, parseScenario } from "../../src/index.js";
import { leverChanges, leversInWords, unknownLevers } from "../../web/src/levers.js";
import { readScenario } from "../../web/src/scenarioDoc.js";
import { initialState, NO_LEVERS, parseQuery, toQuery, withLever, type PageState } from "../../web/src/state.js";

describe("the page's state in the query string", () => {
  it("is the default scenario's plan with no query", () => {
    expect(parseQuery("")).toEqual({ state: initialState, ignored: [] });
    expect(toQuery(initialState)).toBe("");
  });

  it("reads a bundled scenario, whole units, a period, a view and levers, and writes them back the same", () => {
    const search =
      "?scenario=kz-uz-2019-2025&integer=1&period=2021&view=compare&target.joint_goal=7500&demand.KZ=1.2&capacity.andijan=0.9&base.capacity.tashkent=1.1";
    const { state, ignored } = parseQuery(search);
    expect(ignored).toEqual([]);
    expect(state.source).toEqual({ kind: "bundled", id: "kz-uz-2019-2025" });
    expect(state.integer).toBe(true);
    expect(state.period).toBe("2021");
    expect(state.view).toBe("compare");
    expect([...state.levers.targets]).toEqual([["joint_goal", 7500]]);
    expect([...state.levers.demand]).toEqual([["KZ", 1.2]]);
    expect([...state.levers.capacity]).toEqual([["andijan", 0.9]]);
    expect([...state.baseline.capacity]).toEqual([["tashkent", 1.1]]);
    expect(toQuery(state)).toBe(search);
  });

  it("keeps any id, dots and hostile names included, through the round trip", () => {
    const ids = ["plant.with.dots", "__proto__", "constructor", "a=b&c", "Ташкент", " spaced "];
    let levers = NO_LEVERS;
    for (const [i, id] of ids.entries()) levers = withLever(withLever(levers, "capacity", id, 1 + i / 10), "targets", id, i);
    const state: PageState = { ...initialState, levers };
    const back = parseQuery(toQuery(state)).state;
    expect([...back.levers.capacity]).toEqual([...levers.capacity]);
    expect([...back.levers.targets]).toEqual([...levers.targets]);
  });

  it("says which parameters it did not understand instead of guessing", () => {
    const { state, ignored } = parseQuery(
      "?integer=maybe&view=chart&target.joint_goal=&demand.KZ=lots&capacity.andijan=-1&colour=blue&sweep.steps=1.5&sweep.mode=fast",
    );
    expect(state).toEqual(initialState);
    expect(ignored).toEqual([
      "integer=maybe (expected 1 or 0)",
      "view=chart (expected plan, compare, sweep or stochastic)",
      "target.joint_goal= (not a number)",
      "demand.KZ=lots (not a scale: a number ≥ 0)",
      "capacity.andijan=-1 (not a scale: a number ≥ 0)",
      "colour=blue (unknown parameter)",
      "sweep.steps=1.5 (expected a whole number ≥ 2)",
      "sweep.mode=fast (expected grid or exact)",
    ]);
  });

  it("reads a sweep as the fields of a Change selector plus its range", () => {
    const search = "?view=sweep&sweep.on=capacity&sweep.plant=andijan&sweep.resource=assembly_hours&sweep.from=100000&sweep.to=140000&sweep.mode=exact";
    const { state } = parseQuery(search);
    expect(state.sweep).toEqual({
      on: "capacity",
      selector: { plant: "andijan", resource: "assembly_hours" },
      from: 100000,
      to: 140000,
      steps: null,
      mode: "exact",
    });
    expect(toQuery(state)).toBe(search);
  });

  it("keeps the joint network's duty levers: a rate per source's deliveries and per plant's sales, any id, in the kept baseline too", () => {
    const search = "?duty.delivery.andijan_kit_line=0&duty.shipping.andijan=0.1&base.duty.delivery.andijan_kit_line=0.05";
    const { state, ignored } = parseQuery(search);
    expect(ignored).toEqual([]);
    expect([...state.levers.deliveryDuty]).toEqual([["andijan_kit_line", 0]]);
    expect([...state.levers.shippingDuty]).toEqual([["andijan", 0.1]]);
    expect([...state.baseline.deliveryDuty]).toEqual([["andijan_kit_line", 0.05]]);
    expect(toQuery(state)).toBe(search);
    const hostile = withLever(NO_LEVERS, "deliveryDuty", "duty.shipping.x", 0.2);
    expect([...parseQuery(toQuery({ ...initialState, levers: hostile })).state.levers.deliveryDuty]).toEqual([["duty.shipping.x", 0.2]]);
    expect(parseQuery("?duty.delivery.korea_import=-0.05&duty.shipping.andijan=free").ignored).toEqual([
      "duty.delivery.korea_import=-0.05 (not a duty rate: a number ≥ 0)",
      "duty.shipping.andijan=free (not a duty rate: a number ≥ 0)",
    ]);
  });

  it("a lever put back at the scenario's value leaves the link", () => {
    const moved = withLever(NO_LEVERS, "demand", "KZ", 1.2);
    expect(toQuery({ ...initialState, levers: moved })).toBe("?demand.KZ=1.2");
    expect(toQuery({ ...initialState, levers: withLever(moved, "demand", "KZ", null) })).toBe("");
  });
});

describe("levers as Changes", () => {
  const document = loadBundledScenario("kz-uz-2020");
  const scenario = readScenario(document);

  it("a joint goal sets the target's min, a market scales its demand maxima, a plant scales each of its resources", () => {
    const { state } = parseQuery("?target.joint_goal=7500&target.export_share=0.8&demand.KZ=1.2&capacity.andijan=0.9");
    expect(leverChanges(scenario, state.levers)).toEqual([
      { change: { on: "target", id: "joint_goal", field: "min", set: 7500 }, control: "target.joint_goal" },
      { change: { on: "target", id: "export_share", field: "min", set: 0.8 }, control: "target.export_share" },
      { change: { on: "demand", market: "KZ", field: "max", scale: 1.2 }, control: "demand.KZ" },
      { change: { on: "capacity", plant: "andijan", resource: "body_shop_hours", scale: 0.9 }, control: "capacity.andijan" },
      { change: { on: "capacity", plant: "andijan", resource: "paint_hours", scale: 0.9 }, control: "capacity.andijan" },
      { change: { on: "capacity", plant: "andijan", resource: "assembly_hours", scale: 0.9 }, control: "capacity.andijan" },
    ]);
  });

  it("the changes are the library's: applied, they move what the levers say and nothing else", () => {
    const { state } = parseQuery("?target.joint_goal=7500&demand.KZ=1.2&capacity.andijan=0.9");
    const changed = applyChanges(
      document,
      leverChanges(scenario, state.levers).map((lever) => lever.change),
    );
    const original = parseScenario(document);
    expect(changed.targets.find((target) => target.id === "joint_goal")?.min).toBe(7500);
    expect(changed.plants.find((plant) => plant.id === "andijan")?.resources).toEqual({ body_shop_hours: 46800, paint_hours: 13500, assembly_hours: 108000 });
    expect(changed.plants.filter((plant) => plant.id !== "andijan")).toEqual(original.plants.filter((plant) => plant.id !== "andijan"));
    for (const [d, row] of changed.demand.entries()) {
      const before = original.demand[d];
      expect(row.max, `${row.market} ${row.product}`).toBeCloseTo(Number(before?.max) * (row.market === "KZ" ? 1.2 : 1), 9);
    }
  });

  it("a plant the scenario does not have is named, not sent", () => {
    const { state } = parseQuery("?capacity.atlantis=2");
    expect(leverChanges(scenario, state.levers)).toEqual([]);
    expect(unknownLevers(scenario, state.levers)).toEqual(['capacity.atlantis (the scenario has no plant "atlantis" with resources)']);
  });

  it("says the moved levers in words", () => {
    const { state } = parseQuery("?target.joint_goal=7500&target.export_share=0.8&demand.KZ=1.2&capacity.andijan=0.9");
    expect(leversInWords(scenario, state.levers)).toBe(
      "joint goal at least 7,500 units; export share at least 80.0%; Kazakhstan demand at 120%; Andijan capacity at 90%",
    );
    expect(leversInWords(scenario, NO_LEVERS)).toBe("the scenario as it is");
  });
});
