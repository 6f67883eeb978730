import { randomUUID } from "node:crypto";
import type { Scenario } from "../scenario/schema.js";
import { canonicalJson, sha256Hex } from "./canonical.js";
import { openDatabase, type Database, type Queryable, type StorageSettings } from "./database.js";
import { migrate } from "./migrate.js";
import { software, type Software } from "./software.js";

/** One saved version of a name, without its scenario. */
export interface VersionInfo {
  readonly name: string;
  readonly version: number;
  /** SHA-256 (hex) of the scenario's canonical JSON. */
  readonly hash: string;
  readonly title: string;
  readonly message: string;
  /** The calling key's label (`key:1a2b3c4d`), or "anonymous". */
  readonly author: string;
  /** ISO time (UTC). */
  readonly created_at: string;
}

/** A name as `list` gives it: its latest version. */
export interface NameSummary {
  readonly name: string;
  readonly latest: number;
  readonly title: string;
  readonly hash: string;
  readonly updated_at: string;
}

export type ResultKind = "plan" | "compare" | "sweep" | "montecarlo" | "stochastic";
export type ResultStatus = "done" | "pending" | "failed";

/** A saved result without its body. */
export interface ResultInfo {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly kind: ResultKind;
  /** pending: the job that makes it is still running; failed: it failed or was cancelled. */
  readonly status: ResultStatus;
  readonly author: string;
  readonly created_at: string;
  readonly job_id?: string;
}

/** A saved result: the request that made it (without the scenario), the software, and the answer as JSON text. */
export interface StoredResult extends ResultInfo {
  readonly request: unknown;
  readonly software: Software;
  readonly resultJson: string | null;
}

export interface History {
  readonly name: string;
  readonly latest: number;
  /** Newest first. */
  readonly versions: readonly VersionInfo[];
  /** Newest first. */
  readonly results: readonly ResultInfo[];
}

/**
 * What a save expects of the name: `null` that it is new, a number that this
 * is its latest version, `"*"` that it exists (any version).
 */
export type Expected = number | "*" | null;

export type SaveOutcome =
  | { readonly kind: "saved"; readonly version: VersionInfo }
  /** The name exists and the save said nothing of which version it follows (HTTP 428). */
  | { readonly kind: "precondition_required"; readonly latest: number }
  /** Another save came first: the name's latest version is not the one expected (HTTP 412); `latest` null when the name does not exist. */
  | { readonly kind: "conflict"; readonly latest: number | null };

export interface SaveRequest {
  readonly message: string;
  readonly author: string;
  readonly expected: Expected;
}

export interface NewResult {
  readonly name: string;
  readonly version: number;
  readonly kind: ResultKind;
  readonly request: unknown;
  readonly author: string;
  /** The answer's JSON text; absent for a job's result that is still to come. */
  readonly resultJson?: string;
  readonly jobId?: string;
}

/** Scenarios of versions read by number kept in memory, at most (in UTF-16 bytes). */
export const VERSION_CACHE_BYTES = 64 * 1024 * 1024;

