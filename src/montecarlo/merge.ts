import { clean } from "../explain/numbers.js";
import type { PlanStatus } from "../plan/types.js";
import { parseScenario } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";
import { sampleLayout } from "./layout.js";
import { orderStatistics } from "./select.js";
import type { MonteCarloSpec } from "./schema.js";
import type { MonteCarloChunk, MonteCarloResult, ObjectiveStats, ProductionQuantiles, SampleOutcome } from "./types.js";

/**
 * A run's result from its chunks, in any order and any split: the chunks are
 * sorted by `from`, and every sample must be counted exactly once — two
 * chunks that share a sample throw, and so does a sample left out unless
 * the run `stopped` (cancelled, or at its deadline). Figures are computed
 * over the samples in index order, so that any split gives the same result.
 */
export function mergeMonteCarlo(
  scenario: Scenario,
  spec: MonteCarloSpec,
  chunks: readonly MonteCarloChunk[],
  stopped?: "cancelled" | "deadline",
): MonteCarloResult {
  const layout = sampleLayout(parseScenario(scenario));
  const samples = countOnce(chunks, spec.samples, stopped !== undefined);
  for (const sample of samples) {
    const planned = sample.objective !== null;
    if (sample.met.length !== (planned ? layout.targets.length : 0) || sample.production.length !== (planned ? layout.production.length : 0)) {
      throw new Error(`sample ${sample.index} does not have the scenario's figures: was it solved for another scenario?`);
    }
  }
  const planned = samples.filter((sample): sample is SampleOutcome & { objective: number } => sample.objective !== null);
  // One column of units per production row, filled sample by sample (one pass over the samples: a million-sample merge feels it).
  const columns = layout.production.map(() => new Float64Array(planned.length));
  planned.forEach((sample, i) => {
    columns.forEach((column, p) => (column[i] = sample.production[p] ?? 0));
  });
  const met = metCounts(samples, layout.targets.length);
  const production: ProductionQuantiles[] = [];
  layout.production.forEach((row, p) => {
    const units = columns[p];
    if (units === undefined || units.length === 0 || !units.some((value) => value !== 0)) return;
    const [p5, p50, p95] = orderStatistics(units, [rankOf(units.length, 5), rankOf(units.length, 50), rankOf(units.length, 95)]).map(clean);
    production.push({ ...row, p5: p5 ?? NaN, p50: p50 ?? NaN, p95: p95 ?? NaN });
  });
  return {
    samples: samples.length,
    requested: spec.samples,
    seed: spec.seed,
    feasible: planned.length,
    statuses: statusCounts(samples),
    solves: chunks.reduce((sum, chunk) => sum + chunk.solves, 0),
    objective: planned.length === 0 ? null : objectiveStats(planned.map((sample) => sample.objective)),
    targets: layout.targets.map((row, j) => ({ ...row, met_share: samples.length === 0 ? null : (met[j] ?? 0) / samples.length })),
    production,
    ...(stopped === undefined ? {} : { stopped }),
    notes: notesOf(chunks, samples),
  };
}

/** The chunks' samples in index order, each once; throws where two chunks share a sample, or (unless `gapsAllowed`) where a sample is missing. */
function countOnce(chunks: readonly MonteCarloChunk[], requested: number, gapsAllowed: boolean): SampleOutcome[] {
  const ordered = chunks.filter((chunk) => chunk.to > chunk.from).sort((a, b) => a.from - b.from);
  const samples: SampleOutcome[] = [];
  let next = 0;
  for (const chunk of ordered) {
    if (chunk.from < next) throw new Error(`chunks overlap: samples ${chunk.from} to ${Math.min(next, chunk.to) - 1} would be counted twice`);
    if (chunk.from > next && !gapsAllowed) throw new Error(`samples ${next} to ${chunk.from - 1} are missing: only a run that stopped may leave samples out`);
    if (chunk.to > requested) throw new Error(`a chunk reaches sample ${chunk.to - 1} of a run of ${requested}`);
    if (chunk.samples.length !== chunk.to - chunk.from || chunk.samples.some((sample, k) => sample.index !== chunk.from + k)) {
      throw new Error(`the chunk of samples ${chunk.from} to ${chunk.to - 1} does not hold exactly those samples, in order`);
    }
    samples.push(...chunk.samples);
    next = chunk.to;
  }
  if (next < requested && !gapsAllowed) throw new Error(`samples ${next} to ${requested - 1} are missing: only a run that stopped may leave samples out`);
  return samples;
}

/**
 * The p-th percentile of sorted values, by nearest rank: the smallest value
 * with at least p% of the values at or below it (an actual sample's value;
 * the median of an even count is the lower middle one).
 */
export function quantile(sorted: Float64Array, percent: number): number {
  return clean(sorted[rankOf(sorted.length, percent)] ?? NaN);
}

/** The 0-based position of the p-th percentile by nearest rank among `count` values in ascending order. */
function rankOf(count: number, percent: number): number {
  return Math.max(1, Math.ceil((percent * count) / 100)) - 1;
}

/** How many samples met each target, in one pass over the samples. */
function metCounts(samples: readonly SampleOutcome[], targets: number): Float64Array {
  const counts = new Float64Array(targets);
  for (const sample of samples) sample.met.forEach((flag, j) => (counts[j] = (counts[j] ?? 0) + (flag === 1 ? 1 : 0)));
  return counts;
}

function objectiveStats(values: readonly number[]): ObjectiveStats {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const value of values) sum += value;
  return {
    mean: clean(sum / values.length),
    p5: quantile(sorted, 5),
    p50: quantile(sorted, 50),
    p95: quantile(sorted, 95),
    min: clean(sorted[0] ?? NaN),
    max: clean(sorted[sorted.length - 1] ?? NaN),
  };
}

const STATUS_ORDER: readonly PlanStatus[] = ["optimal", "time_limit", "infeasible", "unbounded", "undecided"];

function statusCounts(samples: readonly SampleOutcome[]): Partial<Record<PlanStatus, number>> {
  const counts: Partial<Record<PlanStatus, number>> = {};
  for (const status of STATUS_ORDER) {
    const count = samples.filter((sample) => sample.status === status).length;
    if (count > 0) counts[status] = count;
  }
  return counts;
}

function notesOf(chunks: readonly MonteCarloChunk[], samples: readonly SampleOutcome[]): string[] {
  const notes = [...new Set(chunks.flatMap((chunk) => chunk.notes))].sort();
  const unverified = samples.filter((sample) => sample.replanned === "unverified").length;
  const unsolved = samples.filter((sample) => sample.replanned === "unsolved").length;
  const count = (n: number) => `${n} sample${n === 1 ? "" : "s"}`;
  if (unverified > 0) notes.push(`${count(unverified)}: the solver's answer on the moved model failed verification; planned again from scratch.`);
  if (unsolved > 0) notes.push(`${count(unsolved)}: HiGHS could not solve the moved model; planned again from scratch.`);
  return notes;
}
