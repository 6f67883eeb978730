import type { Formulation } from "../../formulate/index.js";
import type { ColumnTag } from "../../formulate/lp.js";
import type { PlanOptions } from "../../plan/options.js";
import type { PlanStatus } from "../../plan/types.js";
import { WarmLp } from "../../solvers/highsParametric.js";
import { pricingBackend } from "../../solvers/index.js";
import type { SolveResult } from "../../solvers/types.js";
import { defined } from "../../util/invariant.js";
import { Master } from "./master.js";
import type {
  DecompositionIteration,
  DecompositionReport,
  DecompositionStop,
  SubproblemAnswer,
  SubproblemOp,
  SubproblemRunner,
  SubproblemTask,
} from "./types.js";

/** What the decomposition stops at unless the request says otherwise. */
export const DEFAULT_DECOMPOSITION_GAP = 1e-6;
export const DEFAULT_MAX_ITERATIONS = 200;
/** A chunk whose worker was lost (a thread or a process gone) is run again this many times before the run fails. */
const CHUNK_RETRIES = 3;

export interface DecompositionInput {
  readonly models: readonly { readonly probability: number; readonly formulation: Formulation }[];
  readonly isHereAndNow: (tag: ColumnTag) => boolean;
  /** What each chunk reads again where it runs: the run's key, the scenario and request as posted, the plan options. */
  readonly run: { readonly key: string; readonly scenario: unknown; readonly spec: unknown; readonly options: PlanOptions };
  readonly runner: SubproblemRunner;
  readonly gap?: number;
  readonly maxIterations?: number;
  /** Outcomes per chunk; by default about four chunks per worker. */
  readonly chunkOutcomes?: number;
  /**
   * Hold the worst outcome's model in full in the master (default true): its
   * rows keep the proposals feasible there from the first iteration. Without
   * it every outcome is a θ and a first master with no cuts proposes any
   * decisions its own rows allow — feasibility cuts then do all the work.
   */
  readonly anchor?: boolean;
  readonly signal?: AbortSignal;
  readonly onIteration?: (iteration: DecompositionIteration) => void;
}

export interface DecompositionOutcome {
  /** `optimal` with a plan within the gap; `time_limit` with the best plan found when the iterations ran out; else why there is none. */
  readonly status: PlanStatus;
  /** The here-and-now decisions by column key; undefined without a plan. */
  readonly fixed: Map<string, number> | undefined;
  /** Per outcome, its second stage's values at `fixed` (one per column of its model); null without. */
  readonly values: readonly (Float64Array | null)[];
  readonly report: DecompositionReport;
  readonly solves: number;
  readonly master: { readonly columns: number; readonly rows: number };
}

/**
 * The multi-cut L-shaped method (Benders' decomposition of the extensive
 * form): a master over the here-and-now columns and one θ per outcome, and
 * per outcome a subproblem — its model with the here-and-now decisions
 * fixed — solved in chunks by `runner`. Each iteration the master proposes
 * decisions and a bound; each outcome answers its objective and slope there
 * (an optimality cut on its θ) or, without a plan, a feasibility cut; a
 * proposal with a plan in every outcome is a plan, the best one the other
 * bound. Stops when the bounds are within `gap` (relative), or after
 * `maxIterations`, and says which. θ starts bounded by each outcome's LP
 * relaxation alone, so the first master is bounded.
 */
