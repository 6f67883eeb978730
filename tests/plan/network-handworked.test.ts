import { describe, expect, it } from "vitest";
import { plan, type Plan } from "../../src/index.js";
import { minimalScenario, type Json } from "../support/builders.js";
import { present } from "../support/present.js";

/**
 * Small networks (docs/format.md §1.6, §2.7) whose optimum is worked out by
 * hand in the comment above each: one per family of the joint network — the
 * per-plant parts balance, in-house making on a plant's hours, a bill of
 * materials two levels deep, a delivery lane's capacity with its freight and
 * duty, a shipping lane's, a source's capacity shared by the plants it
 * delivers to. Both backends reach the hand-computed objective, and the plan
 * passes its own verification.
 */
const backends = ["javascript-lp-solver", "highs"] as const;

function expectOptimum(scenario: Json, objective: number, check?: (result: Plan) => void, options: { integer?: boolean } = {}) {
  for (const backend of backends) {
    const result = plan(scenario, { backend, explain: true, ...options });
    expect(result.status, backend).toBe("optimal");
    expect(result.objective, backend).toBeCloseTo(objective, 6);
    expect(result.verification.feasible, backend).toBe(true);
    check?.(result);
  }
}

const made = (result: Plan, plant: string) => result.production.filter((row) => row.plant === plant).reduce((sum, row) => sum + row.units, 0);
const bought = (result: Plan, part: string, source: string, plant?: string) =>
  result.procurement
    .filter((row) => row.part === part && row.source === source && (plant === undefined || row.plant === plant))
    .reduce((sum, row) => sum + row.units, 0);
const priceOf = (result: Plan, kind: string) =>
  present(
    result.sensitivity?.bounds.find((bound) => bound.kind === kind),
    `a ${kind} bound`,
  ).shadow_price;

const twoPlants = [
  { id: "A", country: "UZ", resources: { hours: 100 } },
  { id: "B", country: "KZ", resources: { hours: 100 } },
];
const carAtBoth = [
  { plant: "A", product: "q", uses: { hours: 1 } },
  { plant: "B", product: "q", uses: { hours: 1 } },
];

