import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { catalog } from "./catalog.js";
import type { ServiceConfig } from "./config.js";
import { sendProblem } from "./errorHandler.js";
import { problem, ProblemError } from "./problems.js";
import type { Outcome, SolveHooks, SolveService } from "./solveService.js";
import type { LibraryHandle } from "../library/handle.js";
import { readLibraryBody, saveAnswer } from "./libraryRoutes.js";
import { bundledScenario } from "../scenario/bundled.js";
import { prefixed, validateScenario, type ValidationIssue } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";
import { sizeIssues } from "../tasks/size.js";
import type { TaskKind } from "../tasks/task.js";
import { scenarioWorkbook } from "../workbook/writeScenario.js";
import { answerWorkbook, MIME_XLSX, requestScenario, sendWorkbook, wantsWorkbook } from "./workbooks.js";
import {
  answerWithWorkbook,
  bodyWithWorkbook,
  workbookQuery,
  compareRequestJsonSchema,
  sweepRequestJsonSchema,
  healthSchema,
  planRequestJsonSchema,
  problemResponse,
  retryAfterHeader,
  savedResultHeader,
  schemaRef,
  toJsonSchema,
} from "./schemas.js";

/**
 * The routes of docs/service.md. Schemas document; the handlers validate
 * through the library. The answers every operation may give (401, 429, 431,
 * 503 while shutting down) are added to the document in `openapi.ts`.
 */
export function registerRoutes(app: FastifyInstance, config: ServiceConfig, service: SolveService, library: LibraryHandle): void {
  /** A solve of a body that may name the library (`library`) and ask to keep its answer (`save`). */
  const solve = async (request: FastifyRequest, reply: FastifyReply, kind: TaskKind, hooks?: SolveHooks): Promise<FastifyReply> => {
    const read = await readLibraryBody(request, library, config);
    const outcome = await service.solve(kind, read.body, read.bodyText, hooks);
    if (outcome.kind === "answer") await saveAnswer(request, reply, read, kind, { json: outcome.json }, library, config);
    return send(request, reply, kind, outcome);
  };

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
          200: answerWithWorkbook("The scenario document (docs/format.md §1).", "Scenario"),
          404: problemResponse("No bundled scenario has this id."),
        },
      },
    },
    async (request, reply) => {
      const entry = catalog().get(request.params.id);
      if (entry === undefined) throw unknownScenario(request.params.id);
      if (wantsWorkbook(request)) return sendWorkbook(reply, await bundledWorkbook(request.params.id), request.params.id);
      return reply.type("application/json").send(entry.json);
    },
  );

  app.post(
    "/v1/conversions",
    {
      schema: {
        operationId: "convertScenario",
        summary: "Convert a scenario between JSON and an Excel workbook",
        description: `Answers the scenario, validated, in the form Accept asks for: JSON (with every default filled in), or with Accept: ${MIME_XLSX} its workbook. The body is a scenario in either form (or a bundled one's id). Errors name the JSON path, and for a workbook the sheet and cell. jointplan convert does the same on the command line.`,
        tags: ["scenarios"],
        body: bodyWithWorkbook({
          anyOf: [
            { type: "object", properties: { scenario: schemaRef("Scenario") }, required: ["scenario"], additionalProperties: false },
            { type: "object", properties: { scenarioId: { type: "string" } }, required: ["scenarioId"], additionalProperties: false },
            { type: "object", properties: { library: schemaRef("LibraryReference") }, required: ["library"], additionalProperties: false },
          ],
        }),
        response: {
          200: answerWithWorkbook("The scenario.", "Scenario"),
          400: problemResponse("The body is not JSON, or not a workbook."),
          404: problemResponse("No bundled scenario has this scenarioId, or the library has no such name or version."),
          413: problemResponse(`The body exceeds the size limit (${config.bodyLimitBytes} bytes), or the workbook expands beyond what this server reads.`),
          415: problemResponse(`The body is sent neither as application/json nor as ${MIME_XLSX}.`),
          422: problemResponse("The scenario is invalid: every issue is listed, with its cell for a workbook."),
        },
      },
    },
    async (request, reply) => {
      const read = await readLibraryBody(request, library, config);
      if (read.save) throw invalid([{ path: "save", message: "a conversion is not a result: nothing to save" }]);
      const scenario = conversionScenario(request.workbookScenario, read.body, config);
      if (wantsWorkbook(request)) return sendWorkbook(reply, await scenarioWorkbook(scenario), scenario.id);
      return reply.type("application/json").send(JSON.stringify(scenario));
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
        body: bodyWithWorkbook({ ...planRequestJsonSchema, examples: [{ scenarioId: "kz-uz-2020", options: { integer: true, timeLimitMs: 5_000 } }] }),
        querystring: workbookQuery(["options", "changes"]),
        response: {
          200: {
            ...answerWithWorkbook("The plan (docs/format.md §3), verified against the scenario.", "Plan"),
            headers: { "Saved-Result": savedResultHeader },
          },
          400: problemResponse("The body is not JSON, or not a workbook."),
          404: problemResponse("No bundled scenario has this scenarioId, or the library has no such name or version."),
          413: problemResponse(`The body exceeds the size limit (${config.bodyLimitBytes} bytes), or the workbook expands beyond what this server reads.`),
          415: problemResponse(`The body is sent neither as application/json nor as ${MIME_XLSX}.`),
          422: problemResponse(
            "The scenario or the options are invalid, or exceed the server's limits: every issue is listed (for a workbook, with its cell).",
          ),
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
      return solve(request, reply, "plan", { placed });
    },
  );

  const whatIfResponses = (what: string, ref: "Comparison" | "SweepResult") => ({
    200: { ...answerWithWorkbook(what, ref), headers: { "Saved-Result": savedResultHeader } },
    400: problemResponse("The body is not JSON, or not a workbook."),
    404: problemResponse("No bundled scenario has this scenarioId, or the library has no such name or version."),
    413: problemResponse(`The body exceeds the size limit (${config.bodyLimitBytes} bytes), or the workbook expands beyond what this server reads.`),
    415: problemResponse(`The body is sent neither as application/json nor as ${MIME_XLSX}.`),
    422: problemResponse(
      "The scenario, the options or the what-if are invalid, or exceed this server's limits (beyond them, POST /v1/jobs): every issue is listed (for a workbook, with its cell).",
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
        body: bodyWithWorkbook({
          ...compareRequestJsonSchema(config),
          examples: [{ scenarioId: "kz-uz-2020", variants: [{ name: "KZ demand −20%", changes: [{ on: "demand", market: "KZ", field: "max", scale: 0.8 }] }] }],
        }),
        querystring: workbookQuery(["variants", "options", "changes"]),
        response: whatIfResponses("The comparison: the baseline and every variant, each verified.", "Comparison"),
      },
    },
    async (request, reply) => solve(request, reply, "compare"),
  );

  app.post(
    "/v1/sweeps",
    {
      schema: {
        operationId: "sweepParameter",
        summary: "Sweep one parameter of a scenario: a grid of values, or the exact curve with every breakpoint",
        description: `Each point's status, objective, slope and what binds; in exact mode every segment of the optimal objective (docs/whatif.md). At most ${config.maxSweepPoints} grid points; more as a job (POST /v1/jobs).`,
        tags: ["what-if"],
        body: bodyWithWorkbook({
          ...sweepRequestJsonSchema(config),
          examples: [{ scenarioId: "kz-uz-2020", sweep: { parameter: { on: "target", id: "joint_goal", field: "min" }, from: 4000, to: 7450, mode: "exact" } }],
        }),
        querystring: workbookQuery(["sweep", "options", "changes"]),
        response: whatIfResponses("The sweep's points (and segments, in exact mode).", "SweepResult"),
      },
    },
    async (request, reply) => solve(request, reply, "sweep"),
  );
}

