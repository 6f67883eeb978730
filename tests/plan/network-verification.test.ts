import { describe, expect, it } from "vitest";
import { plan, verifyPlan, type Plan } from "../../src/index.js";
import { minimalScenario } from "../support/builders.js";

/**
 * The verification of the joint network's families (src/plan/verification/:
 * parts.ts per plant, inHouseMaking.ts, laneCapacity.ts, shippingCapacity.ts,
 * freightAndDuty.ts and the lane money checked on each row) catches a plan
 * broken by hand in each of them, straight from the scenario.
 *
 * The network: a kit line at A (80 stamping hours, one a kit, cost 10) feeds
 * A's assembly and, along a lane of 40 (freight 3, duty 20%), B's. A sells at
 * home (30) and, along a lane of 30 (freight 2, duty 25%), abroad (60); B
 * sells abroad only, at freight 1. A car at B earns 60 − 1 − (10·1.2 + 3) = 44,
 * at A abroad 60 − 2 − 15 − 10 = 33, at A home 30 − 10 = 20. The 80 kits: 40
 * to B (the lane), 40 at A, 30 of them abroad (the lane) and 10 at home:
 * margin 40·44 + 30·33 + 10·20 = 2,950.
 */
const scenario = minimalScenario({
  plants: [
    { id: "A", country: "UZ", resources: { stamping: 80, hours: 100 } },
    { id: "B", country: "KZ", resources: { hours: 100 } },
  ],
  products: [{ id: "q", family: "car", bom: { kit: 1 } }],
  routes: [
    { plant: "A", product: "q", uses: { hours: 1 }, ships_to: { home: {}, abroad: { cost: 2, duty: 0.25, capacity: 30 } } },
    { plant: "B", product: "q", uses: { hours: 1 }, ships_to: { abroad: { cost: 1 } } },
  ],
  parts: [
    {
      id: "kit",
      sources: [
        { id: "kit_line", local: true, unit_cost: 10, plant: "A", uses: { stamping: 1 }, delivers_to: { A: {}, B: { cost: 3, duty: 0.2, capacity: 40 } } },
      ],
    },
  ],
  markets: [
    { id: "home", country: "UZ" },
    { id: "abroad", country: "KZ", export: true },
  ],
  demand: [
    { market: "home", product: "q", price: 30 },
    { market: "abroad", product: "q", price: 60 },
  ],
});

type Editable = { -readonly [K in keyof Plan]: Plan[K] };
const original = plan(scenario, { backend: "highs" });

function tamper(edit: (plan: Editable) => void) {
  const copy = structuredClone(original) as Editable;
  edit(copy);
  return verifyPlan(scenario, copy);
}

/** Scales one kind of row matching `match` by adding `units`, with its money kept consistent. */
const addUnits = <T extends { units: number }>(
  rows: readonly T[],
  match: (row: T) => boolean,
  units: number,
  money: (row: T, units: number) => Partial<T> = () => ({}),
) => rows.map((row) => (match(row) ? { ...row, units: row.units + units, ...money(row, row.units + units) } : row));

