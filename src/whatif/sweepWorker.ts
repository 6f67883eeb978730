/**
 * The worker-thread entry of sweep pools (piscina loads it once per thread;
 * HiGHS loads with it): one grid chunk per task.
 */
import { sweepPoints } from "./sweep.js";
import type { SweepChunk, SweepChunkTask } from "./types.js";

export default function runSweepChunk(task: SweepChunkTask): SweepChunk {
  return sweepPoints(task.scenario, task.parameter, task.values, task.options);
}
