import { randomUUID } from "node:crypto";
import { parsePlanOptions } from "../plan/options.js";
import type { PlanStatus, Quantities } from "../plan/types.js";
import { parseScenario } from "../scenario/parse.js";
import type { BackendName } from "../solvers/types.js";
import { evaluateHereAndNow } from "./evaluate.js";
import { chooseMethod } from "./decomposition/select.js";
import { hereAndNowColumns, outcomeFormulation, outcomeModels } from "./extensive.js";
import { prepareStochastic, type PreparedStochastic } from "./outcomes.js";
import type { HereAndNowKind } from "./schema.js";
import { decisionsOf, solveOutcomeWithFixed } from "./solve.js";
import { solveByDecomposition, solveExtensive } from "./twoStage.js";
import type { HereAndNow, OutcomeResult, StochasticOptions, StochasticResult } from "./types.js";

/**
 * The two-stage stochastic plan (docs/stochastic.md): decide the
 * here-and-now quantities (investments and production by default) before
 * knowing which outcome comes, then, in each outcome, sell what it allows
 * and leave the rest unsold. Solves the extensive form — one copy of the
 * model per outcome with the here-and-now columns shared — and, to say what
 * the uncertainty costs, each outcome alone (wait-and-see, EVPI) and the
 * mean outcome's plan fixed in every outcome (EEV, VSS); with `evaluate`,
 * the decisions on fresh samples. Throws `ValidationError` for an invalid
 * scenario or options, or (subject "request") an invalid request.
 */
