import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { DEFAULT_DATA_DIR } from "../library/database.js";
import { buildApp } from "./app.js";
import { configFromEnv } from "./config.js";

export interface ServeOptions {
  readonly port?: number;
  readonly host?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = "127.0.0.1";

/**
 * Runs the HTTP service until SIGTERM or SIGINT: listens (port from the
 * option, else PORT, else 3000), logs through pino, and on a signal stops
 * accepting connections, lets in-flight requests finish, closes the worker
 * pool and resolves 0. In-flight requests still running after the grace
 * period (JOINTPLAN_SHUTDOWN_GRACE_MS; default: the longest allowed solve
 * plus 5 s) end the process with exit code 1.
 */
export async function serve(options: ServeOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const config = configFromEnv(env);
  const port = options.port ?? numberFromEnv(env, "PORT") ?? DEFAULT_PORT;
  const host = options.host ?? env["HOST"] ?? DEFAULT_HOST;
  const graceMs = numberFromEnv(env, "JOINTPLAN_SHUTDOWN_GRACE_MS") ?? config.maxTimeLimitMs + config.terminationMarginMs + 5_000;
  const app = buildApp({ ...config, logger: { level: env["LOG_LEVEL"] ?? "info" } });
  // Slow or idle clients must not hold connections forever; a request may take as long as its longest allowed solve.
  app.server.requestTimeout = config.maxTimeLimitMs + 30_000;
  try {
    await app.listen({ port, host });
  } catch (error) {
    await app.close();
    throw error;
  }
  app.solveService.start(); // only now: a server that could not listen never started a worker
  // The library's migrations run now, under their advisory lock (replicas starting together wait for each other); an embedded
  // library is opened now if its folder exists, else on first use, so that a service never asked to save creates no folder.
  // If its database is out of reach, its routes answer 503 until it is back.
  if (config.library.databaseUrl !== undefined || existsSync(resolve(config.library.dataDir ?? DEFAULT_DATA_DIR))) {
    try {
      const library = await app.library.store();
      app.log.info({ library: library.db.location, storage: library.db.kind }, "scenario library ready");
    } catch (error) {
      app.log.error({ err: error }, "the scenario library cannot be opened: its routes answer 503 until it can");
    }
  }
  const access = { apiKeys: config.apiKeys.length, rateLimitMax: config.rateLimitMax, corsOrigins: config.corsOrigins };
  app.log.info({ poolSize: config.poolSize, queueLimit: config.queueLimit, bodyLimitBytes: config.bodyLimitBytes, ...access }, "jointplan service ready");
  if (config.apiKeys.length === 0 && !isLoopback(host)) {
    app.log.warn({ host }, "no API keys: anyone who can reach this address may call the service (JOINTPLAN_API_KEYS sets keys)");
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      // npm and terminals may deliver one Ctrl-C twice (to the group and forwarded): the grace period bounds shutdown.
      if (stopping) return;
      stopping = true;
      app.log.info({ signal, graceMs }, "shutting down: no new connections, finishing in-flight requests");
      const deadline = setTimeout(() => {
        app.log.error({ graceMs }, "grace period over with requests unfinished: exiting");
        process.exit(1);
      }, graceMs);
      deadline.unref();
      app.close().then(
        () => {
          clearTimeout(deadline);
          process.off("SIGTERM", stop).off("SIGINT", stop);
          app.log.info("shut down cleanly");
          resolve(0);
        },
        (error: unknown) => {
          app.log.error({ err: error }, "shutdown failed");
          resolve(1);
        },
      );
    };
    process.on("SIGTERM", stop).on("SIGINT", stop);
  });
}

function numberFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got ${JSON.stringify(text)}`);
  return value;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}
