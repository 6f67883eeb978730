import cors from "@fastify/cors";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from "fastify";
import { accessControl } from "./access.js";
import { catalog } from "./catalog.js";
import { resolveConfig, type ServiceConfig, type ServiceConfigInput } from "./config.js";
import { crossOriginOptions } from "./crossOrigin.js";
import { clientErrorHandler, frameworkErrorHandler, registerErrorHandling } from "./errorHandler.js";
import "./fastifyTypes.js";
import { createJobEngine } from "../jobs/create.js";
import { registerJobRoutes } from "./jobRoutes.js";
import { LibraryHandle } from "../library/handle.js";
import { registerLibraryRoutes } from "./libraryRoutes.js";
import { registerPage } from "./page.js";
import { openapiOptions } from "./openapi.js";
import { problem, ProblemError } from "./problems.js";
import { registerRoutes } from "./routes.js";
import { registerSharedSchemas } from "./schemas.js";
import { contentSecurityPolicy, securityHeaders } from "./securityHeaders.js";
import { SolveService } from "./solveService.js";
import { registerWorkbookBodies } from "./workbooks.js";

export interface AppOptions extends ServiceConfigInput {
  /** fastify's logger (pino) options; off by default, as tests want it. */
  readonly logger?: FastifyServerOptions["logger"];
  /** The solve pool's worker entry; by default the service's own (`worker.ts`). For tests. */
  readonly workerFile?: URL;
  /** The job threads' worker entry (embedded mode); by default the service's own. For tests. */
  readonly jobWorkerFile?: URL;
  /** The planner's page files; by default the package's dist/web (built by `npm run build`). For tests. */
  readonly webRoot?: string;
}

/**
 * One log line per request, written when it completes: request id, method,
 * route, status, time, and for a plan the scenario id, status, backend, solve
 * time and where it ran. Never a body.
 */
class RequestLog extends LogController {
  override incomingRequest(): void {
    // Nothing on arrival: the one line is written when the request completes.
  }
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? null,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 1000) / 1000,
      ...(request.caller === null ? {} : { caller: request.caller }),
      ...(request.solveLog === null ? {} : { plan: request.solveLog }),
    };
    if (error) reply.log.error({ ...line, err: error }, "request failed");
    else reply.log.info(line, "request completed");
  }
}

/**
 * The HTTP service as a fastify instance with every route registered; it
 * does not listen (`server.ts` does). `app.inject()` drives it in tests. Its
 * worker pool starts with the first pooled plan, or with
 * `app.solveService.start()` (the server calls it once listening), and is
 * closed by `app.close()`.
 */
export function buildApp(options: AppOptions = {}): FastifyInstance {
  const { logger = false, workerFile, jobWorkerFile, webRoot, ...configInput } = options;
  const config: ServiceConfig = resolveConfig(configInput);
  const app = Fastify({
    logger,
    logController: new RequestLog(),
    bodyLimit: config.bodyLimitBytes,
    // Keys such as "__proto__" or "constructor" are ids like any other (docs/format.md §1.1): JSON.parse keeps
    // them as plain own properties, and the library reads ids into null-prototype records.
    onProtoPoisoning: "ignore",
    onConstructorPoisoning: "ignore",
    // While shutting down, the hook below answers new requests with a problem body.
    return503OnClosing: false,
    frameworkErrors: frameworkErrorHandler(config.bodyLimitBytes),
    clientErrorHandler,
    trustProxy: trustedProxies(config.trustProxy),
    // A library name is one path segment of up to 200 characters, each up to 12 once URL-encoded.
    routerOptions: { maxParamLength: 2_600 },
  });
  // First of all hooks, so that every answer carries them, refusals and shutdown answers included.
  app.addHook("onRequest", (_request, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });
  const service = new SolveService(config, workerFile);
  app.decorate("solveService", service);
  const jobs = createJobEngine(config.jobs, {
    ...(jobWorkerFile === undefined ? {} : { workerFile: jobWorkerFile }),
    onError: (jobId, error) => app.log.error({ job: jobId, err: error }, "job failed"),
  });
  app.decorate("jobs", jobs);
  const library = new LibraryHandle(config.library);
  app.decorate("library", library);
  catalog(); // the bundled scenarios, validated now rather than on the first request

  // Schemas are documentation (OpenAPI); validation is the library's, so every face reports the same issues.
  // The API speaks JSON (and takes scenario workbooks): a text/plain body is a 415, not a string to validate.
  app.removeContentTypeParser("text/plain");
  // fastify's own JSON parsing (same errors, same body limit), keeping the text for the parse cache.
  const parseJson = app.getDefaultJsonParser("ignore", "ignore");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8"); // always a string (parseAs), typed string | Buffer
    request.bodyText = text;
    void parseJson(request, text, done); // fastify's own parser answers through done
  });
  app.decorateRequest("bodyText", null);
  // A scenario may also come as an Excel workbook, read and validated on arrival (`workbooks.ts`).
  registerWorkbookBodies(app, config);
  app.setValidatorCompiler(() => (data: unknown) => ({ value: data }));
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.decorateRequest("solveLog", null);

  // While shutting down: a request that still arrives (on a connection opened before) is told so, and
  // answers end their connection, so that shutdown does not wait on keep-alives. Callback hooks: no promise per request.
  let closing = false;
  app.addHook("preClose", (done) => {
    closing = true;
    done();
  });
  app.addHook("onRequest", (_request, _reply, done) => {
    if (!closing) {
      done();
      return;
    }
    const headers = { "retry-after": String(config.retryAfterSeconds), connection: "close" };
    done(new ProblemError(problem("unavailable", "The server is shutting down; retry on another instance or later."), headers));
  });
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (closing) reply.header("connection", "close");
    done(null, payload);
  });
  app.addHook("onClose", async () => {
    await Promise.all([service.close(), jobs.close(), library.close()]);
  });

  registerErrorHandling(app, config.bodyLimitBytes);
  // In this order: CORS answers preflights before the access hook asks for a key, and its headers are on every refusal.
  app.register(cors, crossOriginOptions(config.corsOrigins));
  app.register(accessControl, config);
  registerSharedSchemas(app, config);
  app.register(swagger, openapiOptions(config));
  // The UI sets this policy on its own answers as they leave; it has no inline script to allow.
  app.register(swaggerUi, { routePrefix: "/docs", uiConfig: { deepLinking: true }, staticCSP: contentSecurityPolicy });
  app.register((routes, _options, done) => {
    registerRoutes(routes, config, service, library);
    registerJobRoutes(routes, config, jobs, library);
    registerLibraryRoutes(routes, config, library, jobs);
    routes.get("/openapi.json", { schema: { hide: true } }, () => app.swagger());
    done();
  });
  registerPage(app, webRoot);
  return app;
}

/** fastify's trustProxy: a hop count is the function proxy-addr would make of it (fastify's types take no number). */
function trustedProxies(trust: ServiceConfig["trustProxy"]): FastifyServerOptions["trustProxy"] {
  if (trust === false) return false;
  if (typeof trust === "number") return (_address: string, hop: number) => hop < trust;
  return [...trust];
}