export async function stochastic(scenario: unknown, spec: unknown, options: StochasticOptions = {}): Promise<StochasticResult> {
  const { onProgress, signal, threads, pool, subproblems, subproblemThreads, runKey, onIteration, asJob, ...planOptions } = options;
  const settings = parsePlanOptions(planOptions);
  const parsed = parseScenario(scenario);
  const prepared = prepareStochastic(parsed, spec, settings);
  const started = performance.now();
  const integer = settings.integer ?? parsed.integer;
  const isHereAndNow = hereAndNowColumns(prepared.hereAndNow);
  const outcomes = prepared.outcomes;
  const evaluateSamples = prepared.spec.evaluate?.samples ?? 0;
  // The extensive form, each outcome alone, the mean outcome, each outcome with the mean's decisions; then the evaluation's samples.
  const total = 2 + 2 * outcomes.length + evaluateSamples;
  let done = 0;
  const step = async (count = 1) => {
    done += count;
    onProgress?.(done, total);
    signal?.throwIfAborted();
    // Lets a caller's timers and cancellation in between solves.
    await new Promise((resolve) => setImmediate(resolve));
  };
  signal?.throwIfAborted();

  const models = outcomeModels(prepared, integer);
  const method = chooseMethod(prepared.spec.method, models, isHereAndNow, asJob === true);
  const twoStage =
    method === "extensive"
      ? solveExtensive(models, isHereAndNow, parsed, settings)
      : await solveByDecomposition({
          models,
          isHereAndNow,
          run: { key: runKey ?? randomUUID(), scenario, spec, options: planOptions },
          runner: subproblems,
          threads: subproblemThreads,
          gap: prepared.spec.decomposition?.gap,
          maxIterations: prepared.spec.decomposition?.max_iterations,
          signal,
          onIteration,
        });
  let solves = twoStage.solves;
  const { answers } = twoStage;
  await step();

  const verified = answers?.every((answer) => answer.evaluation.verification.feasible) === true ? answers : undefined;
  const verifiedAll = verified !== undefined;
  const expected = verified === undefined ? null : sum(verified.map((answer, w) => probabilityOf(prepared, w) * answer.evaluation.objective));

  // Wait and see: each outcome known before deciding.
  const alone: (number | null)[] = [];
  for (const model of models) {
    const answer = solveOutcomeWithFixed(model.formulation, undefined, isHereAndNow, settings, settings.timeLimitMs);
    solves++;
    alone.push(answer.status === "optimal" ? answer.objective : null);
    await step();
  }
  const waitAndSee = alone.every((value): value is number => value !== null) ? sum(alone.map((value, w) => probabilityOf(prepared, w) * value)) : null;

  // The mean-value plan, and its here-and-now decisions in each outcome.
  const meanModel = outcomeFormulation(prepared.mean, integer);
  const mean = solveOutcomeWithFixed(meanModel, undefined, isHereAndNow, settings, settings.timeLimitMs);
  solves++;
  await step();
  const meanDecisions =
    mean.objective === null || mean.status !== "optimal" || mean.values === null ? undefined : decisionsOf(meanModel, mean.values, isHereAndNow);
  const withMean: (number | null)[] = [];
  for (const model of models) {
    if (meanDecisions === undefined) withMean.push(null);
    else {
      const answer = solveOutcomeWithFixed(model.formulation, meanDecisions, isHereAndNow, settings, settings.timeLimitMs);
      solves++;
      withMean.push(answer.status === "optimal" ? answer.objective : null);
    }
    await step();
  }
  const withoutPlan = withMean.filter((value) => value === null).length;
  const eev = meanDecisions !== undefined && withoutPlan === 0 ? sum(withMean.map((value, w) => probabilityOf(prepared, w) * (value ?? 0))) : null;

  const hereAndNowValues = answers === undefined || !verifiedAll ? undefined : twoStage.decisions;
  const evaluation =
    prepared.spec.evaluate !== undefined && prepared.monteCarlo !== undefined && hereAndNowValues !== undefined
      ? await evaluateHereAndNow(parsed, prepared, hereAndNowValues, planOptions, {
          threads,
          pool,
          signal,
          onProgress: (count) => onProgress?.(done + count, total),
        })
      : undefined;

  const outcomeResults: OutcomeResult[] = outcomes.map((outcome, w) => {
    const answer = answers?.[w];
    const quantities = answer?.quantities;
    return {
      name: outcome.name,
      probability: outcome.probability,
      objective: answer?.evaluation.verification.feasible === true ? answer.evaluation.objective : null,
      alone: alone[w] ?? null,
      targets: answer?.evaluation.targets ?? [],
      sales: quantities?.sales ?? [],
      unsold: quantities?.unsold ?? [],
      ...(prepared.hereAndNow.includes("production") ? {} : { production: quantities?.production ?? [] }),
      verification: answer?.evaluation.verification ?? { feasible: false, max_violation: 0, checked: 0, violations: [] },
    };
  });
  const status: PlanStatus = twoStage.status;
  const notes: string[] = [...twoStage.notes];
  if (answers !== undefined && !verifiedAll) notes.push("the two-stage plan failed verification in some outcome: see each outcome's verification");
  if (meanDecisions === undefined) notes.push(`the mean outcome has no plan (${mean.status}): EEV and VSS are not defined`);
  else if (withoutPlan > 0)
    notes.push(
      `the mean-value plan's decisions leave ${withoutPlan} of ${outcomes.length} outcomes without a plan: planning for the average is infinitely worse (VSS unbounded)`,
    );
  if (evaluation !== undefined && prepared.spec.evaluate?.seed === prepared.spec.sample?.seed)
    notes.push("the evaluation's seed is the sample's: its first samples are the outcomes planned for, not fresh ones");

  const backend: BackendName = twoStage.backend;
  return {
    scenario: parsed.id,
    status,
    here_and_now: hereAndNowOf(prepared.hereAndNow, answers?.[0]?.quantities),
    expected,
    outcomes: outcomeResults,
    wait_and_see: waitAndSee,
    evpi: expected === null || waitAndSee === null ? null : Math.abs(waitAndSee - expected),
    mean_value: {
      status: mean.status,
      objective: mean.objective,
      here_and_now: hereAndNowOf(prepared.hereAndNow, mean.objective === null ? undefined : mean.quantities),
      verification: mean.evaluation.verification,
    },
    eev,
    eev_without_plan: meanDecisions === undefined ? outcomes.length : withoutPlan,
    vss: expected === null || eev === null ? null : Math.abs(expected - eev),
    vss_unbounded: meanDecisions !== undefined && withoutPlan > 0 && expected !== null,
    ...(evaluation === undefined ? {} : { evaluation }),
    ...(twoStage.decomposition === undefined ? {} : { decomposition: twoStage.decomposition }),
    solver: {
      backend,
      ms: performance.now() - started,
      columns: twoStage.columns,
      rows: twoStage.rows,
      solves: solves + (evaluation?.samples ?? 0),
    },
    currency: parsed.currency,
    objective_sense: twoStage.sense,
    notes,
  };
}

/** The decisions of a kind decided here and now, from a plan's quantities (any outcome's: they share them). */
function hereAndNowOf(decided: readonly HereAndNowKind[], quantities: Quantities | undefined): HereAndNow {
  return {
    decided,
    production: decided.includes("production") ? (quantities?.production ?? []) : [],
    procurement: decided.includes("procurement") ? (quantities?.procurement ?? []) : [],
    investments: decided.includes("investments") ? (quantities?.investments ?? []) : [],
  };
}

function probabilityOf(prepared: PreparedStochastic, outcome: number): number {
  return prepared.outcomes[outcome]?.probability ?? 0;
}

/** A sum in order (the same numbers give the same bits). */
function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