describe("verification of the joint network", () => {
  it("passes the plan as produced: 40 cars at A (30 abroad), 40 at B on the lane; margin 2,950", () => {
    expect(original.status).toBe("optimal");
    expect(original.objective).toBeCloseTo(2950, 6);
    expect(original.verification.feasible).toBe(true);
    expect(verifyPlan(scenario, original)).toEqual(original.verification);
    expect(original.production).toEqual([
      { period: "base", plant: "A", product: "q", units: 40 },
      { period: "base", plant: "B", product: "q", units: 40 },
    ]);
    expect(original.sales.map(({ plant, market, units }) => [plant, market, units])).toEqual([
      ["A", "home", 10],
      ["A", "abroad", 30],
      ["B", "abroad", 40],
    ]);
  });

  it("parts per plant: kits delivered to B that B's production does not need", () => {
    const result = tamper((p) => {
      p.procurement = addUnits(
        p.procurement,
        (row) => row.plant === "B",
        -5,
        (_row, units) => ({ cost: 10 * units, freight: 3 * units, duty: 2 * units }),
      );
    });
    expect(result.feasible).toBe(false);
    expect(result.violations.join("\n")).toMatch(/parts "kit" at "B" in "base": 35 delivered ≠ 40 needed there/);
  });

  it("in-house making: more kits than the kit line's stamping hours allow, every balance kept", () => {
    const result = tamper((p) => {
      p.production = addUnits(p.production, (row) => row.plant === "A", 10);
      p.sales = addUnits(
        p.sales,
        (row) => row.market === "home",
        10,
        (_row, units) => ({ revenue: 30 * units }),
      );
      p.procurement = addUnits(
        p.procurement,
        (row) => row.plant === "A",
        10,
        (_row, units) => ({ cost: 10 * units }),
      );
    });
    expect(result.violations).toEqual([expect.stringMatching(/capacity of "stamping" at "A" in "base": 90 used of 80/)]);
  });

  it("a delivery lane: more kits to B than the lane carries, every balance kept", () => {
    const result = tamper((p) => {
      p.production = addUnits(p.production, (row) => row.plant === "B", 5);
      p.production = addUnits(p.production, (row) => row.plant === "A", -5);
      p.sales = addUnits(
        p.sales,
        (row) => row.plant === "B",
        5,
        (_row, units) => ({ revenue: 60 * units, shipping: units }),
      );
      p.sales = addUnits(
        p.sales,
        (row) => row.plant === "A" && row.market === "home",
        -5,
        (_row, units) => ({ revenue: 30 * units }),
      );
      p.procurement = addUnits(
        p.procurement,
        (row) => row.plant === "B",
        5,
        (_row, units) => ({ cost: 10 * units, freight: 3 * units, duty: 2 * units }),
      );
      p.procurement = addUnits(
        p.procurement,
        (row) => row.plant === "A",
        -5,
        (_row, units) => ({ cost: 10 * units }),
      );
    });
    expect(result.violations).toEqual([expect.stringMatching(/lane of "kit" from "kit_line" to "B" in "base": 45 delivered, capacity 40/)]);
  });

  it("a shipping lane: more sold abroad than the lane carries", () => {
    const result = tamper((p) => {
      p.sales = addUnits(
        p.sales,
        (row) => row.plant === "A" && row.market === "abroad",
        5,
        (_row, units) => ({ revenue: 60 * units, shipping: 2 * units, duty: 15 * units }),
      );
      p.sales = addUnits(
        p.sales,
        (row) => row.plant === "A" && row.market === "home",
        -5,
        (_row, units) => ({ revenue: 30 * units }),
      );
    });
    expect(result.violations).toEqual([expect.stringMatching(/shipping of "q" from "A" to "abroad" in "base": 35 sold, capacity 30/)]);
  });

  it("freight and duty: misreported on a delivery and on a sale", () => {
    const result = tamper((p) => {
      p.procurement = p.procurement.map((row) => (row.plant === "B" ? { ...row, freight: 0 } : row));
      p.sales = p.sales.map((row) => (row.plant === "A" && row.market === "abroad" ? { ...row, duty: 1 } : row));
    });
    const text = result.violations.join("\n");
    expect(text).toMatch(/purchase of "kit" from "kit_line" for "B" in "base": freight 0, the lane makes it 120/);
    expect(text).toMatch(/sales of "q" from "A" to "abroad" in "base": duty 1, the lane makes it 450/);
  });

  it("a delivery to a plant the source does not deliver to, a pooled purchase in a per-plant plan, a sale the route cannot ship", () => {
    const result = tamper((p) => {
      p.procurement = [
        ...p.procurement,
        { period: "base", part: "kit", source: "kit_line", local: true, units: 1, cost: 10, plant: "C", freight: 0, duty: 0 },
        { period: "base", part: "kit", source: "kit_line", local: true, units: 1, cost: 10 },
      ];
      p.sales = [...p.sales, { period: "base", plant: "B", product: "q", market: "home", units: 1, revenue: 30 }];
    });
    const text = result.violations.join("\n");
    expect(text).toMatch(/purchase of "kit" from "kit_line" for "C" in "base": no such route, market, source, delivery or period/);
    expect(text).toMatch(/purchase of "kit" from "kit_line" in "base": no such route, market, source, delivery or period/);
    expect(text).toMatch(/sales of "q" from "B" to "home" in "base": no such route, market, source, delivery or period/);
  });
});
