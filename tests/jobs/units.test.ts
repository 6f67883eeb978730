import { describe, expect, it } from "vitest";
import { loadBundledScenario, plan, sweep, type Plan, type SweepResult } from "../../src/index.js";
import type { JobInput, Unit, UnitOutput } from "../../src/jobs/types.js";
import work from "../../src/jobs/unitWorker.js";
import { JobFailure, mergeUnits, runUnit } from "../../src/jobs/units.js";
import { expectSamePoints, untimed } from "../support/jobs.js";

/**
 * A job's units on the calling thread, as a job thread or a `jointplan
 * worker` runs them (the suites of the engines run them on threads and in
 * processes): a whole task, chunks of a grid, and their merge into the
 * result — in unit order, what a cancel left out left out, no larger than the
 * server keeps.
 */

const limits = { maxRunMs: 60_000 };
const goal = { on: "target", id: "joint_goal", field: "min" } as const;
const gridInput: JobInput = { kind: "sweep", body: { scenarioId: "kz-uz-2020", sweep: { parameter: goal, from: 4000, to: 7600, steps: 9 } } };
const values = [4000, 4450, 4900, 5350, 5800, 6250, 6700, 7150, 7600];
const firstChunk: Unit = { type: "grid", values: values.slice(0, 4) };
const middleChunk: Unit = { type: "grid", values: values.slice(4, 8) };
const lastChunk: Unit = { type: "grid", values: values.slice(8) };
const chunks = [firstChunk, middleChunk, lastChunk];

describe("runUnit and mergeUnits", () => {
  it("runs a whole plan job as plan() plans it", async () => {
    const output = await runUnit({ kind: "plan", body: { scenarioId: "kz-uz-2020", options: { integer: true } } }, { type: "whole" }, "plan-job", limits);
    expect(output.size).toBe(1);
    expect(untimed(output.value as Plan)).toEqual(untimed(plan(loadBundledScenario("kz-uz-2020"), { integer: true })));
  });

  it("runs a grid's chunks one after another on one solver and merges them into the sweep of the whole grid", async () => {
    const outputs: UnitOutput[] = [];
    for (const unit of chunks) outputs.push(await runUnit(gridInput, unit, "grid-job", limits));
    expect(outputs.map((output) => output.size)).toEqual([4, 4, 1]);
    const result = JSON.parse(mergeUnits(gridInput, chunks, outputs, "grid-job", { ...limits, maxBytes: 1e8 }) ?? "null") as SweepResult;
    const whole = await sweep(loadBundledScenario("kz-uz-2020"), { parameter: goal, values }, { threads: 1 });
    expectSamePoints(result.points, whole.points);
    expect(result.feasible_range).toEqual(whole.feasible_range);
    expect(result.solves).toBe(whole.solves);
    expect(result.stopped).toBeUndefined();
  });

  it("merges what a cancel left: the finished chunks in unit order, the rest left out, stopped: cancelled", async () => {
    const last = await runUnit(gridInput, lastChunk, "cancelled-job", limits);
    const first = await runUnit(gridInput, firstChunk, "cancelled-job", limits);
    const skipped: UnitOutput = { size: 0, value: null, skipped: true };
    const json = mergeUnits(gridInput, chunks, [first, skipped, last], "cancelled-job", { ...limits, maxBytes: 1e8 }, "cancelled");
    const result = JSON.parse(json ?? "null") as SweepResult;
    expect(result.points.map((point) => point.value)).toEqual([4000, 4450, 4900, 5350, 7600]);
    expect(result.stopped).toBe("cancelled");
    // A whole unit that never ran leaves no result at all.
    expect(mergeUnits({ kind: "plan", body: {} }, [{ type: "whole" }], [undefined], "nothing", { ...limits, maxBytes: 1e8 }, "cancelled")).toBeUndefined();
  });

  it("refuses a result larger than the server keeps with a problem that says how large and what to ask instead", async () => {
    const output = await runUnit(gridInput, lastChunk, "large-job", limits);
    let failure: unknown;
    try {
      mergeUnits(gridInput, [lastChunk], [output], "large-job", { ...limits, maxBytes: 100 });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(JobFailure);
    expect((failure as JobFailure).problem).toMatchObject({
      type: "urn:jointplan:problem:result-too-large",
      status: 422,
      detail: expect.stringMatching(/at most 100\. Ask for fewer points/) as unknown,
    });
  });
});

describe("the job threads' entry", () => {
  it("answers a run and a merge; a result too large is the job's problem, a bug is an error, and neither retires the thread", async () => {
    const run = await work({ op: "run", input: gridInput, unit: lastChunk, key: "entry-job", limits });
    expect(run).toMatchObject({ ok: true, retire: false, output: { size: 1 } });
    const output = run.ok ? run.output : undefined;
    const merged = await work({
      op: "merge",
      input: gridInput,
      units: [lastChunk],
      outputs: [output],
      key: "entry-job",
      limits: { ...limits, maxBytes: 1e8 },
    });
    expect(merged.ok && (JSON.parse(merged.json ?? "null") as SweepResult).points).toHaveLength(1);
    const tooLarge = await work({
      op: "merge",
      input: gridInput,
      units: [lastChunk],
      outputs: [output],
      key: "entry-job",
      limits: { ...limits, maxBytes: 10 },
    });
    expect(tooLarge).toMatchObject({ ok: false, retire: false, problem: { type: "urn:jointplan:problem:result-too-large" } });
    // Input that submission would have refused is a bug by the time a unit runs: an error to log, not a problem body.
    const invalid = await work({ op: "run", input: { kind: "plan", body: { scenarioId: "atlantis" } }, unit: { type: "whole" }, key: "bad-job", limits });
    expect(invalid).toMatchObject({ ok: false, retire: false, error: { message: expect.stringMatching(/accepted but is invalid/) as unknown } });
  });
});
