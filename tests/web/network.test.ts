import { describe, expect, it } from "vitest";
import { loadBundledScenario, plan, type Plan } from "../../src/index.js";
import { planNetwork, type Network } from "../../web/src/network.js";
import { layoutNetwork, wrap } from "../../web/src/networkLayout.js";
import { readScenario } from "../../web/src/scenarioDoc.js";

/** The joint network as the page reads it from a plan (web/src/network.ts) and lays it out (web/src/networkLayout.ts); pure, no browser. */

const joint = loadBundledScenario("kz-uz-joint-2020");
const scenario = readScenario(joint);
const result = plan(joint);
const total = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0);

function network(): Network {
  const read = planNetwork(scenario, result, "2020");
  if (read === null) throw new Error("kz-uz-joint-2020 has no network");
  return read;
}

describe("the network read from a plan", () => {
  it("is there only for a plan of a scenario with the network's fields, and only with quantities", () => {
    const plain = loadBundledScenario("kz-uz-2020");
    expect(planNetwork(readScenario(plain), plan(plain), "2020")).toBeNull();
    const shortage = loadBundledScenario("kz-uz-parts-shortage");
    expect(planNetwork(readScenario(shortage), plan(shortage), "2020")).toBeNull();
    const infeasible: Plan = { ...result, status: "infeasible", objective: null };
    expect(planNetwork(scenario, infeasible, "2020")).toBeNull();
  });

  it("has the Kostanay kit flow: from Andijan's kit line, made in Uzbekistan, across the border, with its freight and duty", () => {
    const { nodes, flows } = network();
    const kitLine = nodes.find((node) => node.column === "source" && node.id === "andijan_kit_line");
    expect(kitLine).toMatchObject({ label: "Andijan kit line", country: "UZ", madeAt: "andijan" });
    const kostanay = nodes.find((node) => node.column === "plant" && node.id === "kostanay");
    expect(kostanay).toMatchObject({ label: "Kostanay", country: "KZ" });
    const kits = flows.find((flow) => flow.from === kitLine?.key && flow.to === kostanay?.key);
    const row = result.procurement.find((entry) => entry.source === "andijan_kit_line" && entry.plant === "kostanay");
    expect(kits).toMatchObject({
      goods: "parts",
      units: row?.units,
      value: row?.cost,
      freight: row?.freight,
      duty: row?.duty,
      border: { from: "UZ", to: "KZ" },
    });
    expect(kits?.details).toEqual([{ label: "Painted body and interior kit", units: row?.units }]);
    // A supplier that is not made at a plant crosses no border that can be named, even when it pays duty.
    const korea = flows.find((flow) => flow.from === nodes.find((node) => node.id === "korea_import")?.key && flow.to === kostanay?.key);
    expect(korea?.duty).toBeGreaterThan(0);
    expect(korea?.border).toBeNull();
    expect(nodes.find((node) => node.id === "korea_import")?.country).toBeNull();
  });

  it("adds up to the plan: every unit, value, freight and duty of procurement and sales, and the border flows of plan.flows", () => {
    const { flows } = network();
    const parts = flows.filter((flow) => flow.goods === "parts");
    const products = flows.filter((flow) => flow.goods === "products");
    const procurement = result.procurement;
    expect(total(parts.map((flow) => flow.units))).toBeCloseTo(total(procurement.map((row) => row.units)), 6);
    expect(total(parts.map((flow) => flow.value))).toBeCloseTo(total(procurement.map((row) => row.cost)), 3);
    expect(total(parts.map((flow) => flow.freight))).toBeCloseTo(total(procurement.map((row) => row.freight ?? 0)), 3);
    expect(total(parts.map((flow) => flow.duty))).toBeCloseTo(total(procurement.map((row) => row.duty ?? 0)), 3);
    expect(total(products.map((flow) => flow.units))).toBeCloseTo(total(result.sales.map((row) => row.units)), 6);
    expect(total(products.map((flow) => flow.duty))).toBeCloseTo(total(result.sales.map((row) => row.duty ?? 0)), 3);
    for (const border of result.flows?.borders ?? []) {
      const crossing = flows.filter((flow) => flow.goods === border.goods && flow.border?.from === border.from && flow.border.to === border.to);
      expect(total(crossing.map((flow) => flow.units)), `${border.from} → ${border.to} ${border.goods}`).toBeCloseTo(border.units, 6);
      expect(total(crossing.map((flow) => flow.duty))).toBeCloseTo(border.duty, 3);
      expect(total(crossing.map((flow) => flow.freight))).toBeCloseTo(border.freight, 3);
    }
  });

  it("shows only the period asked for, and starts at the plants when parts are pooled", () => {
    expect(planNetwork(scenario, result, "2031")).toMatchObject({ nodes: [], flows: [] });
    const twoYears = { ...(structuredClone(joint) as object), periods: ["2020", "2021"] };
    const twoPlans = plan(twoYears);
    const second = planNetwork(readScenario(twoYears), twoPlans, "2021");
    const parts2021 = twoPlans.procurement.filter((row) => row.period === "2021");
    expect(total(second?.flows.filter((flow) => flow.goods === "parts").map((flow) => flow.units) ?? [])).toBeCloseTo(
      total(parts2021.map((row) => row.units)),
      6,
    );
    expect(total(parts2021.map((row) => row.units))).toBeLessThan(total(twoPlans.procurement.map((row) => row.units)));
    // kz-uz-2020 with countries only: parts stay pooled (no procurement row names a plant).
    const countries = structuredClone(loadBundledScenario("kz-uz-2020")) as { plants: { country?: string }[]; markets: { id: string; country?: string }[] };
    for (const plant of countries.plants) plant.country = "UZ";
    for (const market of countries.markets) market.country = market.id;
    const pooledPlan = plan(countries);
    expect(pooledPlan.status).toBe("optimal");
    expect(pooledPlan.flows?.borders.length).toBeGreaterThan(0);
    const pooled = planNetwork(readScenario(countries), pooledPlan, "2020");
    if (pooled === null) throw new Error("a scenario with countries has a network");
    expect(pooled.pooledParts).toBe(true);
    expect(pooled.nodes.some((node) => node.column === "source")).toBe(false);
    expect(pooled.flows.every((flow) => flow.goods === "products")).toBe(true);
    const layout = layoutNetwork(pooled, 346);
    expect(layout.columns.map((column) => column.column)).toEqual(["plant", "market"]);
    expect(layout.divides.filter((divide) => divide.border).map((divide) => [divide.above, divide.below])).toEqual([["UZ", "KZ"]]);
  });
});

