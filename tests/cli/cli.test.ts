import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBundledScenario, plan, type Plan } from "../../src/index.js";
import { minimalScenario } from "../support/builders.js";
import { root, runCli, scratchFiles } from "../support/cli.js";

/** The CLI as a user runs it: `node bin/jointplan.js …` against the built package (npm test builds first). */
const run = runCli;
const file = scratchFiles("cli");

describe("jointplan plan", () => {
  it("plans the bundled 2020 scenario by default and prints the tables", () => {
    const { code, stdout } = run("plan");
    expect(code).toBe(0);
    for (const text of [
      "Andijan",
      "Samarkand",
      "Tashkent",
      "Production, 2020",
      "Sales, 2020",
      "export share",
      "Capacity utilization",
      "Parts sourcing",
      "Targets",
      "joint_goal",
    ]) {
      expect(stdout).toContain(text);
    }
    expect(stdout).toMatch(/joint_goal\s+units\s+2020\s+7,000\s+7,000\s+—\s+yes/);
    expect(stdout).toMatch(/Verification: passed/);
  });

  it("prints the Plan as JSON equal to the library's, up to timing", () => {
    const { code, stdout } = run("plan", "kz-uz-2020", "--json");
    expect(code).toBe(0);
    const fromCli = JSON.parse(stdout) as Plan;
    const fromLibrary = plan(loadBundledScenario("kz-uz-2020"));
    expect({ ...fromCli, solver: { ...fromCli.solver, ms: 0 } }).toEqual({ ...fromLibrary, solver: { ...fromLibrary.solver, ms: 0 } });
  });

  it("reads a scenario file and returns whole units with --integer", () => {
    const path = file(
      "small.json",
      minimalScenario({ plants: [{ id: "p", resources: { hours: 10 } }], routes: [{ plant: "p", product: "q", uses: { hours: 3 } }] }),
    );
    const { code, stdout } = run("plan", path, "--json", "--integer", "--backend", "highs");
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as Plan;
    expect(result.production).toEqual([{ period: "base", plant: "p", product: "q", units: 3 }]);
    expect(result.solver).toMatchObject({ backend: "highs", integer: true });
  });

  it("prints the joint network's plan with its flows across the border, deliveries per plant and shipping", () => {
    const { code, stdout } = run("plan", "kz-uz-joint-2020");
    expect(code).toBe(0);
    expect(stdout).toMatch(/Production, 2020 \(units\)\n.*Kostanay/);
    expect(stdout).toMatch(/Parts sourcing\n.*delivered to.*freight.*duty/);
    expect(stdout).toMatch(/Painted body and interior kit\s+andijan_kit_line\s+Kostanay\s+yes\s+2,000\s+1,200,000\s+700,000\s+180,000/);
    expect(stdout).toMatch(/Shipping to markets \(USD\)/);
    expect(stdout).toMatch(/Across borders[^\n]*\n.*\n.*\n2020\s+UZ\s+KZ\s+parts\s+2,000\s+1,200,000\s+700,000\s+180,000/);
    expect(stdout).toMatch(/Between plants[^\n]*\n.*\n.*\n2020\s+Andijan\s+Kostanay\s+Painted body and interior kit\s+2,000/);
    expect(stdout).toMatch(/Capacity utilization\n.*for parts/);
    expect(stdout).toMatch(/Verification: passed/);
  });

  it("answers where and when to build the joint cluster, with what each decision is worth, in words", () => {
    const { code, stdout } = run("plan", "kz-uz-cluster-2020-2030");
    expect(code).toBe(0);
    expect(stdout).toMatch(/Status: optimal — net present value of the margin [\d,]+ USD/);
    expect(stdout).toMatch(/Investments \(USD, undiscounted\)\n/);
    expect(stdout).toMatch(/Timeline \(■ built, ▪ running\)\n/);
    expect(stdout).toMatch(/Money by period \(USD; discount rate 8\.0%\)/);
    expect(stdout).toMatch(/What each investment decision is worth \(each re-optimised as a whole plan\)\n/);
    expect(stdout).toMatch(/Building [^\n]+ in 20\d\d adds [\d.,]+ (million )?USD of net present value over not building it/);
    expect(stdout).toMatch(/Not building [^\n]+: building it \(best in 20\d\d\) would lose/);
  }, 120_000);

  it("names a network error with its path and exits 1", () => {
    const path = file(
      "cycle.json",
      minimalScenario({
        products: [{ id: "q", family: "car", bom: { engine: 1 } }],
        parts: [{ id: "engine", sources: [{ id: "shop", local: true, plant: "p", bom: { engine: 1 } }] }],
      }),
    );
    const { code, stderr } = run("validate", path);
    expect(code).toBe(1);
    expect(stderr).toContain("parts[0].sources[0].bom.engine: engine is needed to make itself: engine → engine");
  });

  it("exits 2 for an infeasible scenario and says so", () => {
    const { code, stdout } = run("plan", "kz-uz-parts-shortage");
    expect(code).toBe(2);
    expect(stdout).toMatch(/INFEASIBLE/);
    const json = run("plan", "kz-uz-parts-shortage", "--json");
    expect(json.code).toBe(2);
    expect((JSON.parse(json.stdout) as Plan).status).toBe("infeasible");
  });

  it("exits 2 for an unbounded scenario", () => {
    const path = file("unbounded.json", minimalScenario({ routes: [{ plant: "p", product: "q", uses: {} }] }));
    expect(run("plan", path).code).toBe(2);
  });

  it("exits 1 with the offending paths for an invalid scenario", () => {
    const path = file("broken.json", minimalScenario({ routes: [{ plant: "nowhere", product: "q", uses: {} }] }));
    const { code, stderr } = run("plan", path);
    expect(code).toBe(1);
    expect(stderr).toContain("routes[0].plant: unknown plant");
  });

  it("exits 1 for malformed JSON, a missing file, bad flags and bad option values", () => {
    expect(run("plan", file("bad.json", "{ not json")).stderr).toMatch(/not valid JSON/);
    expect(run("plan", file("bad2.json", "{")).code).toBe(1);
    expect(run("plan", join(root, "no-such-folder", "missing.json")).code).toBe(1);
    expect(run("plan", "--colour").code).toBe(1);
    const badLimit = run("plan", "--time-limit", "soon");
    expect(badLimit.code).toBe(1);
    expect(badLimit.stderr).toContain("--time-limit");
    const badGap = run("plan", "--mip-gap", "2");
    expect(badGap.code).toBe(1);
    expect(badGap.stderr).toContain("--mip-gap: must be at most 1");
    const badBackend = run("plan", "--backend", "cplex");
    expect(badBackend.code).toBe(1);
    expect(badBackend.stderr).toContain("--backend");
  });
});

