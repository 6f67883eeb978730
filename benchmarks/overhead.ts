import solverModule, { type SolverAPI } from "javascript-lp-solver";
import { formulate, loadBundledScenario, parseScenario, plan } from "../src/index.js";
import { toJsLpModel } from "../src/solvers/jsLpSolver.js";
import { compare, median, ms, percentile } from "./harness.js";

/**
 * jointplan's own overhead on kz-uz-2020: `plan()` (validation, formulation,
 * solve, report, verification) against a raw javascript-lp-solver `Solve` of
 * the very same LP, interleaved in the same run. Two cases:
 * - parsed: a parsed scenario planned again (parse once, plan many times, as a
 *   planner trying options or a service holding its scenarios does) — its
 *   validation and formulation are reused; solve, report and verification run;
 * - document: a raw document every time (a new object), so every step runs.
 * Target: ratio ≤ 1.5.
 */
const solver: SolverAPI = (solverModule as unknown as { default?: SolverAPI }).default ?? (solverModule as unknown as SolverAPI);

export function overheadBenchmark(options: { rounds: number; warmup: number }): { repeat: number; cold: number; lines: string[] } {
  const document = loadBundledScenario("kz-uz-2020") as Record<string, unknown>;
  const parsed = parseScenario(document);
  const formulation = formulate(parsed);
  const model = toJsLpModel(formulation.lp, { integer: false });
  const total = options.rounds + options.warmup;
  const fresh = Array.from({ length: total }, (_, i) => ({ ...document, title: `${String(document["title"])} #${i}` }));
  let next = 0;
  const samples = compare(
    {
      raw: () => solver.Solve(model),
      repeat: () => plan(parsed, { backend: "javascript-lp-solver" }),
      cold: () => plan(fresh[next++ % total], { backend: "javascript-lp-solver" }),
    },
    options,
  );
  const raw = median(samples["raw"] ?? []);
  const repeat = median(samples["repeat"] ?? []) / raw;
  const cold = median(samples["cold"] ?? []) / raw;
  const line = (label: string, name: string) =>
    `  ${label.padEnd(44)} median ${ms(median(samples[name] ?? []))}  p90 ${ms(percentile(samples[name] ?? [], 90))}`;
  const verdict = (ratio: number) => `${ratio.toFixed(2)} ${ratio <= 1.5 ? "(≤ 1.50 OK)" : "(over 1.50)"}`;
  return {
    repeat,
    cold,
    lines: [
      `kz-uz-2020: ${formulation.lp.columns.length} columns × ${formulation.lp.rows.length} rows, ${options.rounds} interleaved rounds after ${options.warmup} warm-up`,
      line("raw javascript-lp-solver Solve (baseline)", "raw"),
      line("plan(parsed scenario)", "repeat"),
      line("plan(raw document): validate + formulate too", "cold"),
      `  ratio plan / raw solve, parsed scenario     ${verdict(repeat)}`,
      `  ratio plan / raw solve, raw document        ${verdict(cold)}`,
    ],
  };
}
