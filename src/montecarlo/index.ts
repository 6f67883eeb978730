/** Monte Carlo under uncertain values (docs/montecarlo.md): the run, its chunks for workers anywhere, and their merge. */
export { monteCarlo } from "./monteCarlo.js";
export { prepareMonteCarlo } from "./prepare.js";
export type { PreparedMonteCarlo } from "./prepare.js";
export { runMonteCarloChunk } from "./chunk.js";
export { mergeMonteCarlo } from "./merge.js";
export { createMonteCarloPool } from "./pool.js";
export type { MonteCarloPool } from "./pool.js";
export { sampleMultipliers, NORMAL_REACH } from "./distributions.js";
export { monteCarloSpecSchema, uncertainEntrySchema, distributionSchema, MAX_MONTE_CARLO_SAMPLES, MAX_UNCERTAIN } from "./schema.js";
export type { MonteCarloSpec, MonteCarloSpecInput, UncertainEntry, Distribution } from "./schema.js";
export type {
  MonteCarloOptions,
  MonteCarloChunkTask,
  MonteCarloChunk,
  MonteCarloChunkRunner,
  MonteCarloResult,
  SampleOutcome,
  ObjectiveStats,
  TargetOutcome,
  ProductionQuantiles,
} from "./types.js";
