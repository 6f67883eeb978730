import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plan } from "../src/plan/types.js";
import { investmentScenario, type InvestmentScenarioOptions } from "../tests/support/investmentScenario.js";
import { benchArguments, loadLine, machineLine, markdownTable, median, ms, writeResultsSection } from "./harness.js";
import { runIsolated, type TaskResult } from "./isolated.js";
import { phaseNames, profilePlanPhases } from "./planPhases.js";
import { scenarioDocument, workloadLabel, type ContenderName, type Outcome, type ScenarioSpec } from "./workload.js";

/**
 * `npm run bench:investments`: investments (docs/investments.md) as a
 * mixed-integer model.
 * 1. The bundled cluster scenario, kz-uz-cluster-2020-2030: the median time
 *    of plan(auto) — what plan() does by default: validation, formulation,
 *    solve, report, verification; no explanation — against a raw HiGHS solve
 *    of the same MIP (the same arrays, handed to highs directly), interleaved
 *    in one process, and their ratio. Beside it, what an explanation costs
 *    (`explain: true`, which the CLI turns on for a scenario with
 *    investments): prices of the LP with the builds fixed and, for each
 *    investment, its decision reversed or moved and re-optimised as a whole plan.
 * 2. A generated series of cluster-like scenarios with 5, 10, 20 and 40
 *    candidate investments (tests/support/investmentScenario.ts): the same ratio.
 * 3. A time limit on the largest series member, which HiGHS does not prove
 *    optimal within it: through the CLI (`jointplan plan --time-limit`),
 *    run by run against the same process validating the same file (its
 *    start-up), as bench:limits measures it, with the plan's status and MIP
 *    gap; and in one process, plan(auto) against a raw HiGHS solve with the
 *    same limit.
 * Targets (docs/development.md): plan(auto) ≤ 1.1 × the raw solve on the
 * cluster scenario; wall − start-up ≤ limit + 0.6 s on every CLI run, with a
 * plan and its gap.
 */
const usage = "usage: npm run bench:investments [-- --rounds n --series-rounds n --explained-rounds n --runs n --limit ms] [--smoke]";
const options = benchArguments(usage, { rounds: 7, "series-rounds": 3, "explained-rounds": 1, runs: 3, limit: 3_000 });
const { smoke } = options;

export const TARGET_RATIO = 1.1;
export const LIMIT_MARGIN_MS = 600;
const CLUSTER = "kz-uz-cluster-2020-2030";
const TINY: InvestmentScenarioOptions = { candidates: 2, plants: 2, periods: 2 };
const cluster: ScenarioSpec = smoke ? { investments: TINY } : { bundled: CLUSTER };
const series: InvestmentScenarioOptions[] = smoke
  ? [TINY, { ...TINY, candidates: 3 }]
  : [5, 10, 20, 40].map((candidates) => ({ candidates, plants: 4, periods: 6 }));
const largest = series[series.length - 1] ?? TINY;
const rounds = smoke ? 1 : options.rounds;
const seriesRounds = smoke ? 1 : options["series-rounds"];
const explainedRounds = smoke ? 1 : options["explained-rounds"];
const phaseRounds = smoke ? 1 : 3;
const runs = smoke ? 1 : options.runs;
const limit = smoke ? 1_000 : options.limit;
// No message from the child for this long outside a solve is a failure; a solve this long is stopped.
const stallMs = smoke ? 60_000 : 600_000;

const lines: string[] = [];
const print = (...text: string[]) => {
  for (const line of text) console.log(line);
  lines.push(...text);
};

type Clock = "wall" | "cpu";
const medianOf = (result: TaskResult, name: ContenderName, clock: Clock = "wall") => {
  const samples = (clock === "wall" ? result.samples : result.cpuSamples)[name];
  return samples === undefined || samples.length === 0 ? undefined : median(samples);
};
const ratioOf = (result: TaskResult, name: ContenderName, baseline: ContenderName, clock: Clock = "wall") => {
  const value = medianOf(result, name, clock);
  const base = medianOf(result, baseline, clock);
  return value === undefined || base === undefined ? undefined : value / base;
};
/** The median of the round-by-round ratios (each round runs both, one after the other): load that changes slowly cancels within a round. */
const pairedRatioOf = (result: TaskResult, name: ContenderName, baseline: ContenderName) => {
  const values = result.samples[name];
  const bases = result.samples[baseline];
  if (values === undefined || bases === undefined || values.length === 0 || values.length !== bases.length) return undefined;
  return median(values.map((value, i) => value / (bases[i] ?? NaN)));
};
const msCell = (value: number | undefined) => (value === undefined ? "—" : ms(value));
const gapCell = (outcome: Outcome | undefined) => (outcome?.gap === undefined ? "—" : `${(outcome.gap * 100).toFixed(3)}%`);
/** plan(auto) was right: optimal, verified, the raw solve's objective within 1e-6 (relative) — the same MIP, the same solver, the same default gap. */
const correct = (result: TaskResult) => {
  const auto = result.outcomes.auto;
  const raw = result.outcomes["raw-highs"];
  return (
    auto?.status === "optimal" &&
    auto.verified === true &&
    auto.objective != null &&
    raw?.objective != null &&
    Math.abs(auto.objective - raw.objective) <= 1e-6 * Math.max(1, Math.abs(raw.objective))
  );
};

