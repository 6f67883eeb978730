import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { jobIdPattern, type JobEngine, type JobRecord } from "../jobs/engine.js";
import { diffScenarios } from "../library/diff.js";
import type { LibraryHandle } from "../library/handle.js";
import { messageIssue, nameIssue } from "../library/names.js";
import { resolveLibraryBody, type LibraryRef } from "../library/reference.js";
import type { Expected, LibraryStore, ResultKind } from "../library/store.js";
import { validateScenario, prefixed, parseScenario, type ValidationIssue } from "../scenario/parse.js";
import { sizeIssues } from "../tasks/size.js";
import type { ServiceConfig } from "./config.js";
import { problem, ProblemError } from "./problems.js";
import { problemResponse, retryAfterHeader, schemaRef } from "./schemas.js";

/** A body that names the library, read: what the task takes, and what to do with its answer. */
export interface LibraryBody {
  readonly body: unknown;
  /** The body's text for the parse cache: only a body that did not name the library is the text received. */
  readonly bodyText: string | null;
  readonly ref?: LibraryRef;
  readonly save: boolean;
}

/**
 * `library` in place of `scenario` / `scenarioId`, and `save` (docs/scenario-library.md):
 * the body with the saved scenario in it, or a 422 / 404 / 503 thrown as a problem.
 */
export async function readLibraryBody(request: FastifyRequest, library: LibraryHandle, config: ServiceConfig): Promise<LibraryBody> {
  const resolved = await reach(config, () => resolveLibraryBody(request.body, () => library.store()));
  if (resolved.kind === "invalid") throw invalid(resolved.issues);
  if (resolved.kind === "not_found") throw new ProblemError(problem("notFound", resolved.detail, resolved.issues));
  return {
    body: resolved.body,
    bodyText: resolved.body === request.body ? request.bodyText : null,
    ...(resolved.ref === undefined ? {} : { ref: resolved.ref }),
    save: resolved.save,
  };
}

/** The answer of a body that asked to save it, stored with its version; the Saved-Result header names it. */
export async function saveAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  read: LibraryBody,
  kind: ResultKind,
  answer: { readonly json?: string; readonly jobId?: string },
  library: LibraryHandle,
  config: ServiceConfig,
): Promise<void> {
  if (!read.save || read.ref === undefined) return;
  const ref = read.ref;
  const { scenario: _scenario, ...requestFields } = read.body as Record<string, unknown>;
  const id = await reach(config, async () =>
    (await library.store()).saveResult({
      name: ref.name,
      version: ref.version,
      kind,
      request: requestFields,
      author: authorOf(request),
      ...(answer.json === undefined ? {} : { resultJson: answer.json }),
      ...(answer.jobId === undefined ? {} : { jobId: answer.jobId }),
    }),
  );
  reply.header("saved-result", `/v1/library/results/${id}`);
}

/** Who saved: the calling key's label (`key:1a2b3c4d`, never the key), or anonymous. */
function authorOf(request: FastifyRequest): string {
  return request.caller ?? "anonymous";
}

/** A call to the library, or a 503 when it cannot be reached (the server down, the data folder in use). */
async function reach<T>(config: ServiceConfig, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    throw new ProblemError(problem("unavailable", `The scenario library cannot be reached: ${storageError(error)}. Retry later.`), {
      "retry-after": String(config.retryAfterSeconds),
    });
  }
}

/** What of a storage failure may be said to a client: the kind of failure, never a query or a connection string. */
function storageError(error: unknown): string {
  if (error instanceof Error && error.name === "DataDirBusy") return "its data folder is in use by another process";
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? `database error ${code}` : "the database did not answer";
}

function invalid(issues: readonly ValidationIssue[]): ProblemError {
  const count = `${issues.length} issue${issues.length === 1 ? "" : "s"}`;
  return new ProblemError(problem("invalidRequest", `The request has ${count}; each is listed with its path in the body.`, issues));
}

