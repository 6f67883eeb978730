import { markdownTable, median, ms } from "./harness.js";
import { runIsolated, type TaskResult } from "./isolated.js";
import type { NetworkOptions } from "../tests/support/networkScenario.js";
import type { ContenderName, LpSize, Outcome, Workload } from "./workload.js";

/**
 * The joint network at scale (docs/format.md §2.7): generated networks of 10,
 * 30 and 60 plants in two countries (tests/support/networkScenario.ts), and
 * the largest over several periods. For each: the median time of `plan()`
 * with `auto` (a new document every call: validation, formulation, solve,
 * report, verification and flows) against a raw HiGHS solve of the same LP,
 * interleaved in one process (the harness of the scale benchmark), their
 * ratio, the peak memory of a process planning it, and how time grows with
 * the LP's columns.
 */
export interface NetworkCase {
  readonly network: NetworkOptions;
  readonly warmup: number;
  readonly rounds: number;
}

export interface NetworkRow {
  readonly case: NetworkCase;
  readonly size: LpSize | undefined;
  readonly timing: TaskResult;
  /** Peak resident set of a fresh process that generates and formulates the scenario, then plans it once with auto / solves it once raw. */
  readonly peakRssAuto: number | undefined;
  readonly peakRssRaw: number | undefined;
}

/** The acceptance line (docs/development.md): plan(auto) within this factor of a raw HiGHS solve, at every size of at least `TARGET_FROM_COLUMNS`. */
export const TARGET_RATIO = 1.15;
export const TARGET_FROM_COLUMNS = 1_000;

export function networkCases(smoke: boolean): NetworkCase[] {
  if (smoke) return [{ network: { plants: 2 }, warmup: 1, rounds: 1 }];
  return [
    { network: { plants: 10 }, warmup: 5, rounds: 21 },
    { network: { plants: 30 }, warmup: 3, rounds: 15 },
    { network: { plants: 60 }, warmup: 2, rounds: 11 },
    { network: { plants: 60, periods: 3 }, warmup: 1, rounds: 5 },
  ];
}

export async function networkBenchmark(options: { smoke: boolean; stallMs: number }): Promise<NetworkRow[]> {
  const rows: NetworkRow[] = [];
  for (const benchCase of networkCases(options.smoke)) {
    const workload: Workload = { scenario: { network: benchCase.network }, integer: false };
    const timing = await runIsolated(
      { kind: "timing", workload, contenders: ["raw-highs", "auto"], warmup: benchCase.warmup, rounds: benchCase.rounds, roundBudgetMs: 120_000 },
      options.stallMs,
    );
    const peak = async (contender: ContenderName) =>
      (await runIsolated({ kind: "peak-memory", workload, contenders: [contender] }, options.stallMs)).peakRssBytes;
    rows.push({ case: benchCase, size: timing.size, timing, peakRssAuto: await peak("auto"), peakRssRaw: await peak("raw-highs") });
  }
  return rows;
}

export function networkLabel({ network }: NetworkCase): string {
  const periods = network.periods ?? 1;
  return `${network.plants} plants${periods > 1 ? ` × ${periods} periods` : ""}`;
}

const mib = (bytes: number | undefined) => (bytes === undefined ? "—" : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
/** Which clock: the wall clock (what a caller waits), or the process's CPU time (less moved by other work on a shared machine). */
type Clock = "wall" | "cpu";
const medianOf = (row: NetworkRow, name: ContenderName, clock: Clock = "wall") => {
  const samples = (clock === "wall" ? row.timing.samples : row.timing.cpuSamples)[name];
  return samples === undefined || samples.length === 0 ? undefined : median(samples);
};

/** plan(auto) ÷ raw HiGHS, from the same interleaved run. */
export function networkRatio(row: NetworkRow, clock: Clock = "wall"): number | undefined {
  const auto = medianOf(row, "auto", clock);
  const raw = medianOf(row, "raw-highs", clock);
  return auto === undefined || raw === undefined ? undefined : auto / raw;
}

/**
 * The exponent b of time ≈ a·columnsᵇ, fitted by least squares on the logs
 * (the slope of a log-log plot) over the rows with at least `fromColumns`
 * columns; undefined with fewer than two such sizes.
 */
export function growthExponent(rows: readonly NetworkRow[], name: ContenderName, fromColumns = TARGET_FROM_COLUMNS, clock: Clock = "wall"): number | undefined {
  const points = rows.flatMap((row) => {
    const time = medianOf(row, name, clock);
    const columns = row.size?.columns;
    return time === undefined || columns === undefined || columns < fromColumns ? [] : [{ x: Math.log(columns), y: Math.log(time) }];
  });
  if (points.length < 2) return undefined;
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / points.length;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const { x, y } of points) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  return variance === 0 ? undefined : covariance / variance;
}

