import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { z } from "zod";
import { resolveJobSettings, type JobSettings } from "../jobs/settings.js";
import type { SizeLimits } from "../tasks/size.js";
import { storageFromEnv, type StorageSettings } from "../library/database.js";

/**
 * Everything the HTTP service lets an operator tune, with the defaults it runs
 * with. `buildApp` takes a partial of this; the server reads it from the
 * environment (see `configFromEnv`). docs/service.md lists them.
 */
export interface ServiceConfig {
  /** Largest request body in bytes; a larger one is a 413. */
  readonly bodyLimitBytes: number;
  /** Worker threads solving plans. */
  readonly poolSize: number;
  /** Plans that may wait for a worker; one more is a 503 with Retry-After. */
  readonly queueLimit: number;
  /** Seconds a client is told to wait after a 503. */
  readonly retryAfterSeconds: number;
  /** Time limit of a request that sets no `options.timeLimitMs`. */
  readonly defaultTimeLimitMs: number;
  /** Largest `options.timeLimitMs` a request may ask for. */
  readonly maxTimeLimitMs: number;
  /**
   * How long past its deadline a solve may run before its worker is
   * terminated (and replaced) and the request answered `time_limit` with the
   * best plan found by then.
   */
  readonly terminationMarginMs: number;
  /**
   * Continuous LPs of at most this many columns, rows and non-zeros (upper
   * bounds read from the posted document) are solved on the request's own
   * thread when whatever solves them stops in time (`placement.ts`): for
   * them the hop to a worker costs more than the solve (docs/service.md).
   * A columns limit of 0 sends every plan to the pool.
   */
  readonly inlineMaxColumns: number;
  readonly inlineMaxRows: number;
  readonly inlineMaxNonZeros: number;
  /** Posted bodies whose parsed scenario is kept for a repeat of the same body (see `scenarioCache.ts`); 0 keeps none. */
  readonly parseCacheEntries: number;
  /** Largest body whose parsed scenario is kept. */
  readonly parseCacheMaxBodyBytes: number;
  /** Most variants one `POST /v1/comparisons` compares; beyond, a job. */
  readonly maxVariants: number;
  /** Most grid points one `POST /v1/sweeps` solves; beyond, a job. */
  readonly maxSweepPoints: number;
  /** Size limits on a posted scenario, checked before it is validated. */
  readonly limits: ScenarioLimits;
  /**
   * Keys a caller presents as `Authorization: Bearer <key>` on every route
   * but `/healthz` (`access.ts`); none: the service is open to anyone who
   * can reach it.
   */
  readonly apiKeys: readonly string[];
  /** Requests one client may make per `rateLimitWindowMs`; 0: no limit. The client is its API key, else its address. */
  readonly rateLimitMax: number;
  readonly rateLimitWindowMs: number;
  /** Exact origins (`https://plans.example.com`) whose pages may call the service from a browser; none: no cross-origin calls. */
  readonly corsOrigins: readonly string[];
  /**
   * Whose `X-Forwarded-For` gives a client's address (for the rate limit and
   * the log): nobody's (false), the nearest n proxies, or the proxies at
   * these addresses or CIDR ranges.
   */
  readonly trustProxy: false | number | readonly string[];
  /** Jobs (`POST /v1/jobs`): where they run, how long they are kept, how they are cut (`jobs/settings.ts`). */
  readonly jobs: JobSettings;
  /** The scenario library's storage: a PostgreSQL server (`databaseUrl`), else the embedded database in `dataDir` (default `./.jointplan`). */
  readonly library: StorageSettings;
}

/** What a posted scenario may hold (`tasks/size.ts`): records of each kind, the model's size, the answer's rows, id lengths. */
export type ScenarioLimits = SizeLimits;