/** An outcome as the reply: the answer's JSON text (or its workbook, when Accept asks for one), or its problem (a server failure logged in full first). */
async function send(request: FastifyRequest, reply: FastifyReply, kind: TaskKind, outcome: Outcome): Promise<FastifyReply> {
  if (outcome.kind === "answer") {
    request.solveLog = outcome.log;
    const scenario = wantsWorkbook(request) ? requestScenario(request) : undefined;
    if (scenario !== undefined) return sendWorkbook(reply, await answerWorkbook(kind, scenario, outcome.json), `${kind}-${scenario.id}`);
    return reply.type("application/json").send(outcome.json);
  }
  if (outcome.error !== undefined) request.log.error({ err: outcome.error }, "task failed");
  return sendProblem(reply, outcome.problem, outcome.headers);
}

/** 404 for an unknown bundled id in the URL. */
function unknownScenario(id: string): ProblemError {
  return new ProblemError(problem("notFound", `No bundled scenario has the id ${JSON.stringify(id)}; GET /v1/scenarios lists them.`));
}

const bundledWorkbooks = new Map<string, Promise<Uint8Array>>();

/** A bundled scenario's workbook, made once. */
function bundledWorkbook(id: string): Promise<Uint8Array> {
  let bytes = bundledWorkbooks.get(id);
  if (bytes === undefined) {
    const scenario = bundledScenario(id);
    if (scenario === undefined) throw unknownScenario(id);
    bytes = scenarioWorkbook(scenario);
    bundledWorkbooks.set(id, bytes);
  }
  return bytes;
}

/** The scenario a conversion names: the posted workbook's, a bundled one, or the posted document, validated. */
function conversionScenario(fromWorkbook: Scenario | null, body: unknown, config: ServiceConfig): Scenario {
  if (fromWorkbook !== null) return fromWorkbook;
  const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const unknownFields = Object.keys(fields).filter((field) => field !== "scenario" && field !== "scenarioId");
  const given = ["scenario", "scenarioId"].filter((field) => Object.hasOwn(fields, field));
  const shape = [
    ...unknownFields.map((field) => ({ path: field, message: "unknown field" })),
    ...(given.length === 1
      ? []
      : [{ path: "", message: given.length === 0 ? "scenario or scenarioId is required" : "give either scenario or scenarioId, not both" }]),
  ];
  if (shape.length > 0) throw invalid(shape);
  const id = fields["scenarioId"];
  if (id !== undefined) {
    const bundled = typeof id === "string" ? bundledScenario(id) : undefined;
    if (bundled === undefined) throw unknownScenario(typeof id === "string" ? id : JSON.stringify(id));
    return bundled;
  }
  const sizes = sizeIssues(fields["scenario"], config.limits, ["scenario"], false);
  if (sizes.length > 0) throw invalid(sizes);
  const checked = validateScenario(fields["scenario"]);
  if (!checked.ok) throw invalid(prefixed("scenario", checked.issues));
  return checked.scenario;
}

function invalid(issues: readonly ValidationIssue[]): ProblemError {
  const count = `${issues.length} issue${issues.length === 1 ? "" : "s"}`;
  return new ProblemError(problem("invalidRequest", `The request has ${count}; each is listed with its path in the body.`, issues));
}
