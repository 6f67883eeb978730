import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { AppOptions } from "../../src/http/app.js";
import { loadBundledScenario, parsePlanOptions, parseScenario, prepareSweep, type Comparison, type Plan, type SweepResult } from "../../src/index.js";
import type { JobView } from "../../src/jobs/types.js";
import type { Json } from "../support/builders.js";
import { closeStartedApps, readyApp } from "../support/http.js";
import { cancelJob, expectSamePoints, FINISHED, getJob, JOB_ID, pollJob, runJob, submitJob, untimed, type Problem } from "../support/jobs.js";

/**
 * Jobs inside the service (no Redis): submitted through `POST /v1/jobs`,
 * run on the service's job threads (the build in dist/), read, listed and
 * cancelled over HTTP. A job's result is what the synchronous route answers
 * for the same body.
 */

afterEach(closeStartedApps);

const jobsApp = (jobs: NonNullable<AppOptions["jobs"]> = {}): Promise<FastifyInstance> => readyApp({ jobs: { threads: 1, ...jobs } });
const post = (app: FastifyInstance, url: string, payload: unknown) => app.inject({ method: "POST", url, payload: payload as Json });

const goal = { on: "target", id: "joint_goal", field: "min" } as const;
const kazakhPrice = { on: "demand", market: "KZ", field: "price" } as const;
const lessKazakhDemand = { name: "KZ demand −20%", changes: [{ on: "demand", market: "KZ", field: "max", scale: 0.8 }] };
const moreAssembly = { name: "Andijan assembly +10%", changes: [{ on: "capacity", plant: "andijan", resource: "assembly_hours", scale: 1.1 }] };

/** A grid sweep long enough to be caught running: 2,000 LP points of the seven-year scenario (a few seconds on one thread). */
const longGrid = { kind: "sweep", scenarioId: "kz-uz-2019-2025", sweep: { parameter: kazakhPrice, from: 0.5, to: 2, steps: 2_000 } } as const;
/** A job that stays running until cancelled: a grid of whole-unit (MIP) plans of the seven-year scenario, seconds per point. */
const slowJob = { kind: "sweep", scenarioId: "kz-uz-2019-2025", options: { integer: true }, sweep: { parameter: kazakhPrice, from: 0.5, to: 2, steps: 50 } };

const isoTime = (text: string | undefined) => {
  expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  return Date.parse(text ?? "");
};

describe("POST /v1/jobs", () => {
  it("answers 202 at once: the job queued, its Location, an id that cannot be guessed", async () => {
    const app = await jobsApp();
    const answer = await post(app, "/v1/jobs", { kind: "plan", scenarioId: "kz-uz-2020" });
    expect(answer.statusCode).toBe(202);
    const job = answer.json<JobView>();
    expect(job).toMatchObject({ kind: "plan", status: "queued", progress: { done: 0, total: 1 } });
    expect(job.id).toMatch(JOB_ID);
    expect(answer.headers.location).toBe(`/v1/jobs/${job.id}`);
    isoTime(job.created_at);
    const others = await Promise.all([1, 2, 3].map(() => submitJob(app, { kind: "plan", scenarioId: "kz-uz-2020" })));
    expect(new Set([job.id, ...others.map((other) => other.id)]).size).toBe(4);
    await Promise.all([job, ...others].map((each) => pollJob(app, each.id, "succeeded")));
  });

  it("shows a job queued, then running with its progress, then succeeded, with ISO times in order", async () => {
    const app = await jobsApp({ chunkPoints: 20 });
    const first = await submitJob(app, longGrid);
    const second = await submitJob(app, { ...longGrid, sweep: { ...longGrid.sweep, steps: 60 } });
    // One job thread: the second waits for the first.
    const waiting = await getJob(app, second.id);
    expect(waiting).toMatchObject({ status: "queued", progress: { done: 0, total: 60 } });
    expect(waiting?.started_at).toBeUndefined();
    const running = await pollJob(app, first.id, (job) => job.progress.done > 0);
    expect(running.status).toBe("running");
    expect(running.progress.total).toBe(2_000);
    expect(running.progress.done % 20).toBe(0); // whole chunks
    expect(running.result).toBeUndefined();
    expect(running.finished_at).toBeUndefined();
    const done = await pollJob(app, second.id, FINISHED);
    expect(done).toMatchObject({ status: "succeeded", progress: { done: 60, total: 60 } });
    const created = isoTime(done.created_at);
    const started = isoTime(done.started_at);
    const finished = isoTime(done.finished_at);
    expect(created).toBeLessThanOrEqual(started);
    expect(started).toBeLessThanOrEqual(finished);
    expect((done.result as SweepResult).points).toHaveLength(60);
  });
});

