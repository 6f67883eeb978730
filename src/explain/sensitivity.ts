import type { Formulation } from "../formulate/index.js";
import { BoundSession, UnsolvedModelError, type SessionSensitivity, type SessionSolution } from "../solvers/highsAnalysis.js";
import { NONE } from "../formulate/variables.js";
import { at, defined } from "../util/invariant.js";
import { boundModel, type BoundModel, type ScenarioBound } from "./bounds.js";
import { clean, formatMs } from "./numbers.js";
import type { AllowableRange, BoundSensitivity, BoundUnit, Sensitivity, UnusedRoute, UnusedSale } from "./types.js";

/** A re-solve's dual counts for an increase when its basis stays optimal down to the bound's value, within this (relative). */
const RANGE_TOLERANCE = 1e-9;
/** First step, relative to the bound, when probing the price of an increase at a degenerate vertex. */
const PROBE_STEP = 1e-4;
const PROBE_ATTEMPTS = 8;
/**
 * Probes per analysis: each costs a few warm-started solves, so a large,
 * highly degenerate LP keeps basis values beyond this many (and says so).
 */
const PROBE_BUDGET = 200;
/** Quantities below this are unused. */
const UNUSED = 1e-9;

/**
 * Shadow prices, allowable ranges and reduced costs from HiGHS, whatever
 * backend found the plan: each bound's price is the change of the objective
 * per unit increase of the bound. Where the optimal vertex is degenerate, a
 * basis dual may be the price of a decrease only; those bounds are probed with
 * a small increase, and the price of the basis that is optimal just above the
 * bound is reported, so that the price answers "what is one more worth".
 *
 * An integer plan is priced on the LP with its whole-unit quantities fixed
 * (what Gurobi's fixed model and HiGHS report for a MIP); `basis` says so.
 * Those prices are 0 unless a bound alone moves the objective, so the LP
 * relaxation's prices (fractional units allowed, at the relaxation's own
 * optimum) are added as `lp_relaxation`, within what is left of the time.
 */
export function analyzeSensitivity(formulation: Formulation, values: Float64Array, timeLimitMs?: number): AnalyzedSensitivity {
  if (!formulation.mixedInteger) return analyze(formulation, "lp", values, timeLimitMs);
  // Investments in fractional units: the LP with the builds fixed is the plan's LP, priced as any LP.
  if (!wholeUnits(formulation)) return analyze(formulation, "lp_builds_fixed", values, timeLimitMs);
  const deadline = timeLimitMs === undefined ? undefined : performance.now() + timeLimitMs;
  const fixed = analyze(formulation, "lp_integer_fixed", values, timeLimitMs);
  if (!fixed.priced) return fixed;
  const relaxation = analyze(formulation, "lp_relaxation", undefined, deadline === undefined ? undefined : deadline - performance.now(), values);
  return { sensitivity: { ...fixed.sensitivity, lp_relaxation: relaxation.sensitivity }, priced: true };
}

const FIXED_NOTE =
  "Whole-unit plan: prices are those of the LP with every whole-unit quantity fixed at the plan's value, so a bound is worth nothing at the margin unless moving it alone changes the objective; reduced costs are not reported. The LP relaxation's prices follow (lp_relaxation), or plan without integer to see the LP's prices.";
const BUILDS_NOTE =
  "Plan with investments: prices, ranges and reduced costs are those of the LP with every build fixed at the plan's decision (a capacity built counts as given). What each decision is worth, re-optimised with it reversed or moved, is under decisions.";
const RELAXATION_NOTE =
  "LP relaxation of the whole-unit plan: fractional units allowed. Prices, ranges and reduced costs hold for the relaxation at its own optimum, and activities and unused routes and sales are those of that optimum, not of the plan: read them as what one more unit of a bound is worth when quantities need not be whole.";

/**
 * Prices on one LP: the plan's own (`lp`), the plan's with its whole units
 * fixed at `values` (`lp_integer_fixed`), or its relaxation at its own optimum
 * (`lp_relaxation`, `values` undefined).
 */
