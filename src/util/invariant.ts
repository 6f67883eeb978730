/**
 * Reads that cannot miss by construction: a position taken from the same list,
 * a column or row index the formulation made, an id the scenario validation has
 * already checked. A miss is a bug in jointplan, never bad input, so it throws
 * an InternalError naming what was missing instead of reading on with undefined.
 */
export class InternalError extends Error {
  override readonly name = "InternalError";
}

/** `items[index]`, for an index that is valid by construction; `what` names the item in the error. */
export function at<T>(items: ArrayLike<T>, index: number, what: string): T {
  const item = items[index];
  if (item === undefined) missingAt(what, index);
  return item;
}

/** `map.get(key)`, for a key that is present by construction; `what` names the entry in the error. */
export function known<K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V {
  const value = map.get(key);
  if (value === undefined) missingKey(what, key);
  return value;
}

/** A value that is present by construction (a `find` over ids taken from the same list); `what` names it in the error. */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) missing(what);
  return value;
}

export function valueAt(values: Float64Array, index: number, what: string): number {
  const value = values[index];
  if (value === undefined) missingAt(what, index);
  return value;
}

// Kept out of the readers above, whose bytecode stays under V8's always-inline size (27 bytes) for hot loops.
function missing(what: string, where?: string): never {
  throw new InternalError(`internal error: no ${what}${where === undefined ? "" : ` ${where}`}`);
}

function missingKey(what: string, key: unknown): never {
  missing(what, `for ${JSON.stringify(key)}`);
}

function missingAt(what: string, index: number): never {
  missing(what, `at position ${index}`);
}
