import { describe, expect, it } from "vitest";
import { isValidationError, loadBundledScenario, parsePlanOptions, parseScenario, prepareMonteCarlo, type ValidationIssue } from "../../src/index.js";
import { minimalScenario } from "../support/builders.js";

/** A Monte Carlo request is checked like a sweep: every issue at its path in the request body, multiplier ranges at their ends. */
const scenario = parseScenario(loadBundledScenario("kz-uz-2020"));
const settings = parsePlanOptions({});
const kazakhDemand = { on: "demand", market: "KZ", field: "max", distribution: { kind: "normal", sd: 0.15 } };

function issuesOf(spec: unknown, against = scenario): ValidationIssue[] {
  try {
    prepareMonteCarlo(against, spec, settings);
  } catch (error) {
    if (!isValidationError(error)) throw error;
    expect(error.subject).toBe("request");
    return [...error.issues];
  }
  return [];
}

describe("prepareMonteCarlo", () => {
  it("accepts a valid request and selects what each entry names", () => {
    const prepared = prepareMonteCarlo(scenario, { samples: 10, seed: -3, uncertain: [kazakhDemand] }, settings);
    expect(prepared.spec.samples).toBe(10);
    expect(prepared.selections[0]).toMatchObject({ on: "demand", field: "max" });
    expect(prepared.ranges[0]).toEqual({ low: 0, high: 1 + 8.58 * 0.15 });
  });

  it("names the field of every shape error in the request body", () => {
    const issues = issuesOf({
      samples: 0,
      seed: 1.5,
      uncertain: [
        { ...kazakhDemand, distribution: { kind: "normal", sd: -0.1 } },
        { on: "capacity", plant: "andijan", resource: "assembly_hours", distribution: { kind: "uniform", low: 1.2, high: 0.8 } },
        { on: "route", field: "max", distribution: { kind: "triangular", low: 0.9, mode: 1.2, high: 1.1 } },
        { on: "demand", field: "max", distribution: { kind: "lognormal" } },
        { on: "target", id: "joint_goal", field: "min", distribution: { kind: "uniform", low: -1, high: 1 } },
      ],
    });
    const paths = issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "samples",
        "seed",
        "uncertain[0].distribution.sd",
        "uncertain[1].distribution.high",
        "uncertain[2].distribution.high",
        "uncertain[3].distribution.kind",
        "uncertain[4].distribution.low",
      ]),
    );
    expect(issuesOf({ samples: 1_000_001, seed: 1, uncertain: [kazakhDemand] }).map((issue) => issue.path)).toEqual(["samples"]);
    expect(issuesOf({ samples: 5, seed: 2 ** 60, uncertain: [kazakhDemand] }).map((issue) => issue.path)).toEqual(["seed"]);
    expect(issuesOf({ samples: 5, seed: 1, uncertain: [] }).map((issue) => issue.path)).toEqual(["uncertain"]);
    expect(issuesOf({ samples: 5, seed: 1, uncertain: [kazakhDemand], extra: true })).toEqual([{ path: "extra", message: "unknown field" }]);
  });

  it("blames an unknown id on its selector and a selection of nothing on the entry", () => {
    const issues = issuesOf({
      samples: 5,
      seed: 1,
      uncertain: [
        kazakhDemand,
        { on: "target", id: "no_such_goal", field: "min", distribution: { kind: "uniform", low: 0.9, high: 1.1 } },
        { on: "capacity", plant: "andijan", resource: "welding_hours", distribution: { kind: "uniform", low: 0.9, high: 1.1 } },
        { on: "demand", market: "UZ", product: "city", field: "max", periods: ["1999"], distribution: { kind: "uniform", low: 0.9, high: 1.1 } },
      ],
    });
    expect(issues).toEqual([
      { path: "uncertain[1].id", message: 'unknown target "no_such_goal"' },
      { path: "uncertain[2].resource", message: 'plant "andijan" has no resource "welding_hours"' },
      { path: "uncertain[3].periods[0]", message: 'unknown period "1999"' },
    ]);
  });

  it("rejects a range that would make the scenario invalid, at the end that breaks it", () => {
    const shareAbove1 = issuesOf({
      samples: 5,
      seed: 1,
      uncertain: [{ on: "target", id: "export_share", field: "min", distribution: { kind: "uniform", low: 0.5, high: 2.5 } }],
    });
    expect(shareAbove1).toHaveLength(1);
    expect(shareAbove1[0]?.path).toBe("uncertain[0].distribution.high");
    expect(shareAbove1[0]?.message).toMatch(/^at multiplier 2.5: the scenario would be invalid: targets\[1\]\.min: a share must lie in \[0, 1\], got 1.25/);

    // A normal multiplier is unbounded in principle; its largest draw, 1 + 8.58·sd, is blamed on sd.
    const normalShare = issuesOf({
      samples: 5,
      seed: 1,
      uncertain: [{ on: "target", id: "export_share", field: "min", distribution: { kind: "normal", sd: 0.2 } }],
    });
    expect(normalShare.map((issue) => issue.path)).toEqual(["uncertain[0].distribution.sd"]);
    expect(normalShare[0]?.message).toContain("use a uniform or triangular distribution to bound it");

    // Scaling a value the scenario leaves unset (an unlimited maximum) is blamed on the end, like a change's scale.
    const unset = issuesOf({
      samples: 5,
      seed: 1,
      uncertain: [{ on: "target", id: "joint_goal", field: "max", distribution: { kind: "uniform", low: 0.9, high: 1.1 } }],
    });
    expect(unset.map((issue) => issue.path)).toEqual(["uncertain[0].distribution.low", "uncertain[0].distribution.high"]);
    expect(unset[0]?.message).toContain("is not set (no limit): cannot scale it");
    // So is a multiplier that is always 1 (a normal with sd 0): it still scales what it selects.
    const certain = issuesOf({ samples: 5, seed: 1, uncertain: [{ on: "target", id: "joint_goal", field: "max", distribution: { kind: "normal", sd: 0 } }] });
    expect(certain.map((issue) => issue.path)).toEqual(["uncertain[0].distribution"]);
  });

  it("checks the entries together where each range holds alone: a minimum at its highest against a maximum at its lowest", () => {
    const bounded = parseScenario(minimalScenario({ demand: [{ market: "m", product: "q", price: 10, min: 10, max: 12 }] }));
    const min = { on: "demand", field: "min", distribution: { kind: "uniform", low: 0.5, high: 1.15 } };
    const max = { on: "demand", field: "max", distribution: { kind: "uniform", low: 0.9, high: 1.5 } };
    expect(issuesOf({ samples: 5, seed: 1, uncertain: [min] }, bounded)).toEqual([]);
    expect(issuesOf({ samples: 5, seed: 1, uncertain: [max] }, bounded)).toEqual([]);
    const together = issuesOf({ samples: 5, seed: 1, uncertain: [min, max] }, bounded);
    expect(together).toHaveLength(1);
    expect(together[0]?.path).toBe("uncertain");
    expect(together[0]?.message).toMatch(
      /^with the multipliers of minimums at their highest and the others at their lowest: .*min \(11.5\) is greater than max \(10.8\)/,
    );
  });
});
