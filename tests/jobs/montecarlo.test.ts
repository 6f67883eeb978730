import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { monteCarlo, type MonteCarloResult } from "../../src/index.js";
import type { JobView } from "../../src/jobs/types.js";
import { closeStartedApps, readyApp } from "../support/http.js";
import { startJobWorkers, stopJobWorkers } from "../support/jobWorkers.js";
import { cancelJob, pollJob, runJob, submitJob } from "../support/jobs.js";
import { describeWithRedis } from "../support/redis.js";

/**
 * Monte Carlo as a job: the same result for a seed as the library's run,
 * embedded and on Redis workers — one of them killed mid-job —, every
 * sample counted once; a 100,000-sample job stopped by DELETE within
 * seconds, keeping the samples done.
 */

const root = join(import.meta.dirname, "..", "..");
const request = JSON.parse(readFileSync(join(root, "models", "montecarlo", "kz-uz-2019-2025", "kazakh-demand.json"), "utf8")) as Record<string, unknown>;
const SAMPLES = 2_000;
const body = { kind: "montecarlo", scenarioId: "kz-uz-2019-2025", ...request, samples: SAMPLES };

/** The figures of a result, without its notes (which name how it ran). */
function figures(result: unknown): Omit<MonteCarloResult, "notes"> {
  const { notes: _notes, ...rest } = result as MonteCarloResult;
  return rest;
}

let library: MonteCarloResult;
beforeAll(async () => {
  library = await monteCarlo(JSON.parse(readFileSync(join(root, "models", "kz-uz-2019-2025.json"), "utf8")), { ...request, samples: SAMPLES }, { threads: 1 });
}, 120_000);

afterEach(async () => {
  await Promise.all([stopJobWorkers(), closeStartedApps()]);
});

describe("Monte Carlo jobs inside the service", { timeout: 120_000 }, () => {
  it("give the library's result for the seed, with every sample asked for counted, however the chunks fell on the threads", async () => {
    const app = await readyApp({ jobs: { threads: 2, chunkSamples: 37 } });
    const job = await runJob(app, body);
    expect(job.status).toBe("succeeded");
    expect(job.progress).toEqual({ done: SAMPLES, total: SAMPLES });
    const result = job.result as MonteCarloResult;
    expect(result.samples).toBe(SAMPLES);
    expect(result.requested).toBe(SAMPLES);
    expect(figures(result)).toEqual(figures(library));
  });

  it("stop a running 100,000-sample job on DELETE within seconds, keeping the samples done", async () => {
    const app = await readyApp({ jobs: { threads: 2 } });
    const submitted = await submitJob(app, { ...body, scenarioId: "kz-uz-2020", samples: 100_000, uncertain: [request["uncertain"]].flat().slice(0, 1) });
    await pollJob(app, submitted.id, (job) => job.progress.done >= 200, { timeoutMs: 60_000 });
    const asked = performance.now();
    const cancelled: JobView = await cancelJob(app, submitted.id);
    const took = performance.now() - asked;
    expect(cancelled.status).toBe("cancelled");
    expect(took).toBeLessThan(5_000);
    const result = cancelled.result as MonteCarloResult;
    expect(result.stopped).toBe("cancelled");
    expect(result.requested).toBe(100_000);
    expect(result.samples).toBeGreaterThanOrEqual(200);
    expect(result.samples).toBeLessThan(100_000);
    expect(result.samples).toBe(cancelled.progress.done);
    // Nothing runs on after the answer: the job stays as it was answered.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const later = await pollJob(app, submitted.id, "cancelled");
    expect((later.result as MonteCarloResult).samples).toBe(result.samples);
  });
});

describeWithRedis("tests/jobs/montecarlo.test.ts", "Monte Carlo jobs on Redis workers", 120_000, (redis) => {
  it("give the same result as the library with one of two workers killed mid-job: every sample counted once", async () => {
    const queuePrefix = `mc${process.pid}`;
    const workers = await startJobWorkers(2, { redisUrl: redis().url, queuePrefix, lockMs: 1_000 });
    const app = await readyApp({ jobs: { redisUrl: redis().url, queuePrefix, chunkSamples: 25 } });
    const submitted = await submitJob(app, body);
    const running = await pollJob(app, submitted.id, (job) => job.progress.done >= 200, { timeoutMs: 60_000 });
    expect(running.status).toBe("running");
    workers[0]?.child.kill("SIGKILL");
    const job = await pollJob(app, submitted.id, ["succeeded", "failed", "cancelled"], { timeoutMs: 90_000 });
    expect(job.status).toBe("succeeded");
    const result = job.result as MonteCarloResult;
    expect(result.samples).toBe(SAMPLES);
    expect(figures(result)).toEqual(figures(library));
    expect(workers[0]?.child.signalCode).toBe("SIGKILL");
    // The chunk the killed worker held was found stalled and run again, and still counted once.
    const client = new Redis(redis().url, { maxRetriesPerRequest: 1 });
    try {
      const events = await client.xrange(`${queuePrefix}:units:events`, "-", "+");
      const stalled = events.filter(([, fields]) => fields.join(" ").includes("stalled") && fields.some((field) => field.startsWith(`${submitted.id}.`)));
      expect(stalled.length).toBeGreaterThanOrEqual(1);
    } finally {
      client.disconnect();
    }
  });
});
