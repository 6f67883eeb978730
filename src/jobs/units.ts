import { mergeMonteCarlo, monteCarloSpecSchema, runMonteCarloChunk, type MonteCarloChunk } from "../montecarlo/index.js";
import { runTask } from "../tasks/run.js";
import type { Task } from "../tasks/task.js";
import type { PointSolver } from "../whatif/points.js";
import { sweepSpecSchema } from "../whatif/schema.js";
import { chunkSolver, mergeSweepChunks, solveChunk } from "../whatif/sweep.js";
import type { SweepChunk } from "../whatif/types.js";
import { stochastic } from "../stochastic/stochastic.js";
import { boundsToService, RedisSubproblems, type DecompositionPlace } from "./decomposition.js";
import { monteCarloRequest, readJobInput, stochasticRequest, type JobContext } from "./prepare.js";
import type { JobInput, JobProblem, Unit, UnitOutput } from "./types.js";

/** A failure of a job that is its own, not a bug: it fails the job with this problem body (a result too large). */
export class JobFailure extends Error {
  constructor(readonly problem: JobProblem) {
    super(problem.detail);
    this.name = "JobFailure";
  }
}

/** Limits a unit runs under: the time limit of a solve that sets none, and the largest one allowed. */
export interface UnitLimits {
  readonly maxRunMs: number;
  /** Where a stochastic job's decomposition runs its subproblem chunks (absent: on this thread). */
  readonly decomposition?: DecompositionPlace;
}

/**
 * Runs one unit of a job, on the thread that calls it (a worker thread of
 * the service's job pool or of a `jointplan worker` process). `key` names the
 * job: the units of one job that a thread runs one after another read the
 * scenario once, and a grid's chunks warm-start from each other.
 */
export async function runUnit(input: JobInput, unit: Unit, key: string, limits: UnitLimits): Promise<UnitOutput> {
  switch (unit.type) {
    case "whole": {
      if (input.kind === "stochastic") return { size: 1, value: await runStochastic(input, key, limits) };
      const now = Date.now();
      const scenarioId = input.body["scenarioId"];
      const task: Task = {
        kind: input.kind === "montecarlo" ? "plan" : input.kind,
        ...(typeof scenarioId === "string" ? { scenarioId } : {}),
        body: input.body,
        receivedAt: now,
        deadline: now + limits.maxRunMs,
        maxTimeLimitMs: limits.maxRunMs,
      };
      const result = await runTask(task, { inline: false, solverShare: 1 });
      if (result.kind === "done") return { size: 1, value: JSON.parse(result.json) as unknown };
      if (result.kind === "invalid")
        throw new Error(`the job's input was accepted but is invalid: ${result.issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`);
      if (result.kind === "failed") throw Object.assign(new Error(result.error.message), { name: result.error.name, stack: result.error.stack });
      throw new Error(`a job's task answered ${result.kind}`);
    }
    case "grid": {
      const context = contextOf(input, key, limits);
      if (kept?.key !== key) {
        kept?.solver.dispose();
        kept = undefined;
        const spec = sweepSpecSchema.parse(input.body["sweep"]);
        kept = { key, solver: chunkSolver(context.scenario, spec.parameter, unit.values, context.settings).solver };
      }
      const chunk = solveChunk(kept.solver, unit.values);
      return { size: unit.values.length, value: chunk };
    }
    case "samples": {
      const context = contextOf(input, key, limits);
      const spec = monteCarloSpecSchema.parse(monteCarloRequest(input.body));
      const chunk = runMonteCarloChunk({ scenario: context.scenario, spec, from: unit.from, to: unit.to, options: context.settings, key, checked: true });
      return { size: unit.to - unit.from, value: chunk };
    }
  }
}

/**
 * A job's result from its units' outputs, in unit order (a cancelled job's
 * missing ones left out), as JSON text no larger than `maxBytes`: the one
 * unit's answer, a grid's points, or the Monte Carlo statistics — which
 * refuse a sample counted twice.
 */
export function mergeUnits(
  input: JobInput,
  units: readonly Unit[],
  outputs: readonly (UnitOutput | undefined)[],
  key: string,
  limits: UnitLimits & { readonly maxBytes: number },
  stopped?: "cancelled",
): string | undefined {
  const done = outputs.filter((output): output is UnitOutput => output !== undefined && output.skipped !== true);
  let result: unknown;
  const first = units[0];
  if (first?.type === "whole") {
    if (done[0] === undefined) return undefined;
    result = done[0].value;
  } else if (first?.type === "grid") {
    const spec = sweepSpecSchema.parse(input.body["sweep"]);
    result = mergeSweepChunks(
      spec.parameter,
      done.map((output) => output.value as SweepChunk),
      stopped,
    );
  } else {
    const context = contextOf(input, key, limits);
    const spec = monteCarloSpecSchema.parse(monteCarloRequest(input.body));
    result = mergeMonteCarlo(
      context.scenario,
      spec,
      done.map((output) => output.value as MonteCarloChunk),
      stopped,
    );
  }
  const json = JSON.stringify(result);
  if (Buffer.byteLength(json) > limits.maxBytes) {
    throw new JobFailure({
      type: "urn:jointplan:problem:result-too-large",
      title: "Result too large",
      status: 422,
      detail: `The result has ${Buffer.byteLength(json)} bytes of JSON; this server keeps at most ${limits.maxBytes}. Ask for fewer points, variants or a smaller scenario.`,
      errors: [],
    });
  }
  return json;
}

/**
 * A stochastic job, as one unit: `method: "auto"` decomposes
 * (docs/stochastic-decomposition.md), its subproblem chunks on the job
 * workers — this process's threads (embedded) or every worker's (Redis) —
 * and its bounds reported as the job's progress. The evaluation's samples
 * run on this thread (threads: 1).
 */
async function runStochastic(input: JobInput, key: string, limits: UnitLimits): Promise<unknown> {
  const context = contextOf(input, key, limits);
  const place = limits.decomposition;
  const redis = place?.redis === undefined ? undefined : await RedisSubproblems.open(place.redis.url, place.redis.prefix, key, place.threads);
  const toService = redis === undefined ? boundsToService(key) : undefined;
  try {
    return await stochastic(context.scenario, stochasticRequest(input.body), {
      ...context.settings,
      threads: 1,
      asJob: true,
      runKey: key,
      ...(redis === undefined ? { subproblemThreads: place?.threads ?? 1 } : { subproblems: redis }),
      onIteration: (iteration) => {
        toService?.report(iteration);
        redis?.report(iteration, limits.maxRunMs * 2).catch(() => undefined);
      },
    });
  } finally {
    toService?.close();
    await redis?.close();
  }
}

/** The grid solver this thread keeps for the last job it ran chunks of. */
let kept: { readonly key: string; readonly solver: PointSolver } | undefined;
/** The scenarios and options of the last jobs this thread ran units of. */
const contexts = new Map<string, JobContext>();
const KEPT_CONTEXTS = 4;

function contextOf(input: JobInput, key: string, limits: UnitLimits): JobContext {
  let context = contexts.get(key);
  if (context === undefined) {
    const read = readJobInput(input, limits.maxRunMs);
    if (!read.ok) throw new Error(`the job's input was accepted but is invalid: ${read.issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`);
    context = read.value;
    contexts.set(key, context);
    if (contexts.size > KEPT_CONTEXTS) contexts.delete(contexts.keys().next().value ?? key);
  }
  return context;
}
