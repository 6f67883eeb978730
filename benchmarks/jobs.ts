import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveConfig } from "../src/http/config.js";
import { EmbeddedJobs } from "../src/jobs/embedded.js";
import type { JobEngine } from "../src/jobs/engine.js";
import { prepareJob } from "../src/jobs/prepare.js";
import { RedisJobs } from "../src/jobs/redis.js";
import { sampleMultipliers } from "../src/montecarlo/distributions.js";
import { monteCarloSpecSchema, runMonteCarloChunk } from "../src/montecarlo/index.js";
import { selectorOf } from "../src/montecarlo/prepare.js";
import { plan } from "../src/plan/plan.js";
import { bundledScenario } from "../src/scenario/bundled.js";
import { applyChanges } from "../src/whatif/apply.js";
import { benchArguments, loadLine, machineLine, markdownTable, median, writeResultsSection } from "./harness.js";

/**
 * `npm run bench:jobs`: a Monte Carlo run of kz-uz-2019-2025 (the bundled
 * uncertain-demand file) as a job, on one thread against the embedded job
 * pool, and on one against two `jointplan worker` processes through a Redis
 * started for the run; the queue's cost per sample against a plain loop of
 * `plan()` over the same sampled scenarios, and against the same samples
 * solved in this process without any job machinery. Rounds interleave the
 * contenders. Targets: two workers at least 1.6× one (2 cores); the
 * overhead per sample is reported, not held to a number.
 */
const usage = "usage: npm run bench:jobs [-- --samples n --rounds n] [--smoke]";
const options = benchArguments(usage, { samples: 400, rounds: 5 });
/** The run's size, and five times it: a job's fixed costs (each worker formulates the job's model, the merge) weigh less on a larger one. */
const sizes = options.smoke ? [20] : [options.samples, 5 * options.samples];
let samples = sizes[0] ?? 20;
const rounds = options.smoke ? 1 : options.rounds;

const lines: string[] = [];
const print = (...text: string[]) => {
  for (const line of text) console.log(line);
  lines.push(...text);
};

const scenarioId = "kz-uz-2019-2025";
const file = new URL("../models/montecarlo/kz-uz-2019-2025/kazakh-demand.json", import.meta.url);
const asked = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
let spec = monteCarloSpecSchema.parse({ samples, seed: asked["seed"], uncertain: asked["uncertain"] });
let body = { kind: "montecarlo", scenarioId, samples, seed: spec.seed, uncertain: asked["uncertain"] };
function setSize(size: number): void {
  samples = size;
  spec = monteCarloSpecSchema.parse({ samples, seed: asked["seed"], uncertain: asked["uncertain"] });
  body = { ...body, samples };
}
const scenario = bundledScenario(scenarioId);

print(`## npm run bench:jobs: Monte Carlo as a job, embedded and on Redis workers${options.smoke ? " (smoke run)" : ""}`, "", `Machine: ${machineLine()}`, "");
print(
  `Work: ${sizes.join(" and ")} samples of ${scenarioId} (models/montecarlo/kz-uz-2019-2025/kazakh-demand.json: ${spec.uncertain.length} uncertain entries), ` +
    `chunks of 50 samples; median of ${rounds} interleaved rounds, wall clock from submission to the result stored.`,
  "",
);

const redisServer = "/usr/bin/redis-server";
const bin = new URL("../bin/jointplan.js", import.meta.url).pathname;

