import type { PlanOptions } from "../../src/plan/options.js";
import type { JobView } from "../../src/jobs/types.js";
import type { VersionInfo } from "../../src/library/store.js";
import type { Plan } from "../../src/plan/types.js";
import type { Change, SweepSpec, Variant } from "../../src/whatif/schema.js";
import type { Comparison, SweepResult } from "../../src/whatif/types.js";

/**
 * Every call the page makes to the service, typed with the library's own
 * types (imported as types only, so none of the library's code comes with
 * them). Answers are values: the body, or the problem the server (or the
 * network) reported.
 */

export interface FieldError {
  readonly path: string;
  readonly message: string;
  /** For a scenario sent as a workbook: the sheet and cell ("Routes!C7"). */
  readonly cell?: string;
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

export type Answer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: Problem };

export interface ScenarioSummary {
  readonly id: string;
  readonly title: string;
  readonly periods: readonly string[];
}

/** A bundled scenario by id, a posted document, or a version saved in the library. */
export type ScenarioRef =
  { readonly scenarioId: string } | { readonly scenario: unknown } | { readonly library: { readonly name: string; readonly version: number } };

/** The scenario library (docs/scenario-library.md). */
export interface LibraryEntry {
  readonly name: string;
  readonly latest: number;
  readonly title: string;
  readonly updated_at: string;
}

/** One saved version of a name, as the service lists it. */
export type LibraryVersion = VersionInfo;

export interface LibraryHistory {
  readonly name: string;
  readonly latest: number;
  readonly versions: readonly LibraryVersion[];
}

export interface LibraryDiff {
  readonly from: number;
  readonly to: number;
  readonly fields: readonly { readonly field: string; readonly from?: unknown; readonly to?: unknown }[];
  readonly changes: readonly Change[];
  readonly added: readonly { readonly records: string; readonly key: Readonly<Record<string, string>> }[];
  readonly removed: readonly { readonly records: string; readonly key: Readonly<Record<string, string>> }[];
  readonly edited: readonly {
    readonly records: string;
    readonly key: Readonly<Record<string, string>>;
    readonly field: string;
    readonly from?: unknown;
    readonly to?: unknown;
  }[];
}

const libraryPath = (name: string) => `/v1/library/${encodeURIComponent(name)}`;

export function listLibrary(): Promise<Answer<LibraryEntry[]>> {
  return call<LibraryEntry[]>("GET", "/v1/library");
}

export function libraryHistory(name: string): Promise<Answer<LibraryHistory>> {
  return call<LibraryHistory>("GET", libraryPath(name));
}

/** A saved scenario; `version` null for the latest. */
export function libraryVersion(name: string, version: number | null): Promise<Answer<unknown>> {
  return call<unknown>("GET", `${libraryPath(name)}/versions/${version ?? "latest"}`);
}

/** Saves `scenario` as the name's next version; `after` is the latest version the planner saw (null for a new name). */
export function saveLibraryVersion(name: string, scenario: unknown, message: string, after: number | null): Promise<Answer<LibraryVersion>> {
  return call<LibraryVersion>(
    "POST",
    `${libraryPath(name)}/versions`,
    { scenario, message },
    "application/json",
    after === null ? {} : { "if-match": `"${after}"` },
  );
}

export function libraryDiff(name: string, from: number, to: number): Promise<Answer<LibraryDiff>> {
  return call<LibraryDiff>("GET", `${libraryPath(name)}/diff?from=${from}&to=${to}`);
}

export function listScenarios(): Promise<Answer<ScenarioSummary[]>> {
  return call<ScenarioSummary[]>("GET", "/v1/scenarios");
}

export function getScenario(id: string): Promise<Answer<unknown>> {
  return call<unknown>("GET", `/v1/scenarios/${encodeURIComponent(id)}`);
}

export type { PlanOptions };