/** `If-Match` of a save: `"3"` (the latest version the client read), `*` (any), or absent. */
function expectedOf(header: string | undefined): Expected | "malformed" {
  if (header === undefined) return null;
  const text = header.trim();
  if (text === "*") return "*";
  const match = /^(?:W\/)?"([1-9]\d{0,8})"$/.exec(text);
  return match?.[1] === undefined ? "malformed" : Number(match[1]);
}

const etag = (version: number) => `"${version}"`;

/** A version in a path or query: a whole number from 1, or `latest`. */
function versionOf(text: string | undefined, path: string): number | undefined {
  if (text === undefined || text === "latest") return undefined;
  if (!/^[1-9]\d{0,8}$/.test(text)) throw invalid([{ path, message: 'expected a version number (1, 2, …) or "latest"' }]);
  return Number(text);
}

function checkedName(name: string): string {
  const issue = nameIssue(name);
  if (issue !== undefined) throw invalid([{ path: "name", message: issue }]);
  return name;
}

function unknownName(name: string): ProblemError {
  return new ProblemError(problem("notFound", `No scenario is saved in the library as ${JSON.stringify(name)}; GET /v1/library lists them.`));
}

function unknownVersion(name: string, version: number | undefined): ProblemError {
  return version === undefined ? unknownName(name) : new ProblemError(problem("notFound", `The library has no version ${version} of ${JSON.stringify(name)}.`));
}

/**
 * The routes of the scenario library (docs/scenario-library.md). Names are
 * path segments, URL-encoded (`/v1/library/..%2Fx`); each answer names them
 * exactly as saved.
 */
