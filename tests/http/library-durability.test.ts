import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalJson, sha256Hex } from "../../src/library/canonical.js";
import { loadBundledScenario } from "../../src/scenario/bundled.js";
import { parseScenario } from "../../src/scenario/parse.js";
import { createTestDatabase, temporaryDataDir } from "../support/postgres.js";

/**
 * An acknowledged save survives a SIGKILL of the service, and none is ever
 * half-written: the built server (`npm run build` first) in a child process,
 * saves sent one after another, the process killed with SIGKILL while saves
 * are in flight, then started again on the same storage.
 */

const bin = join(import.meta.dirname, "..", "..", "bin", "jointplan.js");
const bundled = parseScenario(loadBundledScenario("kz-uz-2020"));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

async function startServer(env: Record<string, string>): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [bin, "serve", "--port", "0"], {
    env: { ...process.env, JOINTPLAN_POOL_SIZE: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const base = await new Promise<string>((resolve, reject) => {
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`server exited early with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
  });
  return { base, child };
}

function withTitle(title: string) {
  return { ...JSON.parse(JSON.stringify(bundled)), title } as Record<string, unknown>;
}

async function killedWhileSaving(env: Record<string, string>): Promise<void> {
  const first = await startServer(env);
  const acknowledged: { version: number; hash: string }[] = [];
  const exited = new Promise<void>((resolve) => first.child.once("exit", () => resolve()));
  const state = { killed: false };
  const killedYet = () => state.killed; // read after each await (narrowing would keep the loop's false)
  const saving = (async () => {
    for (let i = 0; !state.killed; i++) {
      const latest = acknowledged.at(-1)?.version;
      try {
        const response = await fetch(`${first.base}/v1/library/durable/versions`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(latest === undefined ? {} : { "if-match": `"${latest}"` }) },
          body: JSON.stringify({ scenario: withTitle(`save ${i}`), message: `save ${i}` }),
        });
        if (response.status !== 201) throw new Error(`save ${i}: ${response.status} ${await response.text()}`);
        const body = (await response.json()) as { version: number; hash: string };
        acknowledged.push({ version: body.version, hash: body.hash });
      } catch (error) {
        if (killedYet()) return; // the connection died with the process: that save was never acknowledged
        throw error;
      }
    }
  })();
  // Kill once several saves are acknowledged, with the next one in flight.
  while (acknowledged.length < 8) await new Promise((resolve) => setTimeout(resolve, 5));
  state.killed = true;
  first.child.kill("SIGKILL");
  await exited;
  await saving;

  const second = await startServer(env);
  const history = (await (await fetch(`${second.base}/v1/library/durable`)).json()) as { latest: number; versions: { version: number; hash: string }[] };
  // Every acknowledged save is there, with its hash; at most the one in flight came after them.
  expect(history.latest).toBeGreaterThanOrEqual(acknowledged.length);
  expect(history.latest).toBeLessThanOrEqual(acknowledged.length + 1);
  for (const saved of acknowledged) expect(history.versions.find((version) => version.version === saved.version)?.hash).toBe(saved.hash);
  // Nothing half-written: every version stored reads back whole, its content the hash it was saved with.
  expect(history.versions.map((version) => version.version)).toEqual(Array.from({ length: history.latest }, (_, i) => history.latest - i));
  for (const version of history.versions) {
    const text = await (await fetch(`${second.base}/v1/library/durable/versions/${version.version}`)).text();
    expect(sha256Hex(canonicalJson(JSON.parse(text)))).toBe(version.hash);
  }
  second.child.kill("SIGTERM");
  await new Promise<void>((resolve) => second.child.once("exit", () => resolve()));
}

describe("a save acknowledged by the service survives a SIGKILL of it", () => {
  it("on the embedded library (PGlite in JOINTPLAN_DATA_DIR)", async () => {
    const folder = await temporaryDataDir();
    try {
      await killedWhileSaving({ JOINTPLAN_DATA_DIR: folder.dir });
    } finally {
      await folder.remove();
    }
  }, 180_000);

  it("on a PostgreSQL server (JOINTPLAN_DATABASE_URL)", async () => {
    const database = await createTestDatabase();
    try {
      await killedWhileSaving({ JOINTPLAN_DATABASE_URL: database.url });
    } finally {
      await database.drop();
    }
  }, 180_000);
});
