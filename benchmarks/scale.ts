import { markdownTable, median, ms } from "./harness.js";
import { runIsolated, type TaskResult } from "./isolated.js";
import type { ScaleOptions } from "../tests/support/scaleScenario.js";
import type { ContenderName, LpSize, Workload } from "./workload.js";

/**
 * The scale benchmark: generated scenarios from 3 plants × 8 products × 20
 * parts up to 60 × 300 × 500, a multi-period variant, and whole-unit (integer)
 * models, some under a 3 s time limit. For each: the median time of `plan()`
 * with javascript-lp-solver, HiGHS and `auto`, a raw HiGHS solve of the same
 * LP measured in the same process (interleaved), the ratio plan(auto) ÷ raw
 * HiGHS, and the peak memory of a process that generates the scenario and
 * plans it once with `auto`. javascript-lp-solver runs in its own process and
 * is stopped after the stall budget (a time-out); once it times out in a
 * series, the larger sizes of that series are not tried.
 */
export type Series = "LP, one period" | "LP, several periods" | "integer" | "integer, 3 s time limit";

export interface ScaleCase {
  readonly series: Series;
  readonly scale: ScaleOptions;
  readonly integer: boolean;
  readonly timeLimitMs?: number;
  readonly warmup: number;
  readonly rounds: number;
}

export interface ScaleRow {
  readonly case: ScaleCase;
  readonly size: LpSize | undefined;
  readonly highs: TaskResult;
  /** undefined when not tried (a smaller size of the series already timed out). */
  readonly js: TaskResult | undefined;
  readonly peakRssBytes: number | undefined;
}

export function scaleCases(smoke: boolean): ScaleCase[] {
  if (smoke) return [{ series: "LP, one period", scale: { plants: 2, products: 3, parts: 6 }, integer: false, warmup: 1, rounds: 1 }];
  const lp = (plants: number, products: number, parts: number, rounds: number, periods = 1): ScaleCase => ({
    series: periods === 1 ? "LP, one period" : "LP, several periods",
    scale: { plants, products, parts, periods },
    integer: false,
    warmup: 2,
    rounds,
  });
  const whole = (plants: number, products: number, parts: number, timeLimitMs?: number): ScaleCase => ({
    series: timeLimitMs === undefined ? "integer" : "integer, 3 s time limit",
    scale: { plants, products, parts },
    integer: true,
    ...(timeLimitMs === undefined ? {} : { timeLimitMs }),
    warmup: 1,
    rounds: 2,
  });
  return [
    lp(3, 8, 20, 15),
    lp(10, 30, 60, 11),
    lp(20, 100, 200, 9),
    lp(60, 300, 500, 9),
    lp(10, 30, 60, 5, 12),
    lp(60, 300, 500, 2, 4),
    whole(3, 8, 20),
    whole(10, 30, 60),
    whole(20, 100, 200, 3_000),
    whole(60, 300, 500, 3_000),
  ];
}

export async function scaleBenchmark(options: { smoke: boolean; stallMs: number }): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  const jsTimedOut = new Set<Series>();
  for (const benchCase of scaleCases(options.smoke)) {
    const workload: Workload = {
      scenario: { scale: benchCase.scale },
      integer: benchCase.integer,
      ...(benchCase.timeLimitMs === undefined ? {} : { timeLimitMs: benchCase.timeLimitMs }),
    };
    const timing = (contenders: readonly ContenderName[]) =>
      runIsolated({ kind: "timing", workload, contenders, warmup: benchCase.warmup, rounds: benchCase.rounds, roundBudgetMs: 60_000 }, options.stallMs);
    const highs = await timing(["raw-highs", "highs", "auto"]);
    let js: TaskResult | undefined;
    if (!jsTimedOut.has(benchCase.series)) {
      js = await timing(["javascript-lp-solver"]);
      if (js.timedOut.length > 0) jsTimedOut.add(benchCase.series);
    }
    const memory = await runIsolated({ kind: "peak-memory", workload, contenders: ["auto"] }, options.stallMs);
    rows.push({ case: benchCase, size: highs.size, highs, js, peakRssBytes: memory.peakRssBytes });
  }
  return rows;
}

export function scaleLabel({ scale }: ScaleCase): string {
  const periods = scale.periods ?? 1;
  return `${scale.plants} × ${scale.products} × ${scale.parts}${periods > 1 ? ` × ${periods} periods` : ""}`;
}