export const defaultLimits: ScenarioLimits = {
  plants: 200,
  products: 1_000,
  routes: 5_000,
  parts: 2_000,
  markets: 200,
  periods: 120,
  demand: 10_000,
  targets: 1_000,
  resourcesPerPlant: 100,
  columns: 100_000,
  rows: 100_000,
  nonZeros: 1_000_000,
  answerRows: 100_000,
  idLength: 128,
  depth: 32,
};

export function defaultConfig(): ServiceConfig {
  return {
    bodyLimitBytes: 1024 * 1024,
    poolSize: Math.max(1, availableParallelism()),
    queueLimit: 64,
    retryAfterSeconds: 2,
    defaultTimeLimitMs: 10_000,
    maxTimeLimitMs: 60_000,
    terminationMarginMs: 100,
    inlineMaxColumns: 100,
    inlineMaxRows: 400,
    inlineMaxNonZeros: 4_000,
    maxVariants: 20,
    maxSweepPoints: 201,
    parseCacheEntries: 64,
    parseCacheMaxBodyBytes: 64 * 1024,
    limits: defaultLimits,
    apiKeys: [],
    rateLimitMax: 0,
    rateLimitWindowMs: 60_000,
    corsOrigins: [],
    trustProxy: false,
    jobs: resolveJobSettings(),
    library: {},
  };
}

/** The shortest API key accepted: 16 characters of base64 are 96 bits, beyond guessing at any rate a server answers. */
export const MIN_API_KEY_LENGTH = 16;
/** RFC 6750's token syntax (b64token): what a client can send after `Bearer ` unquoted. */
const bearerTokenSyntax = /^[A-Za-z0-9\-._~+/]+=*$/;

export type ServiceConfigInput = Partial<Omit<ServiceConfig, "limits" | "jobs">> & {
  readonly limits?: Partial<ScenarioLimits>;
  readonly jobs?: Partial<JobSettings>;
};

export function resolveConfig(input: ServiceConfigInput = {}): ServiceConfig {
  const defaults = defaultConfig();
  const config: ServiceConfig = { ...defaults, ...input, limits: { ...defaults.limits, ...input.limits }, jobs: resolveJobSettings(input.jobs) };
  const atLeastOne = ["poolSize", "defaultTimeLimitMs", "maxTimeLimitMs", "bodyLimitBytes"] as const;
  for (const key of atLeastOne) {
    if (!Number.isInteger(config[key]) || config[key] < 1) throw new Error(`${key} must be a whole number of at least 1, got ${config[key]}`);
  }
  for (const key of ["parseCacheEntries", "parseCacheMaxBodyBytes"] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 0) throw new Error(`${key} must be a whole number, got ${config[key]}`);
  }
  if (config.defaultTimeLimitMs > config.maxTimeLimitMs) {
    throw new Error(`the default time limit (${config.defaultTimeLimitMs} ms) exceeds the maximum (${config.maxTimeLimitMs} ms)`);
  }
  if (!Number.isInteger(config.rateLimitMax) || config.rateLimitMax < 0) throw new Error(`rateLimitMax must be a whole number, got ${config.rateLimitMax}`);
  if (!Number.isInteger(config.rateLimitWindowMs) || config.rateLimitWindowMs < 1) {
    throw new Error(`rateLimitWindowMs must be a whole number of at least 1, got ${config.rateLimitWindowMs}`);
  }
  // Messages name a key by its position, never by its text: they end up in logs.
  config.apiKeys.forEach((key, index) => {
    const which = `API key ${index + 1} of ${config.apiKeys.length}`;
    if (!bearerTokenSyntax.test(key)) throw new Error(`${which} has characters a Bearer token cannot carry (letters, digits and -._~+/ only, = at the end)`);
    if (key.length < MIN_API_KEY_LENGTH)
      throw new Error(`${which} is shorter than ${MIN_API_KEY_LENGTH} characters; generate one with: openssl rand -base64 32`);
  });
  for (const origin of config.corsOrigins) {
    if (!isExactOrigin(origin))
      throw new Error(`CORS origin ${JSON.stringify(origin)} is not an origin; write scheme://host[:port], e.g. https://plans.example.com`);
  }
  if (typeof config.trustProxy === "number" && (!Number.isInteger(config.trustProxy) || config.trustProxy < 1)) {
    throw new Error(`trustProxy must be a number of proxies of at least 1, got ${config.trustProxy}`);
  }
  return { ...config, apiKeys: [...new Set(config.apiKeys)] };
}