/** The job's wall time on an engine, from submission to its result. */
async function runJob(engine: JobEngine): Promise<number> {
  const config = resolveConfig({});
  const prepared = prepareJob(body, config, config.jobs);
  if (prepared.kind !== "ready") throw new Error(`the benchmark's job is invalid: ${JSON.stringify(prepared)}`);
  const started = Date.now();
  const { id } = await engine.submit(prepared.job);
  for (;;) {
    const job = await engine.get(id);
    if (job === undefined) throw new Error("the job vanished");
    if (job.status === "succeeded") {
      const result = JSON.parse(job.resultJson ?? "{}") as { samples?: number };
      if (result.samples !== samples) throw new Error(`the job counted ${result.samples} samples of ${samples}`);
      // Until the result was stored (the job's own finish time, same clock), not until this loop looked.
      return (job.finishedAt ?? Date.now()) - started;
    }
    if (job.status === "failed" || job.status === "cancelled") throw new Error(`the job ended ${job.status}: ${JSON.stringify(job.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function planLoop(): number {
  const started = performance.now();
  for (let index = 0; index < samples; index++) {
    const multipliers = sampleMultipliers(spec, index);
    const changes = spec.uncertain.map((entry, u) => ({ ...selectorOf(entry), scale: multipliers[u] ?? 1 }));
    plan(applyChanges(scenario, changes));
  }
  return performance.now() - started;
}

function inProcess(): number {
  const started = performance.now();
  runMonteCarloChunk({ scenario, spec, from: 0, to: samples, options: {} });
  return performance.now() - started;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** `count` worker processes (one unit at a time each), started and ready. */
async function startWorkers(count: number, url: string, prefix: string): Promise<ChildProcess[]> {
  const env = { ...process.env, JOINTPLAN_REDIS_URL: url, JOINTPLAN_QUEUE_PREFIX: prefix };
  return Promise.all(
    Array.from({ length: count }, async () => {
      const child = spawn(process.execPath, [bin, "worker", "--concurrency", "1"], { env, stdio: ["ignore", "ignore", "pipe"] });
      await new Promise<void>((resolve, reject) => {
        let text = "";
        child.stderr.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes("taking jobs")) resolve();
        });
        child.once("exit", (code) => reject(new Error(`a worker exited (${code}) before it was ready: ${text}`)));
      });
      return child;
    }),
  );
}

async function stopWorkers(workers: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    ),
  );
}

/** Redis' own time (µs of its command execution) and commands over a run, from INFO commandstats since the last reset. */
function redisTime(): { usec: number; calls: number } {
  const text = redisCli(["info", "commandstats"]);
  let usec = 0;
  let calls = 0;
  for (const match of text.matchAll(/calls=(\d+),usec=(\d+)/g)) {
    calls += Number(match[1]);
    usec += Number(match[2]);
  }
  return { usec, calls };
}
let redisPort = 0;
function redisCli(args: readonly string[]): string {
  return spawnSync("redis-cli", ["-p", String(redisPort), ...args], { encoding: "utf8" }).stdout;
}
/** Redis' µs of work per timed job, and per idle worker and second. */
const redisWork: Record<string, number[]> = { redis1: [], redis2: [] };
let idlePerWorker = 0;

const times: Record<string, number[]> = { plan: [], inProcess: [], embedded1: [], embedded2: [], redis1: [], redis2: [] };
const embedded1 = new EmbeddedJobs(resolveConfig({ jobs: { threads: 1 } }).jobs);
const embedded2 = new EmbeddedJobs(resolveConfig({ jobs: { threads: 2 } }).jobs);

const haveRedis = existsSync(redisServer);
let redis: ChildProcess | undefined;
let redisDir: string | undefined;
let url = "";
if (haveRedis) {
  const port = await freePort();
  redisPort = port;
  redisDir = mkdtempSync(join(tmpdir(), "jointplan-bench-redis-"));
  redis = spawn(redisServer, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", redisDir], { stdio: "ignore" });
  url = `redis://127.0.0.1:${port}`;
  for (let tries = 0; tries < 100; tries++) {
    if (spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" }).stdout.trim() === "PONG") break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
} else {
  print(`Redis: not measured — ${redisServer} is not installed (apt-get install -y redis-server).`, "");
}

/** Worker fleets that live through the run, as deployed workers do: one process on one prefix, two on another. */
const fleets = new Map<number, { workers: ChildProcess[]; engine: RedisJobs }>();
try {
  // Warm-up: threads and workers load HiGHS and warm up; the scenario is read once.
  planLoop();
  inProcess();
  for (let warm = 0; warm < 2; warm++) {
    await runJob(embedded1);
    await runJob(embedded2);
  }
  if (haveRedis) {
    for (const count of [1, 2]) {
      const prefix = `bench-w${count}`;
      fleets.set(count, {
        workers: await startWorkers(count, url, prefix),
        engine: new RedisJobs(url, resolveConfig({ jobs: { redisUrl: url, queuePrefix: prefix } }).jobs),
      });
    }
    for (let warm = 0; warm < 2; warm++) for (const { engine } of fleets.values()) await runJob(engine);
    // What idle workers cost Redis (their blocking waits and checks), per worker and second.
    redisCli(["config", "resetstat"]);
    const idleStarted = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    idlePerWorker = (redisTime().usec * 1000) / (performance.now() - idleStarted) / 3;
  }
  for (const size of sizes) {
    setSize(size);
    const first = size === sizes[0];
    for (const name of Object.keys(times)) times[name] = [];
    for (const name of Object.keys(redisWork)) redisWork[name] = [];
    for (let round = 0; round < rounds; round++) {
      // The plain plan() loop is the baseline of the first size only (it takes ten times as long).
      if (first) times["plan"]?.push(planLoop());
      times["inProcess"]?.push(inProcess());
      times["embedded1"]?.push(await runJob(embedded1));
      times["embedded2"]?.push(await runJob(embedded2));
      for (const [count, { engine }] of fleets) {
        redisCli(["config", "resetstat"]);
        const ms = await runJob(engine);
        times[`redis${count}`]?.push(ms);
        // Redis' time for the job: less what the three idle-or-busy workers' waits and checks cost meanwhile.
        redisWork[`redis${count}`]?.push(redisTime().usec - (idlePerWorker * 3 * ms) / 1000);
      }
    }
    report(first);
  }
} finally {
  await Promise.all([embedded1.close(), embedded2.close()]);
  for (const { engine, workers } of fleets.values()) {
    await engine.close();
    await stopWorkers(workers);
  }
  redis?.kill("SIGTERM");
  if (redisDir !== undefined) rmSync(redisDir, { recursive: true, force: true });
}

function report(first: boolean): void {
  const med = (name: string) => median(times[name] ?? []);
  const perSample = (ms: number) => `${(ms / samples).toFixed(2)} ms`;
  const row = (name: string, label: string, baseline?: string) => {
    const value = med(name);
    return [label, `${value.toFixed(0)} ms`, perSample(value), baseline === undefined ? "" : `${(med(baseline) / value).toFixed(2)}×`];
  };
  const table = [
    ...(first ? [row("plan", `plain loop of plan() over the sampled scenarios`)] : []),
    row("inProcess", "the same samples in this process (one model, numbers moved)", first ? "plan" : undefined),
    row("embedded1", "job, embedded, 1 thread", "inProcess"),
    row("embedded2", "job, embedded, 2 threads", "embedded1"),
    ...(haveRedis ? [row("redis1", "job, Redis, 1 worker process", "inProcess"), row("redis2", "job, Redis, 2 worker processes", "redis1")] : []),
  ];
  print(...(first ? [] : [""]), `#### ${samples} samples`, "");
  print(...markdownTable(["run", "median", "per sample", "ratio"], table, ["left", "right", "right", "right"]), "");
  print("Ratios: in-process against the plan() loop; a 1-thread job against in-process; 2 against 1 of the same kind.", "");
  if (!first) {
    const speedup = med("redis1") / med("redis2");
    print(
      `Two worker processes against one at ${samples} samples: ${speedup.toFixed(2)}×; embedded threads, 2 against 1: ${(med("embedded1") / med("embedded2")).toFixed(2)}×.`,
      "",
    );
    return;
  }

  const overhead = (name: string) => (med(name) - med("inProcess")) / samples;
  print(`### Targets, on this run's numbers (${samples} samples)`, "");
  if (haveRedis) {
    const speedup = med("redis1") / med("redis2");
    print(`- Two worker processes against one: ${speedup.toFixed(2)}× (target ≥ 1.6×): ${speedup >= 1.6 ? "met" : "NOT met"}.`);
    print(
      `- The queue's overhead per sample (1 Redis worker less the same samples in process): ${overhead("redis1").toFixed(2)} ms, ` +
        `against ${(med("plan") / samples).toFixed(2)} ms per sample of the plain plan() loop (${((100 * overhead("redis1")) / (med("plan") / samples)).toFixed(0)}%).`,
    );
  }
  if (haveRedis) {
    const chunks = Math.ceil(samples / 50);
    const usecPerChunk = Math.max(1, median(redisWork["redis2"] ?? []) / chunks);
    print(
      `- Redis' own time (INFO commandstats): ${idlePerWorker.toFixed(0)} µs a second per idle worker (its blocking waits and checks), and ${usecPerChunk.toFixed(0)} µs per chunk of 50 samples beyond that — ` +
        `one Redis core would carry about ${Math.floor(1e6 / usecPerChunk).toLocaleString("en-US")} chunks (${Math.floor((50 * 1e6) / usecPerChunk).toLocaleString("en-US")} samples) a second.`,
    );
  }
  print(
    `- Embedded job threads, 2 against 1: ${(med("embedded1") / med("embedded2")).toFixed(2)}×; the embedded overhead per sample: ${overhead("embedded1").toFixed(2)} ms.`,
  );
}

print(`After the run: ${loadLine()}.`);
if (!options.smoke) writeResultsSection("npm run bench:jobs", lines);
