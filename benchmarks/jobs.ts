import { fork, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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
import type { SamplesRequest } from "./samplesChild.js";
import { benchArguments, loadLine, machineLine, markdownTable, median, writeResultsSection } from "./harness.js";

/**
 * `npm run bench:jobs`: a Monte Carlo run of kz-uz-2019-2025 (the bundled
 * uncertain-demand file) as a job, on one thread against the embedded job
 * pool, and on one against two `jointplan worker` processes through a Redis
 * started for the run; the queue's cost per sample against a plain loop of
 * `plan()` over the same sampled scenarios, and against the same samples
 * solved in this process without any job machinery. Rounds interleave the
 * contenders, the one-against-two pairs in alternating order. Targets: two workers at least 1.6× one (2 cores); the
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
    `chunks of 50 samples; median of ${rounds} interleaved rounds (1 and 2 in alternating order), wall clock from submission to the result stored.`,
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

/** CPU ms a process has used (user + system), read from /proc (Linux); undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  // utime and stime, in clock ticks of 10 ms (USER_HZ = 100 on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
/** Cores kept busy during a Redis job, by whom: its worker processes, Redis, and this process (the service's side, polling). */
const busyCores: Record<string, { workers: number[]; redis: number[]; service: number[] }> = {
  redis1: { workers: [], redis: [], service: [] },
  redis2: { workers: [], redis: [], service: [] },
};
function cpuNow(count: number): { workers: number; redis: number; service: number } | undefined {
  const workers = (fleets.get(count)?.workers ?? []).map((child) => cpuMs(child.pid));
  const redisCpu = cpuMs(redis?.pid);
  if (redisCpu === undefined || workers.some((ms) => ms === undefined)) return undefined;
  const self = process.cpuUsage();
  return { workers: workers.reduce<number>((sum, ms) => sum + (ms ?? 0), 0), redis: redisCpu, service: (self.user + self.system) / 1000 };
}

/**
 * The machine's own scaling for this work: two plain processes (no queue, no
 * threads, no merge) each solving half the samples, against one solving
 * them all — what two workers could at best reach on these cores.
 */
const plainProcesses = [0, 1].map(() =>
  fork(fileURLToPath(new URL("./samplesChild.ts", import.meta.url)), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] }),
);
async function plainRun(count: number): Promise<number> {
  const share = Math.ceil(samples / count);
  const started = performance.now();
  await Promise.all(
    plainProcesses.slice(0, count).map(
      (child, index) =>
        new Promise<void>((resolve) => {
          child.once("message", () => resolve());
          const request: SamplesRequest = { scenarioId, file: fileURLToPath(file), samples, from: index * share, to: Math.min(samples, (index + 1) * share) };
          child.send(request);
        }),
    ),
  );
  return performance.now() - started;
}