async function timing(scenario: ScenarioSpec, contenders: readonly ContenderName[], rounds: number, timeLimitMs?: number): Promise<TaskResult> {
  const workload = { scenario, integer: false, ...(timeLimitMs === undefined ? {} : { timeLimitMs }) };
  return runIsolated({ kind: "timing", workload, contenders, warmup: 1, rounds, roundBudgetMs: 600_000 }, stallMs);
}

print(`## npm run bench:investments: investments as a mixed-integer model${smoke ? " (smoke run)" : ""}`, "", `Machine: ${machineLine()}`, "");

// 1. The cluster scenario.
const clusterLabel = workloadLabel(cluster);
const clusterTiming = await timing(cluster, ["raw-highs", "auto"], rounds);
const explained = await timing(cluster, ["auto", "auto-explained"], explainedRounds);
const clusterRatio = ratioOf(clusterTiming, "auto", "raw-highs");
const clusterSize = clusterTiming.size;
print(
  `### The cluster scenario (${clusterLabel}): plan(auto) against a raw HiGHS solve of the same MIP`,
  "",
  "Medians of interleaved rounds in one process (child process, after one cold call of each). plan(auto) gets a new document every call and does what plan() does by default: validation, formulation, the solve, the report and the independent verification — and, as for every mixed-integer optimum, HiGHS' LP relaxation of the same model, which tells an unbounded model from a huge optimum; no explanation. Raw HiGHS solves the same arrays (the same MIP) with the same options. Wall clock — the ratio of the medians, and the median of the round-by-round ratios, in which load that changes slowly cancels — and the process's CPU time (less moved by other work on the shared machine).",
  "",
  ...markdownTable(
    [
      "scenario",
      "columns",
      "rows",
      "whole columns",
      "rounds",
      "raw HiGHS",
      "plan(auto)",
      "plan ÷ raw",
      "round by round",
      "CPU: raw",
      "CPU: plan",
      "CPU: plan ÷ raw",
      "first call: raw / plan",
      "optimal, verified, same objective",
    ],
    [
      [
        clusterLabel,
        String(clusterSize?.columns ?? "—"),
        String(clusterSize?.rows ?? "—"),
        String(clusterSize?.integerColumns ?? "—"),
        String(rounds),
        msCell(medianOf(clusterTiming, "raw-highs")),
        msCell(medianOf(clusterTiming, "auto")),
        clusterRatio?.toFixed(3) ?? "—",
        pairedRatioOf(clusterTiming, "auto", "raw-highs")?.toFixed(3) ?? "—",
        msCell(medianOf(clusterTiming, "raw-highs", "cpu")),
        msCell(medianOf(clusterTiming, "auto", "cpu")),
        ratioOf(clusterTiming, "auto", "raw-highs", "cpu")?.toFixed(3) ?? "—",
        `${msCell(clusterTiming.first["raw-highs"])} / ${msCell(clusterTiming.first.auto)}`,
        correct(clusterTiming) ? "yes" : "NO",
      ],
    ],
    ["left", "right", "right", "right", "right", "right", "right", "right", "right", "right", "right", "right", "right", "left"],
  ),
);

const plain = medianOf(explained, "auto");
const withExplanation = medianOf(explained, "auto-explained");
const decisionPlans = explained.outcomes["auto-explained"]?.decisionPlans;
print(
  "",
  `What an explanation costs on top (\`explain: true\`; the CLI explains every plan with investments): prices of the LP with the builds fixed, then what each decision is worth — ${decisionPlans ?? "—"} whole plans re-optimised (each investment's decision reversed, and a built one moved a period earlier and later). Interleaved, ${explainedRounds} round${explainedRounds === 1 ? "" : "s"} after one cold call of each; not part of the ratio above.`,
  "",
  ...markdownTable(
    ["scenario", "plan(auto)", "plan(auto, explain)", "the explanation", "re-optimised plans", "per re-optimised plan"],
    [
      [
        clusterLabel,
        msCell(plain),
        msCell(withExplanation),
        msCell(plain === undefined || withExplanation === undefined ? undefined : withExplanation - plain),
        String(decisionPlans ?? "—"),
        msCell(plain === undefined || withExplanation === undefined || !decisionPlans ? undefined : (withExplanation - plain) / decisionPlans),
      ],
    ],
    ["left", "right", "right", "right", "right", "right"],
  ),
);

