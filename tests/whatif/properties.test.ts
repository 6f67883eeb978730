import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyChanges,
  compare,
  parseScenario,
  plan,
  sweep,
  valueIn,
  type Plan,
  type Scenario,
  type SweepParameter,
  type SweepResult,
} from "../../src/index.js";
import { networkScenarioArbitrary, scenarioArbitrary } from "../arbitraries/scenario.js";
import { propertyParameters, propertyRuns, relativeGap } from "../support/properties.js";
import { solveReference } from "../support/referenceModel.js";

/**
 * Invariants of what-if analysis on generated scenarios (tests/arbitraries),
 * hostile ids included. Each `it` names its invariant. Each property runs an
 * eighth of PROPS_RUNS (sweeps solve many times); PROPS_SEED replays one.
 */
const runs = Math.max(10, Math.round(propertyRuns / 8));
const TOLERANCE = 1e-6;

/** A parameter with a range of values that keeps the scenario valid at both ends (and so between them). */
interface Swept {
  readonly parameter: SweepParameter;
  readonly from: number;
  readonly to: number;
  /** Whether the scenario gives the value in every period (an unset limit cannot be set in some periods only). */
  readonly set?: boolean;
}

const extreme = (value: Parameters<typeof valueIn>[0] | undefined, periods: readonly string[], pick: "min" | "max", fallback: number) =>
  value === undefined ? fallback : Math[pick](...periods.map((period) => valueIn(value, period)));

/** Every bound of the scenario a sweep can move, with a valid range for it (exact mode's parameters). */
function boundParameters(scenario: Scenario): Swept[] {
  const { periods } = scenario;
  const swept: Swept[] = [];
  for (const plant of scenario.plants) {
    for (const resource of Object.keys(plant.resources)) {
      const capacity = extreme(plant.resources[resource], periods, "max", 0);
      swept.push({ parameter: { on: "capacity", plant: plant.id, resource }, from: 0, to: 2 * capacity + 20, set: true });
    }
  }
  for (const target of scenario.targets) {
    if (target.kind !== "units") continue;
    swept.push({ parameter: { on: "target", id: target.id, field: "min" }, from: 0, to: extreme(target.max, periods, "min", 400) });
    swept.push({ parameter: { on: "target", id: target.id, field: "max" }, from: extreme(target.min, periods, "max", 0), to: 400 });
  }
  for (const demand of scenario.demand) {
    const row = { on: "demand", market: demand.market, product: demand.product } as const;
    swept.push({ parameter: { ...row, field: "min" }, from: 0, to: extreme(demand.max, periods, "min", 150), set: true });
    swept.push({ parameter: { ...row, field: "max" }, from: extreme(demand.min, periods, "max", 0), to: 200, set: demand.max !== undefined });
  }
  for (const part of scenario.parts) {
    for (const source of part.sources) {
      swept.push({ parameter: { on: "source", part: part.id, source: source.id, field: "capacity" }, from: 0, to: 300, set: source.capacity !== undefined });
    }
  }
  for (const route of scenario.routes) {
    const row = { on: "route", plant: route.plant, product: route.product } as const;
    swept.push({ parameter: { ...row, field: "min" }, from: 0, to: extreme(route.max, periods, "min", 100), set: route.min !== undefined });
    swept.push({ parameter: { ...row, field: "max" }, from: extreme(route.min, periods, "max", 0), to: 200, set: route.max !== undefined });
  }
  // The joint network's lanes: a delivery or shipping lane's capacity is a right-hand side too.
  for (const lane of laneSelectors(scenario)) swept.push({ parameter: { ...lane.selector, field: "capacity" }, from: 0, to: 250, set: lane.capacity });
  return swept.filter(({ from, to }) => from < to);
}

/** Every delivery and shipping lane of a scenario as a Change selector, and whether it sets a capacity. */
function laneSelectors(scenario: Scenario) {
  const lanes: {
    selector: { on: "delivery"; part: string; source: string; plant: string } | { on: "shipping"; plant: string; product: string; market: string };
    capacity: boolean;
  }[] = [];
  for (const part of scenario.parts) {
    for (const source of part.sources) {
      for (const plant of Object.keys(source.delivers_to ?? {})) {
        lanes.push({ selector: { on: "delivery", part: part.id, source: source.id, plant }, capacity: source.delivers_to?.[plant]?.capacity !== undefined });
      }
    }
  }
  for (const route of scenario.routes) {
    for (const market of Object.keys(route.ships_to ?? {})) {
      lanes.push({
        selector: { on: "shipping", plant: route.plant, product: route.product, market },
        capacity: route.ships_to?.[market]?.capacity !== undefined,
      });
    }
  }
  return lanes;
}

