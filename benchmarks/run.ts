import { crossoverBenchmark } from "./crossover.js";
import { benchArguments, loadLine, machineLine, writeResultsSection } from "./harness.js";
import { networkBenchmark, networkChecks, renderNetwork } from "./network.js";
import { overheadBenchmark } from "./overhead.js";
import { renderScale, scaleBenchmark, targetChecks } from "./scale.js";
import { whatIfBenchmark } from "./whatif.js";

/**
 * `npm run bench`: overhead, backend crossover, scale, the joint network and
 * what-if, printed with the machine they ran on, and written to this
 * command's section of benchmarks/RESULTS.md. `--smoke` runs tiny sizes only and writes nothing
 * (the test suite runs it to keep the scripts working).
 */
const { smoke } = benchArguments("usage: npm run bench [-- --smoke]", {});
const machine = machineLine();
const lines: string[] = [];
const print = (...text: string[]) => {
  for (const line of text) console.log(line);
  lines.push(...text);
};

print(`## npm run bench: overhead, backend crossover, scale, joint network${smoke ? " (smoke run)" : ""}`, "", `Machine: ${machine}`);

print("", "### Overhead of plan() over the raw solver call (kz-uz-2020)", "", "```");
const overhead = overheadBenchmark(smoke ? { rounds: 5, warmup: 1 } : { rounds: 500, warmup: 500 });
print(...overhead.lines, "```");

const crossoverStallMs = smoke ? 5_000 : 10_000;
print("", "### Backend crossover: where javascript-lp-solver stops being quicker (the `auto` rule)", "");
const crossover = await crossoverBenchmark({ smoke, stallMs: crossoverStallMs });
print(...crossover.lines);

const scaleStallMs = smoke ? 5_000 : 30_000;
print("", "### Scale: javascript-lp-solver, HiGHS and auto from 3 × 8 × 20 to 60 × 300 × 500", "");
const scale = await scaleBenchmark({ smoke, stallMs: scaleStallMs });
print(...renderScale(scale, scaleStallMs));

const checks = targetChecks(scale);
if (checks.length > 0) {
  print("", "### Targets, on this run's numbers", "");
  print(...checks.map((check) => `- ${check.met ? "met" : "NOT MET"}: ${check.text}`));
}

print("", "### Joint network: plan(auto) against a raw HiGHS solve, 10 to 60 plants in two countries", "");
const network = await networkBenchmark({ smoke, stallMs: smoke ? 5_000 : 120_000 });
print(...renderNetwork(network));
const networkTargets = networkChecks(network);
if (networkTargets.length > 0) {
  print("", "Network targets, on this run's numbers:", "", ...networkTargets.map((check) => `- ${check.met ? "met" : "NOT MET"}: ${check.text}`));
}

print("", "## What-if: exact sweeps, parallel grids, the cost of a grid point", "");
const whatIf = await whatIfBenchmark({ smoke });
print(...whatIf.lines, "", "What-if targets, on this run's numbers:", "", ...whatIf.checks.map((check) => `- ${check.met ? "met" : "NOT MET"}: ${check.text}`));

print("", `Finished with ${loadLine()}.`);

if (!smoke) writeResultsSection("npm run bench", lines);
