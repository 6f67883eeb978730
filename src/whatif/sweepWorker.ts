/**
 * The worker-thread entry of sweep pools (piscina loads it once per thread;
 * HiGHS loads with it): one grid chunk per task. The solver of the last grid
 * is kept, so that the chunks of one grid (one key) are validated and
 * formulated once per thread and warm-start from each other.
 */
import type { PointSolver } from "./points.js";
import { chunkSolver, solveChunk, sweepPoints } from "./sweep.js";
import type { SweepChunk, SweepChunkTask } from "./types.js";

let kept: { readonly key: string; readonly solver: PointSolver } | undefined;

export default function runSweepChunk(task: SweepChunkTask): SweepChunk {
  if (task.key === undefined) return sweepPoints(task.scenario, task.parameter, task.values, task.options);
  if (kept?.key !== task.key) {
    kept?.solver.dispose();
    kept = undefined;
    kept = { key: task.key, solver: chunkSolver(task.scenario, task.parameter, task.values, task.options).solver };
  }
  return solveChunk(kept.solver, task.values, task.options.deadline);
}