describe("a job's result is what the synchronous route answers for the same body", () => {
  it("a plan, with changes and options", async () => {
    const app = await jobsApp();
    const body = { scenarioId: "kz-uz-2020", changes: [{ ...goal, set: 6500 }], options: { integer: true } };
    const job = await runJob(app, { kind: "plan", ...body });
    const direct = await post(app, "/v1/plans", body);
    expect(direct.statusCode).toBe(200);
    expect(job.status).toBe("succeeded");
    expect(untimed(job.result)).toEqual(untimed(direct.json<Plan>()));
    expect((job.result as Plan).targets.find((row) => row.id === "joint_goal")?.min).toBe(6500);
  });

  it("a plan of a posted scenario", async () => {
    const app = await jobsApp();
    const body = { scenario: loadBundledScenario("kz-uz-parts-shortage") };
    const job = await runJob(app, { kind: "plan", ...body });
    expect(untimed(job.result)).toEqual(untimed((await post(app, "/v1/plans", body)).json<Plan>()));
  });

  it("a comparison: the baseline, each variant and its delta", async () => {
    const app = await jobsApp();
    const body = { scenarioId: "kz-uz-2020", variants: [lessKazakhDemand, moreAssembly] };
    const job = await runJob(app, { kind: "compare", ...body });
    const direct = await post(app, "/v1/comparisons", body);
    expect(direct.statusCode).toBe(200);
    expect(job).toMatchObject({ kind: "compare", status: "succeeded", progress: { done: 1, total: 1 } });
    const result = job.result as Comparison;
    expect(untimed(result)).toEqual(untimed(direct.json<Comparison>()));
    expect(result.variants.map((variant) => variant.name)).toEqual([lessKazakhDemand.name, moreAssembly.name]);
  });

  it("a grid sweep cut into chunks: every point, in order, with its status and objective", async () => {
    const app = await jobsApp({ threads: 2, chunkPoints: 7 });
    const body = { scenarioId: "kz-uz-2020", sweep: { parameter: goal, from: 4000, to: 7600, steps: 45 } };
    const job = await runJob(app, { kind: "sweep", ...body });
    const direct = await post(app, "/v1/sweeps", body);
    expect(direct.statusCode).toBe(200);
    expect(job).toMatchObject({ status: "succeeded", progress: { done: 45, total: 45 } });
    const result = job.result as SweepResult;
    const expected = direct.json<SweepResult>();
    expect(result.points.map((point) => point.status)).toContain("infeasible"); // past the goal's reach
    expectSamePoints(result.points, expected.points);
    expect(result.feasible_range).toEqual(expected.feasible_range);
    expect(result.stopped).toBeUndefined();
  });

  it("an exact sweep (one unit): its segments and breakpoints", async () => {
    const app = await jobsApp();
    const body = { scenarioId: "kz-uz-2020", sweep: { parameter: goal, from: 4000, to: 7450, mode: "exact" } };
    const job = await runJob(app, { kind: "sweep", ...body });
    const direct = await post(app, "/v1/sweeps", body);
    expect(job).toMatchObject({ status: "succeeded", progress: { done: 1, total: 1 } });
    expect(untimed(job.result)).toEqual(untimed(direct.json<SweepResult>()));
    expect((job.result as SweepResult).segments?.length).toBeGreaterThan(5);
  });

  it("a plan job's changes that leave no plan: the job succeeds with the answer that no plan exists", async () => {
    const app = await jobsApp();
    const body = { scenarioId: "kz-uz-2020", changes: [{ ...goal, set: 1e9 }] };
    const job = await runJob(app, { kind: "plan", ...body });
    expect(job.status).toBe("succeeded");
    expect((job.result as Plan).status).toBe("infeasible");
    expect(untimed(job.result)).toEqual(untimed((await post(app, "/v1/plans", body)).json<Plan>()));
  });
});

