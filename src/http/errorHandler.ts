import { STATUS_CODES } from "node:http";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isProblemError, problem, PROBLEM_CONTENT_TYPE, type Problem } from "./problems.js";

/**
 * The one place where failures become answers: every error, from fastify's
 * body parsing to a handler, leaves as `application/problem+json` with a
 * detail written for the client. Unexpected errors are logged in full and
 * answered with a bare 500.
 */
/** For fastify's `frameworkErrors` option: URL errors raised before any route (and its error handler) is found. */
export function frameworkErrorHandler(bodyLimitBytes: number) {
  return (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    void sendProblem(reply, frameworkProblem(error, bodyLimitBytes) ?? problem("badRequest", "The request could not be read."));
  };
}

export function registerErrorHandling(app: FastifyInstance, bodyLimitBytes: number): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (isProblemError(error)) return sendProblem(reply, error.problem, error.headers);
    const known = frameworkProblem(error, bodyLimitBytes);
    if (known !== undefined) return sendProblem(reply, known);
    request.log.error({ err: error }, "unexpected error");
    return sendProblem(reply, problem("internal", "The server failed to answer this request; the error has been logged."));
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem("notFound", `There is no ${request.method} ${request.url.split("?")[0]}; see /docs for the API.`)),
  );
}

export function sendProblem(reply: FastifyReply, body: Problem, headers: Readonly<Record<string, string>> = {}): FastifyReply {
  return reply.code(body.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Fastify's own errors (body parsing, framework checks) as problems; undefined for anything else. */
export function frameworkProblem(error: FastifyError, bodyLimitBytes: number): Problem | undefined {
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return problem("malformedJson", "The request body is not valid JSON.");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return problem("malformedJson", "The request body is empty; expected a JSON object.");
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return problem("bodyTooLarge", `The request body exceeds this server's limit of ${bodyLimitBytes} bytes.`);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return problem("unsupportedMediaType", "Send the request body as application/json.");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return problem("badRequest", "The Content-Length header does not match the body.");
    case "FST_ERR_BAD_URL":
      return problem("badRequest", "The request URL is malformed.");
    case "FST_ERR_MAX_PARAM_LENGTH":
      return problem("uriTooLong", "A path segment of the URL is too long.");
    default: {
      // Any other client error fastify raises: its status, a generic detail.
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500)
        return { ...problem("badRequest", "The request could not be read."), status, title: STATUS_CODES[status] ?? "Bad request" };
      return undefined;
    }
  }
}
