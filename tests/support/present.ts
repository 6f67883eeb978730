/**
 * Values a test expects to be there, read without a cast: a missing one fails
 * the test with a message saying what was missing, instead of reading on with
 * null or undefined.
 */

/** The objective of a plan or solve that the test expects to have found one. */
export function objectiveOf(result: { readonly status: string; readonly objective: number | null }): number {
  if (result.objective === null) throw new Error(`expected an objective, but the status is ${result.status}`);
  return result.objective;
}

/** A value the test expects to be present; `what` names it in the failure. */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`expected ${what}, got ${String(value)}`);
  return value;
}
