import { own } from "./records.js";
import type { PeriodNumber } from "./schema.js";

/** The default key of a PeriodNumber map: the value for every period not listed. */
export const ANY_PERIOD = "*";

/**
 * The value of a PeriodNumber in one period. Validation guarantees every period
 * is covered, so a missing value here is a programming error, not bad input.
 */
export function valueIn(value: PeriodNumber, period: string): number {
  if (typeof value === "number") return value;
  const resolved = own(value, period) ?? own(value, ANY_PERIOD);
  if (resolved === undefined) throw new Error(`no value for period ${JSON.stringify(period)}`);
  return resolved;
}

export function optionalValueIn(value: PeriodNumber | undefined, period: string): number | undefined {
  return value === undefined ? undefined : valueIn(value, period);
}

/** Periods from `from` to `until` inclusive, by position in the scenario's period list. */
export function isAvailable(periods: readonly string[], period: string, from: string | undefined, until: string | undefined): boolean {
  const at = periods.indexOf(period);
  if (from !== undefined && at < periods.indexOf(from)) return false;
  if (until !== undefined && at > periods.indexOf(until)) return false;
  return true;
}
