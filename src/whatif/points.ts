import { boundModel, type BoundModel } from "../explain/bounds.js";
import { clean } from "../explain/numbers.js";
import type { Formulation } from "../formulate/index.js";
import type { LinearProgram } from "../formulate/lp.js";
import { evaluate } from "../plan/verification/index.js";
import type { ResolvedPlanOptions } from "../plan/options.js";
import { plan } from "../plan/plan.js";
import type { Plan } from "../plan/types.js";
import { emptyQuantities, readQuantities } from "../plan/readSolution.js";
import { shareLookup } from "../scenario/lookup.js";
import type { Scenario } from "../scenario/schema.js";
import { assertWithinHighsRange, WarmLp } from "../solvers/highsParametric.js";
import { UnsolvedModelError } from "../solvers/highsRun.js";
import { chooseBackend, modelSize } from "../solvers/index.js";
import { rejectedAsInvalid, trivialInfeasibility } from "../plan/modelChecks.js";
import type { SolveResult, SolverBackend } from "../solvers/types.js";
import { editScenario } from "./apply.js";
import { bindingBounds } from "./binding.js";
import { ParametricLp } from "./parametric.js";
import { columnValues } from "./quantities.js";
import type { Selection } from "./select.js";
import type { SweepPoint } from "./types.js";

/** A point's verified answer, with what exact mode needs beyond the reported point. */
export interface SolvedPoint {
  readonly point: SweepPoint;
  /** The LP solve behind the point (values and, where the backend gives them, duals); null when the point was planned again from scratch. */
  readonly result: SolveResult | null;
}

/**
 * Solves a scenario at values of one parameter, each on the LP formulated
 * once (`ParametricLp`): the value is moved into the LP — into a warm HiGHS
 * model that starts from the last point's basis, or into a copy for another
 * backend — and the answer is read back against the scenario with the value
 * set (edited, not validated again: the caller validated the ends of the
 * range, and every rule of the format is an interval in the value) and
 * verified there, as `plan()` verifies. An answer that fails verification, or
 * a solve HiGHS cannot finish, is planned again from scratch by `plan()`
 * with the same options, and its verified answer (or none) is reported.
 */
export class PointSolver {
  readonly parametric: ParametricLp;
  readonly backend: SolverBackend;
  readonly integer: boolean;
  /** Solves made so far. */
  solves = 0;
  readonly notes = new Set<string>();
  private readonly bounds: BoundModel;
  private warm: WarmLp | undefined;

  constructor(
    private readonly scenario: Scenario,
    private readonly selection: Selection,
    readonly settings: ResolvedPlanOptions,
  ) {
    this.integer = settings.integer ?? scenario.integer;
    this.parametric = new ParametricLp(scenario, selection, this.integer);
    const { lp } = this.parametric.formulation;
    // Whole units or investments' builds: each point is a mixed-integer solve, without duals.
    const wholeUnits = this.parametric.formulation.mixedInteger;
    // A point's slope and what binds there come from the duals: auto takes a backend that gives them.
    const backend = chooseBackend(settings.backend, modelSize(lp, wholeUnits), { duals: true });
    this.backend = backend;
    if (!wholeUnits && backend.capabilities.duals) this.warm = rejectedAsInvalid(scenario, () => new WarmLp(lp));
    if (!wholeUnits && !backend.capabilities.duals && this.parametric.kind !== "cost") {
      this.notes.add(`${backend.name} gives no duals: the slopes of this parameter are not reported, and what binds lists the bounds the plans sit at.`);
    }
    this.bounds = boundModel(this.parametric.formulation);
  }

  /** The scenario with the parameter set to `value` (not validated; its lookups are the scenario's, which an edit of numbers leaves as they are). */
  scenarioAt(value: number): Scenario {
    const edit = editScenario(this.scenario, this.selection, { set: value });
    if (!edit.ok) throw new Error(`cannot set the parameter to ${value}: ${edit.issues.map((issue) => issue.message).join("; ")}`);
    shareLookup(edit.scenario, this.scenario);
    return edit.scenario;
  }

