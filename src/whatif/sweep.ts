import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { parsePlanOptions, type PlanOptions, type ResolvedPlanOptions } from "../plan/options.js";
import { formatPath, fromZodIssues, parseScenario, ValidationError, type ValidationIssue } from "../scenario/parse.js";
import type { IssuePath, RawIssue } from "../scenario/references.js";
import type { Scenario } from "../scenario/schema.js";
import { numbersBeyond } from "../scenario/magnitudes.js";
import { highsLimits } from "../solvers/highsParametric.js";
import { validateChanges } from "./apply.js";
import { exactSweep } from "./exact.js";
import { kindOf } from "./parametric.js";
import { PointSolver } from "./points.js";
import { createSweepPool, type SweepPool } from "./pool.js";
import { DEFAULT_SWEEP_STEPS, sweepParameterSchema, sweepSpecSchema, type SweepMode, type SweepParameter } from "./schema.js";
import { select, type Selection } from "./select.js";
import type { SweepChunk, SweepChunkRunner, SweepOptions, SweepPoint, SweepResult, WhatIfOptions } from "./types.js";

/**
 * A grid whose remaining points are expected to take longer than this (ms,
 * on one thread) is spread over worker threads started for it: starting them
 * (each loads HiGHS) takes a few hundred milliseconds, more on a busy machine.
 */
export const PARALLEL_MIN_MS = 1500;
/** Chunks per worker thread: contiguous runs of values (each warm-starts from its neighbour), several per thread to balance the load. */
const CHUNKS_PER_THREAD = 4;
/** The event loop gets a turn at least this often (ms) during a sweep on the calling thread, so that a signal can stop it. */
const YIELD_EVERY_MS = 25;

/**
 * Sweeps one parameter of a scenario (docs/whatif.md): `spec` is
 * `{ parameter, values }` or `{ parameter, from, to, steps?, mode? }`. Each
 * value is `set` on the parameter. Grid mode solves every value (on worker
 * threads when the grid is large), exact mode finds every breakpoint of the
 * optimal objective of a bound. Throws `ValidationError` for an invalid
 * scenario or options, or (subject "request", paths under `sweep.`) an
 * invalid sweep.
 */
export async function sweep(scenario: unknown, spec: unknown, options: SweepOptions = {}): Promise<SweepResult> {
  const { signal, deadline, onProgress, threads, pool, ...planOptions } = options;
  const settings = parsePlanOptions(planOptions);
  const parsed = parseScenario(scenario);
  const prepared = prepareSweep(parsed, spec, settings);
  const controls = new Controls(settings, { signal, deadline, onProgress });
  if (prepared.mode === "exact") return runExact(parsed, prepared, settings, controls);
  return runGrid(parsed, prepared, settings, controls, { threads: threads ?? availableParallelism(), pool, planOptions: { ...planOptions } });
}

/** A validated sweep: the parameter, what it selects, and the values a grid solves (or the range exact mode traces). */
export interface PreparedSweep {
  readonly parameter: SweepParameter;
  readonly selection: Selection;
  readonly mode: SweepMode;
  /** Grid: every value, in order. Exact: the two ends. */
  readonly values: readonly number[];
}

/**
 * Checks a sweep against the scenario and lists the values it solves; throws
 * `ValidationError` (subject "request") with every issue, paths under
 * `sweep.`. The scenario with the parameter set is validated at the smallest
 * and the largest value: every rule of the format on one number (≥ 0, ≤ 1,
 * min ≤ max) holds on an interval of it, so the values between are valid too
 * and are not validated again. A service or a job uses this to split a grid.
 */
