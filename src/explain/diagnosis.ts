import type { Formulation } from "../formulate/index.js";
import {
  BoundSession,
  UnsolvedModelError,
  type BoundSide,
  type ModelStatusName,
  type OptimalSessionSolution,
  type SessionSolution,
} from "../solvers/highsAnalysis.js";
import { at } from "../util/invariant.js";
import { boundModel, type BoundModel, type ScenarioBound, type ShareTerms } from "./bounds.js";
import { clean, formatMs, roundUp } from "./numbers.js";
import type { BoundKind, ConflictEntry, Diagnosis, MaxAchievable, Relaxation, RelaxationWeights } from "./types.js";

/**
 * Why an infeasible plan is infeasible, in the scenario's bounds, and what
 * would fix it. Everything is decided by HiGHS solves on one warm-started
 * model in which each bound can be held, lifted or made elastic:
 *
 * - `conflict`: an elastic filter (Chinneck) finds a set of bounds that is
 *   infeasible with every other bound lifted; a deletion filter then lifts its
 *   members one at a time and keeps only those whose removal restores
 *   feasibility. The result is irreducible. Members are tried for removal from
 *   the least to the most telling kind (route bounds first, targets last), so
 *   a conflict names a target and the capacities behind it where it can.
 * - `relaxations`: the elastic LP minimizing the weighted relative changes of
 *   all bounds (weights in `options.ts`); each change is read off the
 *   solution, which is itself a feasible plan for the relaxed scenario.
 * - `max_achievable`: each target of the conflict optimized with its bound
 *   lifted and every other bound held (shares by Dinkelbach's method, as a
 *   share is a ratio).
 */
export function diagnose(formulation: Formulation, weights: RelaxationWeights, timeLimitMs?: number): Diagnosis {
  const model = boundModel(formulation);
  const integer = formulation.mixedInteger;
  const session = new BoundSession(model.lp, model.sides, { integer, elastic: true, timeLimitMs });
  const diagnoser = new Diagnoser(session, model, weights);
  try {
    return diagnoser.run();
  } catch (error) {
    if (error instanceof Stopped) return diagnoser.empty(stoppedNote(error.status, timeLimitMs));
    if (error instanceof UnsolvedModelError) {
      return diagnoser.empty(`HiGHS could not solve one of the diagnosis' models (model status "${error.status}"), so no conflict is named.`);
    }
    throw error;
  } finally {
    session.dispose();
  }
}

/** A diagnosis that names nothing, and a note saying why. */
export function unexplained(weights: RelaxationWeights, note: string): Diagnosis {
  return { conflict: [], relaxations: [], max_achievable: [], relaxations_keeping_targets: null, weights, notes: [note] };
}

/** A solve stopped before it finished: no conclusion about feasibility can be drawn from it. */
class Stopped extends Error {
  constructor(readonly status: ModelStatusName) {
    super(`a diagnosis solve stopped early (model status "${status}")`);
  }
}

/** Why the diagnosis names no conflict when a solve stopped early: the time limit, or (without one) HiGHS' own stop. */
export function stoppedNote(status: ModelStatusName, timeLimitMs: number | undefined): string {
  if (timeLimitMs !== undefined && (status === "timeLimit" || status === "interrupted")) {
    return `The diagnosis ran out of its time (${formatMs(timeLimitMs)}, what the solve left of the plan's time limit) before it could name a conflict; plan with a longer timeLimitMs to see it.`;
  }
  return `HiGHS stopped one of the diagnosis' solves before it finished (model status "${status}"), so no conflict is named.`;
}

/** Order in which the deletion filter tries to drop members: earliest is blamed least. */
const DELETION_ORDER: readonly BoundKind[] = ["route", "inventory", "demand", "shipping_capacity", "lane_capacity", "source_capacity", "capacity", "target"];
/** Order in which entries are listed: what the planner asked about first. */
const LISTING_ORDER: readonly BoundKind[] = ["target", "capacity", "source_capacity", "lane_capacity", "shipping_capacity", "demand", "route", "inventory"];
const DINKELBACH_ITERATIONS = 30;

