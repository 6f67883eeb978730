import { availableParallelism } from "node:os";
import { createChunkPool, workerEntry, type ChunkPool } from "../util/workerThreads.js";
import type { MonteCarloChunk, MonteCarloChunkRunner, MonteCarloChunkTask } from "./types.js";

/** The Monte Carlo chunks' worker entry (the build's, under tsx or vitest). */
export const monteCarloWorkerUrl = workerEntry(import.meta.url, "montecarlo/worker");

export interface MonteCarloPool extends MonteCarloChunkRunner, ChunkPool<MonteCarloChunkTask, MonteCarloChunk> {}

/**
 * Worker threads for Monte Carlo chunks (piscina). Each worker loads HiGHS
 * once and keeps the model of the last run it worked for (chunks with one
 * key). Close the pool when done: its threads keep a process alive.
 */
export function createMonteCarloPool(threads: number = availableParallelism(), workerFile: URL = monteCarloWorkerUrl): MonteCarloPool {
  return createChunkPool<MonteCarloChunkTask, MonteCarloChunk>(workerFile, threads);
}
