import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import pg from "pg";
import { loadBundledScenario } from "../src/index.js";
import { benchArguments, machineLine, markdownTable, median, writeResultsSection } from "./harness.js";

/**
 * `npm run bench:library`: the load of a saved version,
 * `GET /v1/library/{name}/versions/{n}`, against `GET /v1/scenarios/{id}` of
 * a bundled scenario (served from memory), in the same run, on the same
 * server process: the built service (`node bin/jointplan.js serve`) on a
 * PostgreSQL server (JOINTPLAN_DATABASE_URL, a database of this run's own on
 * 127.0.0.1:5432, dropped after) and, for reference, on the embedded
 * library (PGlite in a temporary folder). The scenario is kz-uz-2020 in both.
 * Requests are sent one at a time over a kept-alive connection, the routes
 * interleaved request by request; reported are the medians of each and their
 * ratio to the bundled one's, for a version by number (kept in memory once
 * read) and for `latest` (which version is latest read from the database every time, the version itself then from memory).
 * **Target: ratio ≤ 2 on the server, for a version by number.**
 * `--requests N` (default 2000 per route), `--smoke` (50, writes nothing).
 */
const args = benchArguments("usage: npm run bench:library [-- --requests N | --smoke]", { requests: 2000 });
const requests = args.smoke ? 50 : args.requests;
const root = join(import.meta.dirname, "..");
const serverUrl = process.env["JOINTPLAN_BENCH_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect().catch((error: unknown) => {
    throw new Error(`bench:library needs a PostgreSQL server at ${serverUrl} (JOINTPLAN_BENCH_POSTGRES_URL names another): ${String(error)}`, { cause: error });
  });
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function startService(env: Record<string, string>): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(root, "bin", "jointplan.js"), "serve", "--port", "0"], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const base = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the service exited with ${code}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
  });
  return { base, child };
}

async function timed(url: string, expectedStatus = 200): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  const body = await response.arrayBuffer();
  const ms = performance.now() - started;
  if (response.status !== expectedStatus || body.byteLength === 0) throw new Error(`${url}: ${response.status}`);
  return ms;
}

async function measure(label: string, env: Record<string, string>): Promise<string[]> {
  const service = await startService({ ...env, LOG_LEVEL: "info" });
  try {
    const scenario = loadBundledScenario("kz-uz-2020");
    const saved = await fetch(`${service.base}/v1/library/bench%20kz-uz-2020/versions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ scenario, message: "benchmark" }),
    });
    if (saved.status !== 201) throw new Error(`saving the scenario: ${saved.status} ${await saved.text()}`);
    const bundledUrl = `${service.base}/v1/scenarios/kz-uz-2020`;
    const contenders = [
      { url: bundledUrl, samples: new Array<number>() },
      { url: `${service.base}/v1/library/bench%20kz-uz-2020/versions/1`, samples: new Array<number>() },
      // "latest" asks the database which version is latest every time (that can change; replicas share it), then reads it from memory.
      { url: `${service.base}/v1/library/bench%20kz-uz-2020/versions/latest`, samples: new Array<number>() },
    ];
    for (let i = 0; i < Math.min(200, requests); i++) for (const { url } of contenders) await timed(url);
    for (let i = 0; i < requests; i++) {
      // Interleaved, rotating which goes first, so that load from elsewhere hits all alike.
      for (let k = 0; k < contenders.length; k++) {
        const contender = contenders[(i + k) % contenders.length];
        contender?.samples.push(await timed(contender.url));
      }
    }
    const [bundled, byNumber, latest] = contenders.map(({ samples }) => median(samples)) as [number, number, number];
    return [label, bundled.toFixed(3), byNumber.toFixed(3), (byNumber / bundled).toFixed(2), latest.toFixed(3), (latest / bundled).toFixed(2)];
  } finally {
    service.child.kill("SIGTERM");
    await new Promise((resolve) => service.child.once("exit", resolve));
  }
}

const database = `jointplan_bench_${randomBytes(6).toString("hex")}`;
await onServer(`CREATE DATABASE ${database}`);
const folder = mkdtempSync(join(tmpdir(), "jointplan-bench-library-"));
const rows: string[][] = [];
try {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  rows.push(await measure("PostgreSQL server (JOINTPLAN_DATABASE_URL)", { JOINTPLAN_DATABASE_URL: url.toString() }));
  rows.push(await measure("embedded (PGlite, JOINTPLAN_DATA_DIR)", { JOINTPLAN_DATA_DIR: folder }));
} finally {
  await onServer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  rmSync(folder, { recursive: true, force: true });
}

const serverRatio = Number(rows[0]?.[3]);
const serverLatestRatio = Number(rows[0]?.[5]);
const verdict = (ratio: number) => `${ratio <= 2 ? "met" : "MISSED"} (${ratio.toFixed(2)} ×)`;
const lines = [
  "## npm run bench:library: loading a saved version",
  "",
  machineLine(),
  "",
  `The built service, kz-uz-2020 saved once; ${requests} requests per route, one at a time on a kept-alive connection, the routes interleaved. Medians in ms. A version asked for by number is read from the database once and then kept in memory (versions never change); \`latest\` asks the database which version is latest every time (one read of the name's row), then serves that version from memory.`,
  "",
  ...markdownTable(["storage", "bundled: GET /v1/scenarios/{id}", "saved: GET …/versions/{n}", "ratio", "saved: GET …/versions/latest", "ratio"], rows, [
    "left",
    "right",
    "right",
    "right",
    "right",
    "right",
  ]),
  "",
  `Target, on this run's numbers: a saved version loads in at most 2 × a bundled scenario on the server — by number ${verdict(serverRatio)}; as the latest ${verdict(serverLatestRatio)}.`,
];
console.log(lines.join("\n"));
if (!args.smoke) writeResultsSection("npm run bench:library", lines);
