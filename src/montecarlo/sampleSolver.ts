import type { Formulation } from "../formulate/index.js";
import type { ResolvedPlanOptions } from "../plan/options.js";
import { rejectedAsInvalid, trivialInfeasibility } from "../plan/modelChecks.js";
import { readQuantities } from "../plan/readSolution.js";
import { evaluate } from "../plan/verification/index.js";
import { shareLookup } from "../scenario/lookup.js";
import type { Scenario } from "../scenario/schema.js";
import { WarmLp, type WarmBasis } from "../solvers/highsParametric.js";
import { UnsolvedModelError } from "../solvers/highsRun.js";
import { chooseBackend, modelSize } from "../solvers/index.js";
import type { SolveResult, SolverBackend } from "../solvers/types.js";
import { editScenario } from "../whatif/apply.js";
import { planAgain } from "../whatif/points.js";
import { sampleMultipliers } from "./distributions.js";
import { metVector, productionVector, sampleLayout, type SampleLayout } from "./layout.js";
import type { PreparedMonteCarlo } from "./prepare.js";
import { ScaledLp } from "./scaledLp.js";
import type { SampleOutcome, SecondStage } from "./types.js";
import { hereAndNowColumns, outcomeFormulation } from "../stochastic/extensive.js";
import { solveOutcomeWithFixed, type FixedDecisions } from "../stochastic/solve.js";
import type { ColumnTag } from "../formulate/lp.js";

/**
 * Solves the samples of a Monte Carlo run on one formulation (`ScaledLp`):
 * each sample's multipliers are drawn from its own stream, moved into the LP,
 * and the answer is read back against the scenario with the multipliers
 * applied (edited, not validated again: `prepareMonteCarlo` validated the
 * ranges) and verified there, as `plan()` verifies. An answer that fails
 * verification, or a solve HiGHS cannot finish, is planned again from
 * scratch by `plan()` with the same options.
 *
 * A continuous model under `auto` or `highs` stays in one HiGHS model. Every
 * sample starts from the same basis — the optimum of the scenario as it is
 * (every multiplier 1), solved once — with nothing else kept from the
 * samples before it, so that its answer depends on the sample alone: a run
 * split into chunks any way gives the same answers, vertex for vertex.
 * Other models (whole units, javascript-lp-solver) solve a moved copy of
 * the LP from scratch.
 */
export class SampleSolver {
  readonly integer: boolean;
  readonly layout: SampleLayout;
  /** Solves made for samples so far. */
  solves = 0;
  private readonly scaled: ScaledLp;
  private readonly backend: SolverBackend;
  private readonly trivial: boolean;
  private warm: WarmLp | undefined;
  /** Each sample is a two-stage plan's second stage: solved on its own model with the decisions fixed (stochastic/solve.ts). */
  private readonly secondStage: { readonly isHereAndNow: (tag: ColumnTag) => boolean; readonly fixed: FixedDecisions } | undefined;
  private reference: WarmBasis | undefined;

  constructor(
    private readonly scenario: Scenario,
    private readonly prepared: PreparedMonteCarlo,
    readonly settings: ResolvedPlanOptions,
    secondStage?: SecondStage,
  ) {
    this.integer = settings.integer ?? scenario.integer;
    this.layout = sampleLayout(scenario);
    if (secondStage !== undefined) this.secondStage = { isHereAndNow: hereAndNowColumns(secondStage.here_and_now), fixed: new Map(secondStage.fixed) };
    this.scaled = new ScaledLp(scenario, prepared.selections, this.integer);
    const { lp } = this.scaled.formulation;
    // The moved numbers never cross (validated ranges): bounds no solution can meet are the scenario's own.
    this.trivial = trivialInfeasibility(this.scaled.lpAt(prepared.selections.map(() => 1)));
    // Whole units or investments' builds: each sample is a mixed-integer solve.
    const wholeUnits = this.scaled.formulation.mixedInteger;
    this.backend = chooseBackend(settings.backend, modelSize(lp, wholeUnits));
    if (!wholeUnits && settings.backend !== "javascript-lp-solver" && secondStage === undefined) {
      const warm = rejectedAsInvalid(scenario, () => new WarmLp(lp));
      this.warm = warm;
      this.scaled.moveWarm(
        warm,
        prepared.selections.map(() => 1),
      );
      try {
        warm.solve(settings.timeLimitMs);
        this.reference = warm.basis();
      } catch (error) {
        // Without a reference basis every sample starts from HiGHS' logical basis: slower, as exact.
        if (!(error instanceof UnsolvedModelError)) throw error;
      }
    }
  }

