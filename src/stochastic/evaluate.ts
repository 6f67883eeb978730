import { monteCarlo } from "../montecarlo/monteCarlo.js";
import type { MonteCarloChunkRunner, SampleOutcome } from "../montecarlo/types.js";
import type { PlanOptions } from "../plan/options.js";
import type { Scenario } from "../scenario/schema.js";
import type { PreparedStochastic } from "./outcomes.js";
import type { StochasticEvaluation } from "./types.js";

/** The normal quantile of 97.5%: a 95% interval is the mean ± this many standard errors. */
const Z_975 = 1.959963984540054;

/**
 * The two-stage plan's here-and-now decisions on fresh samples: a Monte
 * Carlo run of `evaluate.samples` samples with `evaluate.seed` over the
 * request's uncertain values, each sample solved as the second stage (the
 * decisions fixed, unsold units allowed) — in chunks on threads or on the
 * caller's pool, as any Monte Carlo run. Mean and 95% confidence interval
 * over the samples with a plan; the others are counted.
 */
export async function evaluateHereAndNow(
  scenario: Scenario,
  prepared: PreparedStochastic,
  fixed: ReadonlyMap<string, number>,
  planOptions: PlanOptions,
  run: { threads?: number | undefined; pool?: MonteCarloChunkRunner | undefined; signal?: AbortSignal | undefined; onProgress?: (done: number) => void },
): Promise<StochasticEvaluation | undefined> {
  const { evaluate, sample } = prepared.spec;
  if (evaluate === undefined || sample === undefined) return undefined;
  let samples: readonly SampleOutcome[] = [];
  await monteCarlo(
    scenario,
    { samples: evaluate.samples, seed: evaluate.seed, uncertain: sample.uncertain },
    {
      ...planOptions,
      ...(run.threads === undefined ? {} : { threads: run.threads }),
      ...(run.pool === undefined ? {} : { pool: run.pool }),
      ...(run.signal === undefined ? {} : { signal: run.signal }),
      onProgress: (done) => run.onProgress?.(done),
      secondStage: { here_and_now: prepared.hereAndNow, fixed: [...fixed] },
      onSamples: (all) => (samples = all),
    },
  );
  run.signal?.throwIfAborted();
  const objectives = samples.flatMap((outcome) => (outcome.objective === null ? [] : [outcome.objective]));
  const n = objectives.length;
  const mean = n === 0 ? null : objectives.reduce((total, value) => total + value, 0) / n;
  let ci95: [number, number] | null = null;
  if (mean !== null && n >= 2) {
    const variance = objectives.reduce((total, value) => total + (value - mean) ** 2, 0) / (n - 1);
    const half = Z_975 * Math.sqrt(variance / n);
    ci95 = [mean - half, mean + half];
  }
  return { samples: samples.length, seed: evaluate.seed, mean, ci95, infeasible: samples.length - n };
}