function analyze(
  formulation: Formulation,
  basis: Sensitivity["basis"],
  planValues: Float64Array | undefined,
  timeLimitMs: number | undefined,
  /** The plan's values, whose builds a relaxation keeps (units relaxed, decisions as the plan took them). */
  decisions: Float64Array | undefined = planValues,
): AnalyzedSensitivity {
  const model = boundModel(formulation);
  const fixed = basis === "lp_integer_fixed";
  const session = new BoundSession(model.lp, model.sides, { integer: false, elastic: false, timeLimitMs });
  try {
    if (fixed) session.fixColumns(Float64Array.from(defined(planValues, "plan values to fix"), Math.round));
    else if (basis === "lp_builds_fixed" || (basis === "lp_relaxation" && buildColumns(formulation).length > 0)) {
      // The decisions stay as the plan took them: only quantities are priced (or relaxed).
      session.fixColumns(Float64Array.from(defined(decisions, "the plan's builds"), Math.round), buildColumns(formulation));
    }
    const solved = session.solve();
    if (solved.status !== "optimal") return unpriced(formulation, notSolvedNote(solved, timeLimitMs), basis);
    const values = planValues ?? solved.values;
    const base = session.sensitivity();
    const budget = new ProbeBudget(fixed ? 0 : PROBE_BUDGET);
    const bounds = model.bounds.map((bound) => priceBound(session, model, bound, base, values, budget));
    const unusedRoutesList = fixed ? [] : unusedRoutes(formulation, values, (j) => reducedCost(session, base, j, budget));
    const unusedSalesList = fixed ? [] : unusedSales(formulation, values, (j) => reducedCost(session, base, j, budget));
    const notes =
      basis === "lp_integer_fixed" ? [FIXED_NOTE] : basis === "lp_relaxation" ? [RELAXATION_NOTE] : basis === "lp_builds_fixed" ? [BUILDS_NOTE] : [];
    // The fixed LP is not probed (every quantity is fixed: the vertex is as degenerate as can be).
    if (!fixed) notes.push(...budget.notes(timeLimitMs));
    const sensitivity: Sensitivity = {
      basis,
      objective_unit: objectiveUnit(formulation),
      bounds,
      unused_routes: unusedRoutesList,
      unused_sales: unusedSalesList,
      notes,
    };
    return { sensitivity, priced: true };
  } catch (error) {
    if (!(error instanceof UnsolvedModelError)) throw error;
    return unpriced(formulation, `HiGHS could not solve the plan's LP again (model status "${error.status}"), so no prices are given.`, basis);
  } finally {
    session.dispose();
  }
}

/** A sensitivity report, and whether it prices the bounds (false: `bounds` is empty and `notes` says why). */
export interface AnalyzedSensitivity {
  readonly sensitivity: Sensitivity;
  readonly priced: boolean;
}

/** A sensitivity report without prices: no bounds, and a note saying why. */
export function unpriced(
  formulation: Formulation,
  note: string,
  basis: Sensitivity["basis"] = wholeUnits(formulation) ? "lp_integer_fixed" : "lp",
): AnalyzedSensitivity {
  return {
    sensitivity: { basis, objective_unit: objectiveUnit(formulation), bounds: [], unused_routes: [], unused_sales: [], notes: [note] },
    priced: false,
  };
}

function wholeUnits(formulation: Formulation): boolean {
  return formulation.integer && formulation.lp.columns.some((column) => column.integer);
}

/** The LP positions of every build column (docs/format.md §2.8). */
function buildColumns(formulation: Formulation): number[] {
  return formulation.builds.flatMap((columns) => columns.filter((column) => column !== NONE));
}

function objectiveUnit(formulation: Formulation): string {
  return formulation.scenario.objective === "max_units" ? "units" : formulation.scenario.currency;
}

