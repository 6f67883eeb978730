import { availableParallelism } from "node:os";
import {
  applyChanges,
  createSweepPool,
  loadBundledScenario,
  parsePlanOptions,
  parseScenario,
  plan,
  sweep,
  sweepPoints,
  type SweepParameter,
  type SweepResult,
} from "../src/index.js";
import { highsBackend } from "../src/solvers/highs.js";
import { jsLpSolverBackend } from "../src/solvers/jsLpSolver.js";
import type { SolverBackend } from "../src/solvers/types.js";
import { PointSolver } from "../src/whatif/points.js";
import { select } from "../src/whatif/select.js";
import { markdownTable, median, ms } from "./harness.js";

/**
 * What-if sweeps, measured against baselines taken in the same run:
 * (a) exact mode against uniform grids on the joint goal of kz-uz-2020 — LP
 *     solves, time, and the largest interpolation error against direct solves
 *     (plan() of the changed scenario) at random values; target: exact needs
 *     at most a tenth of the solves of the uniform grid that matches its
 *     accuracy (1e-6 relative);
 * (b) a 200-point grid of kz-uz-2019-2025 on worker threads against one
 *     thread; target ≥ 1.6× on 2 cores;
 * (c) one grid point (solve, report, verification, slope, what binds)
 *     against a raw solve of the same LP by the same backend; target ≤ 1.3×.
 */
export interface WhatIfBenchmark {
  readonly lines: string[];
  readonly checks: { readonly met: boolean; readonly text: string }[];
}

const ACCURACY = 1e-6;
const goal: SweepParameter = { on: "target", id: "joint_goal", field: "min" };

/** A seeded PRNG (mulberry32): the same random values every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
}

/** Linear interpolation through (x, y) pairs sorted by x. */
function interpolator(known: readonly { x: number; y: number }[]): (x: number) => number {
  return (x) => {
    for (let i = 1; i < known.length; i++) {
      const left = known[i - 1];
      const right = known[i];
      if (left === undefined || right === undefined || x > right.x) continue;
      return left.y + ((right.y - left.y) * (x - left.x)) / (right.x - left.x);
    }
    return known[known.length - 1]?.y ?? NaN;
  };
}

function timed<T>(work: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = work();
  return { value, ms: performance.now() - started };
}

async function timedAsync<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** (a) exact mode against uniform grids. */
async function exactAgainstGrids(smoke: boolean): Promise<WhatIfBenchmark> {
  const document = loadBundledScenario("kz-uz-2020");
  const [from, to] = [4000, 7450];
  const rounds = smoke ? 1 : 5;
  const next = random(2020);
  const samples = Array.from({ length: smoke ? 10 : 200 }, () => from + (to - from) * next());
  // The reference: each value planned from scratch (validated, formulated, solved by plan()'s own choice of backend).
  const reference = samples.map((value) => plan(applyChanges(document, [{ ...goal, set: value }])).objective ?? NaN);
  const errorOf = (at: (x: number) => number) => Math.max(...samples.map((value, i) => relative(at(value), reference[i] ?? NaN)));

  const exactTimes: number[] = [];
  let exact: SweepResult | undefined;
  for (let round = 0; round < rounds; round++) {
    const run = await timedAsync(() => sweep(document, { parameter: goal, from, to, mode: "exact" }));
    exactTimes.push(run.ms);
    exact = run.value;
  }
  if (exact === undefined) throw new Error("no exact run");
  const segments = exact.segments ?? [];
  const exactError = errorOf(
    interpolator([{ x: segments[0]?.from ?? from, y: segments[0]?.objective_from ?? NaN }, ...segments.map((s) => ({ x: s.to, y: s.objective_to }))]),
  );

  const sizes = smoke ? [11, 21, 41] : [11, 21, 41, 81, 161, 321, 641, 1281, 2561, 5121, 10241];
  const grids: { points: number; ms: number; error: number }[] = [];
  for (const points of sizes) {
    const values = Array.from({ length: points }, (_, i) => (i === points - 1 ? to : from + ((to - from) * i) / (points - 1)));
    const run = timed(() => sweepPoints(document, goal, values));
    const known = run.value.points.map((point) => ({ x: point.value, y: point.objective ?? NaN }));
    grids.push({ points, ms: run.ms, error: errorOf(interpolator(known)) });
    if ((grids.at(-1)?.error ?? Infinity) <= ACCURACY) break;
  }
  const matching = grids.find((grid) => grid.error <= ACCURACY);
  const largest = grids[grids.length - 1];
  const exactMs = median(exactTimes);
  const rows = [
    ["exact", String(exact.solves), ms(exactMs), exactError.toExponential(1), `${segments.length} segments`],
    ...grids.map((grid) => [
      `uniform grid, ${grid.points} points`,
      String(grid.points),
      ms(grid.ms),
      grid.error.toExponential(1),
      grid.error <= ACCURACY ? "matches" : "",
    ]),
  ];
  const ratio = (matching?.points ?? largest?.points ?? NaN) / exact.solves;
  const lines = [
    `Joint goal of kz-uz-2020 (target joint_goal min) from ${from} to ${to}; error: the largest relative difference, at ${samples.length} seeded random values, between the interpolated curve and plan() of the changed scenario (${rounds === 1 ? "one run" : `median of ${rounds} runs for exact`}, one run per grid, one thread).`,
    "",
    ...markdownTable(["sweep", "LP solves", "time", "max error", ""], rows, ["left", "right", "right", "right", "left"]),
    "",
    matching === undefined
      ? `No uniform grid up to ${largest?.points} points reached ${ACCURACY} (largest grid's error ${largest?.error.toExponential(1)}): the grid that does needs more than ${largest?.points} solves, at least ${ratio.toFixed(1)}× exact's ${exact.solves}.`
      : `The first uniform grid as accurate as ${ACCURACY} has ${matching.points} points: ${ratio.toFixed(1)}× exact's ${exact.solves} solves, ${(matching.ms / exactMs).toFixed(1)}× its time.`,
  ];
  const met = exactError <= ACCURACY && ratio >= 10;
  return {
    lines,
    checks: [
      {
        met,
        text: `exact sweep of the kz-uz-2020 joint goal: ${exact.solves} solves, error ${exactError.toExponential(1)}; the uniform grid matching 1e-6 needs ${matching === undefined ? `more than ${largest?.points}` : matching.points} (${ratio.toFixed(1)}× as many; target ≥ 10×)`,
      },
    ],
  };
}

