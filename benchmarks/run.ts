import { machineLine } from "./harness.js";
import { overheadBenchmark } from "./overhead.js";

/**
 * `npm run bench`: every benchmark, printed with the machine they ran on.
 * `--smoke` runs tiny sizes only (used by the test suite to keep the scripts working).
 */
const smoke = process.argv.includes("--smoke");

console.log(`jointplan benchmarks — ${machineLine()}${smoke ? " (smoke run)" : ""}`);
console.log("\n## Overhead of plan() over the raw solver call");
const overhead = overheadBenchmark(smoke ? { rounds: 5, warmup: 1 } : { rounds: 500, warmup: 500 });
for (const line of overhead.lines) console.log(line);
