import { availableParallelism } from "node:os";
import { parsePlanOptions } from "../plan/options.js";
import { parseScenario } from "../scenario/parse.js";
import { Controls, PARALLEL_MIN_MS, scenarioKey } from "../whatif/sweep.js";
import { mergeMonteCarlo } from "./merge.js";
import { createMonteCarloPool, type MonteCarloPool } from "./pool.js";
import { prepareMonteCarlo } from "./prepare.js";
import { SampleSolver } from "./sampleSolver.js";
import type { MonteCarloChunk, MonteCarloOptions, MonteCarloResult, SampleOutcome } from "./types.js";

/** Chunks per worker thread, at least: several per thread balance the load. */
const CHUNKS_PER_THREAD = 4;
/** Samples per chunk, at most: a cancelled run loses the chunks it was solving, so they stay short. */
const MAX_CHUNK_SAMPLES = 250;

/**
 * Plans a scenario under uncertainty (docs/montecarlo.md): `spec` is
 * `{ samples, seed, uncertain }`; each sample scales what each uncertain
 * entry selects by a multiplier drawn from the entry's distribution, and is
 * planned and verified. The result gives the objective's distribution, how
 * often each target is met, and production quantiles. The samples run here,
 * on worker threads when the run is long enough to repay starting them, or
 * on `options.pool`. Throws `ValidationError` for an invalid scenario or
 * options, or (subject "request", paths in the request body) an invalid spec.
 */
export async function monteCarlo(scenario: unknown, spec: unknown, options: MonteCarloOptions = {}): Promise<MonteCarloResult> {
  const { signal, deadline, onProgress, threads, pool, secondStage, onSamples, ...planOptions } = options;
  const settings = parsePlanOptions(planOptions);
  const parsed = parseScenario(scenario);
  const prepared = prepareMonteCarlo(parsed, spec, settings);
  const controls = new Controls(settings, { signal, deadline, onProgress });
  const total = prepared.spec.samples;
  const threadCount = Math.max(1, Math.floor(threads ?? availableParallelism()));
  const finish = (chunks: readonly MonteCarloChunk[], stopped?: "cancelled" | "deadline") => {
    onSamples?.(
      chunks
        .flatMap((chunk) => chunk.samples)
        .slice()
        .sort((a, b) => a.index - b.index),
    );
    return mergeMonteCarlo(parsed, prepared.spec, chunks, stopped);
  };

  // A pool the caller passes takes every sample. Otherwise samples are solved here, and the second
  // tells what one costs: a run whose remaining samples repay starting worker threads goes to them.
  const samples: SampleOutcome[] = [];
  let solves = 0;
  if (pool === undefined) {
    const solver = new SampleSolver(parsed, prepared, settings, secondStage);
    try {
      while (samples.length < total) {
        const budget = controls.budget();
        if (budget === "cancelled" || budget === "deadline")
          return finish([{ from: 0, to: samples.length, samples, solves: solver.solves, notes: [] }], budget);
        const started = performance.now();
        samples.push(solver.solve(samples.length, budget));
        const ms = performance.now() - started;
        controls.progress(samples.length, total);
        await controls.breathe();
        const left = total - samples.length;
        if (samples.length === 2 && threadCount > 1 && left >= 2 * threadCount && left * ms > PARALLEL_MIN_MS) break;
      }
    } finally {
      solves = solver.solves;
      solver.dispose();
    }
  }
  const inline: MonteCarloChunk = { from: 0, to: samples.length, samples, solves, notes: [] };
  if (samples.length === total) return finish([inline]);

  let started: MonteCarloPool | undefined;
  const runner = pool ?? (started = createMonteCarloPool(threadCount));
  try {
    const left = total - inline.to;
    const ranges = cut(inline.to, total, Math.max(runner.threads * CHUNKS_PER_THREAD, Math.ceil(left / MAX_CHUNK_SAMPLES)));
    // One key for the chunks of this run: a worker validates and formulates once, and keeps its model for the next chunk.
    const key = `${scenarioKey(parsed)}:${JSON.stringify([prepared.spec, planOptions, secondStage ?? null])}`;
    const options = { ...planOptions, ...(deadline === undefined ? {} : { deadline }) };
    const finished: MonteCarloChunk[] = [];
    let done = inline.to;
    const runs = ranges.map(async ({ from, to }) => {
      const task = { scenario: parsed, spec: prepared.spec, from, to, options, key, ...(secondStage === undefined ? {} : { secondStage }) };
      const chunk = await runner.run(task, signal);
      finished.push(chunk);
      done += chunk.samples.length;
      controls.progress(done, total);
    });
    const settled = await Promise.allSettled(runs);
    const failure = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
    const cancelled = signal?.aborted === true;
    if (failure !== undefined && !cancelled) throw failure.reason;
    // A cancelled run keeps the chunks it finished; a chunk cut short by the deadline says so.
    const shortened = finished.some((chunk) => chunk.stopped !== undefined) ? "deadline" : undefined;
    return finish([inline, ...finished], cancelled ? "cancelled" : shortened);
  } finally {
    await started?.close();
  }
}

/** Samples `from` to `to` (exclusive) in `count` contiguous ranges of near-equal length (fewer when there are fewer samples). */
function cut(from: number, to: number, count: number): { from: number; to: number }[] {
  const size = to - from;
  const chunks = Math.max(1, Math.min(count, size));
  return Array.from({ length: chunks }, (_, c) => ({ from: from + Math.floor((c * size) / chunks), to: from + Math.floor(((c + 1) * size) / chunks) }));
}
