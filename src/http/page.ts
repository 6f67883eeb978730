import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { sendProblem } from "./errorHandler.js";
import { problem } from "./problems.js";

/**
 * The planner's page (docs/page.md) at `GET /`: static files only, built from
 * web/ into dist/web by `npm run build`. The page calls the same API as
 * everyone else. Without a build, `/` says how to make one.
 */
export function registerPage(app: FastifyInstance, webRoot: string = defaultWebRoot()): void {
  if (!existsSync(join(webRoot, "index.html"))) {
    app.get("/", { schema: { hide: true } }, (_request, reply) =>
      sendProblem(reply, problem("unavailable", `The planner's page is not built (no ${join(webRoot, "index.html")}); run npm run build.`)),
    );
    return;
  }
  // Files are listed once at start (wildcard: false): a path that is not one of them stays the API's 404 problem.
  app.register(fastifyStatic, {
    root: webRoot,
    prefix: "/",
    wildcard: false,
    index: ["index.html"],
    // The page is small and changes with each build: browsers revalidate (ETag) rather than keep stale copies.
    cacheControl: false,
    setHeaders: (reply) => {
      reply.header("cache-control", "no-cache");
    },
  });
}

/** dist/web of this package, from src/http (tests, tsx) or dist/http (the build) alike. */
function defaultWebRoot(): string {
  return join(fileURLToPath(new URL("../..", import.meta.url)), "dist", "web");
}
