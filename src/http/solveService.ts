import type { ValidationIssue } from "../scenario/parse.js";
import { TaskPool } from "../tasks/pool.js";
import { runTask } from "../tasks/run.js";
import { nestedBeyond } from "../tasks/size.js";
import type { TaskError, TaskKind, TaskResult, TaskSummary } from "../tasks/task.js";
import { formatPath } from "../scenario/parse.js";
import type { ServiceConfig } from "./config.js";
import { readEnvelope } from "./envelope.js";
import { placement, type Placement } from "./placement.js";
import { problem, type Problem } from "./problems.js";
import { ScenarioCache } from "./scenarioCache.js";

/** What the request log line says about a solve (see `app.ts`). */
export interface SolveLog extends TaskSummary {
  readonly placement: Placement;
  /** Its deadline passed in the pool: the thread was stopped and the best answer it sent was given. */
  readonly abandoned: boolean;
}

export interface SolveHooks {
  /** When the request arrived (epoch ms): its time limit runs from then. */
  readonly receivedAt?: number;
  /** Told where the request is placed, for the log. */
  readonly placed?: (where: Placement) => void;
}

/** What became of a request: an answer (JSON text) or a problem, for the handler to send as it is. */
export type Outcome =
  | { readonly kind: "answer"; readonly json: string; readonly log: SolveLog }
  | {
      readonly kind: "problem";
      readonly problem: Problem;
      readonly headers?: Readonly<Record<string, string>>;
      /** A failure of the server itself (a bug): logged in full by the handler, never sent. */
      readonly error?: TaskError;
    };

/**
 * The service's one path for a solve, whatever its kind: it reads the
 * envelope and the size limits, decides where the solve runs (`placement.ts`),
 * tries the request's thread (with the parse cache) when that is cheap, hands
 * everything else to the worker pool under the request's deadline, answers a
 * pooled solve cut at its deadline with the best answer it sent — never
 * redoing its work here —, and turns every result into one `Outcome`.
 */
export class SolveService {
  readonly pool: TaskPool;
  readonly cache: ScenarioCache;

  constructor(
    private readonly config: ServiceConfig,
    workerFile?: URL,
  ) {
    this.pool = new TaskPool({
      size: config.poolSize,
      queueLimit: config.queueLimit,
      stopMarginMs: config.terminationMarginMs,
      ...(workerFile === undefined ? {} : { workerFile }),
    });
    this.cache = new ScenarioCache(config.parseCacheEntries, config.parseCacheMaxBodyBytes);
  }

  /** `bodyText`: the body's JSON text as received, the key of the parse cache. */
  async solve(kind: TaskKind, body: unknown, bodyText: string | null, { receivedAt = Date.now(), placed }: SolveHooks = {}): Promise<Outcome> {
    const envelope = readEnvelope(kind, body, this.config, receivedAt);
    if (envelope.kind === "invalid") return invalidRequest(envelope.issues);
    if (envelope.kind === "unknown_scenario") return unknownScenario(envelope.id);
    const { task } = envelope;
    const where = placement(envelope.placement, this.config);
    placed?.(where);

    if (where === "inline") {
      // A posted scenario solved here: the same body posted before gives its parsed scenario.
      const key = task.scenarioId === undefined && bodyText !== null && this.cache.accepts(bodyText) ? bodyText : undefined;
      const parsed = key === undefined ? undefined : this.cache.get(key);
      const result = await runTask(task, { inline: true, solverShare: 1, ...(parsed === undefined ? {} : { parsed }) });
      if (result.kind !== "needs_worker") {
        if (key !== undefined && parsed === undefined && result.kind === "done" && result.scenario !== undefined) this.cache.set(key, result.scenario);
        return settled(result, "inline");
      }
    }

    // Structured clone (the hop to a worker) recurses: refuse deep nesting first. On this thread
    // nothing walks the body recursively — validation stops at the first value of a wrong type.
    const deep = nestedBeyond(body, this.config.limits.depth);
    if (deep !== undefined) return invalidRequest([{ path: formatPath(deep), message: `nested more than ${this.config.limits.depth} levels deep` }]);
    const outcome = await this.pool.run(task);
    switch (outcome.kind) {
      case "result":
        return settled(outcome.result, "pool");
      case "stopped":
        if (outcome.fallback !== undefined)
          return { kind: "answer", json: outcome.fallback.json, log: { ...outcome.fallback.summary, placement: "pool", abandoned: true } };
        return {
          kind: "problem",
          problem: outcome.started
            ? problem("unavailable", "The time limit passed before the worker had built the model; retry with a longer timeLimitMs.")
            : problem("overloaded", `The time limit passed while no worker was free; retry in ${this.config.retryAfterSeconds} s.`),
          headers: { "retry-after": String(this.config.retryAfterSeconds) },
        };
      case "overloaded":
        return {
          kind: "problem",
          problem: problem("overloaded", `${this.pool.pending} requests are running or waiting; retry in ${this.config.retryAfterSeconds} s.`),
          headers: { "retry-after": String(this.config.retryAfterSeconds) },
        };
      case "worker_failed":
        return {
          kind: "problem",
          problem: problem("workerFailed", "The worker solving this request stopped before it answered; it has been replaced. Retry the request."),
          headers: { "retry-after": "1" },
        };
    }
  }

  /** Starts the worker threads (the server does, once listening). */
  start(): void {
    this.pool.start();
  }

  /** Requests running or waiting in the pool. */
  get pending(): number {
    return this.pool.pending;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

function settled(result: TaskResult, where: Placement): Outcome {
  switch (result.kind) {
    case "needs_worker":
      // Only a task run on the request's thread hands itself on.
      return settled({ kind: "failed", error: { name: "Error", message: "a pooled task asked for a worker" } }, where);
    case "done":
      return { kind: "answer", json: result.json, log: { ...result.summary, placement: where, abandoned: false } };
    case "invalid":
      return invalidRequest(result.issues);
    case "failed":
      return { kind: "problem", problem: problem("internal", "The server failed to answer this request; the error has been logged."), error: result.error };
  }
}

function invalidRequest(issues: readonly ValidationIssue[]): Outcome {
  const count = `${issues.length} issue${issues.length === 1 ? "" : "s"}`;
  return { kind: "problem", problem: problem("invalidRequest", `The request has ${count}; each is listed with its path in the body.`, issues) };
}

function unknownScenario(id: string): Outcome {
  const detail = `No bundled scenario has the id ${JSON.stringify(id)}; GET /v1/scenarios lists them.`;
  return { kind: "problem", problem: problem("notFound", detail, [{ path: "scenarioId", message: `unknown scenario ${JSON.stringify(id)}` }]) };
}
