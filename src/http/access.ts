import { createHash, timingSafeEqual } from "node:crypto";
import rateLimit, { normalizeIP } from "@fastify/rate-limit";
import type { FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { ServiceConfig } from "./config.js";
import { problem, ProblemError } from "./problems.js";

/** What a request's `Authorization` header offers. */
export type Credentials = { readonly kind: "none" } | { readonly kind: "bearer"; readonly token: string };

/** `Authorization: Bearer <token>` (scheme case-insensitive, RFC 6750); anything else offers no key. */
export function credentialsOf(authorization: string | undefined): Credentials {
  const token = /^Bearer +(\S+) *$/i.exec(authorization ?? "")?.[1];
  return token === undefined ? { kind: "none" } : { kind: "bearer", token };
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();

/**
 * The service's API keys, held as SHA-256 digests. A presented token is
 * hashed and compared with every key's digest by `timingSafeEqual`: equal
 * lengths always (32 bytes), no early exit, so the time taken shows neither
 * how much of a key was right, nor its length, nor which key matched.
 */
export class ApiKeys {
  private readonly keys: readonly { readonly digest: Buffer; readonly client: string }[];

  constructor(keys: readonly string[]) {
    this.keys = keys.map((key) => {
      const digest = sha256(key);
      return { digest, client: clientId(digest) };
    });
  }

  /** Whether callers must present a key. */
  get required(): boolean {
    return this.keys.length > 0;
  }

  /** The client a token is the key of, or undefined. */
  clientOf(token: string): string | undefined {
    const digest = sha256(token);
    let client: string | undefined;
    for (const key of this.keys) {
      const equal = timingSafeEqual(digest, key.digest);
      client = equal ? key.client : client;
    }
    return client;
  }
}

/**
 * How logs and the rate limit name the holder of a key: the first 8 hex
 * digits of its SHA-256 (`printf %s "$KEY" | sha256sum | cut -c1-8` tells an
 * operator whose it is), never the key.
 */
function clientId(digest: Buffer): string {
  return `key:${digest.toString("hex").slice(0, 8)}`;
}

export type AccessSettings = Pick<ServiceConfig, "apiKeys" | "rateLimitMax" | "rateLimitWindowMs">;

/**
 * Who may call (docs/service.md, "Who may call"), as one onRequest hook on
 * every route — those added later included — and on 404s, skipped only by
 * routes marked `config: { public: true }` (`/healthz`):
 *
 * 1. the caller is the API key it presents, if that is a key of the service;
 * 2. with a rate limit, that caller — else the client's address — spends one
 *    request of its window; over it, 429 with Retry-After. Counting by
 *    address when no valid key is given also limits guessing keys;
 * 3. with keys, a request without a valid one is a 401 with
 *    `WWW-Authenticate: Bearer` (and `error="invalid_token"` when a wrong
 *    key was given).
 *
 * Registered after the CORS plugin, so that preflights (which browsers send
 * without `Authorization`) are answered before this hook runs, and a 401 or
 * 429 to an allowed origin carries its CORS headers.
 */
export const accessControl = fp<AccessSettings>(
  async (app, settings) => {
    const keys = new ApiKeys(settings.apiKeys);
    let limit: ((request: FastifyRequest, reply: FastifyReply) => Promise<void>) | undefined;
    if (settings.rateLimitMax > 0) {
      await app.register(rateLimit, {
        global: false,
        max: settings.rateLimitMax,
        timeWindow: settings.rateLimitWindowMs,
        keyGenerator: (request) => request.caller ?? normalizeIP(request.ip),
      });
      const verdictOf = app.createRateLimit();
      limit = async (request, reply) => {
        const verdict = await verdictOf(request);
        if (verdict.isAllowed) return;
        reply.headers({ "x-ratelimit-limit": verdict.max, "x-ratelimit-remaining": verdict.remaining, "x-ratelimit-reset": verdict.ttlInSeconds });
        if (!verdict.isExceeded) return;
        const retryAfter = Math.max(1, verdict.ttlInSeconds);
        const detail = `More than ${verdict.max} requests in ${verdict.timeWindow / 1000} s from this client; retry in ${retryAfter} s.`;
        throw new ProblemError(problem("tooManyRequests", detail), { "retry-after": String(retryAfter) });
      };
    }

    app.decorateRequest("caller", null);
    app.addHook("onRequest", async (request, reply) => {
      if (request.routeOptions.config.public === true) return;
      const credentials = credentialsOf(request.headers.authorization);
      request.caller = credentials.kind === "bearer" ? (keys.clientOf(credentials.token) ?? null) : null;
      if (limit !== undefined) await limit(request, reply);
      if (keys.required && request.caller === null) throw unauthorized(credentials);
    });
  },
  { name: "jointplan-access", fastify: "5.x" },
);

function unauthorized(credentials: Credentials): ProblemError {
  if (credentials.kind === "bearer") {
    return new ProblemError(problem("unauthorized", "The API key is not valid."), {
      "www-authenticate": 'Bearer realm="jointplan", error="invalid_token", error_description="The API key is not valid"',
    });
  }
  return new ProblemError(problem("unauthorized", "This service requires an API key: send it as Authorization: Bearer <key>."), {
    "www-authenticate": 'Bearer realm="jointplan"',
  });
}
