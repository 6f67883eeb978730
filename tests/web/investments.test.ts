import { describe, expect, it } from "vitest";
import { applyChanges, loadBundledScenario, parseScenario, plan } from "../../src/index.js";
import { planCsv } from "../../web/src/csv.js";
import { investmentTimeline, moneyTotals } from "../../web/src/investments.js";
import { leverChanges, leversInWords, unknownLevers } from "../../web/src/levers.js";
import { readScenario } from "../../web/src/scenarioDoc.js";
import { NO_LEVERS, parseQuery, toQuery, withLever, initialState } from "../../web/src/state.js";
import { minimalScenario } from "../support/builders.js";

/** A plan's investments as the page reads them (web/src/investments.ts) and the investment levers (web/src/levers.ts, state.ts); pure, no browser. */

/*
 * Four years; a site with no hours of its own; q sells at 10 a unit, at most 100 a year.
 * "line" (group cluster, from y2) adds 100 hours for 1,000: built in y2 it earns 3·1,000 − 1,000.
 * "shed" (group cluster, y1 only) adds 50 hours for 100: 4·500 − 100 = 1,900 < 2,000, so the group takes "line".
 * "dock" (no group, y3–y4) adds nothing and costs 10: never built.
 */
const document = minimalScenario({
  periods: ["y1", "y2", "y3", "y4"],
  plants: [{ id: "site", name: "The <b>site</b>", resources: { hours: 0 } }],
  routes: [{ plant: "site", product: "q", uses: { hours: 1 } }],
  demand: [{ market: "m", product: "q", price: 10, max: 100 }],
  investments: [
    { id: "line", name: "Assembly line", plant: "site", adds: { hours: 100 }, fixed_cost: 1000, earliest: "y2", group: "cluster" },
    { id: "shed", plant: "site", adds: { hours: 50 }, fixed_cost: 100, latest: "y1", group: "cluster" },
    { id: "dock", plant: "site", adds: { hours: 0 }, fixed_cost: 10, earliest: "y3" },
  ],
});
const scenario = readScenario(document);
const result = plan(document);

describe("the investment timeline read from a plan", () => {
  it("has a row per candidate, grouped as the scenario groups them, each cell its window, the period built and the periods it runs", () => {
    expect(result.status).toBe("optimal");
    const groups = investmentTimeline(scenario, result);
    expect(groups?.map((group) => [group.id, group.label, group.rows.map((row) => row.id)])).toEqual([
      ["cluster", "Cluster: at most one of 2", ["line", "shed"]],
      [null, "Not in a group", ["dock"]],
    ]);
    const rows = groups?.flatMap((group) => group.rows) ?? [];
    expect(rows.map((row) => [row.id, row.built, row.window, row.cells])).toEqual([
      ["line", "y2", ["y2", "y4"], ["outside", "built", "running", "running"]],
      ["shed", null, ["y1", "y1"], ["window", "outside", "outside", "outside"]],
      ["dock", null, ["y3", "y4"], ["outside", "outside", "window", "window"]],
    ]);
    expect(rows.map((row) => row.description)).toEqual([
      "Assembly line: may be built y2–y4; built in y2, running to y4.",
      "Shed: may be built in y1; not built.",
      "Dock: may be built y3–y4; not built.",
    ]);
    // Names are the scenario's, as text: the page puts them in text nodes and attributes, never markup.
    expect(rows[0]?.plant).toBe("The <b>site</b>");
  });

  it("follows the plan's decisions, not the scenario's order of preference: a forced build shows where the plan put it", () => {
    const forced = plan(applyChanges(parseScenario(document), [{ on: "investment", id: "shed", field: "built", set: 1 }]));
    const rows = investmentTimeline(scenario, forced)?.flatMap((group) => group.rows) ?? [];
    expect(rows.find((row) => row.id === "shed")?.cells).toEqual(["built", "running", "running", "running"]);
    expect(rows.find((row) => row.id === "line")?.built).toBeNull();
  });

  it("is absent for a plan without investments", () => {
    const plain = loadBundledScenario("kz-uz-2020");
    expect(investmentTimeline(readScenario(plain), plan(plain))).toBeNull();
  });

  it("adds the money of the periods up to the objective: present values to the plan's objective, nets to revenue less costs", () => {
    const totals = moneyTotals(result.periods ?? []);
    expect(totals.present_value).toBeCloseTo(result.objective ?? Number.NaN, 6);
    expect(totals.net).toBeCloseTo(totals.revenue - totals.operating_costs - totals.investment_costs, 6);
    expect(totals.investment_costs).toBe(1000);
  });
});

