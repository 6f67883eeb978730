import { readFileSync } from "node:fs";
import { monteCarloSpecSchema, runMonteCarloChunk } from "../src/montecarlo/index.js";
import { bundledScenario } from "../src/scenario/bundled.js";

/**
 * Child-process side of bench:jobs' plain baseline: solves the samples it is
 * sent, as a worker solves a job's chunks but with no queue, no threads and
 * no merge, and answers when done — so that one process against two shows
 * what the machine's cores give this work by themselves.
 */
export interface SamplesRequest {
  readonly scenarioId: string;
  readonly file: string;
  readonly samples: number;
  readonly from: number;
  readonly to: number;
}

process.on("message", (request: SamplesRequest) => {
  const asked = JSON.parse(readFileSync(request.file, "utf8")) as Record<string, unknown>;
  const spec = monteCarloSpecSchema.parse({ samples: request.samples, seed: asked["seed"], uncertain: asked["uncertain"] });
  // The model formulated once per request, as a worker does once per job.
  runMonteCarloChunk({ scenario: bundledScenario(request.scenarioId), spec, from: request.from, to: request.to, options: {} });
  process.send?.("done");
});