/** (b) a grid on worker threads against one thread. */
async function parallelGrid(smoke: boolean): Promise<WhatIfBenchmark> {
  const document = loadBundledScenario("kz-uz-2019-2025");
  const threads = availableParallelism();
  const points = smoke ? 16 : 200;
  const rounds = smoke ? 1 : 5;
  const spec = { parameter: { on: "target", id: "export_share", field: "min" }, from: 0.5, to: 0.8, steps: points };
  const pool = createSweepPool(threads);
  const samples: Record<"one" | "pool" | "fresh", number[]> = { one: [], pool: [], fresh: [] };
  try {
    // Warm-up, untimed: the pool's workers load HiGHS and compile, and so does this thread.
    await sweep(document, spec, { pool });
    await sweep(document, spec, { threads: 1 });
    for (let round = 0; round < rounds; round++) {
      samples.one.push((await timedAsync(() => sweep(document, spec, { threads: 1 }))).ms);
      samples.pool.push((await timedAsync(() => sweep(document, spec, { pool }))).ms);
      samples.fresh.push((await timedAsync(() => sweep(document, spec, { threads }))).ms);
    }
  } finally {
    await pool.close();
  }
  // The same grid in whole units: each point a branch and bound of seconds, where threads have work to share.
  let wholeUnits: { points: number; one: number; pool: number } | undefined;
  if (!smoke) {
    const whole = { ...spec, steps: 10 };
    const kept = createSweepPool(threads);
    try {
      await sweep(document, { ...whole, steps: threads + 1 }, { pool: kept, integer: true });
      const single = await timedAsync(() => sweep(document, whole, { threads: 1, integer: true }));
      const spread = await timedAsync(() => sweep(document, whole, { pool: kept, integer: true }));
      wholeUnits = { points: whole.steps, one: single.ms, pool: spread.ms };
    } finally {
      await kept.close();
    }
  }
  const one = median(samples.one);
  const warm = one / median(samples.pool);
  const fresh = one / median(samples.fresh);
  const lines = [
    `kz-uz-2019-2025, export share target of every year swept over ${points} values, ${threads} worker threads, median of ${rounds} interleaved rounds:`,
    "",
    ...markdownTable(
      ["run", "time", "speed-up"],
      [
        ["one thread (baseline)", ms(one), "1.00"],
        [`${threads} threads, pool kept between sweeps`, ms(median(samples.pool)), warm.toFixed(2)],
        [`threads: ${threads} (the sweep starts workers only if the grid repays them)`, ms(median(samples.fresh)), fresh.toFixed(2)],
      ],
      ["left", "right", "right"],
    ),
    "",
    `A warm-started LP point of this grid takes about a millisecond: the fixed costs of a parallel run (the first point on the calling thread, each worker's first, cold, solve, dispatch) and the workers' garbage collection competing for the same two cores weigh against it.`,
    ...(wholeUnits === undefined
      ? []
      : [
          `The same grid in whole units (${wholeUnits.points} points, one run each, each point a branch and bound): one thread ${ms(wholeUnits.one)}, ${threads} threads ${ms(wholeUnits.pool)}, speed-up ${(wholeUnits.one / wholeUnits.pool).toFixed(2)}.`,
        ]),
  ];
  return {
    lines,
    checks: [
      {
        met: threads < 2 || warm >= 1.6,
        text: `${points}-point grid of kz-uz-2019-2025 on ${threads} threads: ${warm.toFixed(2)}× one thread with a kept pool, ${fresh.toFixed(2)}× when the sweep decides (target ≥ 1.6× on 2 cores)`,
      },
    ],
  };
}

