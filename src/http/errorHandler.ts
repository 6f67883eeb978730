import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isProblemError, problem, PROBLEM_CONTENT_TYPE, type Problem } from "./problems.js";
import { securityHeaders } from "./securityHeaders.js";
import { MIME_XLSX } from "../workbook/mediaType.js";

/**
 * The one place where failures become answers: every error, from fastify's
 * body parsing to a handler, leaves as `application/problem+json` with a
 * detail written for the client. Unexpected errors are logged in full and
 * answered with a bare 500.
 */
/**
 * For fastify's `frameworkErrors` option: URL errors raised before any route
 * (and its hooks and error handler) is found — hence the security headers here.
 */
export function frameworkErrorHandler(bodyLimitBytes: number) {
  return (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    void sendProblem(reply, frameworkProblem(error, bodyLimitBytes) ?? problem("badRequest", "The request could not be read."), securityHeaders);
  };
}

/**
 * For fastify's `clientErrorHandler` option: a request Node's HTTP parser
 * cannot read (malformed, headers over its 16 KiB limit, too slow) never
 * reaches fastify. It is answered on the connection, which is then closed,
 * with a problem body and the security headers, like every other answer.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const body =
    error.code === "HPE_HEADER_OVERFLOW"
      ? problem("headersTooLarge", "The request headers are larger than this server reads.")
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? problem("requestTimeout", "The request took too long to arrive.")
        : problem("badRequest", "The request could not be read.");
  const text = JSON.stringify(body);
  const headers = {
    ...securityHeaders,
    "content-type": `${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
    "content-length": String(Buffer.byteLength(text)),
    connection: "close",
  };
  const head = [`HTTP/1.1 ${body.status} ${STATUS_CODES[body.status] ?? ""}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  if (socket.writable) socket.write(`${head.join("\r\n")}\r\n\r\n${text}`);
  socket.destroy(error);
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
      return problem("unsupportedMediaType", `Send the request body as application/json (or a scenario as ${MIME_XLSX}).`);
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