describe("hand-worked networks", () => {
  /*
   * Plants A and B, 100 hours each; q takes 1 hour and one chip, sells at 10
   * without limit. Chips from s1 (cost 2) reach only A, from s2 (cost 8) only B.
   * A: 100 at 10 − 2 = 8 → 800; B: 100 at 10 − 8 = 2 → 200. Margin 1,000.
   * (Pooled, both plants would buy the cheap chip: 1,600. The lanes decide.)
   */
  it("per-plant parts balance: each plant is supplied only by the sources that deliver to it", () => {
    expectOptimum(
      minimalScenario({
        plants: twoPlants,
        products: [{ id: "q", family: "car", bom: { chip: 1 } }],
        routes: carAtBoth,
        parts: [
          {
            id: "chip",
            sources: [
              { id: "s1", local: true, unit_cost: 2, delivers_to: { A: {} } },
              { id: "s2", local: false, unit_cost: 8, delivers_to: { B: {} } },
            ],
          },
        ],
      }),
      1000,
      (result) => {
        expect(bought(result, "chip", "s1", "A")).toBeCloseTo(100, 6);
        expect(bought(result, "chip", "s2", "B")).toBeCloseTo(100, 6);
        expect(result.procurement.every((row) => row.plant !== undefined)).toBe(true);
      },
    );
  });

  /*
   * One plant: 60 stamping hours, 100 assembly hours. q (price 10) takes 1
   * assembly hour and one kit. Kits are made in-house (1 stamping hour each,
   * cost 1) or imported (cost 6). In-house first: 60 kits → 60·(10 − 1) = 540;
   * the other 40 cars with imported kits: 40·(10 − 6) = 160. Margin 700; a
   * stamping hour is worth 6 − 1 = 5 (it replaces an import).
   */
  it("in-house making: a part made at a plant uses its hours, on the plant's own capacity rows", () => {
    expectOptimum(
      minimalScenario({
        plants: [{ id: "A", resources: { stamping: 60, assembly: 100 } }],
        products: [{ id: "q", family: "car", bom: { kit: 1 } }],
        routes: [{ plant: "A", product: "q", uses: { assembly: 1 } }],
        parts: [
          {
            id: "kit",
            sources: [
              { id: "kit_line", local: true, unit_cost: 1, plant: "A", uses: { stamping: 1 } },
              { id: "import", local: false, unit_cost: 6 },
            ],
          },
        ],
      }),
      700,
      (result) => {
        expect(bought(result, "kit", "kit_line")).toBeCloseTo(60, 6);
        expect(bought(result, "kit", "import")).toBeCloseTo(40, 6);
        const stamping = present(
          result.capacity.find((row) => row.resource === "stamping"),
          "the stamping row",
        );
        expect(stamping).toMatchObject({ used: 60, used_for_parts: 60, available: 60 });
        expect(present(result.capacity.find((row) => row.resource === "assembly")?.used_for_parts, "assembly's parts use")).toBe(0);
        expect(stamping.shadow_price).toBeCloseTo(5, 6);
      },
    );
  });

  /*
   * Two levels made in-house at A: a kit (cost 2, 1 paint hour, 30 paint hours)
   * takes 2 sheets; a sheet (cost 1, 0.5 press hour, 100 press hours) takes one
   * coil, bought at 1. q (price 20, 1 assembly hour of 100) takes a kit.
   * A car costs 2 + 2·(1 + 1) = 6; paint allows 30 kits (press would allow 100):
   * 30 cars, margin 30·14 = 420, with 60 sheets and 60 coils.
   */
  it("a bill of materials two levels deep: sub-parts are made and bought for what the plant makes", () => {
    expectOptimum(
      minimalScenario({
        plants: [{ id: "A", resources: { paint: 30, press: 100, assembly: 100 } }],
        products: [{ id: "q", family: "car", bom: { kit: 1 } }],
        routes: [{ plant: "A", product: "q", uses: { assembly: 1 } }],
        parts: [
          { id: "kit", sources: [{ id: "kit_line", local: true, unit_cost: 2, plant: "A", uses: { paint: 1 }, bom: { sheet: 2 } }] },
          { id: "sheet", sources: [{ id: "press_line", local: true, unit_cost: 1, plant: "A", uses: { press: 0.5 }, bom: { coil: 1 } }] },
          { id: "coil", sources: [{ id: "mill", local: false, unit_cost: 1 }] },
        ],
        demand: [{ market: "m", product: "q", price: 20 }],
      }),
      420,
      (result) => {
        expect(made(result, "A")).toBeCloseTo(30, 6);
        expect(bought(result, "sheet", "press_line")).toBeCloseTo(60, 6);
        expect(bought(result, "coil", "mill")).toBeCloseTo(60, 6);
        expect(
          present(
            result.capacity.find((row) => row.resource === "press"),
            "press",
          ).used_for_parts,
        ).toBeCloseTo(30, 6);
      },
    );
  });

  /*
   * Kits are made at A (cost 10, no limit) and delivered to A at no cost and to
   * B along a lane: freight 3, duty 20% of 10, at most 40 a period. q sells at
   * 30; A has 50 hours, B 100. A car at A earns 30 − 10 = 20, at B
   * 30 − (10·1.2 + 3) = 15. A: 50, B: 40 (the lane). Margin 50·20 + 40·15 = 1,600;
   * one more kit on the lane is worth 15. B's deliveries pay freight 120 and duty 80.
   */
  it("a delivery lane: its capacity binds, and its freight and duty are paid on what it carries", () => {
    expectOptimum(
      minimalScenario({
        plants: [
          { id: "A", country: "UZ", resources: { hours: 50 } },
          { id: "B", country: "KZ", resources: { hours: 100 } },
        ],
        products: [{ id: "q", family: "car", bom: { kit: 1 } }],
        routes: carAtBoth,
        parts: [
          { id: "kit", sources: [{ id: "kit_line", local: true, unit_cost: 10, plant: "A", delivers_to: { A: {}, B: { cost: 3, duty: 0.2, capacity: 40 } } }] },
        ],
        demand: [{ market: "m", product: "q", price: 30 }],
      }),
      1600,
      (result) => {
        expect(made(result, "B")).toBeCloseTo(40, 6);
        const lane = present(
          result.procurement.find((row) => row.plant === "B"),
          "the delivery to B",
        );
        expect(lane).toMatchObject({ units: 40, cost: 400, freight: 120, duty: 80 });
        expect(priceOf(result, "lane_capacity")).toBeCloseTo(15, 6);
        expect(result.flows?.between_plants).toEqual([
          { period: "base", from: "A", to: "B", part: "kit", source: "kit_line", units: 40, value: 400, freight: 120, duty: 80 },
        ]);
        expect(result.flows?.borders).toEqual([{ period: "base", from: "UZ", to: "KZ", goods: "parts", units: 40, value: 400, freight: 120, duty: 80 }]);
      },
    );
  });

  /*
   * One plant (UZ), 100 hours, q takes 1. Home sells at 10; abroad (KZ) at 20
   * along a lane: freight 2, duty 25% of the price, at most 30. Abroad earns
   * 20 − 2 − 5 = 13 > 10: 30 abroad, 70 at home. Margin 30·13 + 70·10 = 1,090;
   * the lane is worth 13 − 10 = 3 a unit more.
   */
  it("a shipping lane: it bounds what a route sells in a market, and each sale pays freight and duty on the price", () => {
    expectOptimum(
      minimalScenario({
        plants: [{ id: "p", country: "UZ", resources: { hours: 100 } }],
        routes: [{ plant: "p", product: "q", uses: { hours: 1 }, ships_to: { home: {}, abroad: { cost: 2, duty: 0.25, capacity: 30 } } }],
        markets: [
          { id: "home", country: "UZ" },
          { id: "abroad", country: "KZ", export: true },
        ],
        demand: [
          { market: "home", product: "q", price: 10 },
          { market: "abroad", product: "q", price: 20 },
        ],
      }),
      1090,
      (result) => {
        expect(
          present(
            result.sales.find((row) => row.market === "abroad"),
            "abroad",
          ),
        ).toMatchObject({ units: 30, revenue: 600, shipping: 60, duty: 150 });
        expect(
          present(
            result.sales.find((row) => row.market === "home"),
            "home",
          ),
        ).toMatchObject({ units: 70, shipping: 0, duty: 0 });
        expect(priceOf(result, "shipping_capacity")).toBeCloseTo(3, 6);
        expect(result.flows?.borders).toEqual([{ period: "base", from: "UZ", to: "KZ", goods: "products", units: 30, value: 600, freight: 60, duty: 150 }]);
      },
    );
  });

  /*
   * A route with ships_to sells only in the markets it names: the better
   * market (price 50) is not among them, so all 100 go home at 10: 1,000.
   */
  it("a route with shipping lanes sells nowhere else", () => {
    expectOptimum(
      minimalScenario({
        routes: [{ plant: "p", product: "q", uses: { hours: 1 }, ships_to: { m: {} } }],
        markets: [{ id: "m" }, { id: "better" }],
        demand: [
          { market: "m", product: "q", price: 10 },
          { market: "better", product: "q", price: 50 },
        ],
      }),
      1000,
      (result) => expect(result.sales.map((row) => row.market)).toEqual(["m"]),
    );
  });

  /*
   * Source s (cost 1, at most 50) delivers to A and B; t (cost 5, unlimited)
   * only to A. q sells at 10 at both plants, 100 hours each. s's 50 go to B,
   * which has no other chip: B 50·9 = 450; A 100·5 = 500. Margin 950 (sending
   * s to A would earn 50·9 + 50·5 = 700). s's capacity is one row over both
   * deliveries; one more chip from s goes to B, which has hours to spare: 9.
   */
  it("a source's capacity bounds what it delivers to all plants together", () => {
    expectOptimum(
      minimalScenario({
        plants: twoPlants,
        products: [{ id: "q", family: "car", bom: { chip: 1 } }],
        routes: carAtBoth,
        parts: [
          {
            id: "chip",
            sources: [
              { id: "s", local: true, unit_cost: 1, capacity: 50 },
              { id: "t", local: false, unit_cost: 5, delivers_to: { A: {} } },
            ],
          },
        ],
      }),
      950,
      (result) => {
        expect(bought(result, "chip", "s", "B")).toBeCloseTo(50, 6);
        expect(bought(result, "chip", "t", "A")).toBeCloseTo(100, 6);
        expect(priceOf(result, "source_capacity")).toBeCloseTo(9, 6);
      },
    );
  });

  /*
   * min_cost: at least 40 of q must be sold, made only at B with kits from A
   * (cost 10, freight 3, duty 20%) and shipped to m at freight 1 and duty 10%
   * of a price of 20. Each unit costs 10·1.2 + 3 + 1 + 2 = 18: cost 720.
   */
  it("min_cost: freight and duty on deliveries and on sales are costs like the others", () => {
    expectOptimum(
      minimalScenario({
        objective: "min_cost",
        plants: [
          { id: "A", resources: { hours: 0 } },
          { id: "B", resources: { hours: 100 } },
        ],
        products: [{ id: "q", family: "car", bom: { kit: 1 } }],
        routes: [{ plant: "B", product: "q", uses: { hours: 1 }, ships_to: { m: { cost: 1, duty: 0.1 } } }],
        parts: [{ id: "kit", sources: [{ id: "kit_line", local: true, unit_cost: 10, plant: "A", delivers_to: { B: { cost: 3, duty: 0.2 } } }] }],
        demand: [{ market: "m", product: "q", price: 20, min: 40 }],
      }),
      720,
    );
  });

  /*
   * The delivery-lane case in whole units with a lane of 40.5: B gets 40 kits.
   * A: 50·20, B: 40·15 → 1,600.
   */
  it("in whole units, deliveries are whole per plant", () => {
    expectOptimum(
      minimalScenario({
        plants: [
          { id: "A", resources: { hours: 50 } },
          { id: "B", resources: { hours: 100 } },
        ],
        products: [{ id: "q", family: "car", bom: { kit: 1 } }],
        routes: carAtBoth,
        parts: [
          {
            id: "kit",
            sources: [{ id: "kit_line", local: true, unit_cost: 10, plant: "A", delivers_to: { A: {}, B: { cost: 3, duty: 0.2, capacity: 40.5 } } }],
          },
        ],
        demand: [{ market: "m", product: "q", price: 30 }],
      }),
      1600,
      (result) => expect(result.procurement.every((row) => Number.isInteger(row.units))).toBe(true),
      { integer: true },
    );
  });
});
