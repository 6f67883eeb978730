import { clean } from "../explain/numbers.js";
import { parameterRange } from "../solvers/highsParametric.js";
import type { PointSolver, SolvedPoint } from "./points.js";
import type { SweepPoint, SweepSegment } from "./types.js";

/**
 * Exact parametric programming of a bound (docs/whatif.md, "How exact mode
 * works"). For a continuous LP whose right-hand side moves with θ, the
 * optimal objective f(θ) is piecewise linear and concave (maximizing; convex
 * when minimizing) on the interval of θ where the LP is feasible. The steps:
 *
 * 1. The feasible interval within [from, to], exactly, by two LPs with θ a
 *    variable (`parameterRange`).
 * 2. f and a slope (the duals' subgradient) at both ends.
 * 3. On each interval [L, R] still open: if R lies on L's tangent (or L on
 *    R's), f is linear there. Otherwise probe at the intersection of the two
 *    tangents: a probe on the chord proves [L, R] linear (a concave f that
 *    touches its chord inside an interval is the chord); a probe on L's
 *    tangent proves [L, probe] linear, on R's tangent [probe, R]; a probe
 *    below a tangent opens that side again. A probe at the tangents'
 *    intersection that lies on them is a breakpoint.
 *
 * Every conclusion compares objective values (within a relative tolerance),
 * never slopes alone, so a degenerate breakpoint — where the dual is one
 * subgradient among many — costs at most an extra probe and never a wrong
 * segment. With k segments this takes 2k + 1 solves when every slope is a
 * segment's own (2 range LPs, 2 ends, 2k − 3 probes).
 */

/** Two objective values agree when they differ by at most this, relative to the objective's size. */
const TOLERANCE = 1e-9;
/** A safety net against solver noise: intervals narrower than this (relative) are not split again. */
const NARROWEST = 1e-12;
/** Probes per sweep, a guard that is never reached by a well-behaved solver. */
const MAX_PROBES = 20_000;

export interface ExactControls {
  /** Per probe: the time it may take (undefined: no limit), or "stop" when the run must stop now. */
  readonly budget: () => number | undefined | "cancelled" | "deadline";
  /** Yields to the event loop now and then (so that a signal can fire) and reports progress. */
  readonly tick: (done: number, total: number) => Promise<void>;
}

export interface ExactOutcome {
  readonly points: SweepPoint[];
  readonly segments: SweepSegment[];
  readonly feasible_range: { from: number; to: number } | null;
  readonly stopped?: "cancelled" | "deadline";
  readonly notes: string[];
}

interface Probe {
  readonly at: number;
  readonly f: number;
  readonly slope: number;
  readonly solved: SolvedPoint;
}

interface Leaf {
  readonly left: Probe;
  readonly right: Probe;
  /** A probe whose dual solution is optimal on the whole leaf: what binds on it. */
  readonly witness: Probe;
}

class Stopped extends Error {
  constructor(readonly why: "cancelled" | "deadline") {
    super(why);
  }
}

export async function exactSweep(solver: PointSolver, from: number, to: number, controls: ExactControls): Promise<ExactOutcome> {
  const notes: string[] = [];
  const probes: SolvedPoint[] = [];
  const outside = (value: number): SweepPoint => ({ value, status: "infeasible", objective: null, slope: null, binding: [], ms: 0 });

  const budget = () => {
    const left = controls.budget();
    if (left === "cancelled" || left === "deadline") throw new Stopped(left);
    return left;
  };
  const solveAt = (value: number): SolvedPoint => {
    const solved = solver.solve(value, budget());
    probes.push(solved);
    if (solved.point.status === "time_limit") throw new Stopped("deadline");
    return solved;
  };

  try {
    const range = parameterRange(solver.parametric.formulation.lp, solver.parametric.sides, from, to, budget());
    solver.solves += range.solves;
    if (range.status !== "feasible") {
      if (range.status === "time_limit") throw new Stopped("deadline");
      notes.push(`No value in [${from}, ${to}] has a plan.`);
      return { points: [outside(from), outside(to)], segments: [], feasible_range: null, notes };
    }
    const low = clean(range.from);
    const high = clean(range.to);
    const ends: SweepPoint[] = [];

    const outsideLow = low > from ? [outside(from)] : [];
    const outsideHigh = high < to ? [outside(to)] : [];

    // The range LP's ends are vertices found within HiGHS' tolerances: an end the solve calls
    // infeasible is tried again at the LP's own value, then a hair inside the range.
    const solveEnd = (value: number, raw: number, inward: number): SolvedPoint => {
      const solved = solveAt(value);
      if (solved.point.status !== "infeasible") return solved;
      const again = raw === value ? solved : solveAt(raw);
      return again.point.status !== "infeasible" ? again : solveAt(raw + inward * TOLERANCE * Math.max(1, Math.abs(raw), Math.abs(high - low)));
    };
    const lowest = solveEnd(low, range.from, 1);
    const first = probeAt(lowest);
    if (first === "unbounded" || low === high) {
      const highest = low === high ? undefined : solveEnd(high, range.to, -1);
      if (first === "unbounded") notes.push("The objective is unbounded at every value with a plan: no curve to trace.");
      ends.push(withSlope(lowest.point, null), ...(highest === undefined ? [] : [withSlope(highest.point, null)]));
      return { points: [...outsideLow, ...ends, ...outsideHigh], segments: [], feasible_range: { from: low, to: high }, notes };
    }
    const last = probeAt(solveEnd(high, range.to, -1));
    if (last === "unbounded") throw new Error("HiGHS found the LP bounded at one end of the feasible range and unbounded at the other");

    const leaves = merge((await refine(first, last, solveAt, controls)).sort((a, b) => a.left.at - b.left.at));
    const segments = leaves.map(toSegment);
    // The ends take the slope of their segment (one-sided); a breakpoint has none (the segments give both sides).
    const points: SweepPoint[] = [withSlope(first.solved.point, segments[0]?.slope ?? null)];
    for (const leaf of leaves.slice(1)) points.push(withSlope(leaf.left.solved.point, null));
    points.push(withSlope(last.solved.point, segments[segments.length - 1]?.slope ?? null));
    return { points: [...outsideLow, ...points, ...outsideHigh], segments, feasible_range: { from: low, to: high }, notes };
  } catch (error) {
    if (!(error instanceof Stopped)) throw error;
    notes.push("The sweep stopped before it traced the whole curve: the points are those it solved, and no segments are given.");
    const solved = probes.map((probe) => probe.point).sort((a, b) => a.value - b.value);
    return { points: solved, segments: [], feasible_range: null, stopped: error.why, notes };
  }
}

