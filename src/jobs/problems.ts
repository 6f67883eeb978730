import type { JobProblem } from "./types.js";

/** A job that failed on a bug: the body says so and nothing more; the error itself is logged. */
export function internalProblem(): JobProblem {
  return {
    type: "urn:jointplan:problem:internal",
    title: "Internal error",
    status: 500,
    detail: "The job failed on an error of the server; the error has been logged.",
    errors: [],
  };
}
