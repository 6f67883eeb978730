import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../src/http/app.js";
import { scaleScenario } from "../tests/support/scaleScenario.js";
import { benchArguments, loadLine, machineLine, median, writeResultsSection } from "./harness.js";

/**
 * `npm run bench:limits`: how closely a time limit holds on the wall clock
 * for a whole-unit model HiGHS offers to stop only every second or few
 * (40 plants × 150 products × 300 parts). The CLI: `jointplan plan --time-limit`
 * against the same process validating the same file (its start-up), run by
 * run. HTTP: `POST /v1/plans` with the same limit, answer time against the
 * limit. Targets: the CLI within 3.6 s of a 3 s limit plus start-up on every
 * run; HTTP within the limit plus 0.3 s.
 */
const usage = "usage: npm run bench:limits [-- --runs n --limit ms] [--smoke]";
const options = benchArguments(usage, { runs: 5, limit: 3_000 });
const runs = options.smoke ? 1 : options.runs;
const limit = options.smoke ? 1_000 : options.limit;
const size = options.smoke ? { plants: 10, products: 30, parts: 60 } : { plants: 40, products: 150, parts: 300 };

const lines: string[] = [];
const print = (...text: string[]) => {
  for (const line of text) console.log(line);
  lines.push(...text);
};
print(`## npm run bench:limits: time limits on the wall clock${options.smoke ? " (smoke run)" : ""}`, "", `Machine: ${machineLine()}`, "");
print(`Model: ${size.plants} plants × ${size.products} products × ${size.parts} parts, whole units; time limit ${limit} ms; ${runs} runs.`, "");

const scenario = scaleScenario({ ...size, integer: true });
const file = join(mkdtempSync(join(tmpdir(), "jointplan-limits-")), "model.json");
writeFileSync(file, JSON.stringify(scenario));
const bin = new URL("../bin/jointplan.js", import.meta.url).pathname;
const timed = (args: string[]) => {
  const started = performance.now();
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return { ms: performance.now() - started, status: run.status, stdout: run.stdout };
};

const cli: { startUp: number; wall: number; status: string }[] = [];
for (let run = 0; run < runs; run++) {
  const startUp = timed(["validate", file]).ms;
  const planned = timed(["plan", file, "--time-limit", String(limit), "--json"]);
  const status = (JSON.parse(planned.stdout) as { status: string; objective: number | null }).status;
  cli.push({ startUp, wall: planned.ms, status });
}
print("### CLI: `jointplan plan --time-limit`", "", "| run | start-up (ms) | wall (ms) | wall − start-up (ms) | status |", "|---:|---:|---:|---:|---|");
cli.forEach((run, i) => print(`| ${i + 1} | ${run.startUp.toFixed(0)} | ${run.wall.toFixed(0)} | ${(run.wall - run.startUp).toFixed(0)} | ${run.status} |`));
const worstCli = Math.max(...cli.map((run) => run.wall - run.startUp));
print("", `Worst wall − start-up: ${worstCli.toFixed(0)} ms, ${(worstCli - limit).toFixed(0)} ms past the limit (target: ≤ 600 ms past it).`, "");

const app = buildApp({ poolSize: 1, logger: false });
const base = await app.listen({ port: 0, host: "127.0.0.1" });
app.solveService.start();
const http: { ms: number; status: string; plan: boolean }[] = [];
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  const response = await fetch(`${base}/v1/plans`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ scenario, options: { timeLimitMs: limit } }),
  });
  const body = (await response.json()) as { status: string; objective: number | null };
  http.push({ ms: performance.now() - started, status: body.status, plan: body.objective !== null });
}
await app.close();
print("### HTTP: `POST /v1/plans`", "", "| run | answer (ms) | past the limit (ms) | status | with a plan |", "|---:|---:|---:|---|---|");
http.forEach((run, i) => print(`| ${i + 1} | ${run.ms.toFixed(0)} | ${(run.ms - limit).toFixed(0)} | ${run.status} | ${run.plan ? "yes" : "no"} |`));
const worstHttp = Math.max(...http.map((run) => run.ms - limit));
print(
  "",
  `Worst answer past the limit: ${worstHttp.toFixed(0)} ms (target ≤ 300 ms); median ${(median(http.map((run) => run.ms)) - limit).toFixed(0)} ms.`,
  "",
  `Load: ${loadLine()}`,
);

if (!options.smoke) writeResultsSection("npm run bench:limits", lines);