describe("a job that fails", () => {
  it("fails with the result-too-large problem when its result is larger than the server keeps", async () => {
    const app = await jobsApp({ maxResultBytes: 2_000 });
    const failed = await runJob(app, { kind: "sweep", scenarioId: "kz-uz-2020", sweep: { parameter: goal, from: 4000, to: 7600, steps: 20 } });
    expect(failed).toMatchObject({
      status: "failed",
      progress: { done: 20, total: 20 },
      error: { type: "urn:jointplan:problem:result-too-large", status: 422, detail: expect.stringMatching(/at most 2000/) as unknown },
    });
    expect(failed.result).toBeUndefined();
    isoTime(failed.finished_at);
  });
});

describe("a bad job is refused at submission, every issue named by its path", () => {
  const refused = async (body: unknown, status = 422) => {
    const app = await jobsApp();
    const answer = await post(app, "/v1/jobs", body);
    expect(answer.statusCode, answer.body).toBe(status);
    expect(answer.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const listed = await app.inject({ method: "GET", url: "/v1/jobs" });
    expect(listed.json<{ jobs: unknown[] }>().jobs).toEqual([]); // nothing was queued
    return answer.json<Problem>().errors;
  };

  it("a missing or unknown kind, a body that is not an object", async () => {
    expect(await refused({ scenarioId: "kz-uz-2020" })).toEqual([
      { path: "kind", message: expect.stringMatching(/plan, compare, sweep, montecarlo/) as unknown },
    ]);
    expect(await refused({ kind: "optimize", scenarioId: "kz-uz-2020" })).toEqual([
      { path: "kind", message: expect.stringMatching(/plan, compare, sweep, montecarlo/) as unknown },
    ]);
    expect((await refused([{ kind: "plan" }])).map((issue) => issue.path)).toEqual([""]);
  });

  it("an unknown scenario id is a 404 naming scenarioId", async () => {
    expect(await refused({ kind: "plan", scenarioId: "atlantis" }, 404)).toEqual([
      { path: "scenarioId", message: expect.stringMatching(/atlantis/) as unknown },
    ]);
  });

  it("a sweep's parameter that selects nothing, a variant's change of a plant the scenario lacks, bad options", async () => {
    expect(
      (await refused({ kind: "sweep", scenarioId: "kz-uz-2020", sweep: { parameter: { ...goal, id: "nope" }, values: [1] } })).map((issue) => issue.path),
    ).toEqual(["sweep.parameter.id"]);
    const variant = { name: "Bukhara", changes: [{ on: "capacity", plant: "bukhara", resource: "assembly_hours", scale: 2 }] };
    expect(await refused({ kind: "compare", scenarioId: "kz-uz-2020", variants: [variant] })).toEqual([
      { path: "variants[0].changes[0].plant", message: expect.stringMatching(/bukhara/) as unknown },
    ]);
    expect((await refused({ kind: "plan", scenarioId: "kz-uz-2020", options: { integer: "yes" } })).map((issue) => issue.path)).toEqual(["options.integer"]);
  });

  it("a sweep without a range, a field the kind does not take, a job's own changes that select nothing", async () => {
    expect((await refused({ kind: "sweep", scenarioId: "kz-uz-2020", sweep: { parameter: goal } })).map((issue) => issue.path)).toEqual([
      "sweep.from",
      "sweep.to",
    ]);
    expect((await refused({ kind: "plan", scenarioId: "kz-uz-2020", variants: [] })).map((issue) => issue.path)).toEqual(["variants"]);
    const changes = [{ on: "capacity", plant: "bukhara", resource: "assembly_hours", scale: 2 }];
    expect((await refused({ kind: "sweep", scenarioId: "kz-uz-2020", changes, sweep: { parameter: goal, values: [1] } })).map((issue) => issue.path)).toEqual([
      "changes[0].plant",
    ]);
  });

  it("takes a grid larger than the synchronous route sweeps, and more variants than it compares", async () => {
    const app = await jobsApp();
    const body = { scenarioId: "kz-uz-2020", sweep: { parameter: goal, from: 4000, to: 7000, steps: 300 } };
    expect((await post(app, "/v1/sweeps", body)).statusCode).toBe(422);
    const job = await submitJob(app, { kind: "sweep", ...body });
    expect(job.progress.total).toBe(300);
    await cancelJob(app, job.id);
  });
});

describe("DELETE /v1/jobs/{id}", () => {
  it("cancels a running grid sweep within seconds, keeping the points it finished, each once and in order", async () => {
    const app = await jobsApp({ threads: 2, chunkPoints: 5 });
    const job = await submitJob(app, longGrid);
    const running = await pollJob(app, job.id, (view) => view.progress.done > 0);
    expect(running.status).toBe("running");
    const asked = Date.now();
    const cancelled = await cancelJob(app, job.id);
    expect(Date.now() - asked).toBeLessThan(5_000);
    expect(cancelled.status).toBe("cancelled");
    isoTime(cancelled.finished_at);
    const result = cancelled.result as SweepResult;
    expect(result.stopped).toBe("cancelled");
    const grid = prepareSweep(parseScenario(loadBundledScenario("kz-uz-2019-2025")), longGrid.sweep, parsePlanOptions({})).values;
    const values = result.points.map((point) => point.value);
    expect(values.length).toBeGreaterThan(0);
    expect(values.length).toBeLessThan(grid.length);
    expect(values.length).toBe(cancelled.progress.done);
    // A subset of the grid in the grid's order: no point twice, none invented.
    const positions = values.map((value) => grid.indexOf(value));
    expect(positions).not.toContain(-1);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);
    expect(result.points.every((point) => point.status === "optimal")).toBe(true);
    // It stays cancelled: no point is added after the answer.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const later = await getJob(app, job.id);
    expect(later?.status).toBe("cancelled");
    expect(later?.progress).toEqual(cancelled.progress);
    expect((later?.result as SweepResult).points).toHaveLength(values.length);
  });

  it("cancels a queued job before it starts, and a running plan job (no partial result)", async () => {
    const app = await jobsApp();
    const slow = await submitJob(app, slowJob);
    const queued = await submitJob(app, { kind: "plan", scenarioId: "kz-uz-2020" });
    const cancelledQueued = await cancelJob(app, queued.id);
    expect(cancelledQueued).toMatchObject({ status: "cancelled", progress: { done: 0, total: 1 } });
    expect(cancelledQueued.result).toBeUndefined();
    expect(cancelledQueued.started_at).toBeUndefined();
    await pollJob(app, slow.id, "running");
    const cancelledSlow = await cancelJob(app, slow.id);
    expect(cancelledSlow.status).toBe("cancelled");
    expect(cancelledSlow.progress.done).toBeLessThan(50);
    // The thread the cancel stopped is replaced: the next job runs.
    expect((await runJob(app, { kind: "plan", scenarioId: "kz-uz-2020" })).status).toBe("succeeded");
  });

  it("leaves a finished job as it is", async () => {
    const app = await jobsApp();
    const done = await runJob(app, { kind: "plan", scenarioId: "kz-uz-2020" });
    expect(done.status).toBe("succeeded");
    const deleted = await cancelJob(app, done.id);
    expect(deleted).toEqual(done);
    expect(await getJob(app, done.id)).toEqual(done);
  });
});