const times: Record<string, number[]> = { plan: [], inProcess: [], plain1: [], plain2: [], embedded1: [], embedded2: [], redis1: [], redis2: [] };
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
  for (let warm = 0; warm < 2; warm++) for (const count of [1, 2]) await plainRun(count);
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
    for (const cores of Object.values(busyCores)) for (const list of Object.values(cores)) list.length = 0;
    for (let round = 0; round < rounds; round++) {
      // The plain plan() loop is the baseline of the first size only (it takes ten times as long).
      if (first) times["plan"]?.push(planLoop());
      times["inProcess"]?.push(inProcess());
      // One then two on even rounds, two then one on odd ones: neither always runs after the heavier work.
      const order = round % 2 === 0 ? [1, 2] : [2, 1];
      for (const count of order) times[`plain${count}`]?.push(await plainRun(count));
      for (const threads of order) times[`embedded${threads}`]?.push(await runJob(threads === 1 ? embedded1 : embedded2));
      for (const count of order) {
        const engine = fleets.get(count)?.engine;
        if (engine === undefined) continue;
        redisCli(["config", "resetstat"]);
        const before = cpuNow(count);
        const wallStarted = performance.now();
        const ms = await runJob(engine);
        const after = cpuNow(count);
        const wall = performance.now() - wallStarted;
        const cores = busyCores[`redis${count}`];
        if (before !== undefined && after !== undefined && cores !== undefined) {
          cores.workers.push((after.workers - before.workers) / wall);
          cores.redis.push((after.redis - before.redis) / wall);
          cores.service.push((after.service - before.service) / wall);
        }
        times[`redis${count}`]?.push(ms);
        // Redis' time for the job: less what the three idle-or-busy workers' waits and checks cost meanwhile.
        redisWork[`redis${count}`]?.push(redisTime().usec - (idlePerWorker * 3 * ms) / 1000);
      }
    }
    report(first);
  }
} finally {
  for (const child of plainProcesses) child.kill();
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
    row("plain1", "1 plain process, no queue (all the samples)", "inProcess"),
    row("plain2", "2 plain processes, no queue (half the samples each)", "plain1"),
    row("embedded1", "job, embedded, 1 thread", "inProcess"),
    row("embedded2", "job, embedded, 2 threads", "embedded1"),
    ...(haveRedis ? [row("redis1", "job, Redis, 1 worker process", "inProcess"), row("redis2", "job, Redis, 2 worker processes", "redis1")] : []),
  ];
  print(...(first ? [] : [""]), `#### ${samples} samples`, "");
  print(...markdownTable(["run", "median", "per sample", "ratio"], table, ["left", "right", "right", "right"]), "");
  print("Ratios: in-process against the plan() loop; a 1-thread job against in-process; 2 against 1 of the same kind.", "");
  const rounds = (name: string) => (times[name] ?? []).map((ms) => ms.toFixed(0)).join(", ");
  print(
    `Each round, in ms (even rounds run 1 before 2): plain 1 process ${rounds("plain1")}; 2 processes ${rounds("plain2")}; embedded 1 thread ${rounds("embedded1")}; 2 threads ${rounds("embedded2")}` +
      (haveRedis ? `; Redis 1 worker ${rounds("redis1")}; 2 workers ${rounds("redis2")}.` : "."),
    "",
  );
  if (!first) {
    const speedup = med("redis1") / med("redis2");
    print(
      `Two worker processes against one at ${samples} samples: ${speedup.toFixed(2)}× (2 plain processes against 1: ${(med("plain1") / med("plain2")).toFixed(2)}×); embedded threads, 2 against 1: ${(med("embedded1") / med("embedded2")).toFixed(2)}×.`,
      "",
    );
    return;
  }

  const overhead = (name: string) => (med(name) - med("inProcess")) / samples;
  print(`### Targets, on this run's numbers (${samples} samples)`, "");
  if (haveRedis) {
    const speedup = med("redis1") / med("redis2");
    print(`- Two worker processes against one: ${speedup.toFixed(2)}× (target ≥ 1.6×): ${speedup >= 1.6 ? "met" : "NOT met"}.`);
    const coresOf = (name: string) => {
      const cores = busyCores[name];
      if (cores === undefined || cores.workers.length === 0) return undefined;
      const [workers, redisCores, service] = [median(cores.workers), median(cores.redis), median(cores.service)];
      return `${(workers + redisCores + service).toFixed(2)} (worker processes ${workers.toFixed(2)}, Redis ${redisCores.toFixed(2)}, this process ${service.toFixed(2)})`;
    };
    const one = coresOf("redis1");
    const two = coresOf("redis2");
    const machine = med("plain1") / med("plain2");
    print(
      `- What these 2 cores give this work by themselves (2 plain processes against 1, same run): ${machine.toFixed(2)}×; two workers reach ${((100 * speedup) / machine).toFixed(0)}% of it.`,
    );
    if (one !== undefined && two !== undefined) {
      print(`- Cores busy while a job ran (CPU time over wall time, from /proc): with 1 worker ${one}; with 2 workers ${two}, of 2 cores.`);
    }
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
