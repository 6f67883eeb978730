import type { FastifyInstance, FastifyReply } from "fastify";
import { jobIdPattern, jobJson, JobsFull, QueueUnavailable, type JobEngine, type JobRecord } from "../jobs/engine.js";
import { prepareJob } from "../jobs/prepare.js";
import type { ServiceConfig } from "./config.js";
import { sendProblem } from "./errorHandler.js";
import { problem, type Problem } from "./problems.js";
import { bodyWithWorkbook, problemResponse, retryAfterHeader, savedResultHeader, schemaRef, workbookQuery } from "./schemas.js";
import { MIME_XLSX } from "../workbook/mediaType.js";
import type { LibraryHandle } from "../library/handle.js";
import { readLibraryBody, saveAnswer, settleJob } from "./libraryRoutes.js";

/** Most jobs `GET /v1/jobs` lists. */
export const MAX_LISTED_JOBS = 100;

/**
 * `POST /v1/jobs`, `GET /v1/jobs`, `GET` and `DELETE /v1/jobs/{id}`
 * (docs/jobs.md). A job is checked in full when it is submitted — a bad body
 * is a 422 then, as on the synchronous routes — and runs wherever the engine
 * runs jobs: on the service's own job threads, or on `jointplan worker`
 * processes through Redis.
 */
export function registerJobRoutes(app: FastifyInstance, config: ServiceConfig, jobs: JobEngine, library: LibraryHandle): void {
  const idParam = { type: "object", properties: { id: { type: "string", description: "The job's id, as POST /v1/jobs answered it." } }, required: ["id"] };
  const unknown = problemResponse("No job has this id: it never existed, or it expired (finished jobs are kept for a time).");

  app.post(
    "/v1/jobs",
    {
      schema: {
        operationId: "submitJob",
        summary: "Submit long work — a plan, a comparison, a sweep or a Monte Carlo run — to run apart from the request",
        description: `Answers 202 at once with the job and its Location; GET it for progress and the result. Checked in full now: a bad body is a 422 here, not a failed job later. Results are kept ${Math.round(config.jobs.ttlMs / 3_600_000)} h after the job ends.`,
        tags: ["jobs"],
        body: bodyWithWorkbook({
          ...schemaRef("JobRequest"),
          examples: [
            {
              kind: "montecarlo",
              scenarioId: "kz-uz-2019-2025",
              samples: 400,
              seed: 7,
              uncertain: [{ on: "demand", market: "KZ", field: "max", distribution: { kind: "normal", sd: 0.15 } }],
            },
          ],
        }),
        querystring: workbookQuery(["kind", "options", "changes", "variants", "sweep", "samples", "seed", "uncertain"]),
        response: {
          202: {
            description: "Accepted: queued. Location names the job; with save, Saved-Result names the result it will fill in.",
            headers: { Location: { type: "string", description: "/v1/jobs/{id}" }, "Saved-Result": savedResultHeader },
            ...schemaRef("Job"),
          },
          400: problemResponse("The body is not JSON, or not a workbook."),
          404: problemResponse("No bundled scenario has this scenarioId, or the library has no such name or version."),
          413: problemResponse(`The body exceeds the size limit (${config.bodyLimitBytes} bytes), or the workbook expands beyond what this server reads.`),
          415: problemResponse(`The body is sent neither as application/json nor as ${MIME_XLSX}.`),
          422: problemResponse(
            "The kind, the scenario, the options or the work are invalid, or exceed this server's limits: every issue is listed (for a workbook, with its cell).",
          ),
          503: problemResponse("As many jobs are queued or running as this server keeps, or it cannot reach its queue; retry after Retry-After seconds.", {
            "Retry-After": retryAfterHeader,
          }),
        },
      },
    },
    async (request, reply) => {
      const read = await readLibraryBody(request, library, config);
      const prepared = prepareJob(read.body, config, config.jobs);
      if (prepared.kind === "unknown_scenario") {
        const detail = `No bundled scenario has the id ${JSON.stringify(prepared.id)}; GET /v1/scenarios lists them.`;
        return sendProblem(reply, problem("notFound", detail, [{ path: "scenarioId", message: `unknown scenario ${JSON.stringify(prepared.id)}` }]));
      }
      if (prepared.kind === "invalid") {
        const count = `${prepared.issues.length} issue${prepared.issues.length === 1 ? "" : "s"}`;
        return sendProblem(reply, problem("invalidRequest", `The job has ${count}; each is listed with its path in the body.`, prepared.issues));
      }
      const job = await attempt(() => jobs.submit(prepared.job), config);
      if (!job.ok) return sendProblem(reply, job.problem, job.headers);
      await saveAnswer(request, reply, read, job.value.kind, { jobId: job.value.id }, library, config);
      return reply.code(202).header("location", `/v1/jobs/${job.value.id}`).type("application/json").send(jobJson(job.value));
    },
  );

  app.get<{ Querystring: { limit?: string } }>(
    "/v1/jobs",
    {
      schema: {
        operationId: "listJobs",
        summary: "The most recent jobs, newest first, without their results",
        tags: ["jobs"],
        querystring: { type: "object", properties: { limit: { type: "integer", minimum: 1, maximum: MAX_LISTED_JOBS, description: "Default 20." } } },
        response: {
          200: {
            description: "Recent jobs (without results: GET each for its result).",
            type: "object",
            properties: { jobs: { type: "array", items: schemaRef("Job") } },
            required: ["jobs"],
          },
          422: problemResponse("limit is not a whole number from 1 to 100."),
        },
      },
    },
    async (request, reply) => {
      const asked = request.query.limit;
      const limit = asked === undefined ? 20 : Number(asked);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LISTED_JOBS) {
        return sendProblem(
          reply,
          problem("invalidRequest", "The query has 1 issue.", [{ path: "limit", message: `must be a whole number from 1 to ${MAX_LISTED_JOBS}` }]),
        );
      }
      const listed = await attempt(() => jobs.list(limit), config);
      if (!listed.ok) return sendProblem(reply, listed.problem, listed.headers);
      return reply.type("application/json").send(`{"jobs":[${listed.value.map((job) => jobJson(job, false)).join(",")}]}`);
    },
  );

  app.get<{ Params: { id: string } }>(
    "/v1/jobs/:id",
    {
      schema: {
        operationId: "getJob",
        summary: "A job: its status, progress, times, and its result or problem",
        tags: ["jobs"],
        params: idParam,
        response: { 200: { description: "The job.", ...schemaRef("Job") }, 404: unknown },
      },
    },
    async (request, reply) =>
      answerJob(
        reply,
        request.params.id,
        (id) => jobs.get(id),
        config,
        async (job) => {
          // Results saved with the job are filled in once it ends; a replica that never opened the library has none of its own to fill.
          if (library.opened) await settleJob(await library.store(), job);
        },
      ),
  );

  app.delete<{ Params: { id: string } }>(
    "/v1/jobs/:id",
    {
      schema: {
        operationId: "cancelJob",
        summary: "Cancel a job: running solves stop; a sweep or Monte Carlo job keeps what it finished",
        description:
          "Answers with the job once stopped (status cancelled, with the partial result of a sweep or Monte Carlo run), or as it is when it had already finished.",
        tags: ["jobs"],
        params: idParam,
        response: { 200: { description: "The job, cancelled (or finished before).", ...schemaRef("Job") }, 404: unknown },
      },
    },
    async (request, reply) => answerJob(reply, request.params.id, (id) => jobs.cancel(id), config),
  );
}