/** A probe with the numbers refinement needs; "unbounded" when the LP is. */
function probeAt(solved: SolvedPoint): Probe | "unbounded" {
  const { point } = solved;
  if (point.status === "unbounded") return "unbounded";
  if (point.status !== "optimal" || point.objective === null) {
    throw new Error(`exact sweep: no plan at ${point.value} (${point.status}), inside the range where the LP is feasible`);
  }
  if (point.slope === null) {
    throw new Error(
      `exact sweep: no dual at ${point.value} (the point's answer was planned again from scratch), so the curve cannot be traced exactly; use grid`,
    );
  }
  return { at: point.value, f: point.objective, slope: point.slope, solved };
}

async function refine(first: Probe, last: Probe, solveAt: (value: number) => SolvedPoint, controls: ExactControls): Promise<Leaf[]> {
  const leaves: Leaf[] = [];
  const open: [Probe, Probe][] = [[first, last]];
  let probes = 0;
  for (let next = open.pop(); next !== undefined; next = open.pop()) {
    const [left, right] = next;
    const scale = Math.max(1, Math.abs(left.f), Math.abs(right.f));
    if (onLine(right, left, left.slope, scale)) {
      leaves.push({ left, right, witness: left });
      continue;
    }
    if (onLine(left, right, right.slope, scale)) {
      leaves.push({ left, right, witness: right });
      continue;
    }
    if (right.at - left.at <= NARROWEST * Math.max(1, Math.abs(left.at), Math.abs(right.at)) || probes >= MAX_PROBES) {
      leaves.push({ left, right, witness: left });
      continue;
    }
    const solved = solveAt(clean(probeValue(left, right)));
    probes++;
    const probe = probeAt(solved);
    if (probe === "unbounded") throw new Error("HiGHS found the LP unbounded inside a range where it was bounded at both ends");
    const chord = (right.f - left.f) / (right.at - left.at);
    const probeScale = Math.max(scale, Math.abs(probe.f));
    if (onLine(probe, left, chord, probeScale)) {
      leaves.push({ left, right, witness: probe });
    } else {
      if (onLine(probe, left, left.slope, probeScale)) leaves.push({ left, right: probe, witness: left });
      else open.push([left, probe]);
      if (onLine(probe, right, right.slope, probeScale)) leaves.push({ left: probe, right, witness: right });
      else open.push([probe, right]);
    }
    await controls.tick(probes, probes + open.length);
  }
  return leaves;
}

/** Where the tangents at the two ends meet; the midpoint when they do not meet strictly inside (solver noise). */
function probeValue(left: Probe, right: Probe): number {
  const meet = (right.f - left.f + left.slope * left.at - right.slope * right.at) / (left.slope - right.slope);
  const margin = NARROWEST * Math.max(1, Math.abs(left.at), Math.abs(right.at));
  return Number.isFinite(meet) && meet > left.at + margin && meet < right.at - margin ? meet : (left.at + right.at) / 2;
}

/** `point` lies on the line through `through` with `slope`, within the tolerance. */
function onLine(point: Probe, through: Probe, slope: number, scale: number): boolean {
  return Math.abs(through.f + slope * (point.at - through.at) - point.f) <= TOLERANCE * scale;
}

/** Neighbouring leaves on one line (a probe that fell inside a segment) become one segment. */
function merge(leaves: readonly Leaf[]): Leaf[] {
  const merged: Leaf[] = [];
  for (const leaf of leaves) {
    const previous = merged[merged.length - 1];
    if (previous !== undefined) {
      const chord = (leaf.right.f - previous.left.f) / (leaf.right.at - previous.left.at);
      const scale = Math.max(1, Math.abs(previous.left.f), Math.abs(leaf.right.f));
      if (onLine(leaf.left, previous.left, chord, scale)) {
        merged[merged.length - 1] = { left: previous.left, right: leaf.right, witness: previous.witness };
        continue;
      }
    }
    merged.push(leaf);
  }
  return merged;
}

function toSegment({ left, right, witness }: Leaf): SweepSegment {
  const rise = right.f - left.f;
  // A rise within the tolerance of the objective is none: a flat segment reads 0, not solver noise.
  const flat = Math.abs(rise) <= TOLERANCE * Math.max(1, Math.abs(left.f), Math.abs(right.f));
  return {
    from: left.at,
    to: right.at,
    objective_from: left.f,
    objective_to: right.f,
    slope: flat ? 0 : rise / (right.at - left.at),
    binding: witness.solved.point.binding,
  };
}

function withSlope(point: SweepPoint, slope: number | null): SweepPoint {
  return { ...point, slope };
}