/** (c) one grid point against a raw solve of the same LP by the same backend. */
function pointCost(smoke: boolean): WhatIfBenchmark {
  const cases: { scenario: string; parameter: SweepParameter; from: number; to: number; backend: SolverBackend }[] = [
    { scenario: "kz-uz-2020", parameter: goal, from: 6000, to: 7400, backend: highsBackend },
    { scenario: "kz-uz-2019-2025", parameter: goal, from: 5000, to: 6600, backend: highsBackend },
    { scenario: "kz-uz-2020", parameter: goal, from: 6000, to: 7400, backend: jsLpSolverBackend },
  ];
  const points = smoke ? 10 : 200;
  const rounds = smoke ? 1 : 5;
  const rows: string[][] = [];
  const checks: WhatIfBenchmark["checks"] = [];
  for (const { scenario: id, parameter, from, to, backend } of cases) {
    const scenario = parseScenario(loadBundledScenario(id));
    const values = Array.from({ length: points }, (_, i) => from + ((to - from) * i) / (points - 1));
    const selected = select(scenario, parameter);
    if (selected.issues !== undefined) throw new Error("bad parameter");
    const settings = parsePlanOptions({ backend: backend.name });
    // The raw solves' LPs, built before timing: the very LPs the grid's points solve.
    const lps = new PointSolver(scenario, selected.selection, settings).parametric;
    const raw: number[] = [];
    const point: number[] = [];
    const amortized: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const run = timed(() => sweepPoints(scenario, parameter, values, { backend: backend.name }));
      point.push(...run.value.points.map((p) => p.ms));
      amortized.push(run.ms / points);
      for (const value of values) {
        const lp = lps.lpAt(value);
        raw.push(timed(() => backend.solve(lp, { integer: false })).ms);
      }
    }
    const ratio = median(point) / median(raw);
    rows.push([id, backend.name, ms(median(raw)), ms(median(point)), ratio.toFixed(2), ms(median(amortized))]);
    checks.push({ met: ratio <= 1.3, text: `grid point of ${id} with ${backend.name}: ${ratio.toFixed(2)}× a raw solve of the same LP (target ≤ 1.30)` });
  }
  const lines = [
    `Target joint_goal min swept over ${points} values; medians over ${rounds} rounds, each a grid run then the raw solves of its LPs. A point is solve, report, verification against the changed scenario, slope and what binds, on the LP formulated once (HiGHS: one model warm-started from point to point); the raw solve is backend.solve() of the same LP, nothing else. Amortized: the grid call's time over its points (validation and formulation included).`,
    "",
    ...markdownTable(["scenario", "backend", "raw solve", "grid point", "point ÷ raw", "amortized point"], rows, [
      "left",
      "left",
      "right",
      "right",
      "right",
      "right",
    ]),
  ];
  return { lines, checks };
}

export async function whatIfBenchmark(options: { smoke: boolean }): Promise<WhatIfBenchmark> {
  const exact = await exactAgainstGrids(options.smoke);
  const parallel = await parallelGrid(options.smoke);
  const cost = pointCost(options.smoke);
  return {
    lines: [
      "### (a) Exact mode against uniform grids",
      "",
      ...exact.lines,
      "",
      "### (b) A grid on worker threads",
      "",
      ...parallel.lines,
      "",
      "### (c) A grid point against a raw solve",
      "",
      ...cost.lines,
    ],
    checks: [...exact.checks, ...parallel.checks, ...cost.checks],
  };
}