describe("the network's layout", () => {
  for (const width of [390 - 44, 1100]) {
    it(`at ${width} px: inside the width, no two bars of a column overlapping, each country on its side of the border`, () => {
      const read = network();
      const layout = layoutNetwork(read, width);
      expect(layout.nodes.length).toBe(read.nodes.length);
      expect(layout.flows.length).toBe(read.flows.length);
      const charPx = layout.fontPx * 0.6;
      for (const placed of layout.nodes) {
        expect(placed.x).toBeGreaterThanOrEqual(0);
        expect(placed.x + placed.width).toBeLessThanOrEqual(width);
        // Labels: estimated at the font's average character, within the picture.
        const longest = Math.max(...placed.label.lines.map((line) => line.length)) * charPx;
        if (placed.label.anchor === "end") expect(placed.label.x - longest, placed.node.label).toBeGreaterThanOrEqual(0);
        else expect(placed.label.x + longest, placed.node.label).toBeLessThanOrEqual(width + 1);
      }
      for (const column of ["source", "plant", "market"] as const) {
        const bars = layout.nodes.filter((placed) => placed.node.column === column).sort((a, b) => a.y - b.y);
        for (let b = 1; b < bars.length; b++) expect(bars[b]?.y ?? 0, column).toBeGreaterThan((bars[b - 1]?.y ?? 0) + (bars[b - 1]?.height ?? 0));
      }
      const border = layout.divides.find((divide) => divide.border);
      expect(border).toMatchObject({ above: "UZ", below: "KZ" });
      for (const placed of layout.nodes) {
        if (placed.node.country === "UZ") expect(placed.y + placed.height, placed.node.label).toBeLessThan(border?.y ?? 0);
        if (placed.node.country === "KZ") expect(placed.y, placed.node.label).toBeGreaterThan(border?.y ?? 0);
      }
      expect(layout.height).toBeGreaterThan(border?.y ?? Infinity);
    });
  }

  it("draws each flow as wide as its units on its stage's scale, from the right edge of one bar to the left edge of the next, within both bars", () => {
    const layout = layoutNetwork(network(), 900);
    const bars = new Map(layout.nodes.map((placed) => [placed.node.key, placed]));
    for (const placed of layout.flows) {
      const { flow } = placed;
      expect(placed.width).toBeCloseTo(Math.max(1, flow.units * layout.scale[flow.goods]), 6);
      const from = bars.get(flow.from);
      const to = bars.get(flow.to);
      const [, x0, y0] = /^M([\d.]+),([\d.]+)C/.exec(placed.path)?.map(Number) ?? [];
      const [, x1, y1] = / ([\d.]+),([\d.]+)$/.exec(placed.path)?.map(Number) ?? [];
      expect(x0).toBeCloseTo((from?.x ?? 0) + (from?.width ?? 0), 1);
      expect(x1).toBeCloseTo(to?.x ?? 0, 1);
      // The flow's slice lies within each bar (to the rounding of a tenth of a pixel).
      expect((y0 ?? 0) - placed.width / 2).toBeGreaterThanOrEqual((from?.y ?? 0) - 0.2);
      expect((y0 ?? 0) + placed.width / 2).toBeLessThanOrEqual((from?.y ?? 0) + (from?.height ?? 0) + 0.2);
      expect((y1 ?? 0) - placed.width / 2).toBeGreaterThanOrEqual((to?.y ?? 0) - 0.2);
      expect((y1 ?? 0) + placed.width / 2).toBeLessThanOrEqual((to?.y ?? 0) + (to?.height ?? 0) + 0.2);
    }
    // The plant that takes in most parts, and the one that sends out most units, are equally tall on their own scales.
    const andijan = layout.nodes.find((placed) => placed.node.id === "andijan" && placed.node.column === "plant");
    expect(andijan?.height).toBeCloseTo(180, 0);
  });

  it("wraps a label at spaces into at most its lines, and ends what does not fit with an ellipsis", () => {
    expect(wrap("Andijan transmissions", 14, 2)).toEqual(["Andijan", "transmissions"]);
    expect(wrap("Samarkand body shop", 14, 2)).toEqual(["Samarkand body", "shop"]);
    expect(wrap("Kazakhstan", 20, 2)).toEqual(["Kazakhstan"]);
    expect(wrap("a very long name of a supplier", 8, 2)).toEqual(["a very", "long…"]);
    expect(wrap("Supercalifragilistic", 8, 1)).toEqual(["Superca…"]);
  });
});