  /** The verified answer at `value`; `timeLimitMs` bounds this point's solve. */
  solve(value: number, timeLimitMs?: number): SolvedPoint {
    const started = performance.now();
    const scenario = this.scenarioAt(value);
    const lp = this.parametric.lpAt(value);
    const result = this.solveLp(scenario, lp, value, timeLimitMs);
    const formulation: Formulation = { ...this.parametric.formulation, scenario };
    const quantities = result?.values == null ? emptyQuantities : readQuantities(formulation, result.values);
    const evaluation = evaluate(scenario, quantities, this.integer);
    if (result === undefined || (result.values !== null && !evaluation.verification.feasible)) {
      if (result !== undefined) {
        this.notes.add(
          `At ${value} the solver's answer failed verification (max violation ${evaluation.verification.max_violation.toPrecision(3)}); that point was planned again from scratch.`,
        );
      }
      return this.planFromScratch(value, scenario, formulation, lp, started, timeLimitMs);
    }
    const optimal = result.status === "optimal" && result.values !== null;
    return {
      point: {
        value,
        status: result.status,
        objective: result.values === null ? null : evaluation.objective,
        slope: optimal ? cleanSlope(this.parametric.slope(result)) : null,
        binding: result.values === null ? [] : bindingBounds(this.bounds, lp, result),
        ms: performance.now() - started,
      },
      result,
    };
  }

  dispose(): void {
    this.warm?.dispose();
    this.warm = undefined;
  }

  /** The backend's answer at `value`; undefined when HiGHS could not finish the solve. */
  private solveLp(scenario: Scenario, lp: LinearProgram, value: number, timeLimitMs: number | undefined): SolveResult | undefined {
    this.solves++;
    if (trivialInfeasibility(lp)) return { status: "infeasible", objective: null, values: null };
    try {
      if (this.warm !== undefined) {
        // A value beyond HiGHS' range would silently count as infinite in the warm model: bad input, as plan() says.
        rejectedAsInvalid(scenario, () => assertWithinHighsRange(lp));
        this.parametric.moveWarm(this.warm, value);
        return this.warm.solve(timeLimitMs);
      }
      const { mipGap } = this.settings;
      return rejectedAsInvalid(scenario, () =>
        this.backend.solve(lp, {
          integer: this.parametric.formulation.mixedInteger,
          ...(timeLimitMs === undefined ? {} : { timeLimitMs }),
          ...(mipGap === undefined ? {} : { mipGap }),
        }),
      );
    } catch (error) {
      if (!(error instanceof UnsolvedModelError)) throw error;
      this.notes.add(`At ${value} HiGHS could not solve the moved LP (model status "${error.status}"); that point was planned again from scratch.`);
      return undefined;
    }
  }

  private planFromScratch(value: number, scenario: Scenario, formulation: Formulation, lp: LinearProgram, started: number, timeLimitMs?: number): SolvedPoint {
    const { planned, solves, verified } = planAgain(scenario, this.settings, timeLimitMs);
    this.solves += solves;
    const values = verified ? columnValues(formulation, planned) : null;
    const result: Pick<SolveResult, "values"> = { values };
    return {
      point: {
        value,
        status: planned.status,
        objective: verified ? planned.objective : null,
        slope: verified && planned.status === "optimal" ? this.parametric.slope(result) : null,
        binding: values === null ? [] : bindingBounds(this.bounds, lp, result),
        ms: performance.now() - started,
      },
      result: null,
    };
  }
}

/**
 * A point or a sample planned again from scratch by `plan()` (its moved LP's
 * answer failed verification, or HiGHS could not finish it), with the same
 * options but no explanation: the plan, the solves it took (a second
 * opinion counts), and whether it has a verified plan.
 */
export function planAgain(scenario: Scenario, options: ResolvedPlanOptions, timeLimitMs?: number): { planned: Plan; solves: number; verified: boolean } {
  const { explain: _explain, ...settings } = options;
  const planned = plan(scenario, {
    ...settings,
    explain: false,
    ...(timeLimitMs === undefined ? {} : { timeLimitMs: Math.max(1, Math.floor(timeLimitMs)) }),
  });
  return { planned, solves: planned.solver.fallback === undefined ? 1 : 2, verified: planned.objective !== null && planned.verification.feasible };
}

/** Solver noise around whole numbers removed (a slope of 7e-11 is 0). */
function cleanSlope(slope: number | null): number | null {
  return slope === null ? null : clean(slope);
}
