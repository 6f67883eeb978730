/**
 * The worker-thread entry of job pools (piscina loads it once per thread;
 * HiGHS loads with it): runs one unit of a job, or merges a job's outputs
 * into its result, so that neither blocks the event loop of the service or of
 * a `jointplan worker`.
 */
import { threadId } from "node:worker_threads";
import { highsRuntime } from "../solvers/highsRuntime.js";
import { taskError, type TaskError } from "../tasks/task.js";
import type { JobInput, JobProblem, Unit, UnitOutput } from "./types.js";
import { JobFailure, mergeUnits, runUnit, type UnitLimits } from "./units.js";

export type UnitRequest =
  | { readonly op: "run"; readonly input: JobInput; readonly unit: Unit; readonly key: string; readonly limits: UnitLimits }
  | {
      readonly op: "merge";
      readonly input: JobInput;
      readonly units: readonly Unit[];
      /** Each unit's output, or its JSON text as Redis holds it (parsed here, on the thread). */
      readonly outputs: readonly (UnitOutput | string | undefined)[];
      readonly key: string;
      readonly limits: UnitLimits & { readonly maxBytes: number };
      readonly stopped?: "cancelled";
    };

export type UnitReply =
  | { readonly ok: true; readonly output?: UnitOutput; readonly json?: string; readonly retire: boolean; readonly threadId: number }
  | { readonly ok: false; readonly problem?: JobProblem; readonly error?: TaskError; readonly retire: boolean; readonly threadId: number };

export default async function work(request: UnitRequest): Promise<UnitReply> {
  try {
    if (request.op === "run") {
      const output = await runUnit(request.input, request.unit, request.key, request.limits);
      return { ok: true, output, retire: !highsRuntime.healthy, threadId };
    }
    const outputs = request.outputs.map((output) => (typeof output === "string" ? (JSON.parse(output) as UnitOutput) : output));
    const json = mergeUnits(request.input, request.units, outputs, request.key, request.limits, request.stopped);
    return { ok: true, ...(json === undefined ? {} : { json }), retire: false, threadId };
  } catch (error) {
    if (error instanceof JobFailure) return { ok: false, problem: error.problem, retire: false, threadId };
    return { ok: false, error: taskError(error), retire: !highsRuntime.healthy, threadId };
  }
}
