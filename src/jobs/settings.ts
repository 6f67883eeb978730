import { availableParallelism } from "node:os";

/** What an operator tunes about jobs (docs/jobs.md lists the environment variables). */
export interface JobSettings {
  /** How long a finished job (its result or problem) is kept, from when it finished. */
  readonly ttlMs: number;
  /** Most jobs kept at once; beyond, the oldest finished one is dropped, and with none finished a new job is refused (503). */
  readonly maxKept: number;
  /** Largest result kept (JSON bytes); a larger one fails its job. */
  readonly maxResultBytes: number;
  /** Worker threads that run jobs inside the service (embedded mode). */
  readonly threads: number;
  /** Monte Carlo samples per chunk: the unit that a thread or a worker takes, and what a cancel or a lost worker can lose. */
  readonly chunkSamples: number;
  /** Grid points per chunk of a sweep. */
  readonly chunkPoints: number;
  /** The time limit of each solve of a job that sets no `options.timeLimitMs`, and the largest one it may set. */
  readonly maxRunMs: number;
  /** Most variants one comparison job compares. */
  readonly maxVariants: number;
  /** Redis (`redis://` or `rediss://`, with a password if it needs one): jobs go on a BullMQ queue there for `jointplan worker` processes; none: jobs run inside the service. */
  readonly redisUrl?: string;
  /** Prefix of the BullMQ queues' keys: services and workers that share it share the jobs. */
  readonly queuePrefix: string;
}

export function defaultJobSettings(): JobSettings {
  return {
    ttlMs: 24 * 60 * 60 * 1000,
    maxKept: 1_000,
    maxResultBytes: 64 * 1024 * 1024,
    threads: Math.max(1, availableParallelism()),
    chunkSamples: 50,
    chunkPoints: 10,
    maxRunMs: 6 * 60 * 60 * 1000,
    maxVariants: 1_000,
    queuePrefix: "jointplan",
  };
}

/** Settings with every number checked: a whole number of at least 1 (named in the error). */
export function resolveJobSettings(input: Partial<JobSettings> = {}): JobSettings {
  const settings: JobSettings = { ...defaultJobSettings(), ...input };
  for (const key of ["ttlMs", "maxKept", "maxResultBytes", "threads", "chunkSamples", "chunkPoints", "maxRunMs", "maxVariants"] as const) {
    const value = settings[key];
    if (!Number.isInteger(value) || value < 1) throw new Error(`jobs.${key} must be a whole number of at least 1, got ${value}`);
  }
  if (settings.redisUrl !== undefined) redisUrlIssue(settings.redisUrl);
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(settings.queuePrefix))
    throw new Error(`the queue prefix ${JSON.stringify(settings.queuePrefix)} must be 1–64 letters, digits or _.:-`);
  return settings;
}

/** Throws unless `url` is a redis:// or rediss:// address (the message never repeats a password). */
export function redisUrlIssue(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("JOINTPLAN_REDIS_URL is not a URL; write redis://[:password@]host[:port][/db] or rediss://… for TLS");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new Error(`JOINTPLAN_REDIS_URL must start with redis:// or rediss://, not ${parsed.protocol}//`);
  }
}