/** Parameters exact mode refuses and grid takes: prices, unit costs, share targets. */
function coefficientParameters(scenario: Scenario): Swept[] {
  const swept: Swept[] = [];
  for (const demand of scenario.demand)
    swept.push({ parameter: { on: "demand", market: demand.market, product: demand.product, field: "price" }, from: 0, to: 80 });
  for (const route of scenario.routes)
    swept.push({ parameter: { on: "route", plant: route.plant, product: route.product, field: "unit_cost" }, from: 0, to: 20 });
  for (const part of scenario.parts) swept.push({ parameter: { on: "source", part: part.id, field: "unit_cost" }, from: 0, to: 20 });
  for (const lane of laneSelectors(scenario)) {
    swept.push({ parameter: { ...lane.selector, field: "cost" }, from: 0, to: 10 });
    swept.push({ parameter: { ...lane.selector, field: "duty" }, from: 0, to: 0.6 });
  }
  for (const target of scenario.targets) {
    if (target.kind === "units") continue;
    swept.push({ parameter: { on: "target", id: target.id, field: "min" }, from: 0, to: extreme(target.max, scenario.periods, "min", 1) });
  }
  return swept.filter(({ from, to }) => from < to);
}

/** A point in [0, 1] in thousandths: values a planner types, not denormals a solver's tolerance cannot tell from 0. */
const fraction = fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000);

/** A scenario, one of its parameters, and fractions of the range to probe at. */
function sweepCase(options: { integer: boolean; parameters: (scenario: Scenario) => Swept[] }) {
  return fc
    .oneof(scenarioArbitrary({ integer: options.integer }), networkScenarioArbitrary({ integer: options.integer }))
    .map((document) => ({ document, scenario: parseScenario(document) }))
    .filter(({ scenario }) => options.parameters(scenario).length > 0)
    .chain(({ document, scenario }) => {
      const candidates = options.parameters(scenario);
      return fc.record({
        document: fc.constant(document),
        scenario: fc.constant(scenario),
        swept: fc.constantFrom(...candidates),
        // One period only, now and then (the parameter then moves in that period alone).
        onePeriod: fc.option(fc.constantFrom(...scenario.periods), { freq: 3 }),
        probes: fc.array(fraction, { minLength: 3, maxLength: 3 }),
      });
    })
    .map(({ swept, onePeriod, ...rest }) => {
      const narrowable = swept.set === true && swept.parameter.on !== "target" && onePeriod !== null;
      return { ...rest, swept: narrowable ? { ...swept, parameter: { ...swept.parameter, periods: [onePeriod] } } : swept };
    });
}

/** A direct solve of the scenario with the parameter set: validated, formulated and planned from scratch. */
function direct(document: unknown, parameter: SweepParameter, value: number, integer: boolean): Plan {
  return plan(applyChanges(document, [{ ...parameter, set: value }]), { backend: "highs", integer });
}

/** The exact curve's value: on a segment, or at a point (a feasible range of one value has no segment). */
function interpolate(result: SweepResult, value: number): number | null {
  for (const segment of result.segments ?? []) {
    if (value >= segment.from && value <= segment.to) return segment.objective_from + segment.slope * (value - segment.from);
  }
  return result.points.find((point) => point.value === value)?.objective ?? null;
}