/** Why the plan's LP, solved again by HiGHS, gave no optimum to price. */
function notSolvedNote(solved: SessionSolution, timeLimitMs: number | undefined): string {
  if (solved.status === "time_limit") {
    return timeLimitMs !== undefined && (solved.highsStatus === "timeLimit" || solved.highsStatus === "interrupted")
      ? `The prices ran out of their time (${formatMs(timeLimitMs)}, what the solve left of the plan's time limit); plan with a longer timeLimitMs to see them.`
      : `HiGHS stopped before it solved the plan's LP again (model status "${solved.highsStatus}"), so no prices are given.`;
  }
  return `HiGHS finds the plan's LP ${solved.status} when it solves it again, so no prices are given.`;
}

function priceBound(
  session: BoundSession,
  model: BoundModel,
  bound: ScenarioBound,
  base: SessionSensitivity,
  planValues: Float64Array,
  budget: ProbeBudget,
): BoundSensitivity {
  const { ref, value, share } = bound;
  const side = at(bound.sides, 0, "bound side");
  if (share !== undefined) {
    // The share is a coefficient of its row: Σ(counted − share·total)·x. Raising it by δ
    // tightens the row by δ·Σ total·x at first order, so the price is the row's dual times
    // that volume, taken at HiGHS's optimum (the one the dual belongs to).
    const volume = weighted(share.columns, share.total, base.values);
    const planVolume = weighted(share.columns, share.total, planValues);
    return {
      ...ref,
      value,
      activity: planVolume > 0 ? weighted(share.columns, share.counted, planValues) / planVolume : 0,
      shadow_price: clean((at(base.price, side, "side price") * volume) / 100),
      per: "percentage_point",
      range: null,
    };
  }
  const activity = sideActivity(model, side, planValues);
  const per = unitOf(bound);
  if (bound.sides.length > 1) {
    // A final stock is an equality: raising it moves both sides at once.
    const price = bound.sides.reduce((sum, k) => sum + at(base.price, k, "side price"), 0);
    return { ...ref, value, activity, shadow_price: clean(price), per, range: null };
  }
  let price = at(base.price, side, "side price");
  let from = at(base.rangeFrom, side, "side range");
  let to = at(base.rangeTo, side, "side range");
  const tolerance = RANGE_TOLERANCE * Math.max(1, Math.abs(value));
  if (to <= value + tolerance && budget.take()) {
    const above = priceAbove(session, side, value, tolerance, budget);
    if (above !== undefined) ({ price, from, to } = above);
  }
  return { ...ref, value, activity, shadow_price: clean(price), per, range: range(from, to) };
}

/** The price of the basis that is optimal just above `value`, found by re-solving with the side moved up. */
function priceAbove(
  session: BoundSession,
  side: number,
  value: number,
  tolerance: number,
  budget: ProbeBudget,
): { price: number; from: number; to: number } | undefined {
  let step = PROBE_STEP * Math.max(1, Math.abs(value));
  try {
    for (let attempt = 0; attempt < PROBE_ATTEMPTS; attempt++) {
      session.setValue(side, value + step);
      const probed = session.solve();
      if (probed.status === "time_limit") {
        budget.stopped();
        return undefined;
      }
      if (probed.status !== "optimal") return undefined; // no increase is feasible: only the price of a decrease exists
      const above = session.sensitivity();
      const from = at(above.rangeFrom, side, "side range");
      if (from <= value + tolerance) return { price: at(above.price, side, "side price"), from: value, to: at(above.rangeTo, side, "side range") };
      step = (from - value) / 2; // a breakpoint lies between the bound and `from`: probe below it
    }
    return undefined;
  } finally {
    session.setValue(side, value);
  }
}

function weighted(columns: readonly number[], weights: readonly number[], values: Float64Array): number {
  let sum = 0;
  columns.forEach((column, n) => (sum += at(weights, n, "weight") * at(values, column, "column value")));
  return sum;
}

/** What a side bounds, evaluated on the plan's own quantities. */
function sideActivity(model: BoundModel, side: number, values: Float64Array): number {
  const { on, index } = at(model.sides, side, "side");
  if (on === "column") return at(values, index, "column value");
  const row = at(model.lp.rows, index, "row");
  return clean(weighted(row.columns, row.values, values));
}