/** A plan of the scenario with the levers' changes applied by the server (`changes` left out when there are none). */
export function planScenario(ref: ScenarioRef, changes: readonly Change[], options: PlanOptions): Promise<Answer<Plan>> {
  return call<Plan>("POST", "/v1/plans", { ...ref, ...(changes.length > 0 ? { changes } : {}), options });
}

export function compareVariants(ref: ScenarioRef, variants: readonly Variant[], options: PlanOptions): Promise<Answer<Comparison>> {
  return call<Comparison>("POST", "/v1/comparisons", { ...ref, variants, options });
}

export function sweepParameter(ref: ScenarioRef, changes: readonly Change[], sweep: SweepSpec, options: PlanOptions): Promise<Answer<SweepResult>> {
  return call<SweepResult>("POST", "/v1/sweeps", { ...ref, ...(changes.length > 0 ? { changes } : {}), sweep, options });
}

export type { JobView };

/** Long work as a job (`POST /v1/jobs`, docs/jobs.md): `body` is the body of its kind, with the scenario and the levers' changes. */
export function submitJob(
  kind: JobView["kind"],
  ref: ScenarioRef,
  changes: readonly Change[],
  body: Readonly<Record<string, unknown>>,
  /** Plan options; a request's own (a spec file's `options`) too, which the server checks. */
  options: PlanOptions | Readonly<Record<string, unknown>>,
): Promise<Answer<JobView>> {
  return call<JobView>("POST", "/v1/jobs", { ...body, kind, ...ref, ...(changes.length > 0 ? { changes } : {}), options });
}

export function getJob(id: string): Promise<Answer<JobView>> {
  return call<JobView>("GET", `/v1/jobs/${encodeURIComponent(id)}`);
}

export function cancelJob(id: string): Promise<Answer<JobView>> {
  return call<JobView>("DELETE", `/v1/jobs/${encodeURIComponent(id)}`);
}

/** The media type of an Excel workbook. */
export const WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A scenario workbook read by the server into its JSON document; problems name their cells. */
export async function workbookScenario(file: Blob): Promise<Answer<unknown>> {
  return call<unknown>("POST", "/v1/conversions", file);
}

/** The same plan request as `planScenario`, answered as a plan workbook. */
export async function planWorkbook(ref: ScenarioRef, changes: readonly Change[], options: PlanOptions): Promise<Answer<Blob>> {
  return call<Blob>("POST", "/v1/plans", { ...ref, ...(changes.length > 0 ? { changes } : {}), options }, WORKBOOK_TYPE);
}

/** `body`: JSON, or a workbook (a Blob); `answer`: JSON, or a workbook as a Blob. */
async function call<T>(
  method: "GET" | "POST" | "DELETE",
  path: string,
  body?: unknown,
  answer: "application/json" | typeof WORKBOOK_TYPE = "application/json",
  extraHeaders: Readonly<Record<string, string>> = {},
): Promise<Answer<T>> {
  let response: Response;
  const workbookBody = body instanceof Blob;
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept: `${answer}, application/problem+json`,
        ...(body === undefined ? {} : { "content-type": workbookBody ? WORKBOOK_TYPE : "application/json" }),
        ...extraHeaders,
      },
      ...(body === undefined ? {} : { body: workbookBody ? body : JSON.stringify(body) }),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: localProblem("No answer", `The server did not answer (${reason}). Is it running?`) };
  }
  if (response.ok && answer === WORKBOOK_TYPE) return { ok: true, value: (await response.blob()) as T };
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    return {
      ok: false,
      problem: localProblem("Unreadable answer", `The server answered ${response.status} with a body that is not JSON.`, response.status),
    };
  }
  if (response.ok) return { ok: true, value: json as T };
  return { ok: false, problem: readProblem(json, response.status) };
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
          const cell = member(error, "cell");
          if (typeof path !== "string" || typeof message !== "string") return [];
          return [typeof cell === "string" ? { path, message, cell } : { path, message }];
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
