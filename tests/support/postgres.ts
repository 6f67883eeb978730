import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/**
 * A PostgreSQL database of a test suite's own, on the machine's server
 * (127.0.0.1:5432, user postgres, trust auth; `JOINTPLAN_TEST_POSTGRES_URL`
 * names another server): created with a random name, dropped by `drop()`.
 * When no server answers, `createTestDatabase` fails saying so — a suite that
 * needs PostgreSQL never passes without it.
 */

export const TEST_SERVER_URL = process.env["JOINTPLAN_TEST_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `jointplan_test_${randomBytes(6).toString("hex")}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    // WITH (FORCE) ends connections a failed test left open (PostgreSQL 13+).
    drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `These tests need a PostgreSQL server at ${TEST_SERVER_URL} (user postgres, trust auth; JOINTPLAN_TEST_POSTGRES_URL names another), and none answered: ${String(error)}`,
      { cause: error },
    );
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A temporary folder for an embedded library, removed by `remove()`. */
export async function temporaryDataDir(): Promise<{ readonly dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "jointplan-library-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
