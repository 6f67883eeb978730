import type { ValidationIssue } from "../scenario/parse.js";

/**
 * RFC 9457 problem details, the one shape of every error answer (docs/service.md):
 * `{ type, title, status, detail, errors: [{ path, message }] }` with
 * `Content-Type: application/problem+json`. `errors` is always present (empty
 * unless the problem is about fields of the request). Bodies never carry stack
 * traces or internal messages: `detail` is written here, for the client.
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors: readonly ValidationIssue[];
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** The kinds of problem the service answers with: status, stable type URI, title. */
export const problemKinds = {
  malformedJson: { status: 400, slug: "malformed-json", title: "Malformed JSON" },
  badRequest: { status: 400, slug: "bad-request", title: "Bad request" },
  unauthorized: { status: 401, slug: "unauthorized", title: "Unauthorized" },
  notFound: { status: 404, slug: "not-found", title: "Not found" },
  requestTimeout: { status: 408, slug: "request-timeout", title: "Request timeout" },
  preconditionFailed: { status: 412, slug: "precondition-failed", title: "Precondition failed" },
  bodyTooLarge: { status: 413, slug: "body-too-large", title: "Request body too large" },
  uriTooLong: { status: 414, slug: "uri-too-long", title: "URI too long" },
  unsupportedMediaType: { status: 415, slug: "unsupported-media-type", title: "Unsupported media type" },
  invalidRequest: { status: 422, slug: "invalid-request", title: "Invalid request" },
  preconditionRequired: { status: 428, slug: "precondition-required", title: "Precondition required" },
  tooManyRequests: { status: 429, slug: "too-many-requests", title: "Too many requests" },
  headersTooLarge: { status: 431, slug: "headers-too-large", title: "Request headers too large" },
  overloaded: { status: 503, slug: "overloaded", title: "Service overloaded" },
  unavailable: { status: 503, slug: "unavailable", title: "Service unavailable" },
  workerFailed: { status: 503, slug: "worker-failed", title: "Solver worker failed" },
  internal: { status: 500, slug: "internal", title: "Internal error" },
} as const;

export type ProblemKind = keyof typeof problemKinds;

export const problemTypeUri = (kind: ProblemKind) => `urn:jointplan:problem:${problemKinds[kind].slug}`;

export function problem(kind: ProblemKind, detail: string, errors: readonly ValidationIssue[] = []): Problem {
  const { status, title } = problemKinds[kind];
  return { type: problemTypeUri(kind), title, status, detail, errors };
}

/** Thrown by handlers for an answer that is a problem; the error handler sends it as is. */
export class ProblemError extends Error {
  constructor(
    readonly problem: Problem,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(problem.detail);
    this.name = "ProblemError";
  }
}

export function isProblemError(error: unknown): error is ProblemError {
  return error instanceof ProblemError;
}
