import { AUTO_JS_LP_MAX_COLUMNS, AUTO_JS_MIP_MAX_COLUMNS } from "../src/solvers/index.js";
import { markdownTable, median, ms } from "./harness.js";
import { runIsolated } from "./isolated.js";
import type { ScaleOptions } from "../tests/support/scaleScenario.js";
import { workloadLabel, type ScenarioSpec } from "./workload.js";

/**
 * Where javascript-lp-solver stops being the quicker backend: `plan()` with
 * each backend on the same scenarios, interleaved in one process, over size
 * classes of generated scenarios (several seeds each, since the dense simplex's
 * time varies from instance to instance) and the bundled ones. A
 * javascript-lp-solver solve that makes no progress within the stall budget
 * is stopped and counted as a time-out. The result is compared with the rule
 * `auto` uses (src/solvers/index.ts).
 */
export interface CrossoverClass {
  readonly label: string;
  readonly integer: boolean;
  readonly scenarios: readonly ScenarioSpec[];
}

export interface CrossoverRow {
  readonly label: string;
  readonly integer: boolean;
  readonly instances: number;
  readonly columns: { readonly min: number; readonly median: number; readonly max: number };
  readonly jsMedian: number | undefined;
  readonly highsMedian: number;
  /** Median over instances of (javascript-lp-solver ÷ HiGHS). */
  readonly ratio: number | undefined;
  readonly jsTimeouts: number;
  /** Instances where javascript-lp-solver's status differs from HiGHS' or its plan fails verification. */
  readonly jsWrong: number;
  /** Instances on which javascript-lp-solver was quicker (and right, and did not time out). */
  readonly jsFaster: number;
  readonly autoPicks: string;
}

const sized = (size: Omit<ScaleOptions, "seed">, seeds: number): ScenarioSpec[] =>
  Array.from({ length: seeds }, (_, i) => ({ scale: { ...size, seed: i + 1 } }));

export function crossoverClasses(smoke: boolean): CrossoverClass[] {
  if (smoke) return [{ label: "2×3×6", integer: false, scenarios: sized({ plants: 2, products: 3, parts: 6 }, 1) }];
  const seeds = 5;
  const lp = (plants: number, products: number, parts: number): CrossoverClass => ({
    label: `${plants}×${products}×${parts}`,
    integer: false,
    scenarios: sized({ plants, products, parts }, seeds),
  });
  return [
    { label: "kz-uz-2020", integer: false, scenarios: [{ bundled: "kz-uz-2020" }] },
    { label: "kz-uz-2019-2025", integer: false, scenarios: [{ bundled: "kz-uz-2019-2025" }] },
    lp(2, 3, 6),
    lp(2, 4, 10),
    lp(2, 5, 12),
    lp(3, 5, 10),
    lp(3, 8, 20),
    lp(5, 15, 30),
    lp(8, 25, 50),
    { label: "kz-uz-2020", integer: true, scenarios: [{ bundled: "kz-uz-2020" }] },
    { label: "2×3×6", integer: true, scenarios: sized({ plants: 2, products: 3, parts: 6 }, seeds) },
    { label: "2×4×10", integer: true, scenarios: sized({ plants: 2, products: 4, parts: 10 }, seeds) },
  ];
}

