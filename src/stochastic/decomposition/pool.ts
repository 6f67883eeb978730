import { availableParallelism } from "node:os";
import { createChunkPool, workerEntry, type ChunkPool } from "../../util/workerThreads.js";
import { runSubproblemChunk } from "./chunk.js";
import type { SubproblemChunk, SubproblemRunner, SubproblemTask } from "./types.js";

/** The decomposition chunks' worker entry (the build's, under tsx or vitest). */
export const subproblemWorkerUrl = workerEntry(import.meta.url, "stochastic/decomposition/worker");

export interface SubproblemPool extends SubproblemRunner, ChunkPool<SubproblemTask, SubproblemChunk> {}

/**
 * Worker threads for a decomposition's subproblems (piscina): each loads
 * HiGHS once and keeps the models of the outcomes it was given. Close the
 * pool when done: its threads keep a process alive.
 */
export function createSubproblemPool(threads: number = availableParallelism(), workerFile: URL = subproblemWorkerUrl): SubproblemPool {
  return createChunkPool<SubproblemTask, SubproblemChunk>(workerFile, threads);
}

/** Solves every chunk on the calling thread, one after another. */
export const inlineSubproblems: SubproblemRunner = {
  threads: 1,
  run: (task, signal) => {
    signal?.throwIfAborted();
    return Promise.resolve(runSubproblemChunk(task));
  },
};
