import { parsePlanOptions } from "../../plan/options.js";
import { parseScenario } from "../../scenario/parse.js";
import type { Formulation } from "../../formulate/index.js";
import { hereAndNowColumns, outcomeFormulation } from "../extensive.js";
import { prepareStochastic, type PreparedStochastic } from "../outcomes.js";
import { solveSubproblem } from "./subproblem.js";
import type { SubproblemChunk, SubproblemTask } from "./types.js";

/** The run this thread last solved chunks of: its validated outcomes, and the models of the outcomes it was given. */
let kept: { readonly key: string; readonly prepared: PreparedStochastic; readonly integer: boolean; readonly models: Map<number, Formulation> } | undefined;

/**
 * Solves a chunk of a decomposition's outcomes, synchronously, on the
 * calling thread (a worker thread of a pool, a job's thread): validates the
 * scenario and the request once per run key, formulates each outcome it is
 * given once, and solves each outcome's subproblem (`solveSubproblem`).
 */
export function runSubproblemChunk(task: SubproblemTask): SubproblemChunk {
  if (kept?.key !== task.key) {
    kept = undefined;
    const settings = parsePlanOptions(task.options);
    const scenario = parseScenario(task.scenario);
    const prepared = prepareStochastic(scenario, task.spec, settings);
    kept = { key: task.key, prepared, integer: settings.integer ?? scenario.integer, models: new Map() };
  }
  const run = kept;
  const count = run.prepared.outcomes.length;
  if (!(Number.isInteger(task.from) && Number.isInteger(task.to) && task.from >= 0 && task.from <= task.to && task.to <= count))
    throw new RangeError(`a chunk covers outcomes from ≤ to within [0, ${count}], got [${task.from}, ${task.to})`);
  const isHereAndNow = hereAndNowColumns(run.prepared.hereAndNow);
  const answers = [];
  for (let outcome = task.from; outcome < task.to; outcome++) {
    let model = run.models.get(outcome);
    if (model === undefined) {
      const scenario = run.prepared.outcomes[outcome]?.scenario;
      if (scenario === undefined) throw new RangeError(`no outcome ${outcome}`);
      model = outcomeFormulation(scenario, run.integer);
      run.models.set(outcome, model);
    }
    answers.push(solveSubproblem(model, task.op, outcome, task.keys, task.fixed, isHereAndNow));
  }
  return { from: task.from, to: task.to, answers };
}
