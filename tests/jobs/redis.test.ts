import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import type { JobSettings } from "../../src/jobs/settings.js";
import type { JobView } from "../../src/jobs/types.js";
import type { SweepResult } from "../../src/index.js";
import { closeStartedApps, readyApp } from "../support/http.js";
import { spawnJobWorker, startJobWorkers, stopJobWorkers, type JobWorkerProcess } from "../support/jobWorkers.js";
import { cancelJob, expectSamePoints, FINISHED, getJob, pollJob, runJob, submitJob, untimed, type Problem } from "../support/jobs.js";
import { largeScenario } from "../support/largeScenario.js";
import { freePort, redisSkip, startRedis, type RedisServer } from "../support/redis.js";

/**
 * Jobs on a BullMQ queue in a Redis of the suite's own, run by real
 * `jointplan worker` processes (the build in dist/): the same results as
 * the embedded engine, a worker killed mid-job loses nothing, a cancel
 * reaches every chunk, a worker told to stop finishes what it holds, and
 * any replica of the service answers for any job.
 */

const FILE = "tests/jobs/redis.test.ts";
const unavailable = redisSkip(FILE);

/** How soon a dead worker's chunk goes to another: short, so that recovery takes a second or two. */
const LOCK_MS = 1_000;

const goal = { on: "target", id: "joint_goal", field: "min" } as const;
/** A quick grid: 45 LP points of the bundled scenario (HiGHS, warm-started) in chunks of 7 (the last one short), some past the goal's reach. */
const quickGrid = { kind: "sweep", scenarioId: "kz-uz-2020", sweep: { parameter: goal, from: 4000, to: 7600, steps: 45 } } as const;
const QUICK_CHUNK = 7;
/**
 * A grid slow enough to act on while it runs, and the same to the last bit on
 * any thread: 64 points of a generated scenario solved by the pure-JavaScript
 * backend, which starts each point afresh (no warm start, so a point's answer
 * depends on its value alone), tens of milliseconds each, in chunks of 4 — a
 * few seconds in all. Its points are compared whole.
 */
const slowGrid = {
  kind: "sweep",
  scenario: largeScenario({ plants: 6, products: 20, markets: 4 }),
  options: { backend: "javascript-lp-solver" },
  sweep: { parameter: { on: "demand", market: "market0", field: "price" }, from: 0.5, to: 2, steps: 64 },
} as const;
const SLOW_CHUNK = 4;

let prefixes = 0;
/** A queue prefix no other test of this run shares. */
const uniquePrefix = () => `jt${process.pid}-${++prefixes}`;