const profile = profilePlanPhases(scenarioDocument(cluster), phaseRounds);
const branchAndBound = profile.phases["HiGHS: branch and bound"];
print(
  "",
  `Where plan(auto)'s time goes on ${clusterLabel}: its steps run one by one on a new document, in CPU time of the process (median of ${profile.rounds} round${profile.rounds === 1 ? "" : "s"} after a cold one), beside whole plan(auto) calls interleaved with them. jointplan hands HiGHS arrays (no LP text is written).`,
  "",
  ...markdownTable(
    ["step", "CPU time", "share of plan(auto)"],
    [
      ...phaseNames.map((name) => [name, msCell(profile.phases[name]), `${((profile.phases[name] / profile.wholePlan) * 100).toFixed(1)}%`]),
      ["plan(auto), whole call", msCell(profile.wholePlan), "100%"],
      [
        "everything but the branch and bound",
        msCell(profile.wholePlan - branchAndBound),
        `${(((profile.wholePlan - branchAndBound) / profile.wholePlan) * 100).toFixed(1)}%`,
      ],
    ],
    ["left", "right", "right"],
  ),
);

// 2. The series.
const seriesRows: { options: InvestmentScenarioOptions; result: TaskResult }[] = [];
for (const member of series) seriesRows.push({ options: member, result: await timing({ investments: member }, ["raw-highs", "auto"], seriesRounds) });
print(
  "",
  `### A series of generated clusters: ${series.map((member) => member.candidates).join(", ")} candidate investments`,
  "",
  `tests/support/investmentScenario.ts: a joint network of tests/support/networkScenario.ts (${largest.plants ?? 6} plants in two countries, ${largest.periods ?? 8} periods, demand growing 6% a year, shops and lines short of it) with candidate expansions in clusters of three alternatives (a group) and every fourth alone, windows opening in the first three periods, costs spread around what the added hours earn, an 8% discount rate. Units fractional, builds whole. Same harness as above, ${seriesRounds} round${seriesRounds === 1 ? "" : "s"} after one cold call.`,
  "",
  ...markdownTable(
    [
      "candidates",
      "columns",
      "rows",
      "whole columns",
      "raw HiGHS",
      "plan(auto)",
      "plan ÷ raw",
      "round by round",
      "CPU: plan ÷ raw",
      "optimal, verified, same objective",
    ],
    seriesRows.map(({ options: member, result }) => [
      String(member.candidates),
      String(result.size?.columns ?? "—"),
      String(result.size?.rows ?? "—"),
      String(result.size?.integerColumns ?? "—"),
      msCell(medianOf(result, "raw-highs")),
      msCell(medianOf(result, "auto")),
      ratioOf(result, "auto", "raw-highs")?.toFixed(3) ?? "—",
      pairedRatioOf(result, "auto", "raw-highs")?.toFixed(3) ?? "—",
      ratioOf(result, "auto", "raw-highs", "cpu")?.toFixed(3) ?? "—",
      correct(result) ? "yes" : "NO",
    ]),
    ["right", "right", "right", "right", "right", "right", "right", "right", "right", "left"],
  ),
);

