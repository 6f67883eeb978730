import type { SwaggerOptions } from "@fastify/swagger";
import type { FastifySchema } from "fastify";
import type { ServiceConfig } from "./config.js";
import { problemResponse, retryAfterHeader, type JsonSchema } from "./schemas.js";

const bearerScheme = "bearer";

/**
 * The answers any operation may give, whatever its handler does: refused at
 * the door (`access.ts`), unreadable before any route is chosen
 * (`errorHandler.ts`), or arriving while the server shuts down (`app.ts`).
 * Added to every operation of the document, so a route added later is
 * documented with them too.
 */
const accessResponses: Readonly<Record<string, JsonSchema>> = {
  401: problemResponse("This server requires an API key (JOINTPLAN_API_KEYS) and the request has none, or not a valid one.", {
    "WWW-Authenticate": { type: "string", description: 'Bearer realm="jointplan"; with error="invalid_token" when the key given is not valid.' },
  }),
  429: problemResponse("This server limits each client's requests (JOINTPLAN_RATE_LIMIT_MAX) and this client is over its limit.", {
    "Retry-After": retryAfterHeader,
  }),
};
const anyRequestResponses: Readonly<Record<string, JsonSchema>> = {
  431: problemResponse("The request headers are larger than the server reads (16 KiB); answered before any route."),
  503: problemResponse("The server is shutting down; retry on another instance or later.", { "Retry-After": retryAfterHeader }),
};

/**
 * The OpenAPI document's frame (@fastify/swagger): info, the relative
 * server, the bearer scheme — required when this server runs with keys,
 * optional (`{}` among the alternatives) when it runs without — and the
 * transform that adds the answers above to every operation, and marks the
 * public ones (`config: { public: true }`) as needing no key.
 */
export function openapiOptions(config: ServiceConfig): SwaggerOptions {
  const keyed = config.apiKeys.length > 0;
  return {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "jointplan",
        version: "1",
        description:
          "Production allocation by linear / mixed-integer programming (see docs/service.md). Errors are application/problem+json: { type, title, status, detail, errors: [{ path, message }] }.",
        license: { name: "MIT", identifier: "MIT" },
      },
      servers: [{ url: "/", description: "This server" }],
      tags: [
        { name: "plans", description: "Solve a scenario" },
        { name: "what-if", description: "Compare variants of a scenario, sweep one of its parameters" },
        { name: "scenarios", description: "The bundled scenarios" },
        { name: "service", description: "Health" },
      ],
      components: {
        securitySchemes: {
          [bearerScheme]: {
            type: "http",
            scheme: "bearer",
            description: keyed
              ? "An API key of this server, as Authorization: Bearer <key>, on every operation but GET /healthz."
              : "This server runs without keys: anyone may call it and the header is ignored. A server started with JOINTPLAN_API_KEYS requires one of them, as Authorization: Bearer <key>, on every operation but GET /healthz.",
          },
        },
      },
      security: keyed ? [{ [bearerScheme]: [] }] : [{}, { [bearerScheme]: [] }],
    },
    // Shared schemas (`schemas.ts`) keep their ids as names: components.schemas.Plan, not def-0.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, index) => (typeof json["$id"] === "string" ? json["$id"] : `def-${index}`) },
    transform: ({ schema: routeSchema, url, route }) => {
      // A route declared without any schema has none at run time, whatever the type says.
      const schema = routeSchema as FastifySchema | undefined;
      if (schema === undefined || schema.hide === true) return { schema: routeSchema, url };
      const open = route.config?.public === true;
      const own = record(schema.response);
      const response = { ...(open ? {} : accessResponses), ...anyRequestResponses, ...own };
      const documented: FastifySchema = { ...schema, response, ...(open ? { security: [] } : {}) };
      return { schema: documented, url };
    },
  };
}

function record(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}