describe("jointplan validate", () => {
  it("exits 0 for a valid file", () => {
    const { code, stdout } = run("validate", file("ok.json", minimalScenario()));
    expect(code).toBe(0);
    expect(stdout).toMatch(/valid jointplan\/v1 scenario/);
  });

  it("exits 1 and names each offending field by path", () => {
    const path = file(
      "invalid.json",
      minimalScenario({
        plants: [{ id: "p", resources: { hours: -1 } }],
        routes: [{ plant: "p", product: "ghost", uses: { paint: 1 } }],
        demand: [{ market: "m", product: "q", price: 1, colour: "red" }],
      }),
    );
    const { code, stderr } = run("validate", path);
    expect(code).toBe(1);
    expect(stderr).toContain("plants[0].resources.hours: must not be negative");
    expect(stderr).toContain("demand[0].colour: unknown field");
    expect(stderr).toMatch(/\d+ errors?/);
  });

  it("validates the bundled scenarios", () => {
    for (const id of ["kz-uz-2020", "kz-uz-2019-2025", "kz-uz-parts-shortage"]) expect(run("validate", id).code).toBe(0);
  });
});

describe("jointplan export-lp", () => {
  it("writes the model as CPLEX LP text to stdout, named in the scenario's terms", () => {
    const { code, stdout } = run("export-lp", "kz-uz-2020");
    expect(code).toBe(0);
    expect(stdout.startsWith('\\ jointplan model of scenario "kz-uz-2020"\n')).toBe(true);
    expect(stdout).toMatch(/^Maximize$/m);
    expect(stdout).toContain("capacity(andijan,assembly_hours,2020):");
    expect(stdout.trimEnd().endsWith("End")).toBe(true);
  });

  it("writes whole-unit models to a file with -o", () => {
    const out = file("model.lp", ""); // written over by the command
    const { code, stdout } = run("export-lp", file("small-int.json", minimalScenario()), "--integer", "-o", out);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(readFileSync(out, "utf8")).toMatch(/^General\n make\(p,q,base\) sell\(p,q,m,base\)$/m);
  });

  it("exits 1 for an invalid scenario or a missing argument", () => {
    const broken = run("export-lp", file("broken-lp.json", minimalScenario({ routes: [{ plant: "nowhere", product: "q", uses: {} }] })));
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("routes[0].plant: unknown plant");
    expect(run("export-lp").code).toBe(1);
  });
});

describe("jointplan help", () => {
  it("prints usage, and exits 1 for an unknown command", () => {
    expect(run("help").stdout).toMatch(/Usage/);
    const unknown = run("frobnicate");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown command/);
  });
});
