import type { Verification } from "../types.js";

/** A constraint holds when its violation, scaled by the size of its terms and bounds, is at most this. */
export const FEASIBILITY_TOLERANCE = 1e-6;
const MAX_LISTED_VIOLATIONS = 10;

/**
 * Counts constraints, keeps the worst scaled violation and describes the
 * violated ones: what every family file of the verification reports into.
 */
export class ConstraintChecker {
  checked = 0;
  private worst = 0;
  private readonly found: { amount: number; text: string }[] = [];
  private last = 0;

  /**
   * lower ≤ activity ≤ upper, with `magnitude` the sum of absolute terms of the
   * activity; true when violated (then call `describe`).
   */
  range(activity: number, magnitude: number, lower: number, upper: number): boolean {
    this.checked++;
    let scale = magnitude > 1 ? magnitude : 1;
    if (lower > -Infinity && Math.abs(lower) > scale) scale = Math.abs(lower);
    if (upper < Infinity && Math.abs(upper) > scale) scale = Math.abs(upper);
    const excess = Math.max(0, lower - activity, activity - upper);
    return this.record(Number.isNaN(excess) ? Infinity : excess / scale);
  }

  /** A violation measured by the caller (already scaled); true when it exceeds the tolerance. */
  record(violation: number): boolean {
    if (violation > this.worst) this.worst = violation;
    this.last = violation;
    return violation > FEASIBILITY_TOLERANCE;
  }

  /** Describes the constraint last found violated. */
  describe(text: string): void {
    this.found.push({ amount: this.last, text });
  }

  result(): Verification {
    const violations = this.found
      .sort((a, b) => b.amount - a.amount)
      .slice(0, MAX_LISTED_VIOLATIONS)
      .map((entry) => entry.text);
    return {
      feasible: this.worst <= FEASIBILITY_TOLERANCE,
      max_violation: this.worst === Infinity ? Number.MAX_VALUE : this.worst,
      checked: this.checked,
      violations,
    };
  }
}

/** A number as violations quote it. */
export const fmt = (value: number) => (Number.isInteger(value) ? String(value) : value.toPrecision(8));
/** An id as violations quote it. */
export const q = (text: string) => JSON.stringify(text);