const gib = (bytes: number | undefined) => (bytes === undefined ? "—" : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
const medianOf = (result: TaskResult | undefined, name: ContenderName) => {
  const samples = result?.samples[name];
  return samples === undefined || samples.length === 0 ? undefined : median(samples);
};

/** plan(auto) ÷ raw HiGHS, from the same interleaved run. */
export function overheadRatio(row: ScaleRow): number | undefined {
  const auto = medianOf(row.highs, "auto");
  const raw = medianOf(row.highs, "raw-highs");
  return auto === undefined || raw === undefined ? undefined : auto / raw;
}

export function renderScale(rows: readonly ScaleRow[], stallMs: number): string[] {
  const cell = (result: TaskResult | undefined, name: ContenderName, notTried: string) => {
    if (result === undefined) return notTried;
    if (result.timedOut.includes(name)) return `time-out (> ${stallMs / 1000} s)`;
    const value = medianOf(result, name);
    if (value === undefined) return "—";
    const outcome = result.outcomes[name];
    const status =
      outcome?.status === "optimal" || outcome?.status === undefined
        ? ""
        : ` (${outcome.status.replace("_", " ")}${outcome.objective === null ? ", no plan" : ""})`;
    return `${ms(value)}${status}`;
  };
  const table = markdownTable(
    [
      "series",
      "plants × products × parts (× periods)",
      "columns",
      "rows",
      "non-zeros",
      "javascript-lp-solver",
      "HiGHS",
      "auto",
      "auto ran",
      "raw HiGHS",
      "auto ÷ raw HiGHS",
      "peak memory (auto)",
    ],
    rows.map((row) => {
      const ratio = overheadRatio(row);
      return [
        row.case.series,
        scaleLabel(row.case),
        String(row.size?.columns ?? "—"),
        String(row.size?.rows ?? "—"),
        String(row.size?.nonZeros ?? "—"),
        cell(row.js, "javascript-lp-solver", "not tried (smaller size timed out)"),
        cell(row.highs, "highs", "—"),
        cell(row.highs, "auto", "—"),
        row.highs.outcomes.auto?.backend ?? "—",
        cell(row.highs, "raw-highs", "—"),
        ratio === undefined ? "—" : ratio.toFixed(2),
        gib(row.peakRssBytes),
      ];
    }),
    ["left", "left", "right", "right", "right", "right", "right", "right", "left", "right", "right", "right"],
  );
  return [
    "Medians of interleaved rounds in one process (javascript-lp-solver in its own process); plan() gets a new document every call, so validation, formulation, solve, report and verification all run. Peak memory: the largest resident set of a process that generates the scenario and plans it once with auto.",
    "",
    ...table,
  ];
}

export interface TargetCheck {
  readonly text: string;
  readonly met: boolean;
}

/** The scale targets jointplan holds itself to (docs/development.md), checked on this run's numbers. */
export function targetChecks(rows: readonly ScaleRow[]): TargetCheck[] {
  const find = (series: Series, plants: number) => rows.find((row) => row.case.series === series && row.case.scale.plants === plants);
  const checks: TargetCheck[] = [];

  const large = find("LP, one period", 60);
  if (large !== undefined) {
    const auto = large.highs.outcomes.auto;
    const raw = large.highs.outcomes["raw-highs"];
    const objectiveAgrees =
      auto?.objective != null && raw?.objective != null && Math.abs(auto.objective - raw.objective) <= 1e-6 * Math.max(1, Math.abs(raw.objective));
    const correct = auto?.status === "optimal" && auto.verified === true && objectiveAgrees;
    const ratio = overheadRatio(large);
    checks.push({
      text: `60 × 300 × 500 LP plans correctly with auto (optimal, verified, objective = raw HiGHS within 1e-6): ${correct ? "yes" : "NO"}`,
      met: correct,
    });
    checks.push({ text: `60 × 300 × 500 LP: plan(auto) ÷ raw HiGHS = ${ratio?.toFixed(2) ?? "—"} (target ≤ 1.30)`, met: ratio !== undefined && ratio <= 1.3 });
    checks.push({
      text: `60 × 300 × 500 LP: peak memory ${gib(large.peakRssBytes)} (target < 1 GiB)`,
      met: large.peakRssBytes !== undefined && large.peakRssBytes < 2 ** 30,
    });
  }
  const integer = find("integer", 10);
  if (integer !== undefined) {
    const auto = medianOf(integer.highs, "auto");
    const outcome = integer.highs.outcomes.auto;
    const ok = auto !== undefined && auto < 15_000 && outcome?.status === "optimal" && outcome.verified === true;
    checks.push({
      text: `10 × 30 × 60 integer (${integer.size?.integerColumns ?? "?"} whole-unit columns): plan(auto) median ${auto === undefined ? "—" : ms(auto)}, ${outcome?.status ?? "?"} (target < 15 s, optimal within the default gap)`,
      met: ok,
    });
  }
  for (const row of rows.filter((candidate) => candidate.case.series === "integer, 3 s time limit")) {
    // Every call counts here, the first (cold) one included.
    const cold = row.highs.first.auto;
    const samples = [...(cold === undefined ? [] : [cold]), ...(row.highs.samples.auto ?? [])];
    const slowest = samples.length === 0 ? undefined : Math.max(...samples);
    const outcome = row.highs.outcomes.auto;
    const plan =
      outcome === undefined
        ? "?"
        : outcome.objective === null
          ? `${outcome.status}, no whole-unit plan found yet`
          : `${outcome.status} with a plan (verified: ${outcome.verified === true ? "yes" : "NO"})`;
    checks.push({
      text: `${scaleLabel(row.case)} integer, 3 s limit: slowest plan(auto) ${slowest === undefined ? "—" : ms(slowest)} of ${samples.length}, ${plan} (target: returns within 4 s)`,
      met: slowest !== undefined && slowest <= 4_000 && (outcome?.objective === null || outcome?.verified === true),
    });
  }
  return checks;
}
