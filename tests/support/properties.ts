import fc from "fast-check";

/**
 * Settings shared by the property suites: PROPS_RUNS runs each (200 by default,
 * the CI setting; raise it for longer local runs), and PROPS_SEED to replay a
 * failure. fast-check prints the seed, the path and the shrunk counterexample
 * whenever a property fails; `reportScenario` adds the scenario as JSON.
 */
export const propertyRuns = Number(process.env["PROPS_RUNS"] ?? 200);
const seed = process.env["PROPS_SEED"] === undefined ? undefined : Number(process.env["PROPS_SEED"]);

export function propertyParameters<T>(runs = propertyRuns): fc.Parameters<T> {
  return {
    numRuns: runs,
    ...(seed === undefined ? {} : { seed }),
    verbose: fc.VerbosityLevel.None,
    plugins: [
      () => ({
        onAllRunsComplete: (details) => {
          if (!details.failed) return;
          const counterexample = details.counterexample === null ? "" : `\nshrunk counterexample (JSON):\n${JSON.stringify(details.counterexample, null, 1)}`;
          throw new Error(`${fc.defaultReportMessage(details) ?? "property failed"}${counterexample}`);
        },
      }),
    ],
  };
}

export function relativeGap(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
}