/** An origin as browsers send it: no path, no trailing slash, no wildcard, not "null". */
function isExactOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return url.origin !== "null" && url.origin === text;
  } catch {
    return false;
  }
}

const count = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int({ error: `${name} must be a whole number` })
    .min(0, { error: `${name} must not be negative` })
    .optional();

/** Environment variables → config; each is optional and named in the error when malformed. */
const environmentSchema = z.object({
  JOINTPLAN_BODY_LIMIT_BYTES: count("JOINTPLAN_BODY_LIMIT_BYTES"),
  JOINTPLAN_POOL_SIZE: count("JOINTPLAN_POOL_SIZE"),
  JOINTPLAN_QUEUE_LIMIT: count("JOINTPLAN_QUEUE_LIMIT"),
  JOINTPLAN_DEFAULT_TIME_LIMIT_MS: count("JOINTPLAN_DEFAULT_TIME_LIMIT_MS"),
  JOINTPLAN_MAX_TIME_LIMIT_MS: count("JOINTPLAN_MAX_TIME_LIMIT_MS"),
  JOINTPLAN_TERMINATION_MARGIN_MS: count("JOINTPLAN_TERMINATION_MARGIN_MS"),
  JOINTPLAN_INLINE_MAX_COLUMNS: count("JOINTPLAN_INLINE_MAX_COLUMNS"),
  JOINTPLAN_INLINE_MAX_ROWS: count("JOINTPLAN_INLINE_MAX_ROWS"),
  JOINTPLAN_INLINE_MAX_NON_ZEROS: count("JOINTPLAN_INLINE_MAX_NON_ZEROS"),
  JOINTPLAN_MAX_VARIANTS: count("JOINTPLAN_MAX_VARIANTS"),
  JOINTPLAN_MAX_SWEEP_POINTS: count("JOINTPLAN_MAX_SWEEP_POINTS"),
  JOINTPLAN_PARSE_CACHE_ENTRIES: count("JOINTPLAN_PARSE_CACHE_ENTRIES"),
  JOINTPLAN_PARSE_CACHE_MAX_BODY_BYTES: count("JOINTPLAN_PARSE_CACHE_MAX_BODY_BYTES"),
  JOINTPLAN_MAX_PLANTS: count("JOINTPLAN_MAX_PLANTS"),
  JOINTPLAN_MAX_PRODUCTS: count("JOINTPLAN_MAX_PRODUCTS"),
  JOINTPLAN_MAX_ROUTES: count("JOINTPLAN_MAX_ROUTES"),
  JOINTPLAN_MAX_PARTS: count("JOINTPLAN_MAX_PARTS"),
  JOINTPLAN_MAX_MARKETS: count("JOINTPLAN_MAX_MARKETS"),
  JOINTPLAN_MAX_PERIODS: count("JOINTPLAN_MAX_PERIODS"),
  JOINTPLAN_MAX_DEMAND: count("JOINTPLAN_MAX_DEMAND"),
  JOINTPLAN_MAX_TARGETS: count("JOINTPLAN_MAX_TARGETS"),
  JOINTPLAN_MAX_RESOURCES_PER_PLANT: count("JOINTPLAN_MAX_RESOURCES_PER_PLANT"),
  JOINTPLAN_MAX_VARIABLES: count("JOINTPLAN_MAX_VARIABLES"),
  JOINTPLAN_MAX_CONSTRAINTS: count("JOINTPLAN_MAX_CONSTRAINTS"),
  JOINTPLAN_MAX_NON_ZEROS: count("JOINTPLAN_MAX_NON_ZEROS"),
  JOINTPLAN_MAX_ANSWER_ROWS: count("JOINTPLAN_MAX_ANSWER_ROWS"),
  JOINTPLAN_MAX_ID_LENGTH: count("JOINTPLAN_MAX_ID_LENGTH"),
  JOINTPLAN_RATE_LIMIT_MAX: count("JOINTPLAN_RATE_LIMIT_MAX"),
  JOINTPLAN_RATE_LIMIT_WINDOW_MS: count("JOINTPLAN_RATE_LIMIT_WINDOW_MS"),
  JOINTPLAN_JOB_TTL_MS: count("JOINTPLAN_JOB_TTL_MS"),
  JOINTPLAN_JOB_MAX_KEPT: count("JOINTPLAN_JOB_MAX_KEPT"),
  JOINTPLAN_JOB_MAX_RESULT_BYTES: count("JOINTPLAN_JOB_MAX_RESULT_BYTES"),
  JOINTPLAN_JOB_THREADS: count("JOINTPLAN_JOB_THREADS"),
  JOINTPLAN_JOB_CHUNK_SAMPLES: count("JOINTPLAN_JOB_CHUNK_SAMPLES"),
  JOINTPLAN_JOB_CHUNK_POINTS: count("JOINTPLAN_JOB_CHUNK_POINTS"),
  JOINTPLAN_JOB_MAX_RUN_MS: count("JOINTPLAN_JOB_MAX_RUN_MS"),
  JOINTPLAN_JOB_MAX_VARIANTS: count("JOINTPLAN_JOB_MAX_VARIANTS"),
});

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function configFromEnv(env: NodeJS.ProcessEnv): ServiceConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join("; "));
  const e = parsed.data;
  return resolveConfig({
    apiKeys: apiKeysFromEnv(env),
    corsOrigins: list(env["JOINTPLAN_CORS_ORIGINS"]) ?? [],
    trustProxy: trustProxyFromEnv(env["JOINTPLAN_TRUST_PROXY"]),
    ...defined({
      rateLimitMax: e.JOINTPLAN_RATE_LIMIT_MAX,
      rateLimitWindowMs: e.JOINTPLAN_RATE_LIMIT_WINDOW_MS,
      bodyLimitBytes: e.JOINTPLAN_BODY_LIMIT_BYTES,
      poolSize: e.JOINTPLAN_POOL_SIZE,
      queueLimit: e.JOINTPLAN_QUEUE_LIMIT,
      defaultTimeLimitMs: e.JOINTPLAN_DEFAULT_TIME_LIMIT_MS,
      maxTimeLimitMs: e.JOINTPLAN_MAX_TIME_LIMIT_MS,
      terminationMarginMs: e.JOINTPLAN_TERMINATION_MARGIN_MS,
      inlineMaxColumns: e.JOINTPLAN_INLINE_MAX_COLUMNS,
      inlineMaxRows: e.JOINTPLAN_INLINE_MAX_ROWS,
      inlineMaxNonZeros: e.JOINTPLAN_INLINE_MAX_NON_ZEROS,
      maxVariants: e.JOINTPLAN_MAX_VARIANTS,
      maxSweepPoints: e.JOINTPLAN_MAX_SWEEP_POINTS,
      parseCacheEntries: e.JOINTPLAN_PARSE_CACHE_ENTRIES,
      parseCacheMaxBodyBytes: e.JOINTPLAN_PARSE_CACHE_MAX_BODY_BYTES,
    }),
    jobs: jobSettingsFromEnv(env, e),
    library: storageFromEnv(env),
    limits: defined({
      plants: e.JOINTPLAN_MAX_PLANTS,
      products: e.JOINTPLAN_MAX_PRODUCTS,
      routes: e.JOINTPLAN_MAX_ROUTES,
      parts: e.JOINTPLAN_MAX_PARTS,
      markets: e.JOINTPLAN_MAX_MARKETS,
      periods: e.JOINTPLAN_MAX_PERIODS,
      demand: e.JOINTPLAN_MAX_DEMAND,
      targets: e.JOINTPLAN_MAX_TARGETS,
      resourcesPerPlant: e.JOINTPLAN_MAX_RESOURCES_PER_PLANT,
      columns: e.JOINTPLAN_MAX_VARIABLES,
      rows: e.JOINTPLAN_MAX_CONSTRAINTS,
      nonZeros: e.JOINTPLAN_MAX_NON_ZEROS,
      answerRows: e.JOINTPLAN_MAX_ANSWER_ROWS,
      idLength: e.JOINTPLAN_MAX_ID_LENGTH,
    }),
  });
}

