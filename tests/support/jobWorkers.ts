import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

/**
 * `jointplan worker` processes for the job queue suites: the built CLI
 * (`npm run build` first), each with its stderr kept, started on a Redis and
 * a queue prefix, and all stopped by `stopJobWorkers` (the suites' afterEach),
 * whatever the test did to them.
 */

const BIN = join(import.meta.dirname, "..", "..", "bin", "jointplan.js");

export interface JobWorkerProcess {
  readonly child: ChildProcess;
  /** What the worker wrote on stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or the signal that ended it). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: JobWorkerProcess[] = [];

export interface WorkerEnvironment {
  /** JOINTPLAN_REDIS_URL; left out when undefined (as a worker started without it). */
  readonly redisUrl?: string;
  readonly queuePrefix?: string;
  /** JOINTPLAN_WORKER_LOCK_MS: how soon a dead worker's unit goes to another. */
  readonly lockMs?: number;
}

/** Starts `jointplan worker --concurrency <n>` with the environment given (and none of the caller's JOINTPLAN_ variables). */
export function spawnJobWorker(environment: WorkerEnvironment, concurrency = 1): JobWorkerProcess {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("JOINTPLAN_")));
  if (environment.redisUrl !== undefined) env["JOINTPLAN_REDIS_URL"] = environment.redisUrl;
  if (environment.queuePrefix !== undefined) env["JOINTPLAN_QUEUE_PREFIX"] = environment.queuePrefix;
  if (environment.lockMs !== undefined) env["JOINTPLAN_WORKER_LOCK_MS"] = String(environment.lockMs);
  const child = spawn(process.execPath, [BIN, "worker", "--concurrency", String(concurrency)], { env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const worker = { child, stderr: () => stderr, exited };
  started.push(worker);
  return worker;
}

/** Starts `count` workers on `redisUrl` and `queuePrefix` and waits until each says it takes jobs. */
export async function startJobWorkers(
  count: number,
  environment: Required<Pick<WorkerEnvironment, "redisUrl" | "queuePrefix">> & WorkerEnvironment,
): Promise<JobWorkerProcess[]> {
  const workers = Array.from({ length: count }, () => spawnJobWorker(environment));
  await Promise.all(workers.map((worker) => untilTakingJobs(worker)));
  return workers;
}

/** Waits until the worker has logged that it takes jobs; fails with its stderr if it exits first or takes over 30 s. */
export async function untilTakingJobs(worker: JobWorkerProcess, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!worker.stderr().includes("taking jobs from")) {
    if (worker.child.exitCode !== null || worker.child.signalCode !== null)
      throw new Error(`jointplan worker exited (${worker.child.exitCode ?? worker.child.signalCode}) before taking jobs: ${worker.stderr()}`);
    if (Date.now() > until) throw new Error(`jointplan worker did not start taking jobs within ${timeoutMs} ms: ${worker.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Stops every worker started (SIGKILL: a test that wanted one stopped
 * otherwise has done so itself); returns what each wrote on stderr, for a
 * failed test to show.
 */
export async function stopJobWorkers(): Promise<string[]> {
  const stopping = started.splice(0);
  await Promise.all(
    stopping.map(async (worker) => {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGKILL");
      await worker.exited;
    }),
  );
  return stopping.map((worker) => worker.stderr());
}