export function registerLibraryRoutes(app: FastifyInstance, config: ServiceConfig, library: LibraryHandle, jobs: JobEngine): void {
  const store = () => reach(config, () => library.store());
  const nameParam = {
    type: "object",
    properties: { name: { type: "string", description: "The name, URL-encoded as one path segment." } },
    required: ["name"],
  };
  const unavailable = problemResponse("The library's database cannot be reached; retry after Retry-After seconds.", { "Retry-After": retryAfterHeader });
  const tags = ["library"];

  app.get(
    "/v1/library",
    {
      schema: {
        operationId: "listLibrary",
        summary: "The saved scenarios: each name with its latest version",
        tags,
        response: { 200: { description: "Every name, in order.", type: "array", items: schemaRef("LibraryEntry") }, 503: unavailable },
      },
    },
    async () => (await store()).list(),
  );

  app.get<{ Params: { name: string } }>(
    "/v1/library/:name",
    {
      schema: {
        operationId: "getLibraryHistory",
        summary: "A name's history: every version and the results saved with them, newest first",
        tags,
        params: nameParam,
        response: {
          200: {
            description: "The history; ETag is the latest version, for If-Match on the next save.",
            headers: { ETag: { type: "string" } },
            ...schemaRef("LibraryHistory"),
          },
          404: problemResponse("Nothing is saved under this name."),
          422: problemResponse("The name is not one a scenario can be saved under."),
          503: unavailable,
        },
      },
    },
    async (request, reply) => {
      const name = checkedName(request.params.name);
      const history = await (await store()).history(name);
      if (history === undefined) throw unknownName(name);
      return reply.header("etag", etag(history.latest)).send(history);
    },
  );

  app.post<{ Params: { name: string }; Headers: { "if-match"?: string } }>(
    "/v1/library/:name/versions",
    {
      schema: {
        operationId: "saveLibraryVersion",
        summary: "Save a scenario as the name's next version",
        description:
          'The scenario is validated (a 422 stores nothing) and saved in one transaction. On a name that exists, If-Match must carry the latest version ("3", the ETag of its history or of that version): without it 428, and 412 when another save came first.',
        tags,
        params: nameParam,
        headers: { type: "object", properties: { "if-match": { type: "string", description: 'The latest version, quoted: "3"; or * for any.' } } },
        body: {
          type: "object",
          properties: { scenario: schemaRef("Scenario"), message: { type: "string", description: "What this version changes (at most 2000 characters)." } },
          required: ["scenario"],
          additionalProperties: false,
        },
        response: {
          201: {
            description: "Saved: the new version. Location names it, ETag is its number.",
            headers: { Location: { type: "string" }, ETag: { type: "string" } },
            ...schemaRef("LibraryVersion"),
          },
          400: problemResponse("The body is not JSON, or If-Match is not a quoted version number."),
          412: problemResponse("Another save came first: the name's latest version is not the one If-Match names (or the name does not exist)."),
          422: problemResponse("The name, the message or the scenario is invalid: every issue with its path. Nothing is stored."),
          428: problemResponse("The name exists: say which version this save follows with If-Match."),
          503: unavailable,
        },
      },
    },
    async (request, reply) => {
      const name = checkedName(request.params.name);
      const expected = expectedOf(request.headers["if-match"]);
      if (expected === "malformed") throw new ProblemError(problem("badRequest", 'If-Match must be a quoted version number ("3") or *.'));
      const scenario = savedScenario(request.body, config);
      const outcome = await reach(config, async () =>
        (await store()).save(name, scenario.scenario, { message: scenario.message, author: authorOf(request), expected }),
      );
      if (outcome.kind === "precondition_required") {
        throw new ProblemError(
          problem(
            "preconditionRequired",
            `${JSON.stringify(name)} exists (latest version ${outcome.latest}): send If-Match: "${outcome.latest}" with the version this save follows.`,
          ),
        );
      }
      if (outcome.kind === "conflict") {
        const detail =
          outcome.latest === null
            ? `Nothing is saved as ${JSON.stringify(name)}: save its first version without If-Match.`
            : `Another save came first: the latest version of ${JSON.stringify(name)} is ${outcome.latest}. Read it, then save again with If-Match: "${outcome.latest}".`;
        throw new ProblemError(problem("preconditionFailed", detail));
      }
      const path = `/v1/library/${encodeURIComponent(name)}/versions/${outcome.version.version}`;
      return reply.code(201).header("location", path).header("etag", etag(outcome.version.version)).send(outcome.version);
    },
  );

  app.get<{ Params: { name: string; version: string }; Headers: { "if-none-match"?: string } }>(
    "/v1/library/:name/versions/:version",
    {
      schema: {
        operationId: "getLibraryVersion",
        summary: "One version's scenario (latest for `latest`)",
        tags,
        params: {
          type: "object",
          properties: { ...nameParam.properties, version: { type: "string", description: "1, 2, … or latest." } },
          required: ["name", "version"],
        },
        response: {
          200: {
            description: "The scenario document as saved (validated, every default filled in). ETag is its version; Scenario-Hash its SHA-256.",
            headers: { ETag: { type: "string" }, "Scenario-Hash": { type: "string" } },
            ...schemaRef("Scenario"),
          },
          304: { description: "If-None-Match named this version: unchanged (versions never change)." },
          404: problemResponse("No such name or version."),
          422: problemResponse("The name or the version is malformed."),
          503: unavailable,
        },
      },
    },
    async (request, reply) => {
      const name = checkedName(request.params.name);
      const version = versionOf(request.params.version, "version");
      const found = await (await store()).version(name, version);
      if (found === undefined) throw unknownVersion(name, version);
      reply.header("etag", etag(found.info.version)).header("scenario-hash", found.info.hash).header("cache-control", "private, no-cache");
      if (request.headers["if-none-match"]?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag(found.info.version)))
        return reply.code(304).send();
      return reply.type("application/json").send(found.content);
    },
  );

  app.get<{ Params: { name: string }; Querystring: { from?: string; to?: string } }>(
    "/v1/library/:name/diff",
    {
      schema: {
        operationId: "diffLibraryVersions",
        summary: "What changed from one version to another, as Changes where records match",
        description: "to defaults to the latest version, from to the one before it. Applying the changes, edits and records to from gives to.",
        tags,
        params: nameParam,
        querystring: { type: "object", properties: { from: { type: "string" }, to: { type: "string" } } },
        response: {
          200: { description: "The differences.", ...schemaRef("LibraryDiff") },
          404: problemResponse("No such name or version."),
          422: problemResponse("from or to is not a version number."),
          503: unavailable,
        },
      },
    },
    async (request) => diffOf(checkedName(request.params.name), request.query),
  );

  const diffOf = async (name: string, query: { from?: string; to?: string }) => {
    const opened = await store();
    const to = versionOf(query.to, "to");
    const later = await opened.version(name, to);
    if (later === undefined) throw unknownVersion(name, to);
    const from = versionOf(query.from, "from") ?? Math.max(1, later.info.version - 1);
    const earlier = await opened.version(name, from);
    if (earlier === undefined) throw unknownVersion(name, from);
    const diff = diffScenarios(parseScenario(JSON.parse(earlier.content)), parseScenario(JSON.parse(later.content)));
    return { name, from: earlier.info.version, to: later.info.version, ...diff };
  };

  app.get<{ Params: { id: string } }>(
    "/v1/library/results/:id",
    {
      schema: {
        operationId: "getSavedResult",
        summary: "A saved result, with the version, request and software that made it",
        tags,
        params: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
        response: { 200: { description: "The result.", ...schemaRef("SavedResult") }, 404: problemResponse("No result has this id."), 503: unavailable },
      },
    },
    async (request, reply) => {
      // A scenario named "results" has its diff at this path's shape: the router takes "results" as this route's.
      if (request.params.id === "diff") return diffOf("results", request.query as { from?: string; to?: string });
      const opened = await store();
      await settleJobResult(opened, request.params.id, jobs);
      const saved = await opened.result(request.params.id);
      if (saved === undefined) throw new ProblemError(problem("notFound", `No saved result has the id ${JSON.stringify(request.params.id.slice(0, 64))}.`));
      const { resultJson, ...head } = saved;
      const text = JSON.stringify(head);
      return reply.type("application/json").send(resultJson === null ? text : `${text.slice(0, -1)},"result":${resultJson}}`);
    },
  );
}