describe.skipIf(unavailable !== null)(
  `jobs on Redis with jointplan worker processes${unavailable === null ? "" : ` — NOT RUN: ${unavailable}`}`,
  { timeout: 60_000 },
  () => {
    let redis: RedisServer | undefined;
    let client: Redis | undefined;
    /** The suite's Redis and a connection to it, to look at the queues. */
    const suiteRedis = () => {
      if (redis === undefined || client === undefined) throw new Error("the suite's Redis did not start");
      return { url: redis.url, client };
    };
    /** The embedded engine's results for the same bodies: what the workers must agree with. */
    const embedded = new Map<string, SweepResult>();

    beforeAll(async () => {
      redis = await startRedis();
      client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      const quick = await readyApp({ jobs: { threads: 2, chunkPoints: QUICK_CHUNK } });
      const slow = await readyApp({ jobs: { threads: 2, chunkPoints: SLOW_CHUNK } });
      const [quickJob, slowJob] = await Promise.all([runJob(quick, quickGrid), runJob(slow, slowGrid)]);
      for (const [name, job] of [
        ["quick", quickJob],
        ["slow", slowJob],
      ] as const) {
        if (job.status !== "succeeded") throw new Error(`the embedded ${name} grid ended ${job.status}: ${JSON.stringify(job.error)}`);
        embedded.set(name, job.result as SweepResult);
      }
      await closeStartedApps();
    }, 120_000);

    afterEach(async ({ task }) => {
      const [stderr] = await Promise.all([stopJobWorkers(), closeStartedApps()]);
      if (task.result?.state === "fail") stderr.forEach((text, i) => process.stderr.write(`\n[${FILE}] worker ${i + 1} of "${task.name}" wrote:\n${text}\n`));
    });
    afterAll(async () => {
      client?.disconnect();
      await redis?.stop();
    });

    /** The service on the suite's Redis under `prefix`, with `workers` worker processes ready on it. */
    async function onRedis(workers: number, jobs: Partial<JobSettings> = {}, lockMs = LOCK_MS) {
      const prefix = uniquePrefix();
      const app = await readyApp({ jobs: { redisUrl: suiteRedis().url, queuePrefix: prefix, ...jobs } });
      const processes = await startJobWorkers(workers, { redisUrl: suiteRedis().url, queuePrefix: prefix, lockMs });
      return { app, prefix, workers: processes };
    }

    /** Chunks of the units queue being run now (BullMQ's active list). */
    const activeUnits = (prefix: string) => suiteRedis().client.llen(`${prefix}:units:active`);
    const waitingUnits = (prefix: string) => suiteRedis().client.llen(`${prefix}:units:wait`);

    /** The units of job `id` that BullMQ found stalled (their worker gone) and handed out again. */
    async function stalledUnits(prefix: string, id: string): Promise<string[]> {
      const events = await suiteRedis().client.xrange(`${prefix}:units:events`, "-", "+");
      return events
        .map(([, fields]) => Object.fromEntries(pairs(fields)))
        .filter((event) => event["event"] === "stalled" && event["jobId"]?.startsWith(`${id}.`) === true)
        .map((event) => event["jobId"] ?? "");
    }

    /** Waits until job `id` has finished some chunks, has some left, and every worker holds one. */
    async function midJob(app: FastifyInstance, prefix: string, id: string, workers: number): Promise<JobView> {
      let seen: JobView | undefined;
      await pollJob(app, id, (job) => {
        seen = job;
        return job.progress.done > 0;
      });
      const until = Date.now() + 30_000;
      for (;;) {
        if ((await activeUnits(prefix)) === workers) {
          seen = await getJob(app, id);
          if (seen !== undefined && seen.progress.done < seen.progress.total - workers * SLOW_CHUNK) return seen;
        }
        if (Date.now() > until) throw new Error(`job ${id} never had ${workers} chunks running with more to come: ${JSON.stringify(seen?.progress)}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }

    it("runs a chunked grid sweep on the workers: the embedded engine's points, in order", async () => {
      const { app } = await onRedis(2, { chunkPoints: QUICK_CHUNK });
      const submitted = await submitJob(app, quickGrid);
      expect(submitted).toMatchObject({ kind: "sweep", status: "queued", progress: { done: 0, total: 45 } });
      const done = await pollJob(app, submitted.id, FINISHED);
      expect(done).toMatchObject({ status: "succeeded", progress: { done: 45, total: 45 } });
      expect(Date.parse(done.created_at)).toBeLessThanOrEqual(Date.parse(done.started_at ?? ""));
      expect(Date.parse(done.started_at ?? "")).toBeLessThanOrEqual(Date.parse(done.finished_at ?? ""));
      const result = done.result as SweepResult;
      const expected = embedded.get("quick");
      expectSamePoints(result.points, expected?.points ?? []);
      expect(result.feasible_range).toEqual(expected?.feasible_range);
      expect(result.stopped).toBeUndefined();
      // And a plan job, one unit.
      expect(await runJob(app, { kind: "plan", scenarioId: "kz-uz-2020" })).toMatchObject({
        kind: "plan",
        status: "succeeded",
        progress: { done: 1, total: 1 },
      });
    });

    it("loses nothing when a worker is killed mid-job: its chunk goes to the other, every point once", async () => {
      const { app, prefix, workers } = await onRedis(2, { chunkPoints: SLOW_CHUNK });
      const job = await submitJob(app, slowGrid);
      await midJob(app, prefix, job.id, 2);
      const [victim] = workers as [JobWorkerProcess, JobWorkerProcess];
      victim.child.kill("SIGKILL");
      expect((await victim.exited).signal).toBe("SIGKILL");
      const done = await pollJob(app, job.id, FINISHED);
      expect(done).toMatchObject({ status: "succeeded", progress: { done: 64, total: 64 } });
      const result = done.result as SweepResult;
      expect(result.points).toHaveLength(64);
      expect(untimed(result.points)).toEqual(untimed(embedded.get("slow")?.points));
      // The chunk the killed worker held was found stalled and run again, not lost.
      expect((await stalledUnits(prefix, job.id)).length).toBeGreaterThanOrEqual(1);
    });

    it("cancels a job on the workers: waiting chunks never run, running ones stop, the finished points are kept", async () => {
      const { app, prefix } = await onRedis(2, { chunkPoints: SLOW_CHUNK });
      const job = await submitJob(app, slowGrid);
      await midJob(app, prefix, job.id, 2);
      const asked = Date.now();
      const cancelled = await cancelJob(app, job.id);
      expect(Date.now() - asked).toBeLessThan(5_000);
      expect(cancelled.status).toBe("cancelled");
      const result = cancelled.result as SweepResult;
      expect(result.stopped).toBe("cancelled");
      const values = result.points.map((point) => point.value);
      const grid = embedded.get("slow")?.points.map((point) => point.value) ?? [];
      expect(values.length).toBeGreaterThan(0);
      expect(values.length).toBeLessThan(grid.length);
      // A subset of the grid, in its order, each point once, each as the embedded engine solved it.
      const positions = values.map((value) => grid.indexOf(value));
      expect(positions).not.toContain(-1);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(positions).size).toBe(positions.length);
      expect(untimed(result.points)).toEqual(untimed(positions.map((position) => embedded.get("slow")?.points[position])));
      // Nothing of it is left on the queue, and it stays as it was answered.
      expect(await waitingUnits(prefix)).toBe(0);
      expect(await activeUnits(prefix)).toBe(0);
      const later = await getJob(app, job.id);
      expect(later?.status).toBe("cancelled");
      expect((later?.result as SweepResult).points).toHaveLength(values.length);
      // The workers are free for the next job.
      expect((await runJob(app, { kind: "plan", scenarioId: "kz-uz-2020" })).status).toBe("succeeded");
    });

    it("stops chunks that are running when their job is cancelled, well before they would end", async () => {
      const { app, prefix } = await onRedis(2, { chunkPoints: 3 });
      // Whole-unit (MIP) plans of the seven-year scenario: seconds each, so a chunk of three runs for many seconds.
      const job = await submitJob(app, {
        kind: "sweep",
        scenarioId: "kz-uz-2019-2025",
        options: { integer: true },
        sweep: { parameter: { on: "demand", market: "KZ", field: "price" }, from: 0.5, to: 2, steps: 12 },
      });
      await waitUntil(async () => (await activeUnits(prefix)) === 2, "both workers running a chunk of the job");
      const asked = Date.now();
      const cancelled = await cancelJob(app, job.id);
      expect(Date.now() - asked).toBeLessThan(5_000); // a chunk of three of these plans takes over 10 s
      expect(cancelled).toMatchObject({ status: "cancelled", progress: { done: 0, total: 12 } });
      expect(cancelled.result).toBeUndefined(); // nothing finished, nothing to keep
      expect(await activeUnits(prefix)).toBe(0);
      expect(await waitingUnits(prefix)).toBe(0);
    });

    it("lets a worker told to stop (SIGTERM) finish the chunk it holds, then exit 0, saying so on stderr", async () => {
      // Locks that outlast any pause of a loaded machine: a chunk found stalled here would be a chunk abandoned, not a slow renewal.
      const { app, prefix, workers } = await onRedis(2, { chunkPoints: SLOW_CHUNK }, 10_000);
      const job = await submitJob(app, slowGrid);
      await midJob(app, prefix, job.id, 2);
      const [stopping] = workers as [JobWorkerProcess, JobWorkerProcess];
      stopping.child.kill("SIGTERM");
      expect(await stopping.exited).toEqual({ code: 0, signal: null });
      expect(stopping.stderr()).toMatch(/SIGTERM: finishing the units held, taking no more/);
      expect(stopping.stderr()).toMatch(/stopped cleanly/);
      const done = await pollJob(app, job.id, FINISHED);
      expect(done).toMatchObject({ status: "succeeded", progress: { done: 64, total: 64 } });
      expect(untimed((done.result as SweepResult).points)).toEqual(untimed(embedded.get("slow")?.points));
      // Finished, not abandoned: no chunk of the job had to be taken up again.
      expect(await stalledUnits(prefix, job.id)).toEqual([]);
    });

    it("answers for any job from any replica: a second service reads, lists and cancels what the first submitted", async () => {
      const { app: first, prefix } = await onRedis(2, { chunkPoints: SLOW_CHUNK });
      const second = await readyApp({ jobs: { redisUrl: suiteRedis().url, queuePrefix: prefix } });
      const job = await submitJob(first, slowGrid);
      const seen = await pollJob(second, job.id, (view) => view.progress.done > 0);
      expect(seen).toMatchObject({ id: job.id, kind: "sweep", status: "running", created_at: job.created_at });
      const listed = (await second.inject({ method: "GET", url: "/v1/jobs" })).json<{ jobs: JobView[] }>().jobs;
      expect(listed.map((each) => each.id)).toEqual([job.id]);
      const cancelled = await cancelJob(second, job.id);
      expect(cancelled.status).toBe("cancelled");
      expect(await getJob(first, job.id)).toEqual(cancelled);
      // Another prefix is another set of jobs.
      const elsewhere = await readyApp({ jobs: { redisUrl: suiteRedis().url, queuePrefix: uniquePrefix() } });
      expect(await getJob(elsewhere, job.id)).toBeUndefined();
    });

    it("keeps a finished job as it is on DELETE, and answers 404 for an id it never handed out", async () => {
      const { app } = await onRedis(1);
      const done = await runJob(app, { kind: "plan", scenarioId: "kz-uz-2020" });
      expect(done.status).toBe("succeeded");
      expect(await cancelJob(app, done.id)).toEqual(done);
      for (const method of ["GET", "DELETE"] as const) {
        expect((await app.inject({ method, url: "/v1/jobs/AAAAAAAAAAAAAAAAAAAAAAAA" })).statusCode).toBe(404);
        expect((await app.inject({ method, url: "/v1/jobs/not-a-job" })).statusCode).toBe(404);
      }
    });
  },
);

describe("jointplan worker refuses to start without a usable JOINTPLAN_REDIS_URL", () => {
  afterEach(stopJobWorkers);

  it("exits 1 without JOINTPLAN_REDIS_URL, naming the variable", async () => {
    const worker = spawnJobWorker({});
    expect(await worker.exited).toEqual({ code: 1, signal: null });
    expect(worker.stderr()).toMatch(/JOINTPLAN_REDIS_URL is not set/);
  });

  it("exits 1 on an address that is not redis:// or rediss://, naming the variable and the schemes", async () => {
    const worker = spawnJobWorker({ redisUrl: "http://127.0.0.1:6379" });
    expect(await worker.exited).toEqual({ code: 1, signal: null });
    expect(worker.stderr()).toMatch(/JOINTPLAN_REDIS_URL must start with redis:\/\/ or rediss:\/\//);
    const notUrl = spawnJobWorker({ redisUrl: "localhost" });
    expect(await notUrl.exited).toEqual({ code: 1, signal: null });
    expect(notUrl.stderr()).toMatch(/JOINTPLAN_REDIS_URL is not a URL/);
  });
});

describe("the service with a Redis it cannot reach", () => {
  afterEach(closeStartedApps);

  it("answers 503 with Retry-After within seconds, not a hang, on every job route", async () => {
    const closed = await freePort();
    const app = await readyApp({ jobs: { redisUrl: `redis://127.0.0.1:${closed}`, queuePrefix: uniquePrefix() } });
    const asked = Date.now();
    const [submitted, read, listed] = await Promise.all([
      app.inject({ method: "POST", url: "/v1/jobs", payload: { kind: "plan", scenarioId: "kz-uz-2020" } }),
      app.inject({ method: "GET", url: "/v1/jobs/AAAAAAAAAAAAAAAAAAAAAAAA" }),
      app.inject({ method: "GET", url: "/v1/jobs" }),
    ]);
    expect(Date.now() - asked).toBeLessThan(10_000);
    for (const answer of [submitted, read, listed]) {
      expect(answer.statusCode).toBe(503);
      expect(Number(answer.headers["retry-after"])).toBeGreaterThan(0);
      expect(answer.json<Problem>().detail).toMatch(/job queue cannot be reached/);
    }
    // A bad body is still refused at once, without the queue.
    expect((await app.inject({ method: "POST", url: "/v1/jobs", payload: { kind: "nope" } })).statusCode).toBe(422);
    // And the service still closes promptly.
    const closing = Date.now();
    await closeStartedApps();
    expect(Date.now() - closing).toBeLessThan(5_000);
  });

  it("is refused at build time with a URL that is not redis:// or rediss://", () => {
    expect(() => buildApp({ jobs: { redisUrl: "http://127.0.0.1:6379" } })).toThrow(/redis:\/\/ or rediss:\/\//);
  });
});

/** Polls `condition` until it holds; fails naming `what` after `timeoutMs`. */
async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A Redis stream entry's flat [field, value, field, value, …] as pairs. */
function pairs(fields: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) out.push([fields[i] ?? "", fields[i + 1] ?? ""]);
  return out;
}
