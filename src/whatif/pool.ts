import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { SweepChunk, SweepChunkRunner, SweepChunkTask } from "./types.js";

/**
 * Under tsx or vitest this file runs from `src/` as TypeScript, which a worker
 * thread cannot load: the workers then run the build in `dist/` (`npm test`
 * builds before it runs the suites).
 */
export const sweepWorkerUrl = import.meta.url.endsWith(".ts")
  ? new URL("../../dist/whatif/sweepWorker.js", import.meta.url)
  : new URL("./sweepWorker.js", import.meta.url);

export interface SweepPool extends SweepChunkRunner {
  /** Waits for running chunks, then stops the workers. */
  close(): Promise<void>;
}

/**
 * Worker threads for grid chunks (piscina). Each worker loads HiGHS once and
 * solves the chunks it is given, each on a formulation of its own. Close the
 * pool when done: its threads keep a process alive.
 */
export function createSweepPool(threads: number = availableParallelism(), workerFile: URL = sweepWorkerUrl): SweepPool {
  const size = Math.max(1, Math.floor(threads));
  const pool = new Piscina<SweepChunkTask, SweepChunk>({ filename: workerFile.href, minThreads: size, maxThreads: size, idleTimeout: Infinity });
  return {
    threads: size,
    run: (task, signal) => pool.run(task, signal === undefined ? {} : { signal }),
    close: () => pool.close(),
  };
}
