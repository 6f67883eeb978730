import type { JobEngine } from "../jobs/engine.js";
import type { LibraryHandle } from "../library/handle.js";
import type { SolveLog, SolveService } from "./solveService.js";

/** Everything the service adds to fastify's types, in one place. */
declare module "fastify" {
  interface FastifyInstance {
    /** The one path of every solve: the parse cache, the worker pool and its pending requests. */
    readonly solveService: SolveService;
    /** Where jobs run: the service's own job threads, or the Redis queue of `jointplan worker` processes. */
    readonly jobs: JobEngine;
    /** The scenario library, opened on first use (the server opens it at start). */
    readonly library: LibraryHandle;
  }
  interface FastifyRequest {
    /** The body's JSON text as received (application/json), for the parse cache. */
    bodyText: string | null;
    /** What the request log line says about the solve, when the request solved something. */
    solveLog: SolveLog | null;
    /** The holder of the valid API key the request presented (`access.ts`), as logs name it; null without one. */
    caller: string | null;
  }
  interface FastifyContextConfig {
    /** Answered to anyone, without a key and outside the rate limit (`access.ts`): `/healthz` only. */
    public?: boolean;
  }
}