class Diagnoser {
  private readonly notes: string[] = [];

  constructor(
    private readonly session: BoundSession,
    private readonly model: BoundModel,
    private readonly weights: RelaxationWeights,
  ) {}

  run(): Diagnosis {
    const { bounds } = this.model;
    this.session.setObjective({ kind: "none" });
    bounds.forEach((bound) => this.hold(bound));
    if (this.solve().status !== "infeasible") {
      return this.empty("HiGHS finds a plan within every bound: the infeasibility reported is numerical, not a conflict between bounds.");
    }
    bounds.forEach((bound) => this.lift(bound));
    if (this.solve().status === "infeasible") {
      return this.empty(
        "The plan is infeasible even with every capacity, source capacity, target, demand, route and inventory bound lifted: the structural balance and parts equations cannot hold (in whole units, a bill of materials may ask for fractional parts).",
      );
    }
    const conflict = this.conflict();
    const relaxations = this.relax(() => true) ?? [];
    const keepingTargets = this.relax((bound) => bound.ref.kind !== "target");
    const maxAchievable = conflict.filter((bound) => bound.ref.kind === "target").map((bound) => this.maxAchievable(bound));
    return {
      conflict: listed(conflict).map((bound): ConflictEntry => ({ ...bound.ref, value: bound.value })),
      relaxations: listed(relaxations).map(({ relaxation }) => relaxation),
      max_achievable: maxAchievable,
      relaxations_keeping_targets: keepingTargets === undefined ? null : listed(keepingTargets).map(({ relaxation }) => relaxation),
      weights: this.weights,
      notes: this.notes,
    };
  }

  empty(note: string): Diagnosis {
    return unexplained(this.weights, note);
  }

  private solve(): SessionSolution {
    const solution = this.session.solve();
    if (solution.status === "time_limit") throw new Stopped(solution.highsStatus);
    return solution;
  }

  /** Elastic filter, then deletion filter: an irreducible infeasible set of bounds. */
  private conflict(): ScenarioBound[] {
    const { bounds } = this.model;
    bounds.forEach((bound) => this.makeElastic(bound, 1 / this.scale(bound)));
    this.session.setObjective({ kind: "violation" });
    const enforced = new Set<ScenarioBound>();
    for (let round = 0; round <= bounds.length; round++) {
      const solution = this.solve();
      if (solution.status !== "optimal") break;
      const violated = bounds.filter((bound) => !enforced.has(bound) && this.violation(bound, solution) > this.tolerance(bound));
      if (violated.length === 0) {
        // Only numerical noise separates the rest from feasibility: enforce everything and let the deletion filter decide.
        bounds.forEach((bound) => enforced.add(bound));
        break;
      }
      for (const bound of violated) {
        this.hold(bound);
        enforced.add(bound);
      }
    }

    this.session.setObjective({ kind: "none" });
    bounds.forEach((bound) => (enforced.has(bound) ? this.hold(bound) : this.lift(bound)));
    if (this.solve().status !== "infeasible") {
      this.notes.push("The elastic filter did not isolate an infeasible set; the conflict is empty.");
      return [];
    }
    const members = new Set(enforced);
    const order = [...enforced].sort((a, b) => DELETION_ORDER.indexOf(a.ref.kind) - DELETION_ORDER.indexOf(b.ref.kind));
    for (const bound of order) {
      this.lift(bound);
      if (this.solve().status === "infeasible") members.delete(bound);
      else this.hold(bound);
    }
    return bounds.filter((bound) => members.has(bound));
  }

