import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { stochastic, type StochasticResult } from "../../src/index.js";
import { closeStartedApps, readyApp } from "../support/http.js";
import { spawnJobWorker, stopJobWorkers, untilTakingJobs } from "../support/jobWorkers.js";
import { pollJob, runJob, submitJob } from "../support/jobs.js";
import { relativeGap } from "../support/properties.js";
import { describeWithRedis } from "../support/redis.js";

/**
 * A stochastic job decomposes (method auto): its subproblem chunks on the
 * job engine's threads, or on Redis workers — one of them killed mid-run —
 * with its bounds in the job's progress, and the extensive form's answer.
 */
const root = join(import.meta.dirname, "..", "..");
const request = JSON.parse(readFileSync(join(root, "models", "stochastic", "kz-uz-2019-2025", "kazakh-demand.json"), "utf8")) as Record<string, unknown>;
const body = { kind: "stochastic", scenarioId: "kz-uz-2019-2025", ...request };

let extensive: StochasticResult;
beforeAll(async () => {
  extensive = await stochastic(JSON.parse(readFileSync(join(root, "models", "kz-uz-2019-2025.json"), "utf8")), { ...request, method: "extensive" });
}, 120_000);

afterEach(async () => {
  await Promise.all([stopJobWorkers(), closeStartedApps()]);
});

function expectExtensiveAnswer(result: StochasticResult): void {
  expect(result.decomposition?.method).toBe("decomposition");
  expect(result.decomposition?.stopped).toBe("gap");
  expect(relativeGap(result.expected ?? NaN, extensive.expected ?? NaN)).toBeLessThanOrEqual(1e-6);
  expect(result.wait_and_see).toEqual(extensive.wait_and_see);
  expect(result.eev).toEqual(extensive.eev);
}

describe("a stochastic job inside the service", { timeout: 180_000 }, () => {
  it("decomposes on the job threads and shows its bounds and gap as progress", async () => {
    const app = await readyApp({ jobs: { threads: 2 } });
    const submitted = await submitJob(app, body);
    const seen = await pollJob(app, submitted.id, (job) => job.progress.bounds !== undefined || ["succeeded", "failed", "cancelled"].includes(job.status), {
      timeoutMs: 120_000,
    });
    if (seen.status === "running") expect(seen.progress.bounds?.iteration).toBeGreaterThanOrEqual(1);
    const job = await pollJob(app, submitted.id, ["succeeded", "failed", "cancelled"], { timeoutMs: 150_000 });
    expect(job.status).toBe("succeeded");
    const result = job.result as StochasticResult;
    expectExtensiveAnswer(result);
    expect(result.decomposition?.workers).toBe(2);
    expect(job.progress.bounds?.iteration).toBe(result.decomposition?.iterations);
    expect(job.progress.bounds?.gap).toBeLessThanOrEqual(1e-6);
  });

  it("answers the extensive form when asked for it, with no bounds", async () => {
    const app = await readyApp({ jobs: { threads: 1 } });
    const job = await runJob(app, { ...body, method: "extensive" }, 120_000);
    expect(job.status).toBe("succeeded");
    expect((job.result as StochasticResult).decomposition).toBeUndefined();
    expect(job.progress.bounds).toBeUndefined();
  });
});

describeWithRedis("tests/stochastic-decomposition/jobs.test.ts", "a stochastic job on Redis workers", 240_000, (redis) => {
  it("finishes with the extensive form's answer when the worker running it is killed mid-run: another takes it up and finds the chunks done", async () => {
    const queuePrefix = `sd${process.pid}`;
    const environment = { redisUrl: redis().url, queuePrefix, lockMs: 1_000 };
    // The first worker alone takes the job's unit (the master) and its first chunks; the second comes once it is under way.
    const first = spawnJobWorker(environment);
    await untilTakingJobs(first);
    const app = await readyApp({ jobs: { redisUrl: redis().url, queuePrefix } });
    const submitted = await submitJob(app, body);
    const running = await pollJob(
      app,
      submitted.id,
      (job) => (job.progress.bounds?.iteration ?? 0) >= 3 || ["succeeded", "failed", "cancelled"].includes(job.status),
      {
        timeoutMs: 120_000,
      },
    );
    expect(running.status).toBe("running");
    const second = spawnJobWorker(environment);
    await untilTakingJobs(second);
    const workers = [first, second];
    workers[0]?.child.kill("SIGKILL");
    const job = await pollJob(app, submitted.id, ["succeeded", "failed", "cancelled"], { timeoutMs: 200_000 });
    expect(job.status).toBe("succeeded");
    expect(workers[0]?.child.signalCode).toBe("SIGKILL");
    expectExtensiveAnswer(job.result as StochasticResult);
    // Something the killed worker held — a subproblem chunk or the job's own unit — was found stalled and taken up again.
    const client = new Redis(redis().url, { maxRetriesPerRequest: 1 });
    try {
      const stalled = async (queue: string) =>
        (await client.xrange(`${queuePrefix}:${queue}:events`, "-", "+")).filter(
          ([, fields]) => fields.includes("stalled") && fields.some((field) => field.startsWith(`${submitted.id}.`)),
        ).length;
      expect((await stalled("subproblems")) + (await stalled("units"))).toBeGreaterThanOrEqual(1);
    } finally {
      client.disconnect();
    }
  });
});