/** The job of `id` as `look` finds it (read, or cancelled): 200 with it, 404 for an id that is unknown or malformed, 503 when the queue is out of reach. */
async function answerJob(
  reply: FastifyReply,
  id: string,
  look: (id: string) => Promise<JobRecord | undefined>,
  config: ServiceConfig,
  seen?: (job: JobRecord) => Promise<void>,
): Promise<FastifyReply> {
  const job = await attempt(() => (jobIdPattern.test(id) ? look(id) : Promise.resolve(undefined)), config);
  if (!job.ok) return sendProblem(reply, job.problem, job.headers);
  if (job.value === undefined) return sendProblem(reply, unknownJob(id));
  await seen?.(job.value);
  return reply.type("application/json").send(jobJson(job.value));
}

function unknownJob(id: string) {
  return problem("notFound", `No job has the id ${JSON.stringify(id.slice(0, 64))}: it never existed, or it finished and expired.`);
}

/**
 * A call to the engine, or why it was refused: no room for another job, or
 * the queue out of reach (503 with Retry-After). Anything else is a bug, for
 * the error handler.
 */
async function attempt<T>(
  call: () => Promise<T>,
  config: ServiceConfig,
): Promise<{ ok: true; value: T } | { ok: false; problem: Problem; headers: Readonly<Record<string, string>> }> {
  const headers = { "retry-after": String(config.retryAfterSeconds) };
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    if (error instanceof JobsFull)
      return { ok: false, problem: problem("overloaded", `${error.kept} jobs are queued or running, as many as this server keeps; retry later.`), headers };
    if (error instanceof QueueUnavailable) return { ok: false, problem: problem("unavailable", "The job queue cannot be reached; retry later."), headers };
    throw error;
  }
}
