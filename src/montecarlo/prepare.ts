import type { ResolvedPlanOptions } from "../plan/options.js";
import { numbersBeyond } from "../scenario/magnitudes.js";
import { formatPath, fromZodIssues, ValidationError, type ValidationIssue } from "../scenario/parse.js";
import type { IssuePath } from "../scenario/references.js";
import type { Scenario } from "../scenario/schema.js";
import { highsLimits } from "../solvers/highsParametric.js";
import { validateChanges } from "../whatif/apply.js";
import type { Change, SweepParameter } from "../whatif/schema.js";
import { select, type Selection } from "../whatif/select.js";
import { multiplierRange } from "./distributions.js";
import { monteCarloSpecSchema, type MonteCarloSpec, type UncertainEntry } from "./schema.js";

/** A validated Monte Carlo request: the spec, what each uncertain entry selects, and the range of its multiplier. */
export interface PreparedMonteCarlo {
  readonly spec: MonteCarloSpec;
  /** Per uncertain entry, in order. */
  readonly selections: readonly Selection[];
  readonly ranges: readonly { readonly low: number; readonly high: number }[];
}

/**
 * Checks a Monte Carlo request against the scenario; throws `ValidationError`
 * (subject "request") with every issue, each with its path in the request
 * body (`samples`, `uncertain[0].distribution.sd`, `uncertain[1].id`).
 *
 * Every multiplier lies in a known range (a normal one in [0, 1 + 8.58·sd]).
 * The scenario is validated with each entry's multiplier at the ends of its
 * range, the others at 1, so that a range that breaks the format (a share
 * target scaled above 1, a maximum scaled below its minimum) is blamed on
 * the end that breaks it; then with every multiplier at its highest, and
 * with the multipliers of minimums at their highest and all others at their
 * lowest. That suffices for every draw: each rule of the format is an
 * inequality between at most two scaled values (≥ 0, a share ≤ 1,
 * min ≤ max), and a product of multipliers is monotone in each of them, so
 * a rule that holds at those corners holds throughout the ranges.
 */
export function prepareMonteCarlo(scenario: Scenario, spec: unknown, settings: ResolvedPlanOptions): PreparedMonteCarlo {
  return prepare(scenario, spec, settings, true);
}

/**
 * A request checked by `prepareMonteCarlo` before (a job, checked when it was
 * submitted) read again where it runs: the spec and what each entry selects,
 * without the validations at the corners of the ranges, which would only say
 * again that they hold. Throws as `prepareMonteCarlo` on a spec that does not
 * parse or selects nothing.
 */
export function preparedBefore(scenario: Scenario, spec: unknown, settings: ResolvedPlanOptions): PreparedMonteCarlo {
  return prepare(scenario, spec, settings, false);
}

function prepare(scenario: Scenario, spec: unknown, settings: ResolvedPlanOptions, corners: boolean): PreparedMonteCarlo {
  const parsed = monteCarloSpecSchema.safeParse(spec, { reportInput: true });
  if (!parsed.success) throw new ValidationError(fromZodIssues(parsed.error.issues), "request");
  const { uncertain } = parsed.data;

  const issues: ValidationIssue[] = [];
  const selections: Selection[] = [];
  uncertain.forEach((entry, i) => {
    const selected = select(scenario, selectorOf(entry));
    if (selected.issues === undefined) selections.push(selected.selection);
    else issues.push(...selected.issues.map((issue) => ({ path: formatPath(["uncertain", i, ...issue.path]), message: issue.message })));
  });
  if (issues.length > 0) throw new ValidationError(issues, "request");

  const ranges = uncertain.map((entry) => multiplierRange(entry.distribution));
  if (!corners) return { spec: parsed.data, selections, ranges };
  // HiGHS counts a bound or cost of 1e20 or more as infinite: a multiplier that takes a value there is beyond its range.
  const highs = settings.backend !== "javascript-lp-solver";
  const beyondAlready = highs ? new Set(numbersBeyond(scenario, highsLimits(), "HiGHS").map((issue) => formatPath(issue.path))) : new Set<string>();
  /**
   * What breaks with the entries scaled by `multipliers` (undefined: the
   * entry is left out, as at 1), blamed on `at`; `withRange`: HiGHS' range
   * is checked too (at the highest multipliers).
   */
  const check = (multipliers: readonly (number | undefined)[], at: string, what: string, withRange: boolean): ValidationIssue[] => {
    const changes: Change[] = uncertain.flatMap((entry, e) => {
      const scale = multipliers[e];
      return scale === undefined ? [] : [{ ...selectorOf(entry), scale }];
    });
    const checked = validateChanges(scenario, changes);
    if (!checked.ok) {
      return checked.issues.map((issue) => ({
        path: at,
        message: `${what}: ${issue.message.replace(/^yields an invalid scenario: /, "the scenario would be invalid: ")}`,
      }));
    }
    if (!highs || !withRange) return [];
    return numbersBeyond(checked.scenario, highsLimits(), "HiGHS")
      .filter((issue) => !beyondAlready.has(formatPath(issue.path)))
      .map((issue) => ({ path: at, message: `${what}: ${formatPath(issue.path)}: ${issue.message}` }));
  };

  uncertain.forEach((entry, i) => {
    const range = ranges[i] ?? { low: 1, high: 1 };
    // Both ends, once when they are one (a normal with sd 0 still scales what it selects, by 1).
    for (const end of range.low === range.high ? (["low"] as const) : (["low", "high"] as const)) {
      const multiplier = range[end];
      const multipliers = uncertain.map((_, e) => (e === i ? multiplier : undefined));
      issues.push(
        ...check(multipliers, formatPath(["uncertain", i, ...endPath(entry, end)]), `at multiplier ${multiplier}${endWords(entry, end)}`, end === "high"),
      );
    }
  });
  // Each range holds alone; together, the corners where the rules are tightest.
  if (issues.length === 0 && uncertain.length > 1) {
    const highest = ranges.map((range) => range.high);
    const minimumsHigh = uncertain.map((entry, e) => (entry.field === "min" ? (ranges[e]?.high ?? 1) : (ranges[e]?.low ?? 1)));
    const together = check(highest, "uncertain", "with every multiplier at its highest", true);
    issues.push(
      ...(together.length > 0
        ? together
        : check(minimumsHigh, "uncertain", "with the multipliers of minimums at their highest and the others at their lowest", false)),
    );
  }
  if (issues.length > 0) throw new ValidationError(issues, "request");
  return { spec: parsed.data, selections, ranges };
}

/** An uncertain entry's selector: the entry without its distribution. */
export function selectorOf(entry: UncertainEntry): SweepParameter {
  const { distribution: _distribution, ...selector } = entry;
  return selector;
}

/** Where an end of an entry's range is given in the request: a normal's ends come from its sd (and 0). */
function endPath(entry: UncertainEntry, end: "low" | "high"): IssuePath {
  const { distribution } = entry;
  if (distribution.kind === "normal") return end === "high" ? ["distribution", "sd"] : ["distribution"];
  return ["distribution", end];
}

function endWords(entry: UncertainEntry, end: "low" | "high"): string {
  if (entry.distribution.kind !== "normal") return "";
  return end === "high"
    ? ` (the largest a normal draw can be: 1 + 8.58·sd; use a uniform or triangular distribution to bound it)`
    : " (a normal draw is truncated at 0, so it can be as low as 0)";
}