/** The job settings of the environment (the rest of `configFromEnv`'s). */
function jobSettingsFromEnv(env: NodeJS.ProcessEnv, e: z.infer<typeof environmentSchema>): Partial<JobSettings> {
  const redisUrl = env["JOINTPLAN_REDIS_URL"]?.trim();
  const prefix = env["JOINTPLAN_QUEUE_PREFIX"]?.trim();
  return {
    ...(redisUrl === undefined || redisUrl === "" ? {} : { redisUrl }),
    ...(prefix === undefined || prefix === "" ? {} : { queuePrefix: prefix }),
    ...defined({
      ttlMs: e.JOINTPLAN_JOB_TTL_MS,
      maxKept: e.JOINTPLAN_JOB_MAX_KEPT,
      maxResultBytes: e.JOINTPLAN_JOB_MAX_RESULT_BYTES,
      threads: e.JOINTPLAN_JOB_THREADS,
      chunkSamples: e.JOINTPLAN_JOB_CHUNK_SAMPLES,
      chunkPoints: e.JOINTPLAN_JOB_CHUNK_POINTS,
      maxRunMs: e.JOINTPLAN_JOB_MAX_RUN_MS,
      maxVariants: e.JOINTPLAN_JOB_MAX_VARIANTS,
    }),
  };
}