describe("the CSV of a plan with investments", () => {
  it("adds the decisions and the money of each period as two sections, with their columns after the others", () => {
    const lines = planCsv(result).trimEnd().split("\r\n");
    const header = lines[0]?.split(",") ?? [];
    expect(header.slice(-9)).toEqual([
      "investment",
      "built",
      "fixed_cost",
      "operating_cost",
      "discount_factor",
      "operating_costs",
      "investment_costs",
      "net",
      "present_value",
    ]);
    const column = (line: string | undefined, name: string) => line?.split(",")[header.indexOf(name)];
    const line = lines.find((entry) => entry.startsWith("investments,") && column(entry, "investment") === "line");
    expect([column(line, "plant"), column(line, "built"), column(line, "period"), column(line, "fixed_cost")]).toEqual(["site", "true", "y2", "1000"]);
    const periods = lines.filter((entry) => entry.startsWith("periods,"));
    expect(periods.map((entry) => column(entry, "period"))).toEqual(["y1", "y2", "y3", "y4"]);
    expect(periods.map((entry) => Number(column(entry, "present_value")))).toEqual(result.periods?.map((row) => row.present_value));
  });

  it("is as before for a plan without investments", () => {
    const plain = loadBundledScenario("kz-uz-2020");
    expect(planCsv(plan(plain)).split("\r\n")[0]).not.toContain("investment");
  });
});

describe("investment levers", () => {
  it("are read from and written to the link: investment.built.<id> is 1 or 0, investment.fixed_cost.<id> a cost ≥ 0", () => {
    const parsed = parseQuery("?investment.built.line=0&investment.fixed_cost.shed=250&investment.built.dock=2&investment.fixed_cost.line=-1");
    expect([...parsed.state.levers.build]).toEqual([["line", 0]]);
    expect([...parsed.state.levers.fixedCost]).toEqual([["shed", 250]]);
    expect(parsed.ignored).toEqual([
      "investment.built.dock=2 (expected 1 (build it) or 0 (never build it))",
      "investment.fixed_cost.line=-1 (not a cost: a number ≥ 0)",
    ]);
    expect(toQuery({ ...initialState, levers: parsed.state.levers })).toBe("?investment.built.line=0&investment.fixed_cost.shed=250");
  });

  it("send the investment's change, and the plan follows them", () => {
    const levers = withLever(withLever(NO_LEVERS, "build", "line", 0), "fixedCost", "shed", 2000);
    const changes = leverChanges(scenario, levers);
    expect(changes).toEqual([
      { change: { on: "investment", id: "line", field: "built", set: 0 }, control: "investment.built.line" },
      { change: { on: "investment", id: "shed", field: "fixed_cost", set: 2000 }, control: "investment.fixed_cost.shed" },
    ]);
    expect(leversInWords(scenario, levers)).toBe("Assembly line never built; shed fixed cost 2,000 USD");
    // Without the line, and with the shed dearer than it earns (4·500 − 2,000 = 0): nothing pays more than nothing.
    const moved = plan(
      applyChanges(
        parseScenario(document),
        changes.map((lever) => lever.change),
      ),
    );
    expect(moved.investments?.find((row) => row.id === "line")?.built).toBe(false);
    expect(moved.objective).toBeCloseTo(0, 6);
  });

  it("of an investment the scenario does not have are said, and not sent", () => {
    const levers = withLever(NO_LEVERS, "build", "nowhere", 1);
    expect(unknownLevers(scenario, levers)).toEqual(['investment.built.nowhere (the scenario has no investment "nowhere")']);
    expect(leverChanges(scenario, levers)).toEqual([]);
  });
});
