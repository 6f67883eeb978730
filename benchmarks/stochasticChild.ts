import { runSubproblemChunk } from "../src/stochastic/decomposition/chunk.js";
import type { SubproblemTask } from "../src/stochastic/decomposition/types.js";

/**
 * Child-process side of bench:stochastic's baseline: solves the subproblem
 * chunk it is sent `repeats` times, as a decomposition's iterations would,
 * with no pool, no master and no merge, and answers when done — so that one
 * process against two shows what the machine's cores give this work.
 */
export interface SubproblemsRequest {
  readonly task: SubproblemTask;
  readonly repeats: number;
}

process.on("message", (request: SubproblemsRequest) => {
  for (let repeat = 0; repeat < request.repeats; repeat++) runSubproblemChunk(request.task);
  process.send?.("done");
});
