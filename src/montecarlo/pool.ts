import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { MonteCarloChunk, MonteCarloChunkRunner, MonteCarloChunkTask } from "./types.js";

/**
 * Under tsx or vitest this file runs from `src/` as TypeScript, which a worker
 * thread cannot load: the workers then run the build in `dist/` (`npm test`
 * builds before it runs the suites).
 */
export const monteCarloWorkerUrl = import.meta.url.endsWith(".ts")
  ? new URL("../../dist/montecarlo/worker.js", import.meta.url)
  : new URL("./worker.js", import.meta.url);

export interface MonteCarloPool extends MonteCarloChunkRunner {
  /** Waits for running chunks, then stops the workers. */
  close(): Promise<void>;
}

/**
 * Worker threads for Monte Carlo chunks (piscina). Each worker loads HiGHS
 * once and keeps the model of the last run it worked for (chunks with one
 * key). Close the pool when done: its threads keep a process alive.
 */
export function createMonteCarloPool(threads: number = availableParallelism(), workerFile: URL = monteCarloWorkerUrl): MonteCarloPool {
  const size = Math.max(1, Math.floor(threads));
  const pool = new Piscina<MonteCarloChunkTask, MonteCarloChunk>({ filename: workerFile.href, minThreads: size, maxThreads: size, idleTimeout: Infinity });
  return {
    threads: size,
    run: (task, signal) => pool.run(task, signal === undefined ? {} : { signal }),
    close: () => pool.close(),
  };
}
