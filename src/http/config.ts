import { availableParallelism } from "node:os";
import { z } from "zod";
import type { SizeLimits } from "../tasks/size.js";

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
  /** Size limits on a posted scenario, checked before it is validated. */
  readonly limits: ScenarioLimits;
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
    parseCacheEntries: 64,
    parseCacheMaxBodyBytes: 64 * 1024,
    limits: defaultLimits,
  };
}

export type ServiceConfigInput = Partial<Omit<ServiceConfig, "limits">> & { readonly limits?: Partial<ScenarioLimits> };

export function resolveConfig(input: ServiceConfigInput = {}): ServiceConfig {
  const defaults = defaultConfig();
  const config: ServiceConfig = { ...defaults, ...input, limits: { ...defaults.limits, ...input.limits } };
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
  return config;
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
});

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function configFromEnv(env: NodeJS.ProcessEnv): ServiceConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join("; "));
  const e = parsed.data;
  return resolveConfig({
    ...defined({
      bodyLimitBytes: e.JOINTPLAN_BODY_LIMIT_BYTES,
      poolSize: e.JOINTPLAN_POOL_SIZE,
      queueLimit: e.JOINTPLAN_QUEUE_LIMIT,
      defaultTimeLimitMs: e.JOINTPLAN_DEFAULT_TIME_LIMIT_MS,
      maxTimeLimitMs: e.JOINTPLAN_MAX_TIME_LIMIT_MS,
      terminationMarginMs: e.JOINTPLAN_TERMINATION_MARGIN_MS,
      inlineMaxColumns: e.JOINTPLAN_INLINE_MAX_COLUMNS,
      inlineMaxRows: e.JOINTPLAN_INLINE_MAX_ROWS,
      inlineMaxNonZeros: e.JOINTPLAN_INLINE_MAX_NON_ZEROS,
      parseCacheEntries: e.JOINTPLAN_PARSE_CACHE_ENTRIES,
      parseCacheMaxBodyBytes: e.JOINTPLAN_PARSE_CACHE_MAX_BODY_BYTES,
    }),
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
