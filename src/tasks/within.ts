import { parsePlanOptions, type PlanOptions } from "../plan/options.js";
import { formulationsOf } from "../plan/formulationCache.js";
import { planOfSolution } from "../plan/plan.js";
import type { Plan } from "../plan/types.js";
import { ValidationError, type ValidationIssue } from "../scenario/parse.js";
import { chooseBackend, modelSize } from "../solvers/index.js";
import { runInProcess } from "./processRunner.js";
import type { Task } from "./task.js";

/** How long past the time limit the solving thread may run before it is stopped. */
const STOP_MARGIN_MS = 100;

/**
 * Plans like `plan()`, but in a child process watched from outside, so that
 * the answer comes within `timeLimitMs` (plus about 0.1 s) whatever the
 * solver does: HiGHS checks its own time limit only at checkpoints, which on
 * a large whole-unit model can be seconds apart. The solver gets most of the
 * time and usually stops by itself; if it has not when the time is up, the
 * process is killed and the answer is the best plan it had found (status
 * `time_limit`, verified like any other), or a plan with no solution.
 * Starting the process costs a few tenths of a second, within the limit: for
 * quick models without a hard bound, call `plan()`. Throws `ValidationError`
 * as `plan()` does.
 */
export async function planWithin(scenario: unknown, options: PlanOptions & { readonly timeLimitMs: number }): Promise<Plan> {
  const receivedAt = Date.now();
  const settings = parsePlanOptions(options);
  const limit = settings.timeLimitMs ?? options.timeLimitMs;
  const task: Task = { kind: "plan", body: { scenario, options }, receivedAt, deadline: receivedAt + limit, maxTimeLimitMs: limit };
  const outcome = await runInProcess(task, STOP_MARGIN_MS);
  switch (outcome.kind) {
    case "result": {
      const { result } = outcome;
      if (result.kind === "done") return JSON.parse(result.json) as Plan;
      if (result.kind === "invalid") throw validationError(result.issues);
      throw new Error(result.kind === "failed" ? `planning failed: ${result.error.message}` : "planning failed");
    }
    case "stopped": {
      if (outcome.fallback !== undefined) return JSON.parse(outcome.fallback.json) as Plan;
      // The time was up before the worker had built the model: the plan without a solution is built here.
      const formulation = formulationsOf(scenario).formulation(settings.integer ?? formulationsOf(scenario).scenario.integer);
      const backend = chooseBackend(settings.backend, modelSize(formulation.lp, formulation.mixedInteger)).name;
      return planOfSolution(formulation, null, { backend, ms: Date.now() - receivedAt, integer: formulation.integer });
    }
    case "worker_failed":
      throw new Error("the process planning the scenario stopped before it answered");
  }
}

/** A worker's issues (paths in a request body: `scenario.…`, `options.…`) as the `ValidationError` `plan()` would throw. */
function validationError(issues: readonly ValidationIssue[]): ValidationError {
  const options = issues.filter((issue) => issue.path === "options" || issue.path.startsWith("options."));
  const subject = options.length > 0 ? "options" : "scenario";
  const prefix = subject === "options" ? "options" : "scenario";
  const relative = (options.length > 0 ? options : issues).map(({ path, message }) => ({
    path:
      path === prefix ? "" : path.startsWith(`${prefix}.`) ? path.slice(prefix.length + 1) : path.startsWith(`${prefix}[`) ? path.slice(prefix.length) : path,
    message,
  }));
  return new ValidationError(relative, subject);
}
