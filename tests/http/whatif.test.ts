import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { applyChanges, compare, loadBundledScenario, plan, sweep, type Comparison, type Plan, type SweepResult } from "../../src/index.js";
import type { Json } from "../support/builders.js";

/**
 * The what-if faces of the service: a plan with changes (the planner's
 * page's levers), a comparison and a sweep answered while the client waits,
 * each the library's own answer; beyond the service's limits, a 422 that
 * points to jobs.
 */
let app: FastifyInstance;
beforeAll(async () => {
  app = buildApp({ poolSize: 1, maxVariants: 3, maxSweepPoints: 30 });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

const post = (url: string, payload: unknown) => app.inject({ method: "POST", url, payload: payload as Json });
interface Problem {
  readonly errors: { path: string; message: string }[];
}
const untimed = (result: Plan): Plan => ({ ...result, solver: { ...result.solver, ms: 0 } });

const goal = { on: "target", id: "joint_goal", field: "min" } as const;
const lessKazakhDemand = { name: "KZ demand −20%", changes: [{ on: "demand", market: "KZ", field: "max", scale: 0.8 }] };
const moreAssembly = { name: "Andijan assembly +10%", changes: [{ on: "capacity", plant: "andijan", resource: "assembly_hours", scale: 1.1 }] };

describe("POST /v1/plans with changes", () => {
  it("plans the changed scenario, as the library plans applyChanges of it", async () => {
    const changes = [{ ...goal, set: 6500 }];
    const answer = await post("/v1/plans", { scenarioId: "kz-uz-2020", changes });
    const status = answer.statusCode;
    const body = answer.json<Plan>();
    expect(status).toBe(200);
    expect(untimed(body)).toEqual(untimed(plan(applyChanges(loadBundledScenario("kz-uz-2020"), changes))));
    expect(body.targets.find((row) => row.id === "joint_goal")?.min).toBe(6500);
  });

  it("names a change's issues by their path in the body", async () => {
    const unknown = await post("/v1/plans", {
      scenarioId: "kz-uz-2020",
      changes: [
        { ...goal, set: 6500 },
        { on: "capacity", plant: "bukhara", resource: "assembly_hours", scale: 2 },
        { ...goal, scale: 2 },
      ],
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json<Problem>().errors).toEqual([{ path: "changes[1].plant", message: expect.stringMatching(/bukhara/) as unknown }]);
    const shapeless = await post("/v1/plans", { scenarioId: "kz-uz-2020", changes: [{ ...goal, set: 6500 }, goal] });
    expect(shapeless.statusCode).toBe(422);
    expect(shapeless.json<Problem>().errors).toEqual([{ path: "changes[1]", message: expect.stringMatching(/"set", "scale" or "add"/) as unknown }]);
  });
});

describe("POST /v1/comparisons", () => {
  it("answers the library's comparison: the baseline, each variant and its delta", async () => {
    const variants = [lessKazakhDemand, moreAssembly];
    const answer = await post("/v1/comparisons", { scenarioId: "kz-uz-2020", variants });
    const status = answer.statusCode;
    const body = answer.json<Comparison>();
    expect(status).toBe(200);
    const expected = await compare(loadBundledScenario("kz-uz-2020"), variants);
    expect(untimed(body.baseline)).toEqual(untimed(expected.baseline));
    expect(body.variants.map((variant) => [variant.name, variant.delta])).toEqual(expected.variants.map((variant) => [variant.name, variant.delta]));
    expect(body.variants[1]?.delta.objective).toBeGreaterThan(0); // more assembly hours earn more
  });

  it("more variants than the server compares at once is a 422 that points to jobs; a bad variant is named", async () => {
    const many = await post("/v1/comparisons", {
      scenarioId: "kz-uz-2020",
      variants: [1, 2, 3, 4].map((n) => ({ name: `v${n}`, changes: [] })),
    });
    expect(many.statusCode).toBe(422);
    expect(many.json<Problem>().errors).toEqual([{ path: "variants", message: expect.stringMatching(/at most 3 .*POST \/v1\/jobs/) as unknown }]);
    const twice = await post("/v1/comparisons", { scenarioId: "kz-uz-2020", variants: [lessKazakhDemand, lessKazakhDemand] });
    expect(twice.statusCode).toBe(422);
    expect(twice.json<Problem>().errors.map((error) => error.path)).toEqual(["variants[1].name"]);
  });
});

describe("POST /v1/sweeps", () => {
  it("answers the library's exact curve of the joint goal, every breakpoint", async () => {
    const spec = { parameter: goal, from: 4000, to: 7450, mode: "exact" };
    const answer = await post("/v1/sweeps", { scenarioId: "kz-uz-2020", sweep: spec });
    const status = answer.statusCode;
    const body = answer.json<SweepResult>();
    expect(status).toBe(200);
    const expected = await sweep(loadBundledScenario("kz-uz-2020"), spec);
    expect(body.segments?.map((segment) => [segment.from, segment.to, segment.slope])).toEqual(
      expected.segments?.map((segment) => [segment.from, segment.to, segment.slope]),
    );
    expect(body.feasible_range).toEqual(expected.feasible_range);
    expect(body.segments?.length).toBeGreaterThan(5);
  });

  it("answers a grid point by point, and a grid larger than the server sweeps at once is a 422 that points to jobs", async () => {
    const grid = await post("/v1/sweeps", { scenarioId: "kz-uz-2020", sweep: { parameter: goal, values: [6000, 7000, 7500] } });
    expect(grid.statusCode).toBe(200);
    expect(grid.json<SweepResult>().points.map((point) => point.status)).toEqual(["optimal", "optimal", "infeasible"]);
    const large = await post("/v1/sweeps", { scenarioId: "kz-uz-2020", sweep: { parameter: goal, from: 4000, to: 7000, steps: 31 } });
    expect(large.statusCode).toBe(422);
    expect(large.json<Problem>().errors).toEqual([{ path: "sweep.steps", message: expect.stringMatching(/at most 30 .*POST \/v1\/jobs/) as unknown }]);
  });

  it("sweeps and compares the scenario as its changes leave it", async () => {
    const changes = [{ on: "capacity", plant: "andijan", resource: "assembly_hours", scale: 1.1 }];
    const spec = { parameter: goal, from: 6000, to: 7600, mode: "exact" };
    const answer = await post("/v1/sweeps", { scenarioId: "kz-uz-2020", changes, sweep: spec });
    expect(answer.statusCode).toBe(200);
    const expected = await sweep(applyChanges(loadBundledScenario("kz-uz-2020"), changes), spec);
    expect(answer.json<SweepResult>().feasible_range).toEqual(expected.feasible_range);
    const comparison = await post("/v1/comparisons", { scenarioId: "kz-uz-2020", changes, variants: [lessKazakhDemand] });
    expect(comparison.statusCode).toBe(200);
    const library = await compare(applyChanges(loadBundledScenario("kz-uz-2020"), changes), [lessKazakhDemand]);
    expect(comparison.json<Comparison>().variants[0]?.delta).toEqual(library.variants[0]?.delta);
    const refused = await post("/v1/sweeps", { scenarioId: "kz-uz-2020", changes: [{ ...changes[0], plant: "bukhara" }], sweep: spec });
    expect(refused.json<Problem>().errors.map((error) => error.path)).toEqual(["changes[0].plant"]);
  });

  it("names what is wrong with a sweep by its path; an exact sweep of a price is refused, saying to use grid", async () => {
    const price = await post("/v1/sweeps", {
      scenarioId: "kz-uz-2020",
      sweep: { parameter: { on: "demand", market: "KZ", field: "price" }, from: 1, to: 2, mode: "exact" },
    });
    expect(price.statusCode).toBe(422);
    expect(price.json<Problem>().errors[0]?.message).toMatch(/grid/);
    const unknown = await post("/v1/sweeps", { scenarioId: "kz-uz-2020", sweep: { parameter: { on: "target", id: "nope", field: "min" }, values: [1] } });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json<Problem>().errors.map((error) => error.path)).toEqual(["sweep.parameter.id"]);
  });
});
