import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { catalog } from "./catalog.js";
import type { ServiceConfig } from "./config.js";
import { sendProblem } from "./errorHandler.js";
import { problem, ProblemError } from "./problems.js";
import type { Outcome, SolveService } from "./solveService.js";
import {
  compareRequestJsonSchema,
  sweepRequestJsonSchema,
  healthSchema,
  planRequestJsonSchema,
  problemResponse,
  retryAfterHeader,
  schemaRef,
  toJsonSchema,
} from "./schemas.js";

/**
 * The routes of docs/service.md. Schemas document; the handlers validate
 * through the library. The answers every operation may give (401, 429, 431,
 * 503 while shutting down) are added to the document in `openapi.ts`.
 */
export function registerRoutes(app: FastifyInstance, config: ServiceConfig, service: SolveService): void {
  app.get(
    "/healthz",
    {
      config: { public: true },
      schema: {
        operationId: "getHealth",
        summary: "Liveness: answers while solves run in the worker pool",
        description: "Open to anyone: no API key, no rate limit.",
        tags: ["service"],
        response: { 200: { description: "The service is up.", ...toJsonSchema(healthSchema) } },
      },
    },
    () => ({ status: "ok" }),
  );

  app.get(
    "/v1/scenarios",
    {
      schema: {
        operationId: "listScenarios",
        summary: "The bundled scenarios",
        tags: ["scenarios"],
        response: { 200: { description: "The bundled scenarios, by id.", type: "array", items: schemaRef("ScenarioSummary") } },
      },
    },
    () => [...catalog().values()].map(({ id, title, periods }) => ({ id, title, periods })),
  );

  app.get<{ Params: { id: string } }>(
    "/v1/scenarios/:id",
    {
      schema: {
        operationId: "getScenario",
        summary: "One bundled scenario, as its jointplan/v1 document",
        tags: ["scenarios"],
        params: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
        response: {
          200: { description: "The scenario document (docs/format.md §1).", ...schemaRef("Scenario") },
          404: problemResponse("No bundled scenario has this id."),
        },
      },
    },
    async (request, reply) => {
      const entry = catalog().get(request.params.id);
      if (entry === undefined) throw unknownScenario(request.params.id);
      return reply.type("application/json").send(entry.json);
    },
  );

  app.post(
    "/v1/plans",
    {
      schema: {
        operationId: "createPlan",
        summary: "Plan a scenario: a posted one or a bundled one by id",
        description:
          "Answers 200 with a Plan whenever the scenario and options are valid, also when the plan is infeasible, unbounded or cut by the time limit (see status).",
        tags: ["plans"],
        body: { ...planRequestJsonSchema, examples: [{ scenarioId: "kz-uz-2020", options: { integer: true, timeLimitMs: 5_000 } }] },
        response: {
          200: { description: "The plan (docs/format.md §3), verified against the scenario.", ...schemaRef("Plan") },
          400: problemResponse("The body is not JSON."),
          404: problemResponse("No bundled scenario has this scenarioId."),
          413: problemResponse(`The body exceeds the size limit (${config.bodyLimitBytes} bytes).`),
          415: problemResponse("The body is not sent as application/json."),
          422: problemResponse("The scenario or the options are invalid, or exceed the server's limits: every issue is listed."),
          500: problemResponse("The server failed (a bug); the error is logged, the body says nothing more."),
          503: problemResponse(
            "Too many plans are waiting for a worker, the worker solving this plan died, or the server is shutting down; retry after Retry-After seconds.",
            { "Retry-After": retryAfterHeader },
          ),
        },
      },
    },
    async (request, reply) => {
      const placed = (where: string) => request.log.debug({ placement: where }, "plan placed");
      return send(request, reply, await service.solve("plan", request.body, request.bodyText, { placed }));
    },
  );

  const whatIfResponses = (what: string, ref: "Comparison" | "SweepResult") => ({
    200: { description: what, ...schemaRef(ref) },
    400: problemResponse("The body is not JSON."),
    404: problemResponse("No bundled scenario has this scenarioId."),
    413: problemResponse(`The body exceeds the size limit (${config.bodyLimitBytes} bytes).`),
    415: problemResponse("The body is not sent as application/json."),
    422: problemResponse(
      "The scenario, the options or the what-if are invalid, or exceed this server's limits (beyond them, POST /v1/jobs): every issue is listed.",
    ),
    500: problemResponse("The server failed (a bug); the error is logged, the body says nothing more."),
    503: problemResponse("Too many requests are waiting for a worker, the worker died, or the server is shutting down; retry after Retry-After seconds.", {
      "Retry-After": retryAfterHeader,
    }),
  });

  app.post(
    "/v1/comparisons",
    {
      schema: {
        operationId: "compareVariants",
        summary: "Plan a scenario and named variants of it, side by side",
        description: `The baseline plan and each variant's plan with its delta: objective, production, targets, what binds (docs/whatif.md). At most ${config.maxVariants} variants; more as a job (POST /v1/jobs).`,
        tags: ["what-if"],
        body: {
          ...compareRequestJsonSchema(config),
          examples: [{ scenarioId: "kz-uz-2020", variants: [{ name: "KZ demand −20%", changes: [{ on: "demand", market: "KZ", field: "max", scale: 0.8 }] }] }],
        },
        response: whatIfResponses("The comparison: the baseline and every variant, each verified.", "Comparison"),
      },
    },
    async (request, reply) => send(request, reply, await service.solve("compare", request.body, request.bodyText)),
  );

  app.post(
    "/v1/sweeps",
    {
      schema: {
        operationId: "sweepParameter",
        summary: "Sweep one parameter of a scenario: a grid of values, or the exact curve with every breakpoint",
        description: `Each point's status, objective, slope and what binds; in exact mode every segment of the optimal objective (docs/whatif.md). At most ${config.maxSweepPoints} grid points; more as a job (POST /v1/jobs).`,
        tags: ["what-if"],
        body: {
          ...sweepRequestJsonSchema(config),
          examples: [{ scenarioId: "kz-uz-2020", sweep: { parameter: { on: "target", id: "joint_goal", field: "min" }, from: 4000, to: 7450, mode: "exact" } }],
        },
        response: whatIfResponses("The sweep's points (and segments, in exact mode).", "SweepResult"),
      },
    },
    async (request, reply) => send(request, reply, await service.solve("sweep", request.body, request.bodyText)),
  );
}

/** An outcome as the reply: the answer's JSON text, or its problem (a server failure logged in full first). */
function send(request: FastifyRequest, reply: FastifyReply, outcome: Outcome): FastifyReply {
  if (outcome.kind === "answer") {
    request.solveLog = outcome.log;
    return reply.type("application/json").send(outcome.json);
  }
  if (outcome.error !== undefined) request.log.error({ err: outcome.error }, "task failed");
  return sendProblem(reply, outcome.problem, outcome.headers);
}

/** 404 for an unknown bundled id in the URL. */
function unknownScenario(id: string): ProblemError {
  return new ProblemError(problem("notFound", `No bundled scenario has the id ${JSON.stringify(id)}; GET /v1/scenarios lists them.`));
}