describe("unknown and expired jobs", () => {
  it("answers 404 for an id never handed out, well-formed or not, on GET and DELETE", async () => {
    const app = await jobsApp();
    for (const id of ["AAAAAAAAAAAAAAAAAAAAAAAA", "not-a-job", "x".repeat(60)]) {
      for (const method of ["GET", "DELETE"] as const) {
        const answer = await app.inject({ method, url: `/v1/jobs/${id}` });
        expect(answer.statusCode, `${method} ${id}`).toBe(404);
        expect(answer.json<Problem>().detail).toMatch(/No job has the id/);
        expect(answer.body.length).toBeLessThan(1_000); // an id is not echoed at length
      }
    }
  });

  it("forgets a finished job after its time to live: a 404, and gone from the list", async () => {
    const app = await jobsApp({ ttlMs: 200 });
    const done = await runJob(app, { kind: "plan", scenarioId: "kz-uz-2020" });
    expect(done.status).toBe("succeeded");
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await getJob(app, done.id)).toBeUndefined();
    expect((await app.inject({ method: "GET", url: "/v1/jobs" })).json<{ jobs: unknown[] }>().jobs).toEqual([]);
  });
});

describe("how many jobs are kept", () => {
  it("refuses a job with 503 and Retry-After while every kept job is unfinished; otherwise drops the oldest finished", async () => {
    const app = await jobsApp({ maxKept: 2 });
    const slow = await submitJob(app, slowJob);
    const plan = await submitJob(app, { kind: "plan", scenarioId: "kz-uz-2020" });
    const full = await post(app, "/v1/jobs", { kind: "plan", scenarioId: "kz-uz-2020" });
    expect(full.statusCode).toBe(503);
    expect(Number(full.headers["retry-after"])).toBeGreaterThan(0);
    expect(full.json<Problem>().detail).toMatch(/2 jobs are queued or running/);
    // Cancel the slow one first (so the plan runs and finishes after it): the slow one is the oldest finished.
    await cancelJob(app, slow.id);
    await pollJob(app, plan.id, "succeeded");
    const third = await submitJob(app, { kind: "plan", scenarioId: "kz-uz-2020" });
    expect(await getJob(app, slow.id)).toBeUndefined();
    expect((await getJob(app, plan.id))?.status).toBe("succeeded");
    await pollJob(app, third.id, "succeeded");
    const fourth = await submitJob(app, { kind: "plan", scenarioId: "kz-uz-2020" });
    expect(await getJob(app, plan.id)).toBeUndefined();
    expect(await getJob(app, third.id)).toBeDefined();
    await pollJob(app, fourth.id, FINISHED);
  });
});