describe("properties of sweeps and comparisons", () => {
  it("an exact sweep matches direct solves at random values, is concave (max) or convex (min), its slopes are rise over run, and solves ≤ 2·segments + 4", async () => {
    let traced = 0;
    await fc.assert(
      fc.asyncProperty(sweepCase({ integer: false, parameters: boundParameters }), async ({ document, scenario, swept, probes }) => {
        const { parameter, from, to } = swept;
        const result = await sweep(document, { parameter, from, to, mode: "exact" });
        const segments = result.segments ?? [];
        expect(result.solves).toBeLessThanOrEqual(2 * segments.length + 4);
        const maximizing = scenario.objective !== "min_cost";
        segments.forEach((segment, i) => {
          expect(relativeGap(segment.slope * (segment.to - segment.from), segment.objective_to - segment.objective_from)).toBeLessThanOrEqual(TOLERANCE);
          const next = segments[i + 1];
          if (next === undefined) return;
          expect(next.from).toBe(segment.to);
          const turn = maximizing ? next.slope - segment.slope : segment.slope - next.slope;
          expect(turn, "slopes of a concave (convex) curve fall (rise)").toBeLessThanOrEqual(
            TOLERANCE * Math.max(1, Math.abs(segment.slope), Math.abs(next.slope)),
          );
        });
        const range = result.feasible_range;
        if (range !== null && segments.length > 0) {
          expect([segments[0]?.from, segments.at(-1)?.to]).toEqual([range.from, range.to]);
          traced++;
        }
        for (const fraction of probes) {
          const value = from + (to - from) * fraction;
          const solved = direct(document, parameter, value, false);
          const inside = range !== null && value >= range.from && value <= range.to;
          const margin = 1e-7 * Math.max(1, Math.abs(value));
          if (range === null || value < range.from - margin || value > range.to + margin) {
            expect(solved.status, `no plan at ${value}, outside ${JSON.stringify(range)}`).toBe("infeasible");
          } else if (result.points.some((point) => point.status === "unbounded")) {
            expect(solved.status).toBe("unbounded");
          } else if (inside) {
            expect(solved.status, `a plan at ${value}`).toBe("optimal");
            const expected = interpolate(result, value);
            expect(expected).not.toBeNull();
            expect(relativeGap(solved.objective ?? NaN, expected ?? NaN), `objective at ${value}`).toBeLessThanOrEqual(TOLERANCE);
          }
        }
        // Where both apply, a grid gives the exact curve's values.
        if (range !== null && segments.length > 0) {
          const grid = await sweep(document, { parameter, values: [range.from, (range.from + range.to) / 2, range.to] }, { threads: 1 });
          for (const point of grid.points) {
            expect(relativeGap(point.objective ?? NaN, interpolate(result, point.value) ?? NaN), `grid at ${point.value}`).toBeLessThanOrEqual(TOLERANCE);
          }
        }
      }),
      propertyParameters(runs),
    );
    expect(traced, `a curve was traced in ${traced} of ${runs} runs`).toBeGreaterThanOrEqual(Math.ceil(runs * 0.3));
  }, 300_000);

  it("every grid point — bounds, prices, costs, share targets, whole units or not — matches a direct solve at its value", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean().chain((integer) =>
          sweepCase({ integer, parameters: (scenario) => [...boundParameters(scenario), ...coefficientParameters(scenario)] }).map((c) => ({
            ...c,
            integer,
          })),
        ),
        async ({ document, scenario, swept, probes, integer }) => {
          const { parameter, from, to } = swept;
          const values = probes.map((fraction) => from + (to - from) * fraction);
          const result = await sweep(document, { parameter, values }, { threads: 1, integer });
          expect(result.points.map((point) => point.value)).toEqual(values);
          result.points.forEach((point) => {
            const solved = direct(document, parameter, point.value, integer || scenario.integer);
            expect(point.status, `status at ${point.value}`).toBe(solved.status);
            if (solved.objective === null || solved.status !== "optimal") return;
            expect(relativeGap(point.objective ?? NaN, solved.objective), `objective at ${point.value}`).toBeLessThanOrEqual(TOLERANCE);
          });
        },
      ),
      propertyParameters(runs),
    );
  }, 300_000);

  it("compare: delta.objective is the difference of two independent plans, and the variant's objective is the reference formulation's of the changed scenario", async () => {
    await fc.assert(
      fc.asyncProperty(sweepCase({ integer: false, parameters: boundParameters }), fraction, async ({ document, swept }, at) => {
        const value = swept.from + (swept.to - swept.from) * at;
        const changes = [{ ...swept.parameter, set: value }];
        const result = await compare(document, [{ name: "variant", changes }]);
        const baseline = plan(document);
        const changed = applyChanges(document, changes);
        const variant = plan(changed);
        const delta = result.variants[0]?.delta.objective ?? null;
        if (baseline.objective === null || variant.objective === null) {
          expect(delta).toBeNull();
        } else {
          expect(relativeGap(delta ?? NaN, variant.objective - baseline.objective) * Math.max(1, Math.abs(delta ?? 0))).toBeLessThanOrEqual(
            TOLERANCE * Math.max(1, Math.abs(baseline.objective), Math.abs(variant.objective)),
          );
        }
        const reference = solveReference(changed);
        const compared = result.variants[0]?.plan;
        expect(compared?.status).toBe(reference.status);
        if (reference.objective !== null) expect(relativeGap(compared?.objective ?? NaN, reference.objective)).toBeLessThanOrEqual(TOLERANCE);
      }),
      propertyParameters(runs),
    );
  }, 300_000);

  it("a change that scales by 1 or adds 0 gives the same plan", async () => {
    await fc.assert(
      fc.asyncProperty(
        sweepCase({ integer: true, parameters: (scenario) => [...boundParameters(scenario), ...coefficientParameters(scenario)] }),
        fc.constantFrom({ scale: 1 }, { add: 0 }),
        async ({ document, scenario, swept }, operation) => {
          // Only values the scenario sets can be scaled or added to.
          const changed = applyChanges(document, [{ ...swept.parameter, set: swept.to }]);
          const changes = [{ ...swept.parameter, ...operation }];
          const result = await compare(changed, [{ name: "same", changes }]);
          const [same] = result.variants;
          expect(same?.plan.status).toBe(result.baseline.status);
          expect(same?.plan.objective).toBe(result.baseline.objective);
          expect(same?.plan.production).toEqual(result.baseline.production);
          expect(same?.delta.binding).toEqual({ became: [], released: [] });
          expect(parseScenario(changed).periods).toEqual(scenario.periods);
        },
      ),
      propertyParameters(runs),
    );
  }, 300_000);
});