  get spec(): PreparedMonteCarlo["spec"] {
    return this.prepared.spec;
  }

  /** Sample `index`: its multipliers drawn, its LP solved within `timeLimitMs`, its answer verified. */
  solve(index: number, timeLimitMs?: number): SampleOutcome {
    const multipliers = sampleMultipliers(this.prepared.spec, index);
    const scenario = this.scenarioAt(multipliers);
    if (this.secondStage !== undefined) return this.solveSecondStage(index, scenario, this.secondStage, timeLimitMs);
    const result = this.solveLp(scenario, multipliers, timeLimitMs);
    if (result === undefined) return this.planFromScratch(index, scenario, "unsolved", timeLimitMs);
    if (result.values === null) return { index, status: result.status, objective: null, met: [], production: [] };
    const formulation: Formulation = { ...this.scaled.formulation, scenario };
    const quantities = readQuantities(formulation, result.values);
    const evaluation = evaluate(scenario, quantities, this.integer);
    if (!evaluation.verification.feasible) return this.planFromScratch(index, scenario, "unverified", timeLimitMs);
    return {
      index,
      status: result.status,
      objective: evaluation.objective,
      met: metVector(this.layout, evaluation.targets),
      production: productionVector(scenario, this.layout, quantities.production),
    };
  }

  /** The sample's own model (unsold units allowed) with the here-and-now decisions fixed, formulated and verified in its scenario. */
  private solveSecondStage(index: number, scenario: Scenario, stage: NonNullable<SampleSolver["secondStage"]>, timeLimitMs?: number): SampleOutcome {
    this.solves++;
    const answer = solveOutcomeWithFixed(outcomeFormulation(scenario, this.integer), stage.fixed, stage.isHereAndNow, this.settings, timeLimitMs);
    if (answer.objective === null) return { index, status: answer.status, objective: null, met: [], production: [] };
    return {
      index,
      status: answer.status,
      objective: answer.objective,
      met: metVector(this.layout, answer.evaluation.targets),
      production: productionVector(scenario, this.layout, answer.quantities.production),
    };
  }

  dispose(): void {
    this.warm?.dispose();
    this.warm = undefined;
  }

  /** The scenario with every entry applied as a `scale` change, in order (not validated; its lookups are the scenario's, which scaling numbers leaves as they are). */
  private scenarioAt(multipliers: readonly number[]): Scenario {
    let scenario = this.scenario;
    this.prepared.selections.forEach((selection, e) => {
      const edit = editScenario(scenario, selection, { scale: multipliers[e] ?? 1 });
      if (!edit.ok) throw new Error(`cannot scale uncertain[${e}] by ${multipliers[e]}: ${edit.issues.map((issue) => issue.message).join("; ")}`);
      scenario = edit.scenario;
    });
    shareLookup(scenario, this.scenario);
    return scenario;
  }

  /** The backend's answer at `multipliers`; undefined when HiGHS could not finish the solve. */
  private solveLp(scenario: Scenario, multipliers: readonly number[], timeLimitMs: number | undefined): SolveResult | undefined {
    this.solves++;
    if (this.trivial) return { status: "infeasible", objective: null, values: null };
    try {
      if (this.warm !== undefined) {
        this.scaled.moveWarm(this.warm, multipliers);
        this.warm.restartFrom(this.reference);
        return this.warm.solve(timeLimitMs);
      }
      const lp = this.scaled.lpAt(multipliers);
      const { mipGap } = this.settings;
      return rejectedAsInvalid(scenario, () =>
        this.backend.solve(lp, {
          integer: this.scaled.formulation.mixedInteger,
          ...(timeLimitMs === undefined ? {} : { timeLimitMs }),
          ...(mipGap === undefined ? {} : { mipGap }),
        }),
      );
    } catch (error) {
      if (!(error instanceof UnsolvedModelError)) throw error;
      return undefined;
    }
  }

  private planFromScratch(index: number, scenario: Scenario, why: "unverified" | "unsolved", timeLimitMs?: number): SampleOutcome {
    const { planned, solves, verified } = planAgain(scenario, this.settings, timeLimitMs);
    this.solves += solves;
    return {
      index,
      status: planned.status,
      objective: verified ? planned.objective : null,
      met: verified ? metVector(this.layout, planned.targets) : [],
      production: verified ? productionVector(scenario, this.layout, planned.production) : [],
      replanned: why,
    };
  }
}
