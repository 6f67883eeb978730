import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadBundledScenario } from "../../src/scenario/bundled.js";
import { parseScenario } from "../../src/scenario/parse.js";
import type { Scenario } from "../../src/scenario/schema.js";
import { canonicalJson, sha256Hex } from "../../src/library/canonical.js";
import { DataDirBusy, openDatabase, type StorageSettings } from "../../src/library/database.js";
import { migrate, migrations } from "../../src/library/migrate.js";
import { LibraryStore } from "../../src/library/store.js";
import { software } from "../../src/library/software.js";
import { createTestDatabase, temporaryDataDir, type TestDatabase } from "../support/postgres.js";

const base: Scenario = parseScenario(loadBundledScenario("kz-uz-2020"));
const retitled = (title: string): Scenario => parseScenario({ ...JSON.parse(JSON.stringify(base)), title });

interface Backing {
  readonly settings: StorageSettings;
  cleanup(): Promise<void>;
}

const backings: Record<"embedded (PGlite)" | "server (PostgreSQL)", () => Promise<Backing>> = {
  "embedded (PGlite)": async () => {
    const folder = await temporaryDataDir();
    return { settings: { dataDir: folder.dir }, cleanup: () => folder.remove() };
  },
  "server (PostgreSQL)": async () => {
    const database: TestDatabase = await createTestDatabase();
    return { settings: { databaseUrl: database.url }, cleanup: () => database.drop() };
  },
};

