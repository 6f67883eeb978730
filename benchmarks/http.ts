import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { connect, createServer, type AddressInfo } from "node:net";
import autocannon from "autocannon";
import { loadBundledScenario } from "../src/index.js";
import { benchArguments, machineLine, median, writeResultsSection } from "./harness.js";

/**
 * `npm run bench:http`: the planning API under load against a bare fastify
 * route that only runs the raw javascript-lp-solver Solve of the same LP
 * (benchmarks/bareSolveServer.ts), in the same run, on kz-uz-2020.
 *
 * Every server is its own Node process (the built service, `node
 * bin/jointplan.js serve`, logging one line per request like the baseline,
 * to /dev/null);
 * autocannon drives them from this process with 32 connections, one
 * contender at a time, interleaved round by round so machine noise hits all
 * alike. Reported: medians over rounds of requests/s, p50 and p99 latency,
 * and, round by round against the baseline in the same round, the median of
 * the throughput as a share of the baseline's and of the p99 as a ratio to
 * the baseline's. Targets: ≥ 70% of the baseline's throughput, p99 ≤ 1.5 ×
 * the baseline's. No absolute latency target: the load generator runs on
 * the same cores as the servers, so an absolute figure measures the machine.
 * `--smoke`: one short round (the test suite runs it to keep the script working);
 * `--rounds N`, `--seconds S` (default 10 and 3) for a shorter or longer run.
 * A full run writes its report to this command's section of benchmarks/RESULTS.md.
 */
const args = benchArguments("usage: npm run bench:http [-- --rounds N --seconds S | --smoke]", { rounds: 10, seconds: 3 });
const smoke = args.smoke;
const rounds = smoke ? 1 : args.rounds;
const seconds = args.seconds;
const connections = 32;
const root = join(import.meta.dirname, "..");

interface Server {
  readonly url: string;
  readonly child: ChildProcess;
}

/** A port nobody listens on now (the server is then started on it). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Starts a server process on a free port and waits until it accepts connections.
 * Its per-request log lines go to /dev/null, not through this process.
 */
async function start(args: (port: number) => string[], env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, args(port), { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`${args(port).join(" ")} exited with ${code}`))));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    const up = await Promise.race([
      exited,
      new Promise<boolean>((resolve) => {
        const socket = connect(port, "127.0.0.1", () => {
          socket.end();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      }),
    ]);
    if (up) return { url, child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const service = (env: Record<string, string> = {}) =>
  start((port) => [join(root, "bin", "jointplan.js"), "serve", "--port", String(port)], { ...(smoke ? { JOINTPLAN_POOL_SIZE: "1" } : {}), ...env });

interface Contender {
  readonly name: string;
  readonly server: Server;
  readonly path: string;
  readonly body: string;
}

interface Round {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
}

async function load(contender: Contender, duration: number): Promise<Round> {
  const result = await autocannon({
    url: `${contender.server.url}${contender.path}`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: contender.body,
    connections,
    ...(smoke ? { amount: 64 } : { duration }),
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${contender.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const document = loadBundledScenario("kz-uz-2020");
const report: string[] = [];
const print = (line: string) => {
  console.log(line);
  report.push(line);
};
print(`jointplan HTTP benchmark — ${machineLine()}${smoke ? " (smoke run)" : ""}`);
print(`kz-uz-2020, ${connections} connections, ${smoke ? "64 requests" : `${rounds} interleaved rounds of ${seconds} s`} per contender`);

const servers: Server[] = [];
try {
  const starting = [
    start((port) => ["--import", "tsx", join(root, "benchmarks", "bareSolveServer.ts"), String(port)], {}),
    service(),
    service({ JOINTPLAN_INLINE_MAX_COLUMNS: "0" }),
    service({ JOINTPLAN_PARSE_CACHE_ENTRIES: "0" }),
  ];
  for (const server of starting) void server.then((started) => servers.push(started));
  const [bare, jointplan, pooled, uncached] = (await Promise.all(starting)) as [Server, Server, Server, Server];

  const contenders: Contender[] = [
    { name: "bare route: raw javascript-lp-solver Solve (baseline)", server: bare, path: "/solve", body: "{}" },
    {
      name: 'POST /v1/plans {"scenarioId"} (default: solved inline)',
      server: jointplan,
      path: "/v1/plans",
      body: JSON.stringify({ scenarioId: "kz-uz-2020" }),
    },
    { name: 'POST /v1/plans {"scenario": …} (the 9 kB document)', server: jointplan, path: "/v1/plans", body: JSON.stringify({ scenario: document }) },
    { name: 'POST /v1/plans {"scenario": …}, parse cache off', server: uncached, path: "/v1/plans", body: JSON.stringify({ scenario: document }) },
    { name: 'POST /v1/plans {"scenarioId"}, every plan to the pool', server: pooled, path: "/v1/plans", body: JSON.stringify({ scenarioId: "kz-uz-2020" }) },
  ];
  if (!smoke) for (const contender of contenders) await load(contender, 2); // warm-up: JIT, caches, workers

  const samples = new Map<string, Round[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const contender of round % 2 === 0 ? contenders : [...contenders].reverse()) {
      samples.get(contender.name)?.push(await load(contender, seconds));
    }
  }

  const [baseline] = contenders;
  const baselineRuns = (baseline === undefined ? undefined : samples.get(baseline.name)) ?? [];
  for (const contender of contenders) {
    const runs = samples.get(contender.name) ?? [];
    const rps = median(runs.map((r) => r.rps));
    const p50 = median(runs.map((r) => r.p50));
    const p99 = median(runs.map((r) => r.p99));
    // Each round against the baseline's in the same round, so that load changing between rounds cancels out.
    const share = median(runs.map((r, i) => r.rps / (baselineRuns[i]?.rps ?? NaN)));
    const p99Ratio = median(runs.map((r, i) => r.p99 / (baselineRuns[i]?.p99 ?? NaN)));
    const verdict =
      contender.server === bare
        ? ""
        : `  ${(share * 100).toFixed(0)}% of baseline${share >= 0.7 ? "" : " (under 70%)"}  p99 ${p99Ratio.toFixed(2)} × baseline${p99Ratio <= 1.5 ? "" : " (over 1.5)"}`;
    print(`  ${contender.name.padEnd(58)} ${rps.toFixed(0).padStart(6)} req/s  p50 ${p50.toFixed(1)} ms  p99 ${p99.toFixed(1)} ms${verdict}`);
  }
  if (!smoke) {
    writeResultsSection("npm run bench:http", [
      "## npm run bench:http: the service under load",
      "",
      "Throughput and latency of POST /v1/plans against a bare route running the raw solver call, as a share of the bare route's throughput in the same round.",
      "",
      "```",
      ...report,
      "```",
    ]);
  }
} finally {
  for (const server of servers) server.child.kill("SIGTERM");
}