export async function solveDecomposed(input: DecompositionInput): Promise<DecompositionOutcome> {
  const { models, runner, signal } = input;
  const tolerance = input.gap ?? DEFAULT_DECOMPOSITION_GAP;
  const maxIterations = input.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const count = models.length;
  const chunkOutcomes = input.chunkOutcomes ?? Math.max(1, Math.ceil(count / (4 * runner.threads)));
  const probabilities = models.map((model) => model.probability);
  let solves = 0;
  let retried = 0;
  /** Second stages HiGHS gave no answer for (neither a plan nor a proof of none). */
  let unanswered = 0;

  const runAll = async (op: SubproblemOp, keys: readonly string[], fixed: readonly number[]): Promise<SubproblemAnswer[]> => {
    const tasks: SubproblemTask[] = [];
    for (let from = 0; from < count; from += chunkOutcomes) tasks.push({ ...input.run, op, from, to: Math.min(count, from + chunkOutcomes), keys, fixed });
    const chunks = await Promise.all(
      tasks.map(async (task) => {
        for (let attempt = 0; ; attempt++) {
          try {
            return await runner.run(task, signal);
          } catch (error) {
            if (signal?.aborted === true || attempt >= CHUNK_RETRIES) throw error;
            retried++;
          }
        }
      }),
    );
    solves += count;
    const answers = chunks.flatMap((chunk) => chunk.answers);
    answers.sort((a, b) => a.outcome - b.outcome);
    return answers;
  };

  // θ's first bounds: each outcome alone, whole units relaxed — no decision does better in it.
  const bounds = await runAll("bound", [], []);
  const history: DecompositionIteration[] = [];
  const report = (stopped: DecompositionStop, master: Master | undefined, last: DecompositionIteration | undefined): DecompositionReport => ({
    method: "decomposition",
    stopped,
    iterations: history.length,
    lower: last?.lower ?? null,
    upper: last?.upper ?? null,
    gap: last?.gap ?? null,
    tolerance,
    max_iterations: maxIterations,
    optimality_cuts: master?.optimalityCuts ?? 0,
    feasibility_cuts: master?.feasibilityCuts ?? 0,
    retried_chunks: retried,
    unanswered_subproblems: unanswered,
    chunk_outcomes: chunkOutcomes,
    workers: runner.threads,
    history,
  });
  const none = (status: PlanStatus, stopped: DecompositionStop, master?: Master): DecompositionOutcome => ({
    status,
    fixed: undefined,
    values: models.map(() => null),
    report: report(stopped, master, history.at(-1)),
    solves,
    master: { columns: master?.lp().columns.length ?? 0, rows: master?.lp().rows.length ?? 0 },
  });
  const unbounded = bounds.find((answer) => answer.status !== "optimal");
  if (unbounded !== undefined)
    return none(unbounded.status === "infeasible" ? "infeasible" : unbounded.status, unbounded.status === "infeasible" ? "infeasible" : "unsolved");

  const boundValues = bounds.map((answer) => answer.value ?? 0);
  const master = new Master(
    models,
    input.isHereAndNow,
    boundValues,
    input.anchor === false ? -1 : anchorOf(boundValues, models[0]?.formulation.lp.sense ?? "max"),
  );
  const maximise = master.sense === "max";
  const mipGap = tolerance / 10;
  let best: { readonly value: number; readonly at: number[] } | undefined;
  let stopped: DecompositionStop = "iterations";

  // A continuous master is kept in HiGHS and given each iteration's cuts as rows: each solve then starts from the
  // last optimal basis (a few dual simplex steps) instead of from scratch. A mixed-integer master is solved afresh.
  const warm = master.mixedInteger ? undefined : new WarmLp(master.lp());
  let rowsInWarm = master.lp().rows.length;
  const solveMaster = (): SolveResult => {
    if (warm === undefined) return pricingBackend().solve(master.lp(), { integer: master.mixedInteger, mipGap });
    const { rows } = master.lp();
    for (; rowsInWarm < rows.length; rowsInWarm++) warm.addRow(defined(rows[rowsInWarm], "cut row"));
    return warm.solve();
  };
  try {
    for (let iteration = 1; iteration <= maxIterations; iteration++) {
      signal?.throwIfAborted();
      const solved = solveMaster();
      solves++;
      if (solved.status !== "optimal" || solved.values === null || solved.objective === null) {
        stopped = solved.status === "infeasible" ? "infeasible" : "unsolved";
        if (solved.status === "infeasible") best = undefined;
        break;
      }
      // The master's bound on the two-stage objective: its optimum, widened by the MIP gap it stopped at.
      const slack = Math.abs(solved.objective) * (solved.mipGap ?? 0);
      const bound = maximise ? solved.objective + slack : solved.objective - slack;
      const at = master.keys.map((_, k) => master.proposal(k, solved.values?.[k] ?? 0));
      const answers = await runAll("cut", master.keys, at);
      let expected = 0;
      let everyOutcome = true;
      for (const answer of answers) {
        if (answer.status === "optimal" && answer.value !== null) {
          expected += (probabilities[answer.outcome] ?? 0) * answer.value;
          const theta = master.theta(solved.values, answer.outcome, answer.value);
          const beyond = maximise ? theta - answer.value : answer.value - theta;
          if (beyond > 1e-9 * Math.max(1, Math.abs(answer.value))) master.addOptimalityCut(answer.outcome, answer.value, answer.slope, at);
        } else if (answer.status === "infeasible" && answer.value !== null) {
          everyOutcome = false;
          master.addFeasibilityCut(answer.value, answer.slope, at);
        } else {
          // HiGHS undecided (or calling a bounded model unbounded, as it can on a fixed model's numbers): no cut from this
          // outcome this time, and the proposal is no plan; the next proposal asks it again.
          everyOutcome = false;
          unanswered++;
        }
      }
      if (everyOutcome && (best === undefined || (maximise ? expected > best.value : expected < best.value))) best = { value: expected, at };
      const lower = maximise ? (best?.value ?? null) : bound;
      const upper = maximise ? bound : (best?.value ?? null);
      const gap = lower === null || upper === null ? null : Math.max(0, upper - lower) / Math.max(Math.abs(upper), Math.abs(lower), 1);
      const step: DecompositionIteration = {
        iteration,
        lower,
        upper,
        gap,
        optimality_cuts: master.optimalityCuts,
        feasibility_cuts: master.feasibilityCuts,
      };
      history.push(step);
      input.onIteration?.(step);
      if (gap !== null && gap <= tolerance) {
        stopped = "gap";
        break;
      }
    }
    if (best === undefined)
      return none(stopped === "iterations" || stopped === "gap" ? "time_limit" : stopped === "infeasible" ? "infeasible" : "undecided", stopped, master);

    const finalAt = best.at;
    const final = await runAll("values", master.keys, finalAt);
    const fixed = new Map<string, number>();
    master.keys.forEach((key, k) => fixed.set(key, finalAt[k] ?? 0));
    const lp = master.lp();
    return {
      // An iteration limit is to the decomposition what a time limit is to a MIP: the best plan found, not proven within the gap.
      status: stopped === "gap" ? "optimal" : "time_limit",
      fixed,
      values: final.map((answer) => (answer.values === undefined ? null : Float64Array.from(answer.values))),
      report: report(stopped, master, history.at(-1)),
      solves,
      master: { columns: lp.columns.length, rows: lp.rows.length },
    };
  } finally {
    warm?.dispose();
  }
}

/**
 * The outcome the master holds in full: the one with the worst objective
 * alone (the lowest margin, the highest cost) — the likeliest to be the
 * tightest, whose rows then keep the master's proposals feasible in it.
 */
function anchorOf(bounds: readonly number[], sense: "max" | "min"): number {
  let anchor = 0;
  bounds.forEach((bound, w) => {
    const worst = bounds[anchor] ?? bound;
    if (sense === "max" ? bound < worst : bound > worst) anchor = w;
  });
  return anchor;
}