const agrees = (auto: Outcome | undefined, raw: Outcome | undefined) =>
  auto?.objective != null && raw?.objective != null && Math.abs(auto.objective - raw.objective) <= 1e-6 * Math.max(1, Math.abs(raw.objective));

/** Whether plan(auto) was right: optimal, verified, the raw solve's objective within 1e-6 (relative). */
function correct(row: NetworkRow): boolean {
  const auto = row.timing.outcomes.auto;
  return auto?.status === "optimal" && auto.verified === true && agrees(auto, row.timing.outcomes["raw-highs"]);
}

export function renderNetwork(rows: readonly NetworkRow[]): string[] {
  const cell = (row: NetworkRow, name: ContenderName, clock: Clock = "wall") => {
    const value = medianOf(row, name, clock);
    return value === undefined ? "—" : ms(value);
  };
  const ratioCell = (row: NetworkRow, clock: Clock) => networkRatio(row, clock)?.toFixed(2) ?? "—";
  const table = markdownTable(
    [
      "network",
      "columns",
      "rows",
      "non-zeros",
      "rounds",
      "raw HiGHS",
      "plan(auto)",
      "auto ran",
      "plan ÷ raw",
      "CPU: raw HiGHS",
      "CPU: plan(auto)",
      "CPU: plan ÷ raw",
      "optimal, verified, same objective",
      "peak memory: plan(auto)",
      "peak memory: raw HiGHS",
    ],
    rows.map((row) => [
      networkLabel(row.case),
      String(row.size?.columns ?? "—"),
      String(row.size?.rows ?? "—"),
      String(row.size?.nonZeros ?? "—"),
      String(row.case.rounds),
      cell(row, "raw-highs"),
      cell(row, "auto"),
      row.timing.outcomes.auto?.backend ?? "—",
      ratioCell(row, "wall"),
      cell(row, "raw-highs", "cpu"),
      cell(row, "auto", "cpu"),
      ratioCell(row, "cpu"),
      correct(row) ? "yes" : "NO",
      mib(row.peakRssAuto),
      mib(row.peakRssRaw),
    ]),
    ["left", "right", "right", "right", "right", "right", "right", "left", "right", "right", "right", "right", "left", "right", "right"],
  );
  const growth = (name: ContenderName, clock: Clock = "wall") => growthExponent(rows, name, TARGET_FROM_COLUMNS, clock)?.toFixed(2) ?? "—";
  return [
    "Generated joint networks (tests/support/networkScenario.ts): plants in two countries, one platform per plant (a kit made on the lead plant's line and four products assembled at home and across the border), kits made from sub-assemblies made in-house from bought parts, delivery lanes with freight, duty and capacity, shipping lanes to markets in both countries, a joint units goal, an export share and a local share of car parts.",
    "Medians of interleaved rounds in one process, after warm-up; plan(auto) gets a new document every call, so validation, formulation, solve, report, verification and flows all run; raw HiGHS solves the same LP from arrays built beforehand. The wall clock is what a caller waits (the target's measure); the CPU time of the process over the same calls (every thread: the solver's and the garbage collector's) is less moved by other work on a shared machine, so it is shown beside it.",
    "Peak memory: the largest resident set (resourceUsage().maxRSS) of a fresh process that generates the scenario, formulates it once to count its size, then plans it once with auto — or, in the last column, solves its LP once raw: the difference is what plan() holds beyond the solver.",
    "",
    ...table,
    "",
    `Growth with columns (time ≈ a · columnsᵇ, least squares on the logs over the sizes of at least ${TARGET_FROM_COLUMNS.toLocaleString("en-US")} columns): raw HiGHS b = ${growth("raw-highs")}, plan(auto) b = ${growth("auto")} (CPU time: ${growth("raw-highs", "cpu")} and ${growth("auto", "cpu")}).`,
  ];
}

export interface NetworkCheck {
  readonly text: string;
  readonly met: boolean;
}

/** The network target (docs/development.md), checked on this run's numbers at every size of at least 1,000 columns. */
export function networkChecks(rows: readonly NetworkRow[]): NetworkCheck[] {
  return rows.flatMap((row) => {
    const columns = row.size?.columns;
    if (columns === undefined || columns < TARGET_FROM_COLUMNS) return [];
    const ratio = networkRatio(row);
    return [
      {
        text: `${networkLabel(row.case)} (${columns} columns): plan(auto) ÷ raw HiGHS = ${ratio?.toFixed(2) ?? "—"} (target ≤ ${TARGET_RATIO.toFixed(2)}; in CPU time ${networkRatio(row, "cpu")?.toFixed(2) ?? "—"}), ${correct(row) ? "optimal, verified, the raw solve's objective" : "NOT optimal, verified and equal to the raw solve"}`,
        met: ratio !== undefined && ratio <= TARGET_RATIO && correct(row),
      },
    ];
  });
}
