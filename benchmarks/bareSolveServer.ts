import Fastify, { LogController } from "fastify";
import solverModule, { type SolverAPI } from "javascript-lp-solver";
import { formulate, loadBundledScenario, parseScenario } from "../src/index.js";
import { toJsLpModel } from "../src/solvers/jsLpSolver.js";

/**
 * The benchmark's baseline server: one fastify route doing nothing but the raw
 * javascript-lp-solver `Solve` of kz-uz-2020's LP, built once at start-up, and
 * answering the solver's own result. Same Node, same logger settings as the
 * service (one pino line per request), so the difference is jointplan's own
 * work: envelope, validation (cached), plan(), report, verification, JSON.
 * Listens on the port given as its argument.
 */
const solver: SolverAPI = (solverModule as unknown as { default?: SolverAPI }).default ?? (solverModule as unknown as SolverAPI);
const model = toJsLpModel(formulate(parseScenario(loadBundledScenario("kz-uz-2020"))).lp, { integer: false });

class OneLinePerRequest extends LogController {
  override incomingRequest(): void {
    // Nothing on arrival, as the service: one line per request, when it completes.
  }
}

const app = Fastify({ logger: { level: process.env["LOG_LEVEL"] ?? "info" }, logController: new OneLinePerRequest() });
app.post("/solve", () => solver.Solve(model));
await app.listen({ port: Number(process.argv[2] ?? 0), host: "127.0.0.1" });
process.on("SIGTERM", () => void app.close().then(() => process.exit(0)));
