import { availableParallelism } from "node:os";
import { createChunkPool, workerEntry, type ChunkPool } from "../util/workerThreads.js";
import type { SweepChunk, SweepChunkRunner, SweepChunkTask } from "./types.js";

/** The grid chunks' worker entry (the build's, under tsx or vitest). */
export const sweepWorkerUrl = workerEntry(import.meta.url, "whatif/sweepWorker");

export interface SweepPool extends SweepChunkRunner, ChunkPool<SweepChunkTask, SweepChunk> {}

/**
 * Worker threads for grid chunks (piscina). Each worker loads HiGHS once and
 * keeps the formulation of the last grid it worked for (chunks with one
 * key). Close the pool when done: its threads keep a process alive.
 */
export function createSweepPool(threads: number = availableParallelism(), workerFile: URL = sweepWorkerUrl): SweepPool {
  return createChunkPool<SweepChunkTask, SweepChunk>(workerFile, threads);
}
