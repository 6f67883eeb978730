import { stopsInTime, type BackendChoice, type ModelSize } from "../solvers/index.js";
import type { TaskKind } from "../tasks/task.js";
import type { ServiceConfig } from "./config.js";

/** Where the service solves a request: on the request's own thread, or in the worker pool. */
export type Placement = "inline" | "pool";

/** What decides it: the model's size (counted, or an upper bound read from the posted document) and the options asked for. */
export interface PlacementInput {
  readonly kind: TaskKind;
  readonly size: ModelSize;
  /** The backend asked for (anything but a backend name counts as `auto`: such a request is refused unsolved). */
  readonly backend: BackendChoice;
  /** Whether an explanation (prices or a chosen diagnosis) is asked for. */
  readonly explain: boolean;
}

/**
 * The one rule of where a request is solved: on the request's thread only
 * when the solve is cheap and bounded — one plan of a continuous LP, no explanation asked
 * for (it takes a hundred times the solve), within the inline size limits,
 * and solved by something that stops in time by itself (`stopsInTime`:
 * javascript-lp-solver's simplex cannot be interrupted, so only models it is
 * known to be quick on). Everything else goes to the pool, where a deadline
 * is enforced from outside.
 */
export function placement(input: PlacementInput, config: ServiceConfig): Placement {
  const { size } = input;
  // A comparison or a sweep is many solves: never on the request's thread.
  if (input.kind !== "plan" || size.integer || input.explain) return "pool";
  if (size.columns > config.inlineMaxColumns || size.rows > config.inlineMaxRows || size.nonZeros > config.inlineMaxNonZeros) return "pool";
  return stopsInTime(input.backend, size) ? "inline" : "pool";
}
