import { whatIfBenchmark } from "./whatif.js";
const smoke = process.argv.includes("--smoke");
const r = await whatIfBenchmark({ smoke });
console.log(r.lines.join("\n"));
console.log(r.checks.map((c) => `- ${c.met ? "met" : "NOT MET"}: ${c.text}`).join("\n"));
