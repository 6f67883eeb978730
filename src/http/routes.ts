import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { scenarioShapeSchema } from "../scenario/schema.js";
import type { ValidationIssue } from "../scenario/parse.js";
import { catalog } from "./catalog.js";
import type { ServiceConfig } from "./config.js";
import { preparePlan } from "./planRequest.js";
import type { PlanService } from "./planService.js";
import { problem, ProblemError, PROBLEM_CONTENT_TYPE } from "./problems.js";
import type { ScenarioCache } from "./scenarioCache.js";
import { healthSchema, planRequestSchema, planSchema, problemSchema, scenarioSummarySchema, toJsonSchema } from "./schemas.js";

/** What the request log line says about a solve (see `app.ts`). */
export interface SolveLog {
  readonly scenario: string;
  readonly status: string;
  readonly backend: string;
  readonly solveMs: number;
  readonly placement: string;
  readonly abandoned: boolean;
}

declare module "fastify" {
  interface FastifyRequest {
    solveLog: SolveLog | null;
  }
}

/** The routes of SPEC §4. Schemas document; the handlers validate through the library. */
export function registerRoutes(app: FastifyInstance, config: ServiceConfig, service: PlanService, cache: ScenarioCache): void {
  const problemJson = toJsonSchema(problemSchema);
  const problemResponse = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemJson } } });

  app.get(
    "/healthz",
    { schema: { summary: "Liveness: answers while solves run in the worker pool", tags: ["service"], response: { 200: toJsonSchema(healthSchema) } } },
    () => ({ status: "ok" }),
  );

  app.get(
    "/v1/scenarios",
    {
      schema: {
        summary: "The bundled scenarios",
        tags: ["scenarios"],
        response: { 200: toJsonSchema(z.array(scenarioSummarySchema)) },
      },
    },
    () => [...catalog().values()].map(({ id, title, periods }) => ({ id, title, periods })),
  );

  app.get<{ Params: { id: string } }>(
    "/v1/scenarios/:id",
    {
      schema: {
        summary: "One bundled scenario, as its jointplan/v1 document",
        tags: ["scenarios"],
        params: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
        response: {
          200: { description: "The scenario document (SPEC §1).", ...toJsonSchema(scenarioShapeSchema) },
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
        summary: "Plan a scenario: a posted one or a bundled one by id",
        description:
          "Answers 200 with a Plan whenever the scenario and options are valid, also when the plan is infeasible, unbounded or cut by the time limit (see status).",
        tags: ["plans"],
        body: { ...toJsonSchema(planRequestSchema(config)), examples: [{ scenarioId: "kz-uz-2020", options: { integer: true, timeLimitMs: 5_000 } }] },
        response: {
          200: toJsonSchema(planSchema),
          400: problemResponse("The body is not JSON."),
          404: problemResponse("No bundled scenario has this scenarioId."),
          413: problemResponse(`The body exceeds the size limit (${config.bodyLimitBytes} bytes).`),
          415: problemResponse("The body is not sent as application/json."),
          422: problemResponse("The scenario or the options are invalid, or exceed the server's limits: every issue is listed."),
          500: problemResponse("The server failed (a bug); the error is logged, the body says nothing more."),
          503: problemResponse("Too many plans are waiting for a worker, or the worker solving this plan died; retry after Retry-After seconds."),
        },
      },
    },
    async (request) => {
      const prepared = preparePlan(request.body, config, Date.now());
      if (prepared.kind === "invalid") throw invalidRequest(prepared.issues);
      if (prepared.kind === "unknown_scenario") throw unknownScenario(prepared.id, "scenarioId");
      request.log.debug({ placement: prepared.placement, columns: prepared.columns }, "plan placed");
      // A posted scenario solved here: the same body posted before gives its parsed scenario (scenarioCache.ts).
      const cacheKey =
        prepared.placement === "inline" && prepared.task.scenario !== undefined && request.bodyText !== null && cache.accepts(request.bodyText)
          ? request.bodyText
          : undefined;
      const cached = cacheKey === undefined ? undefined : cache.get(cacheKey);
      const task = cached === undefined ? prepared.task : { ...prepared.task, scenario: cached };
      const outcome = await service.run(task, prepared.placement);
      if (cacheKey !== undefined && cached === undefined && outcome.kind === "plan" && outcome.scenario !== undefined) cache.set(cacheKey, outcome.scenario);
      if (outcome.kind === "overloaded") {
        throw new ProblemError(problem("overloaded", `${service.pending} plans are running or waiting; retry in ${config.retryAfterSeconds} s.`), {
          "retry-after": String(config.retryAfterSeconds),
        });
      }
      if (outcome.kind === "worker_failed") {
        throw new ProblemError(problem("workerFailed", "The worker solving this plan stopped before it answered; it has been replaced. Retry the request."), {
          "retry-after": "1",
        });
      }
      // A bug in the task: the error handler logs it in full and answers a bare 500.
      if (outcome.kind === "failed")
        throw Object.assign(new Error(`plan task failed: ${outcome.error.message}`), outcome.error.stack === undefined ? {} : { stack: outcome.error.stack });
      if (outcome.kind === "invalid") throw invalidRequest(outcome.issues);
      const { plan } = outcome;
      request.solveLog = {
        scenario: plan.scenario,
        status: plan.status,
        backend: plan.solver.backend,
        solveMs: Math.round(plan.solver.ms * 1000) / 1000,
        placement: outcome.placement,
        abandoned: outcome.abandoned,
      };
      return plan;
    },
  );
}

function invalidRequest(issues: readonly ValidationIssue[]): ProblemError {
  const count = `${issues.length} issue${issues.length === 1 ? "" : "s"}`;
  return new ProblemError(problem("invalidRequest", `The request has ${count}; each is listed with its path in the body.`, issues));
}

/** 404 for an unknown bundled id; `bodyPath` names the field when the id came in the body. */
function unknownScenario(id: string, bodyPath?: string): ProblemError {
  const detail = `No bundled scenario has the id ${JSON.stringify(id)}; GET /v1/scenarios lists them.`;
  const errors = bodyPath === undefined ? [] : [{ path: bodyPath, message: `unknown scenario ${JSON.stringify(id)}` }];
  return new ProblemError(problem("notFound", detail, errors));
}