/**
 * A pending result of a job, filled in once the job has ended: when the
 * result or the job is read, on any replica (the jobs and the library are
 * shared). A job that expired before either was read leaves it failed.
 */
async function settleJobResult(store: LibraryStore, resultId: string, jobs: JobEngine): Promise<void> {
  const pending = await store.result(resultId);
  if (pending?.status !== "pending" || pending.job_id === undefined || !jobIdPattern.test(pending.job_id)) return;
  const job = await jobs.get(pending.job_id);
  if (job === undefined) await store.completeResult(resultId, "failed", null);
  else await settleJob(store, job);
}

/** The results saved with a job, once it has ended: done with its result, or failed (cancelled: with what it finished). */
export async function settleJob(store: LibraryStore, job: JobRecord): Promise<void> {
  if (job.status === "succeeded") await store.completeJobResults(job.id, "done", job.resultJson ?? null);
  else if (job.status === "failed" || job.status === "cancelled") await store.completeJobResults(job.id, "failed", job.resultJson ?? null);
}

/** The body of a save: the scenario, validated, and the message. */
function savedScenario(body: unknown, config: ServiceConfig) {
  const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  if (fields === undefined) throw invalid([{ path: "", message: "expected a JSON object with scenario and message" }]);
  const issues: ValidationIssue[] = Object.keys(fields)
    .filter((field) => field !== "scenario" && field !== "message")
    .map((field) => ({ path: field, message: "unknown field" }));
  const message = fields["message"] ?? "";
  const messageProblem = messageIssue(message);
  if (messageProblem !== undefined) issues.push({ path: "message", message: messageProblem });
  if (!Object.hasOwn(fields, "scenario")) issues.push({ path: "scenario", message: "required" });
  if (issues.length > 0) throw invalid(issues);
  const sizes = sizeIssues(fields["scenario"], config.limits, ["scenario"], false);
  if (sizes.length > 0) throw invalid(sizes);
  const checked = validateScenario(fields["scenario"]);
  if (!checked.ok) throw invalid(prefixed("scenario", checked.issues));
  return { scenario: checked.scenario, message: message as string };
}