function unitOf(bound: ScenarioBound): BoundUnit {
  switch (bound.ref.kind) {
    case "capacity":
      return "resource";
    case "source_capacity":
      return "part";
    default:
      return "unit";
  }
}

function range(from: number, to: number): AllowableRange {
  return { from: from === -Infinity ? null : clean(from), to: to === Infinity ? null : clean(to) };
}

/** Counts probes against the budget, and those the budget, or the time limit, did not allow. */
class ProbeBudget {
  skipped = 0;
  /** The time limit stopped a probe: no more are tried. */
  outOfTime = false;
  constructor(private remaining: number) {}

  take(): boolean {
    if (this.remaining > 0 && !this.outOfTime) {
      this.remaining--;
      return true;
    }
    this.skipped++;
    return false;
  }

  /** A probe stopped by the time limit: it and every later one keep the basis' value. */
  stopped(): void {
    this.outOfTime = true;
    this.skipped++;
  }

  notes(timeLimitMs: number | undefined): string[] {
    if (this.skipped === 0) return [];
    const why = this.outOfTime
      ? `the time limit (${timeLimitMs === undefined ? "HiGHS' own" : formatMs(timeLimitMs)}) ran out while probing`
      : `they are beyond the probing budget of ${PROBE_BUDGET}`;
    return [
      `${this.skipped} prices or reduced costs sit at a degenerate vertex and were not probed (${why}): they are the optimal basis' values (such a price may be that of a decrease, such a reduced cost may understate what forcing the column costs).`,
    ];
  }
}

/**
 * The change of the objective per unit of a column forced into the plan. The
 * basis's reduced cost answers when the basis stays optimal as the column
 * rises from 0; otherwise (a degenerate vertex) the column is forced up a
 * little, and the reduced cost of the basis optimal there counts when that
 * basis is still optimal back at 0 (HiGHS needs no iteration to return),
 * so that it holds all the way from 0.
 */
function reducedCost(session: BoundSession, base: SessionSensitivity, column: number, budget: ProbeBudget): number {
  const basisValue = clean(at(base.reducedCosts, column, "reduced cost"));
  if (at(base.reducedCostTo, column, "reduced cost range") > RANGE_TOLERANCE || !budget.take()) return basisValue;
  let step = PROBE_STEP;
  try {
    for (let attempt = 0; attempt < PROBE_ATTEMPTS; attempt++) {
      session.setColumnLower(column, step);
      const forced = session.solve();
      if (forced.status === "time_limit") {
        budget.stopped();
        return basisValue;
      }
      if (forced.status !== "optimal") return basisValue;
      // Above the forced amount: another optimum uses the column at no cost.
      if (at(forced.values, column, "column value") > step * (1 + 1e-9)) return 0;
      session.setColumnLower(column, 0);
      if (session.solve().iterations === 0) return clean(at(forced.reducedCosts, column, "reduced cost"));
      step /= 16; // a breakpoint lies between 0 and the step
    }
    return basisValue;
  } finally {
    session.setColumnLower(column, 0);
  }
}

function unusedRoutes(formulation: Formulation, values: Float64Array, reducedCost: (column: number) => number): UnusedRoute[] {
  const { scenario, variables } = formulation;
  return scenario.routes.flatMap((route, r) =>
    scenario.periods.flatMap((period, t) => {
      const make = variables.make[r]?.[t] ?? NONE;
      if (make === NONE || Math.abs(at(values, make, "column value")) > UNUSED) return [];
      return [{ plant: route.plant, product: route.product, period, reduced_cost: reducedCost(make) }];
    }),
  );
}

function unusedSales(formulation: Formulation, values: Float64Array, reducedCost: (column: number) => number): UnusedSale[] {
  const { lp } = formulation;
  const unused: UnusedSale[] = [];
  lp.columns.forEach((column, j) => {
    if (column.tag.kind !== "sell" || Math.abs(at(values, j, "column value")) > UNUSED) return;
    const { plant, product, market, period } = column.tag;
    unused.push({ plant, product, market, period, reduced_cost: reducedCost(j) });
  });
  return unused;
}