  /**
   * The smallest-weighted relaxation of the bounds `allowed` lets move (the
   * others held); undefined when those alone cannot restore feasibility.
   */
  private relax(allowed: (bound: ScenarioBound) => boolean): { bound: ScenarioBound; relaxation: Relaxation }[] | undefined {
    const { bounds } = this.model;
    // A share's relaxation is weighed relative to the volume it applies to, taken from a first pass.
    const volume = new Map<ScenarioBound, number>();
    const weigh = () =>
      bounds.forEach((bound) => {
        if (!allowed(bound)) {
          this.hold(bound);
          return;
        }
        const scale = bound.share === undefined ? this.scale(bound) : Math.max(0.01, bound.value) * (volume.get(bound) ?? 1);
        this.makeElastic(bound, this.weightOf(bound) / scale);
      });
    weigh();
    this.session.setObjective({ kind: "violation" });
    const first = this.solve();
    if (first.status !== "optimal") return undefined;
    let solution = first;
    const shares = bounds.flatMap((bound) => (bound.share !== undefined && allowed(bound) ? [{ bound, share: bound.share }] : []));
    if (shares.length > 0) {
      for (const { bound, share } of shares) volume.set(bound, Math.max(1, weightedSum(share, "total", solution.values)));
      weigh();
      const second = this.solve();
      if (second.status !== "optimal") return undefined;
      solution = second;
    }
    return bounds.flatMap((bound) => {
      const relaxation = this.relaxationOf(bound, solution);
      return relaxation === undefined ? [] : [{ bound, relaxation }];
    });
  }

  private relaxationOf(bound: ScenarioBound, solution: OptimalSessionSolution): Relaxation | undefined {
    const { ref, value, share } = bound;
    const { violations, values } = solution;
    const violationOf = (k: number) => at(violations, k, "side violation");
    const side = at(bound.sides, 0, "bound side");
    if (share !== undefined) {
      const total = weightedSum(share, "total", values);
      if (total <= 0 || violationOf(side) <= this.tolerance(bound)) return undefined;
      const reached = weightedSum(share, "counted", values) / total;
      const shortfall = ref.kind === "target" && ref.bound === "max" ? reached - value : value - reached;
      if (!(shortfall > 1e-9)) return undefined;
      const by = roundUp(shortfall);
      const to = ref.kind === "target" && ref.bound === "max" ? Math.min(1, value + by) : Math.max(0, value - by);
      return { ...ref, by: Math.abs(to - value), value, to };
    }
    if (bound.sides.length > 1) {
      // A final stock: its lower side violated means the stock must end lower, its upper side higher.
      const lower = violationOf(side);
      const upper = violationOf(at(bound.sides, 1, "bound side"));
      const down = lower > upper;
      const amount = Math.max(lower, upper);
      if (amount <= this.tolerance(bound)) return undefined;
      // An equality: a rounded change, up or down, can miss what the rest of the plan allows exactly
      // (a stock that must be what capacity makes, 41/3 units), so the change is given unrounded.
      const by = clean(amount);
      const to = down ? Math.max(0, value - by) : value + by;
      return { ...ref, by: Math.abs(to - value), value, to };
    }
    const amount = violationOf(side);
    if (amount <= this.tolerance(bound)) return undefined;
    const by = roundUp(amount);
    const lowerSide = this.sideOf(side).side === "lower";
    const to = lowerSide ? Math.max(0, value - by) : value + by;
    return { ...ref, by: Math.abs(to - value), value, to };
  }

  /** A target of the conflict at its best with its own bound lifted and every other bound held. */
  private maxAchievable(bound: ScenarioBound): MaxAchievable {
    const ref = bound.ref as Extract<ScenarioBound["ref"], { kind: "target" }>;
    const entry = (value: number | null): MaxAchievable => ({ id: ref.id, period: ref.period, bound: ref.bound, value });
    this.model.bounds.forEach((other) => (other === bound ? this.lift(other) : this.hold(other)));
    const best = ref.bound === "min" ? "max" : "min";
    try {
      if (bound.share !== undefined) return entry(this.bestShare(bound.share, best));
      const side = this.sideOf(at(bound.sides, 0, "bound side"));
      const row = at(this.model.lp.rows, side.index, "row");
      this.session.setObjective({ kind: "linear", sense: best, columns: row.columns, values: row.values });
      const solution = this.solve();
      if (solution.status === "unbounded")
        this.notes.push(`Target ${JSON.stringify(ref.id)} in ${JSON.stringify(ref.period)} is unbounded once its own bound is lifted.`);
      return entry(solution.status === "optimal" ? clean(solution.objective) : null);
    } finally {
      this.hold(bound);
    }
  }

