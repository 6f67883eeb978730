import type { Target } from "../../scenario/schema.js";
import type { VerificationContext } from "./context.js";

/** What a target counts in one period: units (`counted = total`), or the numerator and denominator of a share. */
export interface TargetCount {
  readonly counted: number;
  readonly total: number;
}

/** Counts a target of one kind in period `t`; `routes` are the route positions its filters keep. */
export type TargetCounter = (context: VerificationContext, target: Target, routes: readonly number[]) => (t: number) => TargetCount;
