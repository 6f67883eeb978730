import solverModule, { type SolverAPI } from "javascript-lp-solver";
import { formulate, loadBundledScenario, parseScenario, plan } from "../src/index.js";
import { highsRuntime, toHighsModelData } from "../src/solvers/highs.js";
import { infoValue } from "../src/solvers/highsRun.js";
import { toJsLpModel } from "../src/solvers/jsLpSolver.js";
import { investmentScenario, investmentScenarioId, type InvestmentScenarioOptions } from "../tests/support/investmentScenario.js";
import { networkScenario, networkScenarioId, type NetworkOptions } from "../tests/support/networkScenario.js";
import { scaleScenario, scaleScenarioId, type ScaleOptions } from "../tests/support/scaleScenario.js";

/**
 * What the benchmarks time: a scenario (generated — a plain one at scale, a
 * joint network, or a cluster with candidate investments — or bundled),
 * solved as an LP or in whole units, by one of the contenders below. A
 * scenario with investments is a mixed-integer model either way: its builds
 * are whole.
 */
export type ScenarioSpec =
  { readonly scale: ScaleOptions } | { readonly network: NetworkOptions } | { readonly investments: InvestmentScenarioOptions } | { readonly bundled: string };

export interface Workload {
  readonly scenario: ScenarioSpec;
  readonly integer: boolean;
  readonly timeLimitMs?: number;
}

/**
 * - `raw-highs`: HiGHS solving the LP from arrays built beforehand (the same
 *   runtime jointplan uses) — the baseline for jointplan's overhead;
 * - `raw-javascript-lp-solver`: javascript-lp-solver's `Solve` on a model built beforehand;
 * - `auto`, `highs`, `javascript-lp-solver`: `plan()` with that backend on a new
 *   document every call (a distinct title, so no cache helps): validation,
 *   formulation, solve, report and verification all run;
 * - `auto-explained`: `plan()` with `auto` and `explain: true` — the above,
 *   then prices of the LP with the plan's decisions fixed and, with
 *   investments, what each decision is worth (each re-optimised as a whole plan).
 */
export const contenderNames = ["raw-highs", "raw-javascript-lp-solver", "auto", "auto-explained", "highs", "javascript-lp-solver"] as const;
export type ContenderName = (typeof contenderNames)[number];

export interface Outcome {
  readonly status: string;
  readonly objective: number | null;
  /** plan() contenders: the backend that ran and whether the plan passed verification. */
  readonly backend?: string;
  readonly verified?: boolean;
  /** A mixed-integer solve's relative gap between its plan and its bound, where the solver reports one. */
  readonly gap?: number;
  /** plan() with explanations: how many whole plans "what each decision is worth" re-optimised. */
  readonly decisionPlans?: number;
}

export interface LpSize {
  readonly columns: number;
  readonly rows: number;
  readonly nonZeros: number;
  readonly integerColumns: number;
}

const solver: SolverAPI = (solverModule as unknown as { default?: SolverAPI }).default ?? (solverModule as unknown as SolverAPI);

/** HiGHS' model status in the words of a Plan where one applies ("optimal", "time_limit"), else HiGHS' own name. */
function highsStatusName(status: number): string {
  const names = highsRuntime.current().constants.modelStatus;
  if (status === names.optimal) return "optimal";
  if (status === names.timeLimit || status === names.interrupted) return "time_limit";
  return Object.entries(names).find(([, code]) => code === status)?.[0] ?? String(status);
}

export function workloadLabel(scenario: ScenarioSpec): string {
  if ("bundled" in scenario) return scenario.bundled;
  if ("investments" in scenario) return investmentScenarioId(scenario.investments);
  return "network" in scenario ? networkScenarioId(scenario.network) : scaleScenarioId({ ...scenario.scale, integer: false });
}

export function scenarioDocument(scenario: ScenarioSpec): Record<string, unknown> {
  if ("bundled" in scenario) return loadBundledScenario(scenario.bundled) as Record<string, unknown>;
  if ("investments" in scenario) return investmentScenario(scenario.investments);
  return "network" in scenario ? networkScenario(scenario.network) : scaleScenario(scenario.scale);
}

/** The workload's LP size and a runner per contender. */
export function prepare(workload: Workload, names: readonly ContenderName[]): { size: LpSize; run: Record<string, () => Outcome> } {
  const document = scenarioDocument(workload.scenario);
  const { integer, timeLimitMs } = workload;
  // Whole units asked for, or whole builds (investments): the raw solvers get the integer columns plan() does.
  const { lp, mixedInteger } = formulate(parseScenario(document), { integer });
  let nonZeros = 0;
  for (const row of lp.rows) nonZeros += row.columns.length;
  const size = {
    columns: lp.columns.length,
    rows: lp.rows.length,
    nonZeros,
    integerColumns: mixedInteger ? lp.columns.filter((column) => column.integer).length : 0,
  };

  let copies = 0;
  const fresh = () => ({ ...document, title: `${String(document["title"])} #${++copies}` });
  const planWith =
    (backend: "auto" | "highs" | "javascript-lp-solver", explain = false) =>
    (): Outcome => {
      const result = plan(fresh(), { backend, integer, ...(explain ? { explain } : {}), ...(timeLimitMs === undefined ? {} : { timeLimitMs }) });
      const decisions = result.sensitivity?.decisions;
      return {
        status: result.status,
        objective: result.objective,
        backend: result.solver.backend,
        verified: result.verification.feasible,
        ...(result.solver.gap === undefined ? {} : { gap: result.solver.gap }),
        ...(decisions === undefined
          ? {}
          : {
              decisionPlans: decisions.reduce(
                (count, decision) => count + 1 + (decision.earlier === undefined ? 0 : 1) + (decision.later === undefined ? 0 : 1),
                0,
              ),
            }),
      };
    };
  const run: Record<string, () => Outcome> = {};
  for (const name of names) {
    if (name === "raw-highs") {
      const data = toHighsModelData(lp, mixedInteger);
      run[name] = () => {
        const model = highsRuntime.current().createModel(data);
        try {
          model.options.set({ output_flag: false, log_to_console: false });
          if (timeLimitMs !== undefined) model.options.set("time_limit", timeLimitMs / 1000);
          const status = model.run().modelStatus;
          const solved = model.info.get("primal_solution_status") === highsRuntime.current().constants.solutionStatus.feasible;
          const gap = mixedInteger ? infoValue(model, "mip_gap") : undefined;
          return {
            status: highsStatusName(status),
            objective: solved ? model.getObjectiveValue() : null,
            ...(gap !== undefined && Number.isFinite(gap) ? { gap } : {}),
          };
        } finally {
          model.dispose();
        }
      };
    } else if (name === "raw-javascript-lp-solver") {
      const model = toJsLpModel(lp, { integer: mixedInteger, ...(timeLimitMs === undefined ? {} : { timeLimitMs }) });
      run[name] = () => {
        const solution = solver.Solve(model) as { feasible: boolean; result: number };
        return { status: solution.feasible ? "feasible" : "infeasible", objective: solution.feasible ? solution.result : null };
      };
    } else if (name === "auto-explained") {
      run[name] = planWith("auto", true);
    } else {
      run[name] = planWith(name);
    }
  }
  return { size, run };
}