describe.each(Object.entries(backings))("the library store on %s", (_label, make) => {
  let backing: Backing;
  let store: LibraryStore;

  beforeAll(async () => {
    backing = await make();
    store = await LibraryStore.open(backing.settings);
  }, 120_000);
  afterAll(async () => {
    await store.close();
    await backing.cleanup();
  });

  it("has applied every numbered migration once, and applies none when opened again", async () => {
    const { rows } = await store.db.query<{ version: number }>("SELECT version FROM library_migrations ORDER BY version");
    expect(rows.map((row) => row.version)).toEqual(migrations().map((migration) => migration.version));
    expect(await migrate(store.db)).toEqual([]);
  });

  it("saves versions with number, canonical hash, message, author and time; reads them back", async () => {
    const first = await store.save("plan A", base, { message: "first", author: "anonymous", expected: null });
    expect(first.kind).toBe("saved");
    if (first.kind !== "saved") return;
    expect(first.version).toMatchObject({ name: "plan A", version: 1, title: base.title, message: "first", author: "anonymous" });
    expect(first.version.hash).toBe(sha256Hex(canonicalJson(base)));
    expect(Date.parse(first.version.created_at)).toBeGreaterThan(Date.now() - 60_000);

    const loaded = await store.version("plan A", 1);
    expect(loaded?.content).toBe(canonicalJson(base));
    expect(parseScenario(JSON.parse(loaded?.content ?? "null"))).toEqual(base);

    expect(await store.save("plan A", retitled("again"), { message: "m", author: "a", expected: null })).toEqual({ kind: "precondition_required", latest: 1 });
    expect(await store.save("plan A", retitled("again"), { message: "m", author: "a", expected: 2 })).toEqual({ kind: "conflict", latest: 1 });
    const second = await store.save("plan A", retitled("again"), { message: "second", author: "key:0123abcd", expected: 1 });
    expect(second.kind === "saved" && second.version.version).toBe(2);
    expect((await store.version("plan A"))?.info).toMatchObject({ version: 2, title: "again", author: "key:0123abcd" });
    expect((await store.version("plan A", 1))?.info.title).toBe(base.title);
    expect(await store.version("plan A", 3)).toBeUndefined();
    expect(await store.save("never saved", base, { message: "", author: "a", expected: 1 })).toEqual({ kind: "conflict", latest: null });

    const history = await store.history("plan A");
    expect(history?.versions.map((version) => [version.version, version.message])).toEqual([
      [2, "second"],
      [1, "first"],
    ]);
    expect((await store.list()).find((entry) => entry.name === "plan A")).toMatchObject({ latest: 2, title: "again" });
    expect(await store.history("never saved")).toBeUndefined();
  });

  it("keeps a version in memory once read (versions never change); which version is latest is always asked of the database", async () => {
    await store.save("cached", base, { message: "", author: "a", expected: null });
    const first = await store.version("cached", 1);
    // Behind the store's back (nothing in jointplan writes a version twice): the version is answered from memory, by number or as the latest.
    await store.db.query(
      "UPDATE library_versions SET message = 'changed underneath' WHERE version = 1 AND scenario_id = (SELECT id FROM library_scenarios WHERE name = $1)",
      ["cached"],
    );
    expect(await store.version("cached", 1)).toEqual(first);
    expect(await store.version("cached")).toEqual(first);
    // A later version, also behind the store's back (as another replica would save it): the latest is that one at once.
    await store.db.query(
      `INSERT INTO library_versions (scenario_id, version, hash, message, author, title, content)
       SELECT scenario_id, 2, hash, 'saved elsewhere', author, title, content FROM library_versions
       WHERE version = 1 AND scenario_id = (SELECT id FROM library_scenarios WHERE name = $1)`,
      ["cached"],
    );
    await store.db.query("UPDATE library_scenarios SET latest = 2 WHERE name = $1", ["cached"]);
    expect((await store.version("cached"))?.info).toMatchObject({ version: 2, message: "saved elsewhere" });
  });

  it("keeps names exactly as given: unicode, spaces, __proto__, ../x, quotes", async () => {
    const names = ["__proto__", "../x", "План Ташкент 2026", "a b\tc", "'; DROP TABLE library_versions; --", "🚗 bus", "constructor", "%2F"];
    for (const name of names) expect((await store.save(name, base, { message: name, author: "anonymous", expected: null })).kind).toBe("saved");
    const listed = (await store.list()).map((entry) => entry.name);
    for (const name of names) {
      expect(listed).toContain(name);
      expect((await store.history(name))?.versions[0]?.message).toBe(name);
    }
  });

  it("lets exactly one of many concurrent saves expecting the same version win", async () => {
    await store.save("contended", base, { message: "v1", author: "a", expected: null });
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => store.save("contended", retitled(`try ${i}`), { message: `try ${i}`, author: "a", expected: 1 })),
    );
    expect(outcomes.filter((outcome) => outcome.kind === "saved")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.kind === "conflict")).toHaveLength(11);
    expect((await store.history("contended"))?.versions).toHaveLength(2);

    const firsts = await Promise.all(Array.from({ length: 8 }, (_, i) => store.save("born twice", base, { message: String(i), author: "a", expected: null })));
    expect(firsts.filter((outcome) => outcome.kind === "saved")).toHaveLength(1);
  });

  it("stores results with their version, request and software, and lists them with the version", async () => {
    await store.save("with results", base, { message: "", author: "a", expected: null });
    const id = await store.saveResult({
      name: "with results",
      version: 1,
      kind: "plan",
      request: { options: { backend: "highs" } },
      author: "a",
      resultJson: '{"x":1}',
    });
    const pending = await store.saveResult({ name: "with results", version: 1, kind: "sweep", request: {}, author: "a", jobId: "job-1" });
    expect(await store.result(id)).toMatchObject({
      id,
      name: "with results",
      version: 1,
      kind: "plan",
      status: "done",
      resultJson: '{"x":1}',
      software: software(),
    });
    expect(software().solvers.highs).toMatch(/^\d+\.\d+/);
    expect(await store.result(pending)).toMatchObject({ status: "pending", job_id: "job-1", resultJson: null });
    await store.completeResult(pending, "done", '{"y":2}');
    await store.completeResult(pending, "failed", null); // once only
    expect(await store.result(pending)).toMatchObject({ status: "done", resultJson: '{"y":2}' });
    expect((await store.history("with results"))?.results.map((result) => result.id).sort()).toEqual([id, pending].sort());
    await expect(store.saveResult({ name: "with results", version: 9, kind: "plan", request: {}, author: "a", resultJson: "{}" })).rejects.toThrow(
      /no version 9/,
    );
    expect(await store.result("no-such-id")).toBeUndefined();
  });
});

describe("migrations on a PostgreSQL server", () => {
  it("run once when several processes' pools start together (advisory lock)", async () => {
    const database = await createTestDatabase();
    try {
      const dbs = await Promise.all(Array.from({ length: 4 }, () => openDatabase({ databaseUrl: database.url, poolSize: 2 })));
      try {
        const applied = await Promise.all(dbs.map((db) => migrate(db)));
        expect(applied.flat().sort()).toEqual(migrations().map((migration) => migration.version));
      } finally {
        await Promise.all(dbs.map((db) => db.close()));
      }
    } finally {
      await database.drop();
    }
  }, 60_000);
});

describe("the embedded library's folder", () => {
  it("is opened by one process at a time; a pid file left by a process that is gone is taken over", async () => {
    const folder = await temporaryDataDir();
    try {
      const store = await LibraryStore.open({ dataDir: folder.dir });
      await expect(LibraryStore.open({ dataDir: folder.dir })).rejects.toBeInstanceOf(DataDirBusy);
      await store.close();
      expect(existsSync(join(folder.dir, "jointplan.pid"))).toBe(false);
      writeFileSync(join(folder.dir, "jointplan.pid"), "999999999"); // no such process
      const reopened = await LibraryStore.open({ dataDir: folder.dir });
      expect(await reopened.list()).toEqual([]);
      await reopened.close();
    } finally {
      await folder.remove();
    }
  }, 60_000);
});
