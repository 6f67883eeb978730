import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { JobWorker } from "../../src/jobs/worker.js";
import { startJobWorker } from "../../src/jobs/worker.js";
import { runWorker } from "../../src/jobs/workerMain.js";
import type { TaskError } from "../../src/tasks/task.js";
import { closeStartedApps, readyApp, sleep } from "../support/http.js";
import { cancelJob, pollJob, runJob, submitJob } from "../support/jobs.js";
import { redisSkip, startRedis, type RedisServer } from "../support/redis.js";

/**
 * A job worker in this process (what `jointplan worker` starts), on a Redis
 * of the suite's own: how a job fails on its own terms, how a cancel reaches
 * chunks no worker has taken yet; and what `jointplan worker` refuses before
 * it connects. tests/jobs/redis.test.ts runs the worker as processes.
 */

const FILE = "tests/jobs/worker.test.ts";
const unavailable = redisSkip(FILE);

const goal = { on: "target", id: "joint_goal", field: "min" } as const;
const grid = { kind: "sweep", scenarioId: "kz-uz-2020", sweep: { parameter: goal, from: 4000, to: 7600, steps: 20 } } as const;

describe.skipIf(unavailable !== null)(`a job worker in this process${unavailable === null ? "" : ` — NOT RUN: ${unavailable}`}`, { timeout: 60_000 }, () => {
  let redis: RedisServer | undefined;
  const workers: JobWorker[] = [];
  const errors: { jobId: string; error: TaskError }[] = [];
  let prefixes = 0;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all([...workers.splice(0).map((worker) => worker.close()), closeStartedApps()]);
    errors.length = 0;
  });
  afterAll(async () => {
    await redis?.stop();
  });

  const url = () => {
    if (redis === undefined) throw new Error("the suite's Redis did not start");
    return redis.url;
  };
  const startWorker = async (queuePrefix: string) => {
    const worker = await startJobWorker({
      redisUrl: url(),
      queuePrefix,
      concurrency: 1,
      lockMs: 5_000,
      onError: (jobId, error) => errors.push({ jobId, error }),
    });
    workers.push(worker);
    return worker;
  };
  const service = async (settings: { maxResultBytes?: number } = {}) => {
    const queuePrefix = `jw${process.pid}-${++prefixes}`;
    return { app: await readyApp({ jobs: { redisUrl: url(), queuePrefix, chunkPoints: 6, ...settings } }), queuePrefix };
  };

  it("fails a job whose result is larger than the server keeps, with the problem that says so", async () => {
    const { app, queuePrefix } = await service({ maxResultBytes: 2_000 });
    await startWorker(queuePrefix);
    const failed = await runJob(app, grid);
    expect(failed).toMatchObject({
      status: "failed",
      progress: { done: 20, total: 20 },
      error: { type: "urn:jointplan:problem:result-too-large", status: 422, detail: expect.stringMatching(/at most 2000/) as unknown },
    });
    expect(failed.result).toBeUndefined();
    expect(failed.finished_at).toBeDefined();
    expect(errors).toEqual([]); // the job's own failure, not a bug to log
  });

  it("cancels a job no worker has taken yet: DELETE answers at once, and once a worker comes its chunks are skipped, none run", async () => {
    const { app, queuePrefix } = await service();
    const job = await submitJob(app, grid);
    const asked = Date.now();
    const cancelling = await cancelJob(app, job.id); // no worker is connected: nothing to wait for
    expect(Date.now() - asked).toBeLessThan(3_000);
    expect(cancelling.status).toBe("running"); // cancelling: no longer queued, not yet stopped
    await sleep(300);
    expect((await pollJob(app, job.id, () => true)).status).toBe("running");
    await startWorker(queuePrefix);
    const cancelled = await pollJob(app, job.id, ["cancelled", "succeeded", "failed"]);
    expect(cancelled).toMatchObject({ status: "cancelled", progress: { done: 0, total: 20 } });
    expect(cancelled.result).toBeUndefined();
    // The worker is free for the next job, and the cancel of the first does not reach it.
    const next = await runJob(app, grid);
    expect(next).toMatchObject({ status: "succeeded", progress: { done: 20, total: 20 } });
  });
});

describe("jointplan worker before it connects", () => {
  const logged: string[] = [];
  const log = (line: string) => logged.push(line);
  afterEach(() => {
    logged.length = 0;
  });

  it("answers 1 without JOINTPLAN_REDIS_URL (or with it blank), saying what to set", async () => {
    expect(await runWorker({}, { log })).toBe(1);
    expect(await runWorker({ JOINTPLAN_REDIS_URL: "  " }, { log })).toBe(1);
    expect(logged).toHaveLength(2);
    for (const line of logged) expect(line).toMatch(/JOINTPLAN_REDIS_URL is not set; a worker takes jobs from Redis \(redis:\/\/host:6379\)/);
  });

  it("refuses a lock shorter than 100 ms or not a whole number, and a queue prefix it cannot use, naming each", async () => {
    const env = { JOINTPLAN_REDIS_URL: "redis://127.0.0.1:1" };
    await expect(runWorker({ ...env, JOINTPLAN_WORKER_LOCK_MS: "50" }, { log })).rejects.toThrow(
      /JOINTPLAN_WORKER_LOCK_MS must be a whole number of at least 100, got "50"/,
    );
    await expect(runWorker({ ...env, JOINTPLAN_WORKER_LOCK_MS: "1.5s" }, { log })).rejects.toThrow(/JOINTPLAN_WORKER_LOCK_MS/);
    await expect(runWorker({ ...env, JOINTPLAN_QUEUE_PREFIX: "jobs with spaces" }, { log })).rejects.toThrow(/queue prefix "jobs with spaces"/);
    await expect(runWorker({ JOINTPLAN_REDIS_URL: "https://127.0.0.1:6379" }, { log })).rejects.toThrow(
      /JOINTPLAN_REDIS_URL must start with redis:\/\/ or rediss:\/\/, not https:\/\//,
    );
    expect(logged).toEqual([]);
  });
});
