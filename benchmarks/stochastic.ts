import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parsePlanOptions } from "../src/plan/options.js";
import { bundledScenario } from "../src/scenario/bundled.js";
import { solveDecomposed } from "../src/stochastic/decomposition/lshaped.js";
import { createSubproblemPool } from "../src/stochastic/decomposition/pool.js";
import type { SubproblemTask } from "../src/stochastic/decomposition/types.js";
import { hereAndNowColumns, outcomeFormulation } from "../src/stochastic/extensive.js";
import { prepareStochastic } from "../src/stochastic/outcomes.js";
import { solveExtensive } from "../src/stochastic/twoStage.js";
import type { SubproblemsRequest } from "./stochasticChild.js";
import { benchArguments, loadLine, machineLine, markdownTable, median, writeResultsSection } from "./harness.js";

/**
 * `npm run bench:stochastic`: the two-stage plan of kz-uz-2019-2025 over N
 * sampled outcomes (the bundled uncertain-demand entries, production decided
 * here and now), solved as one extensive form and by the L-shaped
 * decomposition with its subproblems on one and on two worker threads.
 * Checks that both agree to 1e-6 at every size; compares the two-worker
 * speed-up with the machine's own two-process speed-up on the same
 * subproblems (two plain processes, no pool, no master), measured in the
 * same run. Target: two workers reach ≥ 90% of the machine's speed-up.
 */
const usage = "usage: npm run bench:stochastic [-- --rounds n] [--smoke]";
const options = benchArguments(usage, { rounds: 3 });
const sizes = options.smoke ? [4] : [8, 24];
const rounds = options.smoke ? 1 : options.rounds;
const TOLERANCE = 1e-6;

const lines: string[] = [];
const print = (...text: string[]) => {
  for (const line of text) console.log(line);
  lines.push(...text);
};

const scenarioId = "kz-uz-2019-2025";
const bundled = bundledScenario(scenarioId);
if (bundled === undefined) throw new Error(`${scenarioId} is not bundled`);
const scenario = bundled;
const uncertain = (
  JSON.parse(readFileSync(new URL("../models/montecarlo/kz-uz-2019-2025/kazakh-demand.json", import.meta.url), "utf8")) as Record<string, unknown>
)["uncertain"];
const specOf = (count: number) => ({ sample: { count, seed: 7, uncertain }, here_and_now: ["production"] });
const settings = parsePlanOptions({});

print(
  `## npm run bench:stochastic: extensive form against decomposition, one and two workers${options.smoke ? " (smoke run)" : ""}`,
  "",
  `Machine: ${machineLine()}`,
  "",
);
print(
  `Work: the two-stage plan of ${scenarioId} over ${sizes.join(" and ")} sampled outcomes (models/montecarlo/kz-uz-2019-2025/kazakh-demand.json's uncertain entries, seed 7), ` +
    `production here and now; the two-stage solve only (no wait-and-see, EEV or evaluation). Median of ${rounds} interleaved rounds.`,
  "",
);

const children = [0, 1].map(() =>
  fork(fileURLToPath(new URL("./stochasticChild.ts", import.meta.url)), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] }),
);
/** The machine's own scaling: `count` plain processes share the subproblems of `repeats` iterations at fixed decisions. */
async function plainRun(task: SubproblemTask, count: number, repeats: number): Promise<number> {
  const outcomes = task.to - task.from;
  const share = Math.ceil(outcomes / count);
  const started = performance.now();
  await Promise.all(
    children.slice(0, count).map(
      (child, index) =>
        new Promise<void>((resolve) => {
          child.once("message", () => resolve());
          const request: SubproblemsRequest = { task: { ...task, from: index * share, to: Math.min(outcomes, (index + 1) * share) }, repeats };
          child.send(request);
        }),
    ),
  );
  return performance.now() - started;
}