/** A comma-separated list, blanks dropped; undefined when the variable is unset or empty. */
function list(text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/**
 * The API keys: JOINTPLAN_API_KEYS (comma-separated) or JOINTPLAN_API_KEYS_FILE
 * (one per line, `#` comments), not both. A variable that is set but names
 * no key is an error, not an open service: `JOINTPLAN_API_KEYS="$UNSET"` must
 * not turn authentication off.
 */
function apiKeysFromEnv(env: NodeJS.ProcessEnv): string[] {
  const inline = env["JOINTPLAN_API_KEYS"];
  const file = env["JOINTPLAN_API_KEYS_FILE"];
  if (inline !== undefined && file !== undefined) throw new Error("set JOINTPLAN_API_KEYS or JOINTPLAN_API_KEYS_FILE, not both");
  if (inline !== undefined) {
    const keys = list(inline) ?? [];
    if (keys.length === 0) throw new Error("JOINTPLAN_API_KEYS is set but holds no key; unset it to run the service without keys");
    return keys;
  }
  if (file === undefined) return [];
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`JOINTPLAN_API_KEYS_FILE ${JSON.stringify(file)} cannot be read: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const keys = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  if (keys.length === 0) throw new Error(`JOINTPLAN_API_KEYS_FILE ${JSON.stringify(file)} holds no key (one per line; # starts a comment)`);
  return keys;
}

/** JOINTPLAN_TRUST_PROXY: a number of proxies, or their addresses / CIDR ranges, comma-separated. */
function trustProxyFromEnv(text: string | undefined): ServiceConfig["trustProxy"] {
  const items = list(text);
  if (items === undefined) return false;
  if (items.length === 1 && /^\d+$/.test(items[0] ?? "")) return Number(items[0]) === 0 ? false : Number(items[0]);
  return items;
}
