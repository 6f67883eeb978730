import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseScenario, plan, validateScenario, type Plan } from "../../src/index.js";
import { networkScenarioArbitrary, scenarioArbitrary } from "../arbitraries/scenario.js";
import { propertyParameters, propertyRuns, relativeGap } from "../support/properties.js";
import { put, type Json } from "../support/transform.js";

/**
 * Invariants of the joint network (docs/format.md §1.6, §2.7) on generated
 * networks with hostile ids (tests/arbitraries/scenario.ts): each `it` names
 * its invariant. Runs: PROPS_RUNS; replay with PROPS_SEED.
 */
const solve = (input: unknown, options: Parameters<typeof plan>[1] = {}) => plan(input, { backend: "highs", ...options });
const copy = (input: Json): Json => JSON.parse(JSON.stringify(input)) as Json;
const own = (record: unknown, key: string): unknown =>
  typeof record === "object" && record !== null && Object.prototype.hasOwnProperty.call(record, key) ? (record as Json)[key] : undefined;

type Lane = Json & { cost?: number; duty?: number; capacity?: unknown };
interface LaneAt {
  readonly lanes: Json;
  readonly key: string;
}

/** Every delivery and shipping lane of a scenario document, where it sits. */
function lanesOf(document: Json): LaneAt[] {
  const found: LaneAt[] = [];
  for (const part of document["parts"] as Json[]) {
    for (const source of part["sources"] as Json[]) {
      const lanes = source["delivers_to"] as Json | undefined;
      if (lanes !== undefined) for (const key of Object.keys(lanes)) found.push({ lanes, key });
    }
  }
  for (const route of document["routes"] as Json[]) {
    const lanes = route["ships_to"] as Json | undefined;
    if (lanes !== undefined) for (const key of Object.keys(lanes)) found.push({ lanes, key });
  }
  return found;
}

/** Counts the runs in which an invariant was exercised, so that none passes vacuously. */
function exercised(minimumShare: number) {
  let count = 0;
  return {
    hit: () => count++,
    check: (runs: number) => expect(count, `exercised in ${count} of ${runs} runs`).toBeGreaterThanOrEqual(Math.ceil(runs * minimumShare)),
  };
}

const optimal = (result: Plan) => result.status === "optimal";
/**
 * A failure's shrinking replans at every step: it is bounded in time, so that a broken invariant
 * fails the suite with its counterexample so far instead of shrinking for the rest of the CI run.
 */
const parameters = () => ({ ...propertyParameters(), interruptAfterTimeLimit: 180_000, markInterruptAsFailure: true });