const TIME = `to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const time = (column: string, as: string) => `${TIME.replace("%s", column)} AS ${as}`;
const VERSION_COLUMNS = `s.name, v.version, v.hash, v.title, v.message, v.author, ${time("v.created_at", "created_at")}`;
const RESULT_COLUMNS = `r.id, s.name, r.version, r.kind, r.status, r.author, r.job_id, ${time("r.created_at", "created_at")}`;

interface ResultRow {
  id: string;
  name: string;
  version: number;
  kind: ResultKind;
  status: ResultStatus;
  author: string;
  job_id: string | null;
  created_at: string;
}

/**
 * The scenario library (docs/scenario-library.md): names, each with its
 * immutable versions, and results saved with a version. Every query is here,
 * plain SQL on the `Database` seam; a save is one transaction.
 */
export class LibraryStore {
  private constructor(readonly db: Database) {}

  /** Opens the database the settings name and brings its schema up to date. */
  static async open(settings: StorageSettings): Promise<LibraryStore> {
    const db = await openDatabase(settings);
    try {
      await migrate(db);
    } catch (error) {
      await db.close();
      throw error;
    }
    return new LibraryStore(db);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /** Every name with its latest version, by name. */
  async list(): Promise<NameSummary[]> {
    const { rows } = await this.db.query<NameSummary>(
      `SELECT s.name, s.latest, v.title, v.hash, ${time("v.created_at", "updated_at")}
       FROM library_scenarios s JOIN library_versions v ON v.scenario_id = s.id AND v.version = s.latest
       ORDER BY s.name`,
    );
    return rows;
  }

  /** A name's versions and results, newest first; undefined for a name never saved. */
  async history(name: string): Promise<History | undefined> {
    const scenario = await this.db.query<{ id: string; latest: number }>("SELECT id, latest FROM library_scenarios WHERE name = $1", [name]);
    const found = scenario.rows[0];
    if (found === undefined) return undefined;
    const versions = await this.db.query<VersionInfo>(
      `SELECT ${VERSION_COLUMNS} FROM library_versions v JOIN library_scenarios s ON s.id = v.scenario_id WHERE v.scenario_id = $1 ORDER BY v.version DESC`,
      [found.id],
    );
    const results = await this.db.query<ResultRow>(
      `SELECT ${RESULT_COLUMNS} FROM library_results r JOIN library_scenarios s ON s.id = r.scenario_id WHERE r.scenario_id = $1 ORDER BY r.created_at DESC, r.id`,
      [found.id],
    );
    return { name, latest: found.latest, versions: versions.rows, results: results.rows.map(resultInfo) };
  }

  /**
   * Saves `scenario` (validated) as the name's next version, in one
   * transaction: the name's row is locked, so of concurrent saves expecting
   * the same version exactly one wins and the others see a conflict.
   */
  async save(name: string, scenario: Scenario, request: SaveRequest): Promise<SaveOutcome> {
    const content = canonicalJson(scenario);
    const hash = sha256Hex(content);
    return this.db.transaction(async (tx) => {
      const existing = await tx.query<{ id: string; latest: number }>("SELECT id, latest FROM library_scenarios WHERE name = $1 FOR UPDATE", [name]);
      const row = existing.rows[0];
      let scenarioId: string;
      let version: number;
      if (row === undefined) {
        if (request.expected !== null) return { kind: "conflict", latest: null };
        // A concurrent first save of the same name waits here on the unique name, then inserts nothing.
        const created = await tx.query<{ id: string }>(
          "INSERT INTO library_scenarios (name, latest) VALUES ($1, 1) ON CONFLICT (name) DO NOTHING RETURNING id",
          [name],
        );
        const id = created.rows[0]?.id;
        if (id === undefined) return { kind: "conflict", latest: await latestOf(tx, name) };
        scenarioId = id;
        version = 1;
      } else {
        if (request.expected === null) return { kind: "precondition_required", latest: row.latest };
        if (request.expected !== "*" && request.expected !== row.latest) return { kind: "conflict", latest: row.latest };
        scenarioId = row.id;
        version = row.latest + 1;
        await tx.query("UPDATE library_scenarios SET latest = $2 WHERE id = $1", [scenarioId, version]);
      }
      const inserted = await tx.query<VersionInfo>(
        `INSERT INTO library_versions AS v (scenario_id, version, hash, content, title, message, author) VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING $8::text AS name, v.version, v.hash, v.title, v.message, v.author, ${time("v.created_at", "created_at")}`,
        [scenarioId, version, hash, content, scenario.title, request.message, request.author, name],
      );
      const saved = inserted.rows[0];
      if (saved === undefined) throw new Error("INSERT … RETURNING gave no row");
      return { kind: "saved", version: saved };
    });
  }

  /**
   * A version (the latest when `version` is omitted) with its scenario as
   * canonical JSON text; undefined when there is none. Versions never change,
   * so a version asked for by number is kept in memory once read (up to
   * `VERSION_CACHE_BYTES` of scenarios, least recently used first out). Which
   * version is the latest is always asked of the database, which replicas
   * share — one read of the name's row — and that version then comes from
   * memory as any other.
   */
  async version(name: string, version?: number): Promise<{ readonly info: VersionInfo; readonly content: string } | undefined> {
    if (version !== undefined) {
      const key = `${name}\u0000${version}`; // NUL is in no name
      const cached = this.versions.get(key);
      if (cached !== undefined) {
        this.versions.delete(key);
        this.versions.set(key, cached);
        return cached;
      }
      const found = await this.readVersion(name, version);
      if (found !== undefined) this.remember(key, found);
      return found;
    }
    const latest = await latestOf(this.db, name);
    return latest === null ? undefined : this.version(name, latest);
  }

  private readonly versions = new Map<string, { readonly info: VersionInfo; readonly content: string }>();
  private cachedBytes = 0;

  private remember(key: string, found: { readonly info: VersionInfo; readonly content: string }): void {
    const bytes = found.content.length * 2;
    if (bytes > VERSION_CACHE_BYTES) return;
    this.versions.set(key, found);
    this.cachedBytes += bytes;
    for (const [oldest, entry] of this.versions) {
      if (this.cachedBytes <= VERSION_CACHE_BYTES) break;
      this.versions.delete(oldest);
      this.cachedBytes -= entry.content.length * 2;
    }
  }

  private async readVersion(name: string, version: number): Promise<{ readonly info: VersionInfo; readonly content: string } | undefined> {
    const { rows } = await this.db.query<VersionInfo & { content: string }>(
      `SELECT ${VERSION_COLUMNS}, v.content FROM library_scenarios s JOIN library_versions v ON v.scenario_id = s.id
       WHERE s.name = $1 AND v.version = $2`,
      [name, version],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    const { content, ...info } = row;
    return { info, content };
  }

  /** Stores a result with the version that made it; the version must exist. Returns its id. */
  async saveResult(result: NewResult): Promise<string> {
    const id = randomUUID();
    const status: ResultStatus = result.resultJson === undefined ? "pending" : "done";
    const { rowCount } = await this.db.transaction(async (tx) => {
      const inserted = await tx.query<{ id: string }>(
        `INSERT INTO library_results (id, scenario_id, version, kind, request, software, status, job_id, result, author)
         SELECT $1, s.id, v.version, $4, $5, $6, $7, $8, $9, $10 FROM library_scenarios s JOIN library_versions v ON v.scenario_id = s.id
         WHERE s.name = $2 AND v.version = $3 RETURNING id`,
        [
          id,
          result.name,
          result.version,
          result.kind,
          JSON.stringify(result.request),
          JSON.stringify(software()),
          status,
          result.jobId ?? null,
          result.resultJson ?? null,
          result.author,
        ],
      );
      return { rowCount: inserted.rows.length };
    });
    if (rowCount !== 1) throw new Error(`no version ${result.version} of ${JSON.stringify(result.name)} to save a result with`);
    return id;
  }

  /** Fills in a pending result (a job's) once: later calls change nothing. */
  async completeResult(id: string, status: "done" | "failed", resultJson: string | null): Promise<void> {
    await this.db.query("UPDATE library_results SET status = $2, result = $3 WHERE id = $1 AND status = 'pending'", [id, status, resultJson]);
  }

  /** Fills in every pending result of a job once it has ended. */
  async completeJobResults(jobId: string, status: "done" | "failed", resultJson: string | null): Promise<void> {
    await this.db.query("UPDATE library_results SET status = $2, result = $3 WHERE job_id = $1 AND status = 'pending'", [jobId, status, resultJson]);
  }

  async result(id: string): Promise<StoredResult | undefined> {
    const { rows } = await this.db.query<ResultRow & { request: string; software: string; result: string | null }>(
      `SELECT ${RESULT_COLUMNS}, r.request, r.software, r.result FROM library_results r JOIN library_scenarios s ON s.id = r.scenario_id WHERE r.id = $1`,
      [id],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      ...resultInfo(row),
      request: JSON.parse(row.request) as unknown,
      software: JSON.parse(row.software) as Software,
      resultJson: row.result,
    };
  }
}

async function latestOf(tx: Queryable, name: string): Promise<number | null> {
  const { rows } = await tx.query<{ latest: number }>("SELECT latest FROM library_scenarios WHERE name = $1", [name]);
  return rows[0]?.latest ?? null;
}

function resultInfo(row: ResultRow): ResultInfo {
  const { job_id, ...info } = row;
  return job_id === null ? info : { ...info, job_id };
}