export function prepareSweep(scenario: Scenario, spec: unknown, settings: ResolvedPlanOptions): PreparedSweep {
  const parsed = sweepSpecSchema.safeParse(spec, { reportInput: true });
  if (!parsed.success) throw new ValidationError(prefixed(["sweep"], fromZodIssues(parsed.error.issues)), "request");
  const { parameter, values, from, to, steps, mode = "grid" } = parsed.data;
  const selected = select(scenario, parameter);
  if (selected.issues !== undefined) throw new ValidationError(toIssues(["sweep", "parameter"], selected.issues), "request");
  const { selection } = selected;

  const issues: ValidationIssue[] = [];
  if (mode === "exact") issues.push(...exactIssues(scenario, selection, settings));
  const list = values ?? grid(from ?? 0, to ?? 0, mode === "exact" ? 2 : (steps ?? DEFAULT_SWEEP_STEPS));
  const low = indexOfExtreme(list, "min");
  const high = indexOfExtreme(list, "max");
  const ends: { path: IssuePath; value: number }[] =
    values === undefined
      ? [
          { path: ["from"], value: from ?? 0 },
          { path: ["to"], value: to ?? 0 },
        ]
      : [{ path: ["values", low], value: list[low] ?? 0 }, ...(list[high] === list[low] ? [] : [{ path: ["values", high], value: list[high] ?? 0 }])];
  // HiGHS counts a bound or cost of 1e20 or more as infinite: a value there is beyond its range, not "no limit".
  const highs = settings.backend !== "javascript-lp-solver";
  const beyondAlready = highs ? new Set(numbersBeyond(scenario, highsLimits(), "HiGHS").map((issue) => formatPath(issue.path))) : new Set<string>();
  for (const end of ends) {
    const at = formatPath(["sweep", ...end.path]);
    const checked = validateChanges(scenario, [{ ...parameter, set: end.value }]);
    if (checked.ok) {
      if (!highs) continue;
      for (const issue of numbersBeyond(checked.scenario, highsLimits(), "HiGHS")) {
        if (!beyondAlready.has(formatPath(issue.path))) issues.push({ path: at, message: `at ${end.value}: ${formatPath(issue.path)}: ${issue.message}` });
      }
      continue;
    }
    for (const issue of checked.issues) {
      const message = issue.message.replace(/^yields an invalid scenario: /, "the scenario would be invalid: ");
      issues.push({ path: at, message: `at ${end.value}: ${message}` });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues, "request");
  return { parameter, selection, mode, values: list };
}

/** Why exact mode cannot take this sweep (it needs a continuous model, a bound, and HiGHS' duals), each with the way out. */
function exactIssues(scenario: Scenario, selection: Selection, settings: ResolvedPlanOptions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const kind = kindOf(scenario, selection);
  if (kind !== "bound" && kind !== "decision") {
    const what = kind === "share" ? "a share target moves coefficients of the model" : `${selection.field} is a coefficient of the objective`;
    issues.push({
      path: "sweep.mode",
      message: `exact mode traces bounds (targets in units, capacities, demand and route bounds, source capacities); ${what}: use mode "grid"`,
    });
  }
  if (settings.integer ?? scenario.integer) {
    issues.push({ path: "sweep.mode", message: 'exact mode needs a continuous model (whole units make the curve a staircase): use mode "grid"' });
  } else if (scenario.investments.length > 0) {
    issues.push({
      path: "sweep.mode",
      message: 'exact mode needs a continuous model (investments are built whole, so the curve jumps where a decision changes): use mode "grid"',
    });
  }
  if (settings.backend === "javascript-lp-solver") {
    issues.push({ path: "options.backend", message: "exact mode reads HiGHS' duals: use backend highs or auto" });
  }
  return issues;
}

/**
 * Solves a scenario at an explicit list of values of one parameter (a chunk
 * of a grid): one formulation, a warm start from point to point, every answer
 * verified. The values are validated as a sweep's are (at their smallest and
 * largest). Synchronous; stops before a point that would start after
 * `options.deadline` (the chunk then has fewer points and `stopped`).
 * Chunks of one grid merge in order with `mergeSweepChunks`.
 */
export function sweepPoints(
  scenario: unknown,
  parameter: unknown,
  values: readonly number[],
  options: PlanOptions & { readonly deadline?: number } = {},
): SweepChunk & { stopped?: "deadline" } {
  const { solver, values: checked } = chunkSolver(scenario, parameter, values, options);
  try {
    return solveChunk(solver, checked, options.deadline);
  } finally {
    solver.dispose();
  }
}

/**
 * The solver of a chunk (the scenario validated and formulated once, the
 * values validated at their ends), for a caller that keeps it between chunks
 * of one grid (a worker thread: see sweepWorker.ts).
 */
export function chunkSolver(
  scenario: unknown,
  parameter: unknown,
  values: readonly number[],
  options: PlanOptions & { readonly deadline?: number } = {},
): { solver: PointSolver; values: readonly number[] } {
  const { deadline: _deadline, ...planOptions } = options;
  const settings = parsePlanOptions(planOptions);
  const parsed = parseScenario(scenario);
  const checkedParameter = sweepParameterSchema.safeParse(parameter, { reportInput: true });
  if (!checkedParameter.success) throw new ValidationError(prefixed(["sweep", "parameter"], fromZodIssues(checkedParameter.error.issues)), "request");
  const prepared = prepareSweep(parsed, { parameter: checkedParameter.data, values: [...values] }, settings);
  return { solver: new PointSolver(parsed, prepared.selection, settings), values: prepared.values };
}

/** Solves `values` in order with `solver`, stopping before a point that would start after `deadline`; solves counted for these points only. */
export function solveChunk(solver: PointSolver, values: readonly number[], deadline?: number): SweepChunk & { stopped?: "deadline" } {
  const controls = new Controls(solver.settings, { deadline });
  const before = solver.solves;
  const points: SweepPoint[] = [];
  for (const value of values) {
    const budget = controls.budget();
    if (budget === "deadline" || budget === "cancelled") return { points, solves: solver.solves - before, notes: [...solver.notes], stopped: "deadline" };
    points.push(solver.solve(value, budget).point);
  }
  return { points, solves: solver.solves - before, notes: [...solver.notes] };
}

/** A grid's result from its chunks' points (in value order, as the chunks were cut). */
export function mergeSweepChunks(parameter: SweepParameter, chunks: readonly SweepChunk[], stopped?: "cancelled" | "deadline"): SweepResult {
  const points = chunks.flatMap((chunk) => chunk.points);
  const planned = points.filter((point) => point.objective !== null).map((point) => point.value);
  const notes = [...new Set(chunks.flatMap((chunk) => chunk.notes))];
  return {
    parameter,
    mode: "grid",
    solves: chunks.reduce((sum, chunk) => sum + chunk.solves, 0),
    points,
    feasible_range: planned.length === 0 ? null : { from: planned.reduce((a, b) => Math.min(a, b)), to: planned.reduce((a, b) => Math.max(a, b)) },
    ...(stopped === undefined ? {} : { stopped }),
    notes,
  };
}

async function runGrid(
  scenario: Scenario,
  prepared: PreparedSweep,
  settings: ResolvedPlanOptions,
  controls: Controls,
  parallel: { threads: number; pool: SweepChunkRunner | undefined; planOptions: PlanOptions },
): Promise<SweepResult> {
  const { values } = prepared;
  const here: SweepPoint[] = [];
  // A pool the caller passes takes every point: its workers keep this grid's formulation from
  // sweep to sweep. Otherwise the points are solved here, and the second (warm-started, as every
  // later one) tells what a point costs: a grid that repays starting worker threads goes to them.
  const solver = parallel.pool === undefined ? new PointSolver(scenario, prepared.selection, settings) : undefined;
  if (solver !== undefined) {
    try {
      for (const value of values) {
        const budget = controls.budget();
        if (budget === "cancelled" || budget === "deadline") return finish([{ points: here, solves: solver.solves, notes: [...solver.notes] }], budget);
        const started = performance.now();
        here.push(solver.solve(value, budget).point);
        controls.progress(here.length, values.length);
        await controls.breathe();
        const left = values.length - here.length;
        if (left === 0) break;
        const worthIt = parallel.threads > 1 && left >= 2 * parallel.threads && left * (performance.now() - started) > PARALLEL_MIN_MS;
        if (here.length === 2 && worthIt) break;
      }
    } finally {
      solver.dispose();
    }
  }
  const inline: SweepChunk = { points: here, solves: solver?.solves ?? 0, notes: [...(solver?.notes ?? [])] };
  const rest = values.slice(here.length);
  if (rest.length === 0) return finish([inline]);

  let started: SweepPool | undefined;
  const pool = parallel.pool ?? (started = createSweepPool(parallel.threads));
  try {
    const chunks = cut(rest, pool.threads * CHUNKS_PER_THREAD);
    // One key for the chunks of this scenario, parameter and options: a worker keeps the formulation and its
    // warm model from one chunk to the next, and from one sweep to the next of the same grid.
    const key = `${scenarioKey(scenario)}:${JSON.stringify([prepared.parameter, parallel.planOptions])}`;
    const results: (SweepChunk | undefined)[] = chunks.map(() => undefined);
    let done = here.length;
    const { deadline } = controls;
    const runs = chunks.map(async (chunk, c) => {
      const result = await pool.run(
        { scenario, parameter: prepared.parameter, values: chunk, options: { ...parallel.planOptions, ...(deadline === undefined ? {} : { deadline }) }, key },
        controls.signal,
      );
      results[c] = result;
      done += result.points.length;
      controls.progress(done, values.length);
    });
    const settled = await Promise.allSettled(runs);
    const failure = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
    const cancelled = controls.signal?.aborted === true;
    if (failure !== undefined && !cancelled) throw failure.reason;
    // Chunks keep value order; a cancelled run keeps the chunks it finished.
    const finished = results.filter((result): result is SweepChunk => result !== undefined);
    const shortened = finished.some((result) => "stopped" in result && result.stopped !== undefined) ? "deadline" : undefined;
    return finish([inline, ...finished], cancelled ? "cancelled" : shortened);
  } finally {
    await started?.close();
  }

  function finish(chunks: readonly SweepChunk[], stopped?: "cancelled" | "deadline"): SweepResult {
    return mergeSweepChunks(prepared.parameter, chunks, stopped);
  }
}

/** A key per parsed scenario (frozen, so its content never changes): what a worker's kept formulation is known by. */
const scenarioKeys = new WeakMap<Scenario, string>();
export function scenarioKey(scenario: Scenario): string {
  let key = scenarioKeys.get(scenario);
  if (key === undefined) {
    key = randomUUID();
    scenarioKeys.set(scenario, key);
  }
  return key;
}

async function runExact(scenario: Scenario, prepared: PreparedSweep, settings: ResolvedPlanOptions, controls: Controls): Promise<SweepResult> {
  const solver = new PointSolver(scenario, prepared.selection, settings);
  try {
    const from = prepared.values[0] ?? 0;
    const to = prepared.values[prepared.values.length - 1] ?? from;
    const outcome = await exactSweep(solver, from, to, {
      budget: () => controls.budget(),
      tick: async (done, total) => {
        controls.progress(done, total);
        await controls.breathe();
      },
    });
    return {
      parameter: prepared.parameter,
      mode: "exact",
      solves: solver.solves,
      points: outcome.points,
      segments: outcome.segments,
      feasible_range: outcome.feasible_range,
      ...(outcome.stopped === undefined ? {} : { stopped: outcome.stopped }),
      notes: [...solver.notes, ...outcome.notes],
    };
  } finally {
    solver.dispose();
  }
}

/** The run's limits: the per-solve time limit, the deadline, the signal; progress and turns for the event loop. */
export class Controls {
  readonly signal: AbortSignal | undefined;
  readonly deadline: number | undefined;
  private readonly onProgress: WhatIfOptions["onProgress"];
  private lastYield = performance.now();

  constructor(
    private readonly settings: ResolvedPlanOptions,
    options: Pick<WhatIfOptions, "signal" | "deadline" | "onProgress">,
  ) {
    this.signal = options.signal;
    this.deadline = options.deadline;
    this.onProgress = options.onProgress;
  }

  /** The time the next solve may take (undefined: no limit), or why none may start. */
  budget(): number | undefined | "cancelled" | "deadline" {
    if (this.signal?.aborted === true) return "cancelled";
    const left = this.deadline === undefined ? undefined : this.deadline - Date.now();
    if (left !== undefined && left <= 0) return "deadline";
    const limit = this.settings.timeLimitMs;
    return left === undefined ? limit : Math.max(1, Math.min(limit ?? Infinity, left));
  }

  progress(done: number, total: number): void {
    this.onProgress?.(done, total);
  }

  /** Gives the event loop a turn when the last one is a while ago. */
  async breathe(): Promise<void> {
    if (performance.now() - this.lastYield < YIELD_EVERY_MS) return;
    await yieldToEventLoop();
    this.lastYield = performance.now();
  }
}

/** `steps` evenly spaced values from `from` to `to`, both included exactly. */
function grid(from: number, to: number, steps: number): number[] {
  return Array.from({ length: steps }, (_, i) => (i === steps - 1 ? to : from + ((to - from) * i) / (steps - 1)));
}

function indexOfExtreme(values: readonly number[], which: "min" | "max"): number {
  let best = 0;
  values.forEach((value, i) => {
    const current = values[best] ?? value;
    if (which === "min" ? value < current : value > current) best = i;
  });
  return best;
}

/** `values` in `count` contiguous runs of near-equal length (fewer when there are fewer values). */
function cut(values: readonly number[], count: number): number[][] {
  const chunks = Math.max(1, Math.min(count, values.length));
  return Array.from({ length: chunks }, (_, c) => values.slice(Math.floor((c * values.length) / chunks), Math.floor(((c + 1) * values.length) / chunks)));
}

function toIssues(prefix: IssuePath, issues: readonly RawIssue[]): ValidationIssue[] {
  return issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}

function prefixed(prefix: IssuePath, issues: readonly ValidationIssue[]): ValidationIssue[] {
  const head = formatPath(prefix);
  return issues.map(({ path, message }) => ({ path: path === "" ? head : path.startsWith("[") ? `${head}${path}` : `${head}.${path}`, message }));
}
