import fc from "fast-check";
import highsModule, { type Highs } from "highs";
import { describe, expect, it } from "vitest";
import { formulate, loadBundledScenario, parseScenario, plan, toCplexLp, type LinearProgram, type Scenario } from "../../src/index.js";
import { scenarioArbitrary } from "../arbitraries/scenario.js";
import { minimalScenario } from "../support/builders.js";
import { objectiveOf } from "../support/present.js";

/**
 * LP export round trip: the CPLEX LP text, read back by HiGHS' own LP reader
 * (a separate runtime from the engine's), has the same optimum as the plan.
 */
const runs = Number(process.env["PROPS_RUNS"] ?? 100);
const load = (highsModule as unknown as { default?: () => Promise<Highs> }).default ?? (highsModule as unknown as () => Promise<Highs>);
const highs = await load();
const MIP_GAP = 1e-4; // HiGHS' default relative gap, used by both sides

interface ReadBack {
  readonly status: "optimal" | "infeasible" | "unbounded";
  readonly objective: number | null;
  readonly columnNames: string[];
  readonly rowNames: string[];
}

function readAndSolve(text: string): ReadBack {
  const model = highs.createModel({ format: "lp", data: text });
  try {
    model.options.set({ output_flag: false });
    const { numCols, numRows } = model.getDimensions();
    const columnNames = Array.from({ length: numCols }, (_, j) => model.getColName(j));
    const rowNames = Array.from({ length: numRows }, (_, i) => model.getRowName(i));
    const { modelStatus } = model.run();
    const status = highs.constants.modelStatus;
    if (modelStatus === status.optimal || modelStatus === status.empty)
      return { status: "optimal", objective: model.getObjectiveValue(), columnNames, rowNames };
    if (modelStatus === status.infeasible) return { status: "infeasible", objective: null, columnNames, rowNames };
    if (modelStatus === status.unbounded) return { status: "unbounded", objective: null, columnNames, rowNames };
    expect(modelStatus).toBe(status.unboundedOrInfeasible);
    // Tell the two apart by the same constraints with a zero objective.
    model.changeColsCost({ kind: "range", from: 0, to: numCols - 1 }, new Float64Array(numCols));
    model.options.set("presolve", "off");
    const feasible = model.run().modelStatus === status.optimal;
    return { status: feasible ? "unbounded" : "infeasible", objective: null, columnNames, rowNames };
  } finally {
    model.dispose();
  }
}

/** Rows the file must hold: one per row with a finite bound, two for a range. */
function expectedRows(lp: LinearProgram): number {
  return lp.rows.reduce((count, row) => {
    const lower = row.lower > -Infinity;
    const upper = row.upper < Infinity;
    return count + (lower && upper && row.lower !== row.upper ? 2 : lower || upper ? 1 : 0);
  }, 0);
}

const LEGAL_NAME = /^[A-Za-z][A-Za-z0-9_.(),~]*$/;

function checkRoundTrip(scenario: Scenario, integer: boolean): void {
  const { lp } = formulate(scenario, { integer });
  const text = toCplexLp(lp, { title: "round trip" });
  const read = readAndSolve(text);

  expect(read.columnNames).toHaveLength(lp.columns.length);
  expect(read.rowNames).toHaveLength(expectedRows(lp));
  const names = [...read.columnNames, ...read.rowNames];
  expect(new Set(names).size).toBe(names.length);
  for (const name of names) {
    expect(name).toMatch(LEGAL_NAME);
    expect(name.length).toBeLessThanOrEqual(255);
  }
  for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(510);

  const planned = plan(scenario, { backend: "highs", integer });
  expect(read.status).toBe(planned.status);
  if (read.objective !== null) {
    const tolerance = integer && lp.columns.some((column) => column.integer) ? 2 * MIP_GAP : 1e-6;
    const scale = Math.max(1, Math.abs(read.objective), Math.abs(objectiveOf(planned)));
    expect(Math.abs(read.objective - objectiveOf(planned)) / scale).toBeLessThanOrEqual(tolerance);
  }
}

describe("CPLEX LP export", () => {
  // Whole units are round-tripped on generated scenarios below: the bundled MIPs take seconds each.
  it.each(["kz-uz-2020", "kz-uz-2019-2025", "kz-uz-parts-shortage"])("%s: HiGHS reads the file back with the plan's optimum", (id) => {
    checkRoundTrip(parseScenario(loadBundledScenario(id)), false);
  });

  it("names rows and columns after the scenario's own ids", () => {
    const text = toCplexLp(formulate(parseScenario(loadBundledScenario("kz-uz-2020"))).lp);
    expect(text).toMatch(/^Maximize$/m);
    expect(text).toContain(" obj: - 700 make(andijan,city,2020)");
    expect(text).toMatch(/^ capacity\(andijan,assembly_hours,2020\): .*$/m);
    expect(text).toMatch(/^ parts\(engine_small,2020\): .* = 0$/m);
    expect(text).toMatch(/^ units_target\(joint_goal,2020\): \+ make\(andijan,city,2020\) \+ make/m);
    expect(text).toMatch(/^ \+ .*make\(tashkent,cotton_harvester,2020\) >= 7000$/m);
    expect(text).toMatch(/^ export_share_target\(export_share,2020,min\): - 0\.5 sell\(andijan,city,UZ,2020\) \+ 0\.5 sell\(andijan,city,KZ,2020\)/m);
    expect(text).toMatch(/^ 0 <= buy\(body_panels,andijan_stamping,2020\) <= 6000$/m);
    expect(text).not.toMatch(/^General$/m);
    expect(text.trimEnd().endsWith("End")).toBe(true);
  });

  it("writes a demand range as .min and .max rows and integer columns under General", () => {
    const scenario = parseScenario(minimalScenario({ integer: true, demand: [{ market: "m", product: "q", price: 10, min: 2, max: 7 }] }));
    const text = toCplexLp(formulate(scenario).lp);
    expect(text).toMatch(/^ demand\(m,q,base\)\.min: \+ sell\(p,q,m,base\) >= 2$/m);
    expect(text).toMatch(/^ demand\(m,q,base\)\.max: \+ sell\(p,q,m,base\) <= 7$/m);
    expect(text).toMatch(/^General\n make\(p,q,base\) sell\(p,q,m,base\)$/m);
  });

  it("keeps ids that differ only in characters the format cannot carry apart, and says which is which", () => {
    const scenario = parseScenario(
      minimalScenario({
        plants: [
          { id: "a b", resources: { hours: 10 } },
          { id: "a_b", resources: { hours: 10 } },
          { id: "Андижан", resources: { hours: 10 } },
        ],
        routes: ["a b", "a_b", "Андижан"].map((plant) => ({ plant, product: "q", uses: { hours: 1 } })),
      }),
    );
    const text = toCplexLp(formulate(scenario).lp);
    expect(text).toContain("make(a_b,q,base)");
    expect(text).toContain("make(a_b~2,q,base)");
    expect(text).toContain("make(_______,q,base)");
    expect(text).toContain('\\ a_b stands for "a b"');
    expect(text).toContain('\\ _______ stands for "Андижан"');
    checkRoundTrip(scenario, false);
  });

  it("round-trips generated scenarios with every feature and hostile ids (property)", () => {
    fc.assert(
      fc.property(scenarioArbitrary({ maxPeriods: 2 }), (input) => {
        const scenario = parseScenario(input);
        checkRoundTrip(scenario, scenario.integer);
      }),
      { numRuns: Math.ceil(runs / 2) },
    );
  });
});
