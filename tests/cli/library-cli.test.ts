import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBundledScenario } from "../../src/scenario/bundled.js";
import { parseScenario } from "../../src/scenario/parse.js";
import { closeStartedApps, readyApp } from "../support/http.js";
import { bin, root } from "../support/cli.js";
import { createTestDatabase, temporaryDataDir, type TestDatabase } from "../support/postgres.js";

/** `jointplan library …` end to end (the built CLI), on the store the service uses. */

const bundled = parseScenario(loadBundledScenario("kz-uz-2020"));

function cli(env: Record<string, string>, ...args: string[]) {
  const result = spawnSync(process.execPath, [bin, "library", ...args], { encoding: "utf8", cwd: root, env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("jointplan library on the embedded store", () => {
  let folder: Awaited<ReturnType<typeof temporaryDataDir>>;
  let env: Record<string, string>;
  const name = "План a@b";
  let changedFile: string;
  let plant: string;
  let resource: string;

  beforeAll(async () => {
    folder = await temporaryDataDir();
    env = { JOINTPLAN_DATA_DIR: join(folder.dir, "library") };
    const changed = JSON.parse(JSON.stringify(bundled)) as { plants: { id: string; resources: Record<string, unknown> }[] };
    const first = changed.plants[0];
    plant = first?.id ?? "";
    resource = Object.keys(first?.resources ?? {})[0] ?? "";
    if (first !== undefined) first.resources[resource] = 999;
    changedFile = join(folder.dir, "changed.json");
    writeFileSync(changedFile, JSON.stringify(changed));
  });
  afterAll(async () => {
    await closeStartedApps();
    await folder.remove();
  });

  it("pushes versions, lists, logs, pulls and diffs them", () => {
    expect(cli(env, "list")).toMatchObject({ code: 0, stdout: expect.stringContaining("The library is empty") as unknown });
    expect(cli(env, "push", "kz-uz-2020", "--name", name, "-m", "first cut")).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^saved План a@b@1 \([0-9a-f]{12}\)\n$/) as unknown,
    });
    expect(cli(env, "push", changedFile, "--name", name, "-m", "more capacity\u001b[31m")).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`saved ${name}@2`) as unknown,
    });

    const listed = cli(env, "list", "--json");
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name, latest: 2, title: bundled.title })]);
    const log = cli(env, "log", name);
    expect(log.code).toBe(0);
    expect(log.stdout).toContain("first cut");
    expect(log.stdout).toContain("more capacity\\u001b[31m"); // another's text is shown, never acted on by the terminal
    expect(log.stdout).not.toContain("\u001b");

    const pulled = cli(env, "pull", `${name}@1`);
    expect(parseScenario(JSON.parse(pulled.stdout))).toEqual(bundled);
    const latest = cli(env, "pull", name);
    expect(JSON.parse(latest.stdout)).toMatchObject({ plants: expect.arrayContaining([expect.objectContaining({ id: plant })]) as unknown });

    const diff = cli(env, "diff", `${name}@1`, `${name}@2`);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain(`change  capacity ${plant} / ${resource} capacity = 999`);
    expect(JSON.parse(cli(env, "diff", `${name}@1`, `${name}@2`, "--json").stdout)).toMatchObject({ changes: [{ on: "capacity", plant, resource, set: 999 }] });
  }, 300_000); // each command starts the embedded database: seconds apiece on a busy machine

  it("refuses bad input with exit 1, and stores nothing from an invalid file", async () => {
    const broken = join(folder.dir, "broken.json");
    writeFileSync(broken, JSON.stringify({ ...JSON.parse(JSON.stringify(bundled)), plants: [] }));
    const pushed = cli(env, "push", broken, "--name", "broken");
    expect(pushed.code).toBe(1);
    expect(pushed.stderr).toContain("plants");
    expect(cli(env, "log", "broken")).toMatchObject({ code: 1, stderr: expect.stringContaining('nothing is saved as "broken"') as unknown });
    expect(cli(env, "pull", `${name}@9`)).toMatchObject({ code: 1, stderr: expect.stringContaining("has no version 9") as unknown });
    expect(cli(env, "frobnicate").code).toBe(1);
    expect(cli(env, "push", "kz-uz-2020", "--name", "x".repeat(201)).code).toBe(1);

    // The service reads what the CLI saved, from the same folder.
    const app = await readyApp({ library: { dataDir: env["JOINTPLAN_DATA_DIR"] ?? "" } });
    const history = await app.inject({ url: `/v1/library/${encodeURIComponent(name)}` });
    expect(history.json<{ latest: number }>().latest).toBe(2);
    // While the service holds the embedded folder, the CLI says so rather than corrupt it.
    expect(cli(env, "list")).toMatchObject({ code: 1, stderr: expect.stringContaining("in use by process") as unknown });
    await closeStartedApps();
  }, 120_000);
});

describe("jointplan library with JOINTPLAN_DATABASE_URL", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await closeStartedApps();
    await database.drop();
  });

  it("saves to the server the service replicas share", async () => {
    const env = { JOINTPLAN_DATABASE_URL: database.url };
    expect(cli(env, "push", "kz-uz-2020", "-m", "from the command line").code).toBe(0);
    const app = await readyApp({ library: { databaseUrl: database.url } });
    const version = await app.inject({ url: "/v1/library/kz-uz-2020/versions/1" });
    expect(parseScenario(version.json())).toEqual(bundled);
    expect(cli(env, "log", "kz-uz-2020").stdout).toContain("from the command line");
  }, 120_000);
});
