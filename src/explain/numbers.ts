/** Solver noise around whole numbers (and zero) removed, for reading. */
export function clean(value: number): number {
  const whole = Math.round(value);
  if (Math.abs(value - whole) <= 1e-9 * Math.max(1, Math.abs(value))) return whole === 0 ? 0 : whole;
  return value;
}

/** A change rounded up to six decimals (whole numbers kept whole), so that a relaxed bound still admits the plan found. */
export function roundUp(value: number): number {
  const whole = Math.round(value);
  if (Math.abs(value - whole) <= 1e-9 * Math.max(1, Math.abs(value))) return whole;
  return Math.ceil(value * 1e6 - 1e-6) / 1e6;
}

/** A time budget for a note: whole milliseconds, "under 1 ms" below one. */
export function formatMs(ms: number): string {
  return ms < 1 ? "under 1 ms" : `${Math.round(ms)} ms`;
}