  /**
   * The highest (or lowest) share reachable: Dinkelbach's method maximizes
   * counted − λ·total and sets λ to the share reached, until no point beats λ.
   */
  private bestShare(share: ShareTerms, best: "max" | "min"): number | null {
    let lambda = best === "max" ? 0 : 1;
    let reached: number | null = null;
    for (let iteration = 0; iteration < DINKELBACH_ITERATIONS; iteration++) {
      this.session.setObjective({
        kind: "linear",
        sense: best,
        columns: share.columns,
        values: share.columns.map((_, n) => at(share.counted, n, "counted weight") - lambda * at(share.total, n, "total weight")),
      });
      const solution = this.solve();
      if (solution.status !== "optimal") return null;
      const { values, objective: gain } = solution;
      const total = weightedSum(share, "total", values);
      const improves = best === "max" ? gain > 1e-9 * Math.max(1, total) : gain < -1e-9 * Math.max(1, total);
      if (!improves || total <= 0) return total > 0 || reached !== null ? clean(reached ?? lambda) : null;
      lambda = weightedSum(share, "counted", values) / total;
      reached = lambda;
    }
    return reached === null ? null : clean(reached);
  }

  private hold(bound: ScenarioBound): void {
    for (const k of bound.sides) {
      this.session.setValue(k, this.sideOf(k).value);
      this.session.setElastic(k, null);
    }
  }

  private lift(bound: ScenarioBound): void {
    for (const k of bound.sides) {
      this.session.setValue(k, this.sideOf(k).side === "lower" ? -Infinity : Infinity);
      this.session.setElastic(k, null);
    }
  }

  private makeElastic(bound: ScenarioBound, weight: number): void {
    for (const k of bound.sides) {
      this.session.setValue(k, this.sideOf(k).value);
      this.session.setElastic(k, weight);
    }
  }

  private violation(bound: ScenarioBound, solution: OptimalSessionSolution): number {
    return Math.max(...bound.sides.map((k) => at(solution.violations, k, "side violation")));
  }

  private sideOf(k: number): BoundSide {
    return at(this.model.sides, k, "side");
  }

  /** A violation below this is solver noise. */
  private tolerance(bound: ScenarioBound): number {
    return 1e-7 * this.scale(bound);
  }

  /** Relative changes are measured against the bound's size (at least 1). */
  private scale(bound: ScenarioBound): number {
    return bound.share === undefined ? Math.max(1, Math.abs(bound.value)) : 1;
  }

  private weightOf({ ref }: ScenarioBound): number {
    const w = this.weights;
    switch (ref.kind) {
      case "capacity":
        return w.capacity;
      case "source_capacity":
        return w.source_capacity;
      case "lane_capacity":
        return w.lane_capacity;
      case "shipping_capacity":
        return w.shipping_capacity;
      case "target":
        return w.target;
      case "demand":
        return ref.bound === "min" ? w.demand_min : w.demand_max;
      case "route":
        return ref.bound === "min" ? w.route_min : w.route_max;
      case "inventory":
        return ref.bound === "final" ? w.inventory_final : w.inventory_max;
    }
  }
}

function weightedSum(share: ShareTerms, which: "counted" | "total", values: Float64Array): number {
  const weights = share[which];
  let sum = 0;
  share.columns.forEach((column, n) => (sum += at(weights, n, "weight") * at(values, column, "column value")));
  return sum;
}

function listed<T extends { ref: ScenarioBound["ref"] } | { bound: ScenarioBound }>(items: readonly T[]): T[] {
  const kind = (item: T) => ("ref" in item ? item.ref.kind : item.bound.ref.kind);
  return [...items].sort((a, b) => LISTING_ORDER.indexOf(kind(a)) - LISTING_ORDER.indexOf(kind(b)));
}
