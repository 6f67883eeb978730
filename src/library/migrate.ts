import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Database, Queryable } from "./database.js";

/**
 * The numbered SQL files of `src/library/migrations/` (`001_library.sql`, …),
 * found from this module in `src/` and in `dist/` alike, in order.
 */
const MIGRATIONS_DIR = fileURLToPath(new URL("../../src/library/migrations/", import.meta.url));

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export function migrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => /^\d+_[\w-]+\.sql$/.test(file))
    .map((file) => ({ version: Number(file.slice(0, file.indexOf("_"))), name: file, sql: readFileSync(MIGRATIONS_DIR + file, "utf8") }))
    .sort((a, b) => a.version - b.version);
}

/** The advisory lock every process migrating one database takes: two int4 keys, "jplb" and 1. */
const LOCK_KEYS = [0x6a706c62, 1] as const;

/**
 * Brings the database to the newest schema: under a session-level advisory
 * lock (replicas starting together wait for each other, and the second finds
 * the work done), each migration not yet applied runs in its own transaction
 * with its row in `library_migrations`. Returns the migrations it applied.
 */
export async function migrate(db: Database): Promise<number[]> {
  return db.session(async (connection) => {
    await connection.query("SELECT pg_advisory_lock($1, $2)", LOCK_KEYS);
    try {
      await connection.exec(
        "CREATE TABLE IF NOT EXISTS library_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
      );
      const done = new Set((await connection.query<{ version: number }>("SELECT version FROM library_migrations")).rows.map((row) => row.version));
      const applied: number[] = [];
      for (const migration of migrations()) {
        if (done.has(migration.version)) continue;
        await inTransaction(connection, async () => {
          await connection.exec(migration.sql);
          await connection.query("INSERT INTO library_migrations (version, name) VALUES ($1, $2)", [migration.version, migration.name]);
        });
        applied.push(migration.version);
      }
      return applied;
    } finally {
      await connection.query("SELECT pg_advisory_unlock($1, $2)", LOCK_KEYS);
    }
  });
}

async function inTransaction(connection: Queryable, work: () => Promise<void>): Promise<void> {
  await connection.exec("BEGIN");
  try {
    await work();
    await connection.exec("COMMIT");
  } catch (error) {
    await connection.exec("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