// 3. A time limit on the largest member.
const largestRow = seriesRows.at(-1);
const largestRaw = largestRow === undefined ? undefined : medianOf(largestRow.result, "raw-highs");
const file = join(mkdtempSync(join(tmpdir(), "jointplan-investments-")), "model.json");
writeFileSync(file, JSON.stringify(investmentScenario(largest)));
const bin = new URL("../bin/jointplan.js", import.meta.url).pathname;
const timed = (args: string[]) => {
  const started = performance.now();
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return { ms: performance.now() - started, status: run.status, stdout: run.stdout, stderr: run.stderr };
};
const cli: { startUp: number; wall: number; plan: Plan }[] = [];
for (let run = 0; run < runs; run++) {
  const validated = timed(["validate", file]);
  if (validated.status !== 0) throw new Error(`jointplan validate failed: ${validated.stderr}`);
  const planned = timed(["plan", file, "--time-limit", String(limit), "--json"]);
  if (planned.stdout.trim() === "") throw new Error(`jointplan plan printed no plan: ${planned.stderr}`);
  cli.push({ startUp: validated.ms, wall: planned.ms, plan: JSON.parse(planned.stdout) as Plan });
}
const limited = await timing({ investments: largest }, ["raw-highs", "auto"], runs, limit);
print(
  "",
  `### A ${limit} ms time limit on the largest member (${largest.candidates} candidates)`,
  "",
  `Without a limit raw HiGHS takes ${msCell(largestRaw)} (median above) to prove this one optimal within its default gap. The CLI (\`jointplan plan <file> --time-limit ${limit} --json\`, which plans in a child process and, for a scenario with investments, explains within the same limit) against the same process validating the same file — its start-up — run by run:`,
  "",
  ...markdownTable(
    ["run", "start-up", "wall", "wall − start-up", "past the limit", "status", "a plan", "MIP gap", "verified"],
    cli.map((run, i) => [
      String(i + 1),
      `${run.startUp.toFixed(0)} ms`,
      `${run.wall.toFixed(0)} ms`,
      `${(run.wall - run.startUp).toFixed(0)} ms`,
      `${(run.wall - run.startUp - limit).toFixed(0)} ms`,
      run.plan.status,
      run.plan.objective === null ? "no" : "yes",
      run.plan.solver.gap === undefined ? "—" : `${(run.plan.solver.gap * 100).toFixed(3)}%`,
      run.plan.objective === null ? "—" : run.plan.verification.feasible ? "yes" : "NO",
    ]),
    ["right", "right", "right", "right", "right", "left", "left", "right", "left"],
  ),
  "",
  `In one process (no start-up), the same limit: plan(auto) with \`timeLimitMs: ${limit}\` — the limit bounds the whole call — against raw HiGHS with \`time_limit\` ${limit / 1000} s (HiGHS' own clock, which starts at its run), ${runs} round${runs === 1 ? "" : "s"} after one cold call each:`,
  "",
  ...markdownTable(
    ["contender", "median wall", "status", "MIP gap"],
    (["raw-highs", "auto"] as const).map((name) => [
      name === "auto" ? "plan(auto)" : "raw HiGHS",
      msCell(medianOf(limited, name)),
      limited.outcomes[name]?.status ?? "—",
      gapCell(limited.outcomes[name]),
    ]),
    ["left", "right", "left", "right"],
  ),
);

// Targets.
const worstPast = Math.max(...cli.map((run) => run.wall - run.startUp - limit));
const checks = [
  {
    text: `${clusterLabel}: plan(auto) ÷ raw HiGHS = ${clusterRatio?.toFixed(3) ?? "—"} (target ≤ ${TARGET_RATIO}; round by round ${pairedRatioOf(clusterTiming, "auto", "raw-highs")?.toFixed(3) ?? "—"}; in CPU time ${ratioOf(clusterTiming, "auto", "raw-highs", "cpu")?.toFixed(3) ?? "—"}), ${correct(clusterTiming) ? "optimal, verified, the raw solve's objective" : "NOT optimal, verified and equal to the raw solve"}`,
    met: clusterRatio !== undefined && clusterRatio <= TARGET_RATIO && correct(clusterTiming),
  },
  ...seriesRows.map(({ options: member, result }) => {
    const ratio = ratioOf(result, "auto", "raw-highs");
    return {
      text: `${member.candidates} candidates: plan(auto) ÷ raw HiGHS = ${ratio?.toFixed(3) ?? "—"} (≤ ${TARGET_RATIO} as on the cluster), ${correct(result) ? "optimal, verified, the raw solve's objective" : "NOT optimal, verified and equal to the raw solve"}`,
      met: ratio !== undefined && ratio <= TARGET_RATIO && correct(result),
    };
  }),
  {
    text: `${limit} ms limit on ${largest.candidates} candidates through the CLI: worst wall − start-up ${(worstPast + limit).toFixed(0)} ms, ${worstPast.toFixed(0)} ms past the limit (target ≤ ${LIMIT_MARGIN_MS} ms), every run with a verified plan and its gap: ${cli.every((run) => run.plan.objective !== null && run.plan.verification.feasible && (run.plan.status === "optimal" || run.plan.solver.gap !== undefined)) ? "yes" : "NO"}`,
    met:
      worstPast <= LIMIT_MARGIN_MS &&
      cli.every((run) => run.plan.objective !== null && run.plan.verification.feasible && (run.plan.status === "optimal" || run.plan.solver.gap !== undefined)),
  },
];
print(
  "",
  "### Targets, on this run's numbers",
  "",
  ...checks.map((check) => `- ${check.met ? "met" : "NOT MET"}: ${check.text}`),
  "",
  `Finished with ${loadLine()}.`,
);

if (!smoke) writeResultsSection("npm run bench:investments", lines);
