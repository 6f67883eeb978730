import { formulate, parseScenario, plan } from "../src/index.js";
import { droppedCoefficients } from "../src/plan/droppedCoefficients.js";
import { flowsOf } from "../src/plan/flows.js";
import { trivialInfeasibility } from "../src/plan/modelChecks.js";
import { readQuantities } from "../src/plan/readSolution.js";
import { evaluate } from "../src/plan/verification/index.js";
import { beyondHighsRange, highsRuntime, toHighsModelData } from "../src/solvers/highs.js";
import { defined } from "../src/util/invariant.js";
import { median } from "./harness.js";

/**
 * Where the time of plan(auto) on a mixed-integer model goes: its steps
 * (plan.ts, solvers/highs.ts) run one by one on a new document, each timed in
 * CPU time of the process (the machine is shared; the wall clock of a step
 * says more about other work than about the step), beside a whole plan() call
 * on the same document. jointplan hands HiGHS arrays, not LP text: "the LP
 * as arrays" is what stands for writing an LP file.
 */
export const phaseNames = [
  "validation",
  "formulation",
  "model checks",
  "the LP as arrays",
  "HiGHS: load the model",
  "HiGHS: branch and bound",
  "HiGHS: LP relaxation (unbounded check)",
  "read back and verify",
] as const;
export type PhaseName = (typeof phaseNames)[number];

export interface PhaseProfile {
  /** Median CPU time (ms) of each step. */
  readonly phases: Readonly<Record<PhaseName, number>>;
  /** Median CPU time (ms) of a whole plan(auto) call, interleaved with the steps. */
  readonly wholePlan: number;
  readonly rounds: number;
}

function cpuMs(work: () => void): number {
  const started = process.cpuUsage();
  work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

/** One pass of the steps; returns CPU ms per step. */
function onePass(document: Record<string, unknown>): Record<PhaseName, number> {
  const times = {} as Record<PhaseName, number>;
  const step = <T>(name: PhaseName, work: () => T): T => {
    let result: T | undefined;
    times[name] = cpuMs(() => (result = work()));
    return result as T;
  };
  const scenario = step("validation", () => parseScenario(document));
  const formulation = step("formulation", () => formulate(scenario));
  step("model checks", () => [droppedCoefficients(formulation), trivialInfeasibility(formulation.lp), beyondHighsRange(formulation.lp)]);
  const data = step("the LP as arrays", () => toHighsModelData(formulation.lp, formulation.mixedInteger));
  const model = step("HiGHS: load the model", () => {
    const created = highsRuntime.current().createModel(data);
    created.options.set({ output_flag: false, log_to_console: false });
    return created;
  });
  try {
    const values = step("HiGHS: branch and bound", () => {
      model.run();
      return model.getSolution().colValue;
    });
    step("HiGHS: LP relaxation (unbounded check)", () => {
      model.clearIntegrality();
      model.run();
    });
    step("read back and verify", () => {
      const quantities = readQuantities(formulation, values);
      evaluate(formulation.scenario, quantities, formulation.integer);
      flowsOf(formulation.scenario, quantities);
    });
  } finally {
    model.dispose();
  }
  return times;
}

export function profilePlanPhases(document: Record<string, unknown>, rounds: number): PhaseProfile {
  let copies = 0;
  const fresh = () => ({ ...document, title: `${String(document["title"])} (phases #${++copies})` });
  // A cold pass of each first: HiGHS' WebAssembly and the JavaScript are compiled on first use.
  onePass(fresh());
  plan(fresh());
  const samples = new Map<PhaseName, number[]>(phaseNames.map((name) => [name, []]));
  const whole: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const times = onePass(fresh());
    for (const name of phaseNames) defined(samples.get(name), name).push(times[name]);
    const document = fresh();
    whole.push(cpuMs(() => plan(document)));
  }
  const phases = Object.fromEntries(phaseNames.map((name) => [name, median(defined(samples.get(name), name))])) as Record<PhaseName, number>;
  return { phases, wholePlan: median(whole), rounds };
}
