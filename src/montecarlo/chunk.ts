import { parsePlanOptions } from "../plan/options.js";
import { parseScenario } from "../scenario/parse.js";
import { Controls } from "../whatif/sweep.js";
import { preparedBefore, prepareMonteCarlo } from "./prepare.js";
import { SampleSolver } from "./sampleSolver.js";
import type { MonteCarloChunk, MonteCarloChunkTask, SampleOutcome } from "./types.js";

/**
 * The solver of the last keyed chunk this thread ran: the chunks of one run
 * (one key) are validated and formulated once per thread, and its HiGHS
 * model kept from one chunk to the next.
 */
let kept: { readonly key: string; readonly solver: SampleSolver } | undefined;

/**
 * Solves the samples `from` to `to` (exclusive) of a Monte Carlo run,
 * synchronously: validates the scenario and the spec (or, with a key this
 * thread has seen last, trusts them), formulates once, and solves each
 * sample. Stops before a sample that would start after `options.deadline`:
 * the chunk then says `stopped: "deadline"`, and its `to` is the first
 * sample not done. Chunks merge, in any split, with `mergeMonteCarlo`.
 */
export function runMonteCarloChunk(task: MonteCarloChunkTask): MonteCarloChunk {
  if (task.key === undefined) {
    const solver = chunkSolver(task);
    try {
      return solveSamples(solver, task.from, task.to, task.options.deadline);
    } finally {
      solver.dispose();
    }
  }
  if (kept?.key !== task.key) {
    kept?.solver.dispose();
    kept = undefined;
    kept = { key: task.key, solver: chunkSolver(task) };
  }
  checkRange(task.from, task.to, kept.solver.spec.samples);
  return solveSamples(kept.solver, task.from, task.to, task.options.deadline);
}

/** A chunk's solver: the scenario, the options and the spec validated, the model formulated. */
export function chunkSolver(task: Pick<MonteCarloChunkTask, "scenario" | "spec" | "from" | "to" | "options" | "checked" | "secondStage">): SampleSolver {
  const { deadline: _deadline, ...planOptions } = task.options;
  const settings = parsePlanOptions(planOptions);
  const scenario = parseScenario(task.scenario);
  const prepared = task.checked === true ? preparedBefore(scenario, task.spec, settings) : prepareMonteCarlo(scenario, task.spec, settings);
  checkRange(task.from, task.to, prepared.spec.samples);
  return new SampleSolver(scenario, prepared, settings, task.secondStage);
}

function checkRange(from: number, to: number, samples: number): void {
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to <= samples)) {
    throw new RangeError(`a chunk covers samples from ≤ to within [0, ${samples}], got [${from}, ${to})`);
  }
}

/** Solves samples `from` to `to` (exclusive) in order, stopping before a sample that would start after `deadline`. */
export function solveSamples(solver: SampleSolver, from: number, to: number, deadline?: number, onSample?: (sample: SampleOutcome) => void): MonteCarloChunk {
  const controls = new Controls(solver.settings, { deadline });
  const before = solver.solves;
  const samples: SampleOutcome[] = [];
  for (let index = from; index < to; index++) {
    const budget = controls.budget();
    if (budget === "deadline" || budget === "cancelled") return { from, to: index, samples, solves: solver.solves - before, notes: [], stopped: "deadline" };
    const sample = solver.solve(index, budget);
    samples.push(sample);
    onSample?.(sample);
  }
  return { from, to, samples, solves: solver.solves - before, notes: [] };
}
