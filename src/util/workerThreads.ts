import { availableParallelism } from "node:os";
import { Piscina } from "piscina";

/**
 * The entry of a worker thread, beside the module that starts it: under tsx
 * or vitest that module runs from `src/` as TypeScript, which a worker thread
 * cannot load, so the workers then run the build in `dist/` (`npm test`
 * builds before it runs the suites). `from` is the starting module's
 * `import.meta.url`, `file` the entry's path from `src/` (`whatif/sweepWorker`).
 */
export function workerEntry(from: string, file: string): URL {
  const name = file.slice(file.lastIndexOf("/") + 1);
  return from.endsWith(".ts") ? new URL(`${"../".repeat(file.split("/").length)}dist/${file}.js`, from) : new URL(`./${name}.js`, from);
}

/** Worker threads that run chunks of a run (a grid's, a Monte Carlo run's) elsewhere than the caller's event loop. */
export interface ChunkPool<Task, Chunk> {
  readonly threads: number;
  run(task: Task, signal?: AbortSignal): Promise<Chunk>;
  /** Waits for running chunks, then stops the threads. */
  close(): Promise<void>;
}

/** `threads` worker threads (piscina) running `workerFile`'s default export, kept up until closed: each loads HiGHS once. */
export function createChunkPool<Task, Chunk>(workerFile: URL, threads: number = availableParallelism()): ChunkPool<Task, Chunk> {
  const size = Math.max(1, Math.floor(threads));
  const pool = new Piscina<Task, Chunk>({ filename: workerFile.href, minThreads: size, maxThreads: size, idleTimeout: Infinity });
  return {
    threads: size,
    run: (task, signal) => pool.run(task, signal === undefined ? {} : { signal }),
    close: () => pool.close(),
  };
}
