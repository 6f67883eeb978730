import { availableParallelism } from "node:os";
import { resolveJobSettings } from "./settings.js";
import { startJobWorker } from "./worker.js";

/** Default lock of a unit (ms): a dead worker's unit goes to another after about this long. */
export const DEFAULT_LOCK_MS = 30_000;

export interface RunWorkerOptions {
  readonly concurrency?: number;
  readonly log: (line: string) => void;
}

/**
 * `jointplan worker`: runs units of jobs from Redis (JOINTPLAN_REDIS_URL,
 * JOINTPLAN_QUEUE_PREFIX) until SIGTERM or SIGINT, then finishes the units it
 * holds — or, at a second signal, stops at once and leaves them to another
 * worker — and resolves 0. JOINTPLAN_WORKER_LOCK_MS sets how soon a dead
 * worker's unit is taken up again.
 */
export async function runWorker(env: NodeJS.ProcessEnv, options: RunWorkerOptions): Promise<number> {
  const url = env["JOINTPLAN_REDIS_URL"]?.trim();
  if (url === undefined || url === "") {
    options.log("jointplan worker: JOINTPLAN_REDIS_URL is not set; a worker takes jobs from Redis (redis://host:6379), see docs/scale-out.md");
    return 1;
  }
  const prefix = env["JOINTPLAN_QUEUE_PREFIX"]?.trim();
  const settings = resolveJobSettings({ redisUrl: url, ...(prefix === undefined || prefix === "" ? {} : { queuePrefix: prefix }) });
  const lockText = env["JOINTPLAN_WORKER_LOCK_MS"];
  const lockMs = lockText === undefined || lockText.trim() === "" ? DEFAULT_LOCK_MS : Number(lockText);
  if (!Number.isInteger(lockMs) || lockMs < 100)
    throw new Error(`JOINTPLAN_WORKER_LOCK_MS must be a whole number of at least 100, got ${JSON.stringify(lockText)}`);
  const concurrency = options.concurrency ?? Math.max(1, availableParallelism());
  const where = new URL(url);
  const worker = await startJobWorker({
    redisUrl: url,
    queuePrefix: settings.queuePrefix,
    concurrency,
    lockMs,
    onError: (jobId, error) => options.log(`jointplan worker: job ${jobId === "" ? "(queue)" : jobId} failed: ${error.stack ?? error.message}`),
  });
  options.log(`jointplan worker: taking jobs from ${where.protocol}//${where.host} (prefix ${settings.queuePrefix}), ${concurrency} at once`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        options.log(`jointplan worker: ${signal} again: stopping now; the units held go to another worker when their locks lapse`);
        process.exit(1);
      }
      stopping = true;
      options.log(`jointplan worker: ${signal}: finishing the units held, taking no more`);
      worker.close().then(
        () => {
          process.off("SIGTERM", stop).off("SIGINT", stop);
          options.log("jointplan worker: stopped cleanly");
          resolve(0);
        },
        (error: unknown) => {
          options.log(`jointplan worker: shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
          resolve(1);
        },
      );
    };
    process.on("SIGTERM", stop).on("SIGINT", stop);
  });
}
