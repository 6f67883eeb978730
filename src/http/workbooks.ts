import { negotiate } from "@fastify/accept-negotiator";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { bundledScenario } from "../scenario/bundled.js";
import { validateScenario } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";
import type { Plan } from "../plan/types.js";
import type { TaskKind } from "../tasks/task.js";
import type { Comparison, SweepResult } from "../whatif/types.js";
import { isWorkbookError, type WorkbookFault, type WorkbookLimits } from "../workbook/archive.js";
import { comparisonWorkbook, planWorkbook, sweepWorkbook } from "../workbook/planWorkbook.js";
import { readScenarioWorkbook, workbookIssues, type WorkbookDocument } from "../workbook/readScenario.js";
import { MIME_XLSX } from "../workbook/mediaType.js";
import type { ServiceConfig } from "./config.js";
import { problem, ProblemError, type ProblemKind } from "./problems.js";

/**
 * Workbooks on the wire (docs/service.md#workbooks): a scenario posted as an
 * Excel workbook (`Content-Type` {@link MIME_XLSX}) with the rest of the
 * request in the query string, and answers as workbooks for `Accept:` that
 * type. A posted workbook is read and validated on arrival, before any solve:
 * every issue names its sheet and cell beside its JSON path.
 */

export { MIME_XLSX };

declare module "fastify" {
  interface FastifyRequest {
    /** A scenario posted as a workbook: what was read, with the cell of each JSON path. */
    workbook: WorkbookDocument | null;
    /** That scenario, once validated. */
    workbookScenario: Scenario | null;
  }
}

/** How a file that is no workbook at all is answered. */
const faultProblems: Readonly<Record<WorkbookFault, ProblemKind>> = {
  not_zip: "badRequest",
  not_workbook: "badRequest",
  too_large: "bodyTooLarge",
  too_many_rows: "invalidRequest",
};

/** What a posted workbook may hold: the body limit, what it may expand to (16 times that), rows per sheet. */
export function workbookLimits(config: ServiceConfig): WorkbookLimits {
  return { bytes: config.bodyLimitBytes, expandedBytes: 16 * config.bodyLimitBytes, rows: config.limits.answerRows, entries: 2_000 };
}

export function registerWorkbookBodies(app: FastifyInstance, config: ServiceConfig): void {
  const limits = workbookLimits(config);
  app.decorateRequest("workbook", null);
  app.decorateRequest("workbookScenario", null);
  app.addContentTypeParser(MIME_XLSX, { parseAs: "buffer" }, async (request: FastifyRequest, body: Buffer | string) => {
    const bytes = typeof body === "string" ? Buffer.from(body, "latin1") : body;
    let read: WorkbookDocument;
    try {
      read = await readScenarioWorkbook(bytes, limits);
    } catch (error) {
      if (!isWorkbookError(error)) throw error;
      throw new ProblemError(problem(faultProblems[error.fault], `The body is not a scenario workbook: ${error.message}.`));
    }
    request.workbook = read;
    return { ...queryFields(request.query), scenario: read.document };
  });
  // Read on arrival, validated before anything runs: the issues with their cells, or the scenario for a workbook answer.
  app.addHook("preHandler", (request, _reply, done) => {
    const read = request.workbook;
    if (read === null) {
      done();
      return;
    }
    const checked = validateScenario(read.document);
    const issues = workbookIssues(read, checked.ok ? [] : checked.issues, "scenario");
    if (issues.length > 0) {
      const count = `${issues.length} issue${issues.length === 1 ? "" : "s"}`;
      done(new ProblemError(problem("invalidRequest", `The workbook has ${count}; each names its sheet and cell, and its path in the request.`, issues)));
      return;
    }
    if (checked.ok) request.workbookScenario = checked.scenario;
    done();
  });
}

/**
 * The query string of a request whose body is a workbook: the other fields of
 * the JSON body, each a JSON value (`options={"integer":true}`), or a plain
 * text where it is not JSON (`kind=plan`).
 */
function queryFields(query: unknown): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (typeof query !== "object" || query === null) return fields;
  for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
    if (name === "scenario" || name === "scenarioId") {
      throw new ProblemError(problem("invalidRequest", "The scenario is the workbook in the body.", [{ path: name, message: "not with a workbook body" }]));
    }
    if (typeof value !== "string") {
      throw new ProblemError(problem("invalidRequest", "A query parameter is given twice.", [{ path: name, message: "given more than once" }]));
    }
    let parsed: unknown = value;
    try {
      parsed = JSON.parse(value);
    } catch {
      // a plain text
    }
    Object.defineProperty(fields, name, { value: parsed, enumerable: true, writable: true, configurable: true });
  }
  return fields;
}

/** The client asks for a workbook: `Accept` prefers it to JSON. */
export function wantsWorkbook(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return accept !== undefined && negotiate(accept, ["application/json", MIME_XLSX]) === MIME_XLSX;
}

/** The scenario of a request that was answered: the posted workbook's, a bundled one, or the posted document's. */
export function requestScenario(request: FastifyRequest): Scenario | undefined {
  if (request.workbookScenario !== null) return request.workbookScenario;
  const body = request.body as Readonly<Record<string, unknown>> | undefined;
  const id = body?.["scenarioId"];
  if (typeof id === "string") return bundledScenario(id);
  const checked = validateScenario(body?.["scenario"]);
  return checked.ok ? checked.scenario : undefined;
}

/** An answer (a Plan, a Comparison, a SweepResult as its JSON text) as the workbook of its kind. */
export async function answerWorkbook(kind: TaskKind, scenario: Scenario, json: string): Promise<Uint8Array> {
  switch (kind) {
    case "plan":
      return planWorkbook(scenario, JSON.parse(json) as Plan);
    case "compare":
      return comparisonWorkbook(scenario, JSON.parse(json) as Comparison);
    case "sweep":
      return sweepWorkbook(scenario, JSON.parse(json) as SweepResult);
  }
}

/** Sends a workbook as a download named after the scenario. */
export function sendWorkbook(reply: FastifyReply, bytes: Uint8Array, name: string): FastifyReply {
  const file = `${name.replace(/[^\w.-]+/g, "_").slice(0, 80) || "jointplan"}.xlsx`;
  return reply.type(MIME_XLSX).header("content-disposition", `attachment; filename="${file}"`).send(Buffer.from(bytes));
}
