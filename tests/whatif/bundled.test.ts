import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { closeTo } from "../support/matchers.js";
import { applyChanges, compare, loadBundledScenario, parsePlanOptions, parseScenario, prepareSweep, sweep } from "../../src/index.js";

/** The bundled what-if files stay valid, and the readings docs/whatif.md gives of them stay true. */
const root = join(import.meta.dirname, "..", "..", "models", "whatif");
const read = (scenario: string, file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(root, scenario, file), "utf8")) as Record<string, unknown>;

describe("bundled what-ifs", () => {
  it("every file is a valid request for its scenario", () => {
    const scenarios = readdirSync(root);
    const sweeps: Record<string, number> = { "kz-uz-2019-2025": 4, "kz-uz-2020": 4, "kz-uz-cluster-2020-2030": 1, "kz-uz-joint-2020": 3 };
    expect(scenarios.sort()).toEqual(Object.keys(sweeps));
    for (const id of scenarios) {
      const scenario = parseScenario(loadBundledScenario(id));
      const files = readdirSync(join(root, id));
      expect(files.filter((file) => file.endsWith(".sweep.json"))).toHaveLength(sweeps[id] ?? 0);
      for (const file of files) {
        const request = read(id, file);
        if (file.endsWith(".sweep.json")) expect(() => prepareSweep(scenario, request["sweep"], parsePlanOptions({}))).not.toThrow();
        else for (const variant of request["variants"] as { changes: unknown }[]) expect(() => applyChanges(scenario, variant.changes)).not.toThrow();
      }
    }
  });

  it("kz-uz-joint-2020 (docs/network.md): without kits 90.3 million; at the lane's 2,000 kits one more is worth 446 USD up to 2,196; kit duty 12,000 USD a point; car duty 0 → 112.3 million", async () => {
    const scenario = loadBundledScenario("kz-uz-joint-2020");
    const lane = await sweep(scenario, read("kz-uz-joint-2020", "kit-lane.sweep.json")["sweep"]);
    expect(lane.segments).toHaveLength(16);
    expect(lane.segments?.[0]?.objective_from).toBeCloseTo(90_283_491, -1);
    const at2000 = lane.segments?.find((segment) => segment.from <= 2000 && segment.to >= 2000);
    expect(at2000?.slope).toBeCloseTo(446, 3);
    expect(at2000?.from).toBeCloseTo(1896.12, 2);
    expect(at2000?.to).toBeCloseTo(2196.12, 2);
    expect(lane.segments?.at(-1)?.slope).toBe(0);

    const kitDuty = await sweep(scenario, read("kz-uz-joint-2020", "kit-duty.sweep.json")["sweep"]);
    expect(kitDuty.points.every((point) => point.status === "optimal")).toBe(true);
    expect(kitDuty.points.map((point) => point.slope)).toEqual(kitDuty.points.map(() => closeTo(-1_200_000, 0)));
    expect((kitDuty.points[0]?.objective ?? 0) - (kitDuty.points.at(-1)?.objective ?? 0)).toBeCloseTo(180_000, 1);

    const carDuty = await sweep(scenario, read("kz-uz-joint-2020", "car-duty.sweep.json")["sweep"]);
    expect(carDuty.points[0]?.objective).toBeCloseTo(112_324_741, -1);
    expect(carDuty.points.at(-1)?.objective).toBeCloseTo(97_523_468, -1);
    expect(carDuty.points[15]?.objective).toBeCloseTo(103_792_250, -1);
  });

  it("kz-uz-2020: the 7,000 goal costs 8.04 million, 22,865 USD for the 7,000th unit, in 18 segments; Andijan's assembly binds up to 121,557 hours", async () => {
    const scenario = loadBundledScenario("kz-uz-2020");
    const goal = await sweep(scenario, read("kz-uz-2020", "joint-goal.sweep.json")["sweep"]);
    expect(goal.segments).toHaveLength(18);
    const at7000 = goal.segments?.find((segment) => segment.from <= 7000 && segment.to >= 7000);
    expect(at7000?.slope).toBeCloseTo(-22_865.1, 0);
    expect(at7000?.from).toBeCloseTo(6983.71, 2);
    expect((goal.segments?.[0]?.objective_from ?? 0) - 93_250_385.87).toBeCloseTo(8_043_409.4, 0);
    expect(goal.segments?.[0]?.to).toBeCloseTo(6605.08, 2);

    const andijan = await sweep(scenario, read("kz-uz-2020", "andijan-assembly.sweep.json")["sweep"]);
    const flat = andijan.segments?.at(-1);
    expect(flat?.slope).toBe(0);
    expect(flat?.from).toBeCloseTo(121_557.06, 2);
    expect(andijan.segments?.find((segment) => segment.from <= 120_000 && segment.to >= 120_000)?.slope).toBeCloseTo(1150, 0);
    expect(andijan.feasible_range?.from).toBeCloseTo(102_596.16, 2);

    const variants = await compare(scenario, read("kz-uz-2020", "variants.compare.json")["variants"]);
    expect(variants.variants.map((variant) => Math.round(variant.delta.objective ?? NaN))).toEqual([-957_808, 1_483_950, NaN]);
    expect(variants.variants[2]?.plan.diagnosis?.relaxations[0]).toMatchObject({ kind: "target", id: "car_local_parts", to: closeTo(0.791, 3) });
  });
});
