import type { FastifyCorsOptions } from "@fastify/cors";

/** Response headers a page on an allowed origin may read besides the CORS-safelisted ones. */
const exposedHeaders = ["Retry-After", "WWW-Authenticate", "Location", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"];

/**
 * Which browser pages on other origins may call the service (@fastify/cors).
 * None by default: a page served by the service itself is same-origin and
 * needs no CORS. With origins listed, a request from one of them (exactly:
 * scheme, host and port) is answered with `Access-Control-Allow-Origin`
 * naming it, and its preflight is answered before any key is asked for
 * (browsers send preflights without `Authorization`); a request or
 * preflight from any other origin gets no CORS headers, so the browser
 * keeps the answer from the page. No cookies are involved (keys travel in
 * `Authorization`), so credentials stay off.
 */
export function crossOriginOptions(origins: readonly string[]): FastifyCorsOptions {
  if (origins.length === 0) return { origin: false };
  const allowed = new Set(origins);
  return {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ["GET", "HEAD", "POST", "DELETE"],
    allowedHeaders: ["Authorization", "Content-Type"],
    exposedHeaders,
    maxAge: 600,
    // A bare OPTIONS from an allowed origin is answered like a preflight rather than with a text/plain 400.
    strictPreflight: false,
  };
}
