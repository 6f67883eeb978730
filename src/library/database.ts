import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/**
 * The one seam between the library and PostgreSQL: the embedded database
 * (PGlite, in a data folder) and a server (node-postgres, a pool) differ only
 * in how a connection is made. Both take `query(text, params)`.
 */
export interface Queryable {
  // The rows' type is the caller's reading of its own SQL.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
  query<Row>(text: string, params?: readonly unknown[]): Promise<{ readonly rows: Row[] }>;
  /** Several statements, no parameters (a migration file). */
  exec(text: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: "embedded" | "server";
  /** Where it is: the data folder, or the server's address without its password. */
  readonly location: string;
  /** One transaction: committed when `work` resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** One connection for the whole of `work` (a session-level advisory lock needs it). */
  session<T>(work: (connection: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface StorageSettings {
  /** `JOINTPLAN_DATABASE_URL`: a PostgreSQL server (`postgres://…`); else the embedded database. */
  readonly databaseUrl?: string | undefined;
  /** `JOINTPLAN_DATA_DIR`: the embedded database's folder (default `./.jointplan`). */
  readonly dataDir?: string | undefined;
  /** Connections of the server pool (default 10). */
  readonly poolSize?: number | undefined;
}

export const DEFAULT_DATA_DIR = ".jointplan";

/** The settings of the environment: `JOINTPLAN_DATABASE_URL`, `JOINTPLAN_DATA_DIR`. */
export function storageFromEnv(env: NodeJS.ProcessEnv): StorageSettings {
  const url = env["JOINTPLAN_DATABASE_URL"]?.trim();
  const dir = env["JOINTPLAN_DATA_DIR"]?.trim();
  return { ...(url ? { databaseUrl: url } : {}), ...(dir ? { dataDir: dir } : {}) };
}

/** Connects as the settings say; the embedded database creates its folder. */
export async function openDatabase(settings: StorageSettings): Promise<Database> {
  if (settings.databaseUrl !== undefined) return serverDatabase(settings.databaseUrl, settings.poolSize ?? 10);
  return embeddedDatabase(resolve(settings.dataDir ?? DEFAULT_DATA_DIR));
}

/** The folder is in use by another live process. */
export class DataDirBusy extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `the library folder ${dir} is in use by process ${pid}: one process at a time opens an embedded library (stop it, or share a server with JOINTPLAN_DATABASE_URL)`,
    );
    this.name = "DataDirBusy";
  }
}

const LOCK_FILE = "jointplan.pid";

/**
 * PGlite in `dir`. One process at a time may open an embedded database (two
 * would corrupt it): a pid file says which; a file left by a process that is
 * gone (killed) is taken over.
 */
async function embeddedDatabase(dir: string): Promise<Database> {
  mkdirSync(dir, { recursive: true });
  claimFolder(dir);
  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir: join(dir, "pgdata") });
  } catch (error) {
    releaseFolder(dir);
    throw error;
  }
  const queryable = (target: Pick<PGlite, "query" | "exec">): Queryable => ({
    query: async (text: string, params: readonly unknown[] = []) => ({ rows: (await target.query<never>(text, [...params])).rows }),
    exec: async (text: string) => {
      await target.exec(text);
    },
  });
  const self = queryable(db);
  return {
    kind: "embedded",
    location: dir,
    ...self,
    transaction: (work) => db.transaction((tx) => work(queryable(tx))),
    // One connection is all PGlite has; the pid file keeps other processes out.
    session: (work) => work(self),
    close: async () => {
      await db.close();
      releaseFolder(dir);
    },
  };
}

/** Folders this process has open (a pid file naming this process may be one left by a killed process of the same pid, as in a container). */
const openHere = new Set<string>();

function claimFolder(dir: string): void {
  if (openHere.has(dir)) throw new DataDirBusy(dir, process.pid);
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      openHere.add(dir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const pid = Number(readFileSync(file, "utf8").trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new DataDirBusy(dir, pid);
    rmSync(file, { force: true }); // left by a process that is gone
  }
  throw new Error(`could not claim the library folder ${dir}`);
}

function releaseFolder(dir: string): void {
  openHere.delete(dir);
  rmSync(join(dir, LOCK_FILE), { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function serverDatabase(url: string, size: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: size });
  // An idle client's error (the server restarted) must not end the process: the pool replaces it.
  pool.on("error", () => undefined);
  const queryable = (target: pg.Pool | pg.PoolClient): Queryable => ({
    query: async (text: string, params: readonly unknown[] = []) => ({ rows: (await target.query(text, [...params])).rows as never[] }),
    exec: async (text: string) => {
      await target.query(text);
    },
  });
  const session = async <T>(work: (connection: Queryable) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      return await work(queryable(client));
    } finally {
      client.release();
    }
  };
  // Fail at start, naming the server, rather than on the first request.
  await session((connection) => connection.query("SELECT 1"));
  return {
    kind: "server",
    location: withoutPassword(url),
    ...queryable(pool),
    session,
    transaction: (work) =>
      session(async (connection) => {
        await connection.exec("BEGIN");
        try {
          const result = await work(connection);
          await connection.exec("COMMIT");
          return result;
        } catch (error) {
          await connection.exec("ROLLBACK").catch(() => undefined);
          throw error;
        }
      }),
    close: () => pool.end(),
  };
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = parsed.password === "" ? "" : "***";
    return parsed.toString();
  } catch {
    return "(a PostgreSQL server)";
  }
}
