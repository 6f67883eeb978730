import type { Plan } from "../../src/plan/types.js";
import type { Change, Comparison, SweepResult, SweepSpec, Variant } from "./whatif.js";

/**
 * Every call the page makes to the service, typed. Answers are values: the
 * body, or the problem the server (or the network) reported, with
 * `unsupported` set when this server does not offer what was asked (no
 * `changes` on plans yet, no comparisons or sweeps). Answers are the
 * server's, as its OpenAPI document describes them; nothing is made up here.
 */

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** application/problem+json, as every error of the service. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  /** HTTP status; 0 when the server did not answer. */
  readonly status: number;
  readonly detail: string;
  readonly errors: readonly FieldError[];
}

export type Answer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: Problem; readonly unsupported: boolean };

export interface ScenarioSummary {
  readonly id: string;
  readonly title: string;
  readonly periods: readonly string[];
}

/** A bundled scenario by id, or a posted document. */
export type ScenarioRef = { readonly scenarioId: string } | { readonly scenario: unknown };

export interface PlanOptions {
  readonly integer?: boolean;
  readonly explain?: boolean;
}

/** What this server offers beyond plans, read from its OpenAPI document. */
export interface Capabilities {
  /** POST /v1/plans takes `changes`. */
  readonly changes: boolean;
  readonly comparisons: boolean;
  readonly sweeps: boolean;
}

export function listScenarios(): Promise<Answer<ScenarioSummary[]>> {
  return call<ScenarioSummary[]>("GET", "/v1/scenarios");
}

export function getScenario(id: string): Promise<Answer<unknown>> {
  return call<unknown>("GET", `/v1/scenarios/${encodeURIComponent(id)}`);
}

/** A plan; `changes` are sent only when there are some, so a server without them still plans. */
export function planScenario(ref: ScenarioRef, changes: readonly Change[], options: PlanOptions): Promise<Answer<Plan>> {
  return call<Plan>("POST", "/v1/plans", { ...ref, ...(changes.length > 0 ? { changes } : {}), options });
}

export function compareVariants(ref: ScenarioRef, variants: readonly Variant[], options: PlanOptions): Promise<Answer<Comparison>> {
  return call<Comparison>("POST", "/v1/comparisons", { ...ref, variants, options });
}

export function sweepParameter(ref: ScenarioRef, sweep: SweepSpec, options: PlanOptions): Promise<Answer<SweepResult>> {
  return call<SweepResult>("POST", "/v1/sweeps", { ...ref, sweep, options });
}

/**
 * Reads /openapi.json: whether POST /v1/plans documents a `changes` field and
 * whether the comparison and sweep routes exist. A server whose document
 * cannot be read is assumed to offer everything; its answers then say.
 */
export async function capabilities(): Promise<Capabilities> {
  const answer = await call<unknown>("GET", "/openapi.json");
  if (!answer.ok) return { changes: true, comparisons: true, sweeps: true };
  const paths = member(answer.value, "paths");
  return {
    changes: hasProperty(member(member(member(paths, "/v1/plans"), "post"), "requestBody"), "changes"),
    comparisons: member(paths, "/v1/comparisons") !== undefined,
    sweeps: member(paths, "/v1/sweeps") !== undefined,
  };
}

async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<Answer<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: { accept: "application/json, application/problem+json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: localProblem("No answer", `The server did not answer (${reason}). Is it running?`), unsupported: false };
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    return {
      ok: false,
      problem: localProblem("Unreadable answer", `The server answered ${response.status} with a body that is not JSON.`, response.status),
      unsupported: false,
    };
  }
  if (response.ok) return { ok: true, value: json as T };
  const problem = readProblem(json, response.status);
  return { ok: false, problem, unsupported: isUnsupported(problem) };
}

/**
 * A route this server does not have (404 without field errors: an unknown
 * bundled id names its field), or a request field it does not know (422
 * "unknown field" at `changes`).
 */
function isUnsupported(problem: Problem): boolean {
  if (problem.status === 404) return problem.errors.length === 0;
  return problem.status === 422 && problem.errors.some((error) => error.path === "changes" && /unknown field/i.test(error.message));
}

function readProblem(json: unknown, status: number): Problem {
  const text = (key: string) => {
    const value = member(json, key);
    return typeof value === "string" ? value : undefined;
  };
  const errors = member(json, "errors");
  return {
    type: text("type") ?? "about:blank",
    title: text("title") ?? `Error ${status}`,
    status,
    detail: text("detail") ?? "",
    errors: Array.isArray(errors)
      ? errors.flatMap((error: unknown) => {
          const path = member(error, "path");
          const message = member(error, "message");
          return typeof path === "string" && typeof message === "string" ? [{ path, message }] : [];
        })
      : [],
  };
}

function localProblem(title: string, detail: string, status = 0): Problem {
  return { type: "about:blank", title, status, detail, errors: [] };
}

function member(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** Whether a JSON Schema (any depth, any branch of anyOf/oneOf) declares a property named `name`. */
function hasProperty(schema: unknown, name: string, depth = 0): boolean {
  if (typeof schema !== "object" || schema === null || depth > 32) return false;
  if (member(member(schema, "properties"), name) !== undefined) return true;
  return Object.values(schema).some((child) => hasProperty(child, name, depth + 1));
}