describe("properties of the joint network", () => {
  it("every source delivering to every plant at zero cost and duty leaves the objective unchanged (pooled and per plant plan alike)", () => {
    const seen = exercised(0.3);
    fc.assert(
      fc.property(fc.oneof(scenarioArbitrary({ integer: false }), networkScenarioArbitrary({ integer: false })), (input) => {
        const before = solve(input);
        const widened = copy(input);
        const plants = (widened["plants"] as Json[]).map((plant) => plant["id"] as string);
        for (const part of widened["parts"] as Json[]) {
          for (const source of part["sources"] as Json[]) {
            if (source["delivers_to"] !== undefined) continue;
            const lanes: Json = {};
            for (const plant of plants) put(lanes, plant, { cost: 0, duty: 0 });
            source["delivers_to"] = lanes;
          }
        }
        if ((widened["parts"] as Json[]).length === 0) return;
        const after = solve(widened);
        expect(after.status).toBe(before.status);
        if (optimal(before)) {
          seen.hit();
          expect(relativeGap(after.objective ?? NaN, before.objective ?? NaN)).toBeLessThanOrEqual(1e-6);
          expect(after.verification.feasible).toBe(true);
        }
      }),
      parameters(),
    );
    seen.check(propertyRuns);
  });

  it("raising a duty or a freight cost never raises the margin (nor lowers a min_cost cost)", () => {
    const seen = exercised(0.2);
    fc.assert(
      fc.property(
        networkScenarioArbitrary({ integer: false }),
        fc.nat(),
        fc.constantFrom("cost", "duty"),
        fc.constantFrom(0.5, 3, 20),
        (input, pick, field, by) => {
          const lanes = lanesOf(input);
          fc.pre(lanes.length > 0);
          const before = solve(input);
          fc.pre(optimal(before) && input["objective"] !== "max_units");
          const raised = copy(input);
          const at = lanesOf(raised)[pick % lanes.length];
          if (at === undefined) return;
          const lane = own(at.lanes, at.key) as Lane;
          lane[field] = (lane[field] ?? 0) + (field === "duty" ? by / 10 : by);
          const after = solve(raised);
          seen.hit();
          // A costlier lane leaves every plan feasible: only the objective can move, and only the wrong way.
          expect(after.status).toBe("optimal");
          const worse = input["objective"] === "min_cost" ? (after.objective ?? 0) - (before.objective ?? 0) : (before.objective ?? 0) - (after.objective ?? 0);
          expect(worse).toBeGreaterThanOrEqual(-1e-6 * Math.max(1, Math.abs(before.objective ?? 0)));
        },
      ),
      parameters(),
    );
    seen.check(propertyRuns);
  });

  it("a lane of capacity 0 plans as no lane at all", () => {
    const seen = exercised(0.2);
    fc.assert(
      fc.property(networkScenarioArbitrary({ integer: false }), fc.nat(), (input, pick) => {
        const lanes = lanesOf(input);
        fc.pre(lanes.length > 0);
        const closed = copy(input);
        const removed = copy(input);
        const closedLane = lanesOf(closed)[pick % lanes.length];
        const removedLane = lanesOf(removed)[pick % lanes.length];
        if (closedLane === undefined || removedLane === undefined) return;
        (own(closedLane.lanes, closedLane.key) as Lane).capacity = 0;
        Reflect.deleteProperty(removedLane.lanes, removedLane.key);
        // Without the lane a plant may be left with no source of a part it needs: an error, not a plan.
        fc.pre(validateScenario(removed).ok);
        const a = solve(closed);
        const b = solve(removed);
        expect(a.status).toBe(b.status);
        if (optimal(a)) {
          seen.hit();
          expect(relativeGap(a.objective ?? NaN, b.objective ?? NaN)).toBeLessThanOrEqual(1e-6);
        }
      }),
      parameters(),
    );
    seen.check(propertyRuns);
  });

  it("parts made equal parts consumed at every plant and period, in the plan's own rows", () => {
    const seen = exercised(0.1);
    fc.assert(
      fc.property(networkScenarioArbitrary(), (input) => {
        const scenario = parseScenario(input);
        const result = solve(scenario);
        if (!optimal(result) || !result.procurement.some((row) => row.plant !== undefined)) return;
        seen.hit();
        const products = new Map(scenario.products.map((product) => [product.id, product]));
        const madeBySource = (part: string, source: string, period: string) =>
          result.procurement.filter((row) => row.part === part && row.source === source && row.period === period).reduce((sum, row) => sum + row.units, 0);
        for (const period of scenario.periods) {
          for (const plant of scenario.plants) {
            for (const part of scenario.parts) {
              let consumed = 0;
              for (const row of result.production) {
                if (row.period === period && row.plant === plant.id)
                  consumed += ((own(products.get(row.product)?.bom, part.id) as number | undefined) ?? 0) * row.units;
              }
              for (const other of scenario.parts) {
                for (const source of other.sources) {
                  if (source.plant === plant.id)
                    consumed += ((own(source.bom, part.id) as number | undefined) ?? 0) * madeBySource(other.id, source.id, period);
                }
              }
              const delivered = result.procurement
                .filter((row) => row.period === period && row.part === part.id && row.plant === plant.id)
                .reduce((sum, row) => sum + row.units, 0);
              expect(Math.abs(delivered - consumed)).toBeLessThanOrEqual(1e-6 * Math.max(1, consumed));
            }
          }
        }
      }),
      parameters(),
    );
    seen.check(propertyRuns);
  });

  it("flows add up: what crosses a border is the plan's deliveries and sales between plants and markets of different countries", () => {
    fc.assert(
      fc.property(networkScenarioArbitrary({ integer: false }), (input) => {
        const scenario = parseScenario(input);
        const result = solve(scenario);
        if (!optimal(result)) return;
        const flows = result.flows;
        expect(flows).toBeDefined();
        const plantCountry = new Map(scenario.plants.map((plant) => [plant.id, plant.country]));
        const marketCountry = new Map(scenario.markets.map((market) => [market.id, market.country]));
        const crossing = result.sales.filter((row) => {
          const from = plantCountry.get(row.plant);
          const to = marketCountry.get(row.market);
          return from !== undefined && to !== undefined && from !== to;
        });
        const products = (flows?.borders ?? []).filter((flow) => flow.goods === "products");
        const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
        expect(sum(products.map((flow) => flow.units))).toBeCloseTo(sum(crossing.map((row) => row.units)), 6);
        expect(sum(products.map((flow) => flow.duty))).toBeCloseTo(sum(crossing.map((row) => row.duty ?? 0)), 6);
        for (const flow of flows?.between_plants ?? []) expect(flow.from).not.toBe(flow.to);
      }),
      parameters(),
    );
  });
});
