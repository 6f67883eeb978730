import { formulate, loadBundledScenario, parseScenario } from "../src/index.js";
import { highsRuntime, toHighsModelData } from "../src/solvers/highs.js";
import { droppedCoefficients } from "../src/plan/droppedCoefficients.js";
import { readQuantities } from "../src/plan/readSolution.js";
import { evaluate } from "../src/plan/verification/index.js";
import { flowsOf } from "../src/plan/flows.js";
import { investmentScenario } from "../tests/support/investmentScenario.js";
const which = process.argv[2] ?? "cluster";
const doc = which === "cluster" ? loadBundledScenario("kz-uz-cluster-2020-2030") as Record<string, unknown> : investmentScenario({ candidates: Number(which), plants: 4, periods: 6 });
const cpu = (label: string, f: () => unknown) => { const c = process.cpuUsage(); const t = performance.now(); const r = f(); const u = process.cpuUsage(c); console.log(label.padEnd(22), ((u.user + u.system) / 1000).toFixed(1).padStart(8), "ms cpu", (performance.now() - t).toFixed(1).padStart(8), "ms wall"); return r; };
for (let k = 0; k < 2; k++) {
  const scenario = cpu("parse", () => parseScenario({ ...doc, title: `t${k}` })) as ReturnType<typeof parseScenario>;
  const f = cpu("formulate", () => formulate(scenario)) as ReturnType<typeof formulate>;
  cpu("dropped", () => droppedCoefficients(f));
  const data = cpu("toHighsModelData", () => toHighsModelData(f.lp, true)) as ReturnType<typeof toHighsModelData>;
  const m = cpu("createModel", () => highsRuntime.current().createModel(data)) as ReturnType<ReturnType<typeof highsRuntime.current>["createModel"]>;
  m.options.set({ output_flag: false, log_to_console: false });
  cpu("MIP run", () => m.run());
  const sol = cpu("getSolution", () => m.getSolution().colValue) as Float64Array;
  m.clearIntegrality();
  cpu("relaxation run", () => m.run());
  m.dispose();
  const q = cpu("readQuantities", () => readQuantities(f, sol)) as ReturnType<typeof readQuantities>;
  cpu("evaluate", () => evaluate(f.scenario, q, f.integer));
  cpu("flows", () => flowsOf(f.scenario, q));
  console.log("--");
}
