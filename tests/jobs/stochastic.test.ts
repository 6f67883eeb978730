import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { StochasticResult } from "../../src/index.js";
import { root, runCli } from "../support/cli.js";
import { closeStartedApps, readyApp } from "../support/http.js";
import { startJobWorkers, stopJobWorkers } from "../support/jobWorkers.js";
import { runJob } from "../support/jobs.js";
import { describeWithRedis } from "../support/redis.js";

/**
 * The two-stage plan as a job (`kind: "stochastic"` in POST /v1/jobs): the
 * same result as `jointplan stochastic --json` on the same request, inside
 * the service and on a Redis worker; a bad request is a 422 with its paths.
 * A job decomposes (method auto, docs/stochastic-decomposition.md), so the
 * CLI is asked for the same method; the extensive form's answer agrees with
 * it to 1e-6.
 */
const file = join(root, "models", "stochastic", "kz-uz-2019-2025", "kazakh-demand.json");
const request = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
const body = { kind: "stochastic", scenarioId: "kz-uz-2019-2025", ...request };

/** The result without its timing, nor how many workers solved the subproblems (the service's threads, the CLI's one). */
const untimed = (result: unknown) => {
  const typed = result as StochasticResult;
  return {
    ...typed,
    solver: { ...typed.solver, ms: 0 },
    ...(typed.decomposition === undefined ? {} : { decomposition: { ...typed.decomposition, workers: 0 } }),
  };
};

let cli: StochasticResult;
let extensive: StochasticResult;
beforeAll(() => {
  const folder = mkdtempSync(join(tmpdir(), "jointplan-stochastic-"));
  try {
    const decomposed = join(folder, "decomposed.json");
    writeFileSync(decomposed, JSON.stringify({ ...request, method: "decomposition" }));
    const run = runCli("stochastic", "kz-uz-2019-2025", decomposed, "--json");
    expect(run.code).toBe(0);
    cli = JSON.parse(run.stdout) as StochasticResult;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const run = runCli("stochastic", "kz-uz-2019-2025", file, "--json");
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  extensive = JSON.parse(run.stdout) as StochasticResult;
}, 240_000);

it("the decomposition the jobs run agrees with the extensive form to 1e-6", () => {
  const relative = (a: number | null, b: number | null) => Math.abs((a ?? Number.NaN) - (b ?? Number.NaN)) / Math.max(1, Math.abs(b ?? 0));
  expect(relative(cli.expected, extensive.expected)).toBeLessThanOrEqual(1e-6);
  expect(relative(cli.wait_and_see, extensive.wait_and_see)).toBeLessThanOrEqual(1e-6);
});

afterEach(async () => {
  await Promise.all([stopJobWorkers(), closeStartedApps()]);
});

describe("stochastic jobs inside the service", { timeout: 120_000 }, () => {
  it("give the CLI's result", async () => {
    const app = await readyApp({ jobs: { threads: 2 } });
    const job = await runJob(app, body);
    expect(job.status).toBe("succeeded");
    expect(job.kind).toBe("stochastic");
    expect(job.progress).toMatchObject({ done: 1, total: 1 });
    expect(untimed(job.result)).toEqual(untimed(cli));
    expect(cli.expected).not.toBeNull();
  });

  it("are checked in full when submitted: a 422 naming each field", async () => {
    const app = await readyApp({ jobs: { threads: 1 } });
    // Probabilities that do not sum to 1, a name twice, an unknown market, a here-and-now kind the scenario lacks.
    const invalid = {
      kind: "stochastic",
      scenarioId: "kz-uz-2019-2025",
      outcomes: [
        { name: "a", probability: 0.4, changes: [{ on: "demand", market: "nowhere", field: "max", scale: 1 }] },
        { name: "a", probability: 0.4 },
      ],
      here_and_now: ["investments"],
    };
    const answer = await app.inject({ method: "POST", url: "/v1/jobs", payload: { ...invalid, surprise: 1 } });
    expect(answer.statusCode).toBe(422);
    const paths = answer.json<{ errors: { path: string }[] }>().errors.map((error) => error.path);
    expect(paths).toEqual(["surprise"]);
    const again = await app.inject({ method: "POST", url: "/v1/jobs", payload: invalid });
    expect(again.statusCode).toBe(422);
    const issues = again.json<{ errors: { path: string }[] }>().errors.map((error) => error.path);
    expect(issues).toEqual(expect.arrayContaining(["outcomes", "outcomes[1].name"]));
    // The schema's issues come first; the scenario's are checked once the request's shape holds.
    const scenarioIssues = await app.inject({
      method: "POST",
      url: "/v1/jobs",
      payload: { ...invalid, outcomes: [{ ...invalid.outcomes[0], probability: 1 }] },
    });
    expect(scenarioIssues.statusCode).toBe(422);
    expect(
      scenarioIssues
        .json<{ errors: { path: string }[] }>()
        .errors.map((error) => error.path)
        .sort(),
    ).toEqual(["here_and_now[0]", "outcomes[0].changes[0].market"]);
  });
});

describeWithRedis("tests/jobs/stochastic.test.ts", "stochastic jobs on a Redis worker", 120_000, (redis) => {
  it("give the CLI's result", async () => {
    const queuePrefix = `st${process.pid}`;
    await startJobWorkers(1, { redisUrl: redis().url, queuePrefix });
    const app = await readyApp({ jobs: { redisUrl: redis().url, queuePrefix } });
    const job = await runJob(app, body);
    expect(job.kind).toBe("stochastic");
    expect(job.status).toBe("succeeded");
    expect(untimed(job.result)).toEqual(untimed(cli));
  });
});