export async function crossoverBenchmark(options: { smoke: boolean; stallMs: number }): Promise<{ rows: CrossoverRow[]; lines: string[] }> {
  const rounds = options.smoke ? 1 : 15;
  const warmup = options.smoke ? 1 : 3;
  const rows: CrossoverRow[] = [];
  for (const group of crossoverClasses(options.smoke)) {
    const js: number[] = [];
    const highs: number[] = [];
    const ratios: number[] = [];
    const columns: number[] = [];
    const picks = new Map<string, number>();
    let jsTimeouts = 0;
    let jsWrong = 0;
    let jsFaster = 0;
    for (const scenario of group.scenarios) {
      const result = await runIsolated(
        {
          kind: "timing",
          workload: { scenario, integer: group.integer },
          contenders: ["javascript-lp-solver", "highs", "auto"],
          warmup,
          rounds,
          roundBudgetMs: 2_000,
        },
        options.stallMs,
      );
      const highsMs = median(result.samples.highs ?? []);
      highs.push(highsMs);
      columns.push(result.size?.columns ?? 0);
      const picked = result.outcomes.auto?.backend ?? "?";
      picks.set(picked, (picks.get(picked) ?? 0) + 1);
      if (result.timedOut.includes("javascript-lp-solver")) {
        jsTimeouts++;
        continue;
      }
      const jsMs = median(result.samples["javascript-lp-solver"] ?? []);
      js.push(jsMs);
      ratios.push(jsMs / highsMs);
      const jsOutcome = result.outcomes["javascript-lp-solver"];
      const highsOutcome = result.outcomes.highs;
      if (highsOutcome?.objective !== null && highsOutcome?.verified !== true) {
        throw new Error(`${workloadLabel(scenario)}: HiGHS' plan failed verification`);
      }
      const right = jsOutcome?.status === highsOutcome.status && (jsOutcome.objective === null || jsOutcome.verified === true);
      if (!right) jsWrong++;
      else if (jsMs < highsMs) jsFaster++;
    }
    rows.push({
      label: group.label,
      integer: group.integer,
      instances: group.scenarios.length,
      columns: { min: Math.min(...columns), median: median(columns), max: Math.max(...columns) },
      jsMedian: js.length > 0 ? median(js) : undefined,
      highsMedian: median(highs),
      ratio: ratios.length > 0 ? median(ratios) : undefined,
      jsTimeouts,
      jsWrong,
      jsFaster,
      autoPicks: [...picks].map(([backend, count]) => (group.scenarios.length === 1 ? backend : `${backend} ${count}/${group.scenarios.length}`)).join(", "),
    });
  }
  return { rows, lines: renderCrossover(rows, options.stallMs) };
}

function renderCrossover(rows: readonly CrossoverRow[], stallMs: number): string[] {
  const table = markdownTable(
    [
      "scenarios",
      "kind",
      "instances",
      "columns",
      "javascript-lp-solver",
      "HiGHS",
      "js ÷ HiGHS",
      "js quicker",
      `js time-outs (> ${stallMs / 1000} s)`,
      "js wrong answers",
      "auto picks",
    ],
    rows.map((row) => [
      row.label,
      row.integer ? "integer" : "LP",
      String(row.instances),
      row.columns.min === row.columns.max ? String(row.columns.min) : `${row.columns.min}–${row.columns.max}`,
      row.jsMedian === undefined ? "time-out" : ms(row.jsMedian),
      ms(row.highsMedian),
      row.ratio === undefined ? "—" : row.ratio.toFixed(2),
      `${row.jsFaster}/${row.instances}`,
      String(row.jsTimeouts),
      String(row.jsWrong),
      row.autoPicks,
    ]),
    ["left", "left", "right", "right", "right", "right", "right", "right", "right", "right", "left"],
  );
  return [
    "Median time of plan() per backend (validation, formulation, solve, report, verification), per instance over interleaved rounds; the class figure is the median over its instances. A wrong answer is a status other than HiGHS' (whose plans are verified) or a plan that fails verification.",
    "",
    ...table,
    "",
    `auto's rule (src/solvers/index.ts): javascript-lp-solver for continuous LPs of at most ${AUTO_JS_LP_MAX_COLUMNS} columns` +
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a tuning constant (0 today); the sentence follows it
      (AUTO_JS_MIP_MAX_COLUMNS > 0 ? ` and integer models of at most ${AUTO_JS_MIP_MAX_COLUMNS} columns` : ", never for integer models") +
      "; HiGHS otherwise.",
    `Measured: ${describeCrossover(rows, false)}; ${describeCrossover(rows, true)}.`,
  ];
}

/**
 * javascript-lp-solver's territory: the classes, smallest first, on which it was
 * quicker on most instances (the machine is shared: one slow round is noise)
 * and never timed out or answered wrongly. It ends at the first class that fails.
 */
function describeCrossover(rows: readonly CrossoverRow[], integer: boolean): string {
  const ordered = rows.filter((row) => row.integer === integer).sort((a, b) => a.columns.median - b.columns.median);
  let wins: CrossoverRow | undefined;
  let largest = 0;
  for (const row of ordered) {
    if (row.jsTimeouts > 0 || row.jsWrong > 0 || 2 * row.jsFaster <= row.instances) break;
    wins = row;
    largest = Math.max(largest, row.columns.max);
  }
  const kind = integer ? "integer models" : "continuous LPs";
  if (ordered.length === 0) return `${kind} not measured`;
  if (wins === undefined) return `on ${kind}, javascript-lp-solver was slower, timed out or answered wrongly from the smallest class measured`;
  return `on ${kind}, javascript-lp-solver was quicker on most instances, and never timed out or answered wrongly, up to ${largest} columns (through ${wins.label})`;
}