const rows: string[][] = [];
const scaling: string[][] = [];
let allAgree = true;
const pools = { 1: createSubproblemPool(1), 2: createSubproblemPool(2) };
try {
  for (const count of sizes) {
    const spec = specOf(count);
    const prepared = prepareStochastic(scenario, spec, settings);
    const isHereAndNow = hereAndNowColumns(prepared.hereAndNow);
    const models = prepared.outcomes.map((outcome) => ({ probability: outcome.probability, formulation: outcomeFormulation(outcome.scenario, false) }));
    const run = { key: `bench-${count}`, scenario, spec, options: {} };
    const times: Record<string, number[]> = { extensive: [], one: [], two: [], plain1: [], plain2: [] };
    let extensiveValue = NaN;
    let decomposedValue = NaN;
    let iterations = 0;
    let finalTask: SubproblemTask | undefined;
    for (let round = 0; round < rounds; round++) {
      let started = performance.now();
      const extensive = solveExtensive(models, isHereAndNow, scenario, { ...settings, backend: "highs" });
      times["extensive"]?.push(performance.now() - started);
      extensiveValue = (extensive.answers ?? []).reduce((sum, answer, w) => sum + (models[w]?.probability ?? 0) * answer.evaluation.objective, 0);
      // One and two workers, in alternating order.
      for (const threads of round % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const)) {
        started = performance.now();
        const decomposed = await solveDecomposed({
          models,
          isHereAndNow,
          run: { ...run, key: `${run.key}-${round}-${threads}` },
          runner: pools[threads],
          chunkOutcomes: Math.ceil(count / 4),
        });
        times[threads === 1 ? "one" : "two"]?.push(performance.now() - started);
        decomposedValue = decomposed.report.lower ?? NaN;
        iterations = decomposed.report.iterations;
        const keys = [...(decomposed.fixed?.keys() ?? [])];
        finalTask = { ...run, op: "cut", from: 0, to: count, keys, fixed: keys.map((key) => decomposed.fixed?.get(key) ?? 0) };
      }
      if (finalTask !== undefined)
        for (const processes of round % 2 === 0 ? [1, 2] : [2, 1]) times[`plain${processes}`]?.push(await plainRun(finalTask, processes, iterations));
    }
    const gap = Math.abs(extensiveValue - decomposedValue) / Math.max(1, Math.abs(extensiveValue));
    const agrees = gap <= TOLERANCE;
    allAgree &&= agrees;
    const med = (name: string) => median(times[name] ?? []);
    const speedup = med("one") / med("two");
    const machine = med("plain1") / med("plain2");
    rows.push([
      String(count),
      String(models[0]?.formulation.lp.columns.length ?? 0),
      `${med("extensive").toFixed(0)} ms`,
      `${med("one").toFixed(0)} ms`,
      `${med("two").toFixed(0)} ms`,
      String(iterations),
      `${gap.toExponential(1)} ${agrees ? "✓" : "✗"}`,
    ]);
    scaling.push([
      String(count),
      `${speedup.toFixed(2)}×`,
      `${machine.toFixed(2)}×`,
      `${((100 * speedup) / machine).toFixed(0)}%`,
      speedup >= 0.9 * machine ? "met" : "NOT met",
    ]);
  }
} finally {
  await Promise.all([pools[1].close(), pools[2].close()]);
  for (const child of children) child.kill();
}

print(
  ...markdownTable(
    ["outcomes", "columns per outcome", "extensive form", "decomposition, 1 worker", "decomposition, 2 workers", "iterations", "relative difference (≤ 1e-6)"],
    rows,
    ["right", "right", "right", "right", "right", "right", "right"],
  ),
  "",
  ...markdownTable(["outcomes", "2 workers vs 1", "machine: 2 processes vs 1", "share of the machine's speed-up", "target ≥ 90%"], scaling, [
    "right",
    "right",
    "right",
    "right",
    "right",
  ]),
  "",
  `Agreement: ${allAgree ? "every size within 1e-6" : "NOT within 1e-6 at some size"}. Load: ${loadLine()}`,
);
if (!options.smoke) writeResultsSection("npm run bench:stochastic", lines);
if (!allAgree) process.exitCode = 1;