describe("GET /v1/jobs", () => {
  it("lists the jobs newest first, without their results; limit picks how many", async () => {
    const app = await jobsApp();
    const ids: string[] = [];
    for (const kind of ["plan", "compare", "plan"] as const) {
      const body = kind === "plan" ? { kind, scenarioId: "kz-uz-2020" } : { kind, scenarioId: "kz-uz-2020", variants: [lessKazakhDemand] };
      ids.push((await runJob(app, body)).id);
    }
    const listed = await app.inject({ method: "GET", url: "/v1/jobs" });
    expect(listed.statusCode).toBe(200);
    const jobs = listed.json<{ jobs: JobView[] }>().jobs;
    expect(jobs.map((job) => job.id)).toEqual([...ids].reverse());
    expect(jobs.map((job) => job.kind)).toEqual(["plan", "compare", "plan"]);
    for (const job of jobs) {
      expect(job.status).toBe("succeeded");
      expect(job).not.toHaveProperty("result");
      isoTime(job.finished_at);
    }
    const one = await app.inject({ method: "GET", url: "/v1/jobs?limit=1" });
    expect(one.json<{ jobs: JobView[] }>().jobs.map((job) => job.id)).toEqual([ids[2]]);
  });

  it("refuses a limit that is not a whole number from 1 to 100 (422, naming limit)", async () => {
    const app = await jobsApp();
    for (const limit of ["0", "101", "1.5", "ten", "-1", ""]) {
      const answer = await app.inject({ method: "GET", url: `/v1/jobs?limit=${limit}` });
      expect(answer.statusCode, `limit=${limit}`).toBe(422);
      expect(answer.json<Problem>().errors.map((issue) => issue.path)).toEqual(["limit"]);
    }
    expect((await app.inject({ method: "GET", url: "/v1/jobs?limit=100" })).statusCode).toBe(200);
  });
});
