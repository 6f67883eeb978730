import { describe, expect, it } from "vitest";
import { loadBundledScenario, plan, verifyPlan, type Plan } from "../../src/index.js";
import { present } from "../support/present.js";

/** `verification` re-checks the returned quantities against the scenario, not the solver's word. */
describe("independent verification", () => {
  const scenario = loadBundledScenario("kz-uz-2020");
  const original = plan(scenario);

  it("passes the plan as produced", () => {
    expect(original.status).toBe("optimal");
    expect(original.verification.feasible).toBe(true);
    expect(original.verification.checked).toBeGreaterThan(50);
    expect(verifyPlan(scenario, original)).toEqual(original.verification);
  });

  const tamper = (edit: (plan: { -readonly [K in keyof Plan]: Plan[K] }) => void) => {
    const copy = structuredClone(original) as { -readonly [K in keyof Plan]: Plan[K] };
    edit(copy);
    return verifyPlan(scenario, copy);
  };

  it("flags production that no longer balances with sales", () => {
    const result = tamper((p) => {
      p.production = p.production.map((row, i) => (i === 0 ? { ...row, units: row.units + 100 } : row));
    });
    expect(result.feasible).toBe(false);
    expect(result.violations.join("\n")).toMatch(/balance of/);
  });

  it("flags production beyond a plant's capacity even when sales and parts follow", () => {
    const result = tamper((p) => {
      const row = present(
        p.production.find((r) => r.product === "tractor"),
        "the tractor's production row",
      );
      p.production = p.production.map((r) => (r === row ? { ...r, units: r.units + 1000 } : r));
      p.sales = p.sales.map((r) => (r.product === "tractor" && r.market === "UZ" ? { ...r, units: r.units + 1000, revenue: r.revenue + 27000 * 1000 } : r));
      p.procurement = p.procurement.map((r) =>
        r.part === "tractor_engine" && r.source === "belarus_import" ? { ...r, units: r.units + 1000, cost: r.cost + 7200 * 1000 } : r,
      );
    });
    expect(result.feasible).toBe(false);
    const text = result.violations.join("\n");
    expect(text).toMatch(/capacity of "assembly_hours" at "tashkent"/);
    expect(text).toMatch(/demand for "tractor" in "UZ"/);
  });

  it("flags a sale in a market with no demand row, and a purchase from an unknown source", () => {
    const result = tamper((p) => {
      p.sales = [...p.sales, { period: "2020", plant: "andijan", product: "city", market: "RU", units: 5, revenue: 0 }];
      p.procurement = [...p.procurement, { period: "2020", part: "gearbox", source: "nowhere", local: true, units: 3, cost: 0 }];
    });
    expect(result.feasible).toBe(false);
    expect(result.violations.some((v) => v.includes('"RU"'))).toBe(true);
    expect(result.violations.some((v) => v.includes('"nowhere"'))).toBe(true);
  });

  it("flags a misreported revenue", () => {
    const result = tamper((p) => {
      p.sales = p.sales.map((row, i) => (i === 0 ? { ...row, revenue: row.revenue * 2 } : row));
    });
    expect(result.feasible).toBe(false);
    expect(result.violations[0]).toMatch(/revenue/);
  });

  it("flags a missed target even when every physical constraint still holds", () => {
    // Selling fewer tractors at home (made, bought and sold consistently less) keeps balance, capacity and
    // parts intact but breaks the 7,000-unit joint goal.
    const result = tamper((p) => {
      const cut = 100;
      p.production = p.production.map((r) => (r.product === "tractor" ? { ...r, units: r.units - cut } : r));
      p.sales = p.sales.map((r) => (r.product === "tractor" && r.market === "UZ" ? { ...r, units: r.units - cut, revenue: r.revenue - 27000 * cut } : r));
      p.procurement = p.procurement.map((r) =>
        r.part === "tractor_engine" && r.source === "belarus_import"
          ? { ...r, units: r.units - cut, cost: r.cost - 7200 * cut }
          : r.part === "hydraulics" && r.source === "europe_import"
            ? { ...r, units: r.units - cut, cost: r.cost - 2500 * cut }
            : r,
      );
    });
    expect(result.feasible).toBe(false);
    expect(result.violations).toEqual([expect.stringMatching(/target "joint_goal" in "2020": 6900 units, min 7000/)]);
  });

  it("rejects a plan without its rows, or with rows of the wrong shape, as a ValidationError naming the fields", () => {
    expect(() => verifyPlan(scenario, { production: [] })).toThrow(expect.objectContaining({ name: "ValidationError", subject: "plan" }));
    try {
      verifyPlan(scenario, { ...original, production: [null], solver: {} });
      expect.unreachable();
    } catch (error) {
      const paths = (error as { issues: { path: string }[] }).issues.map((issue) => issue.path);
      expect(paths).toEqual(expect.arrayContaining(["production[0]", "solver.integer"]));
    }
  });

  it("flags fractional units in an integer plan", () => {
    const whole = plan(scenario, { integer: true });
    expect(whole.verification.feasible).toBe(true);
    const copy = structuredClone(whole) as { -readonly [K in keyof Plan]: Plan[K] };
    copy.production = copy.production.map((row, i) => (i === 0 ? { ...row, units: row.units + 0.5 } : row));
    const result = verifyPlan(scenario, copy);
    expect(result.feasible).toBe(false);
    expect(result.violations.join("\n")).toMatch(/not a whole number/);
  });
});
