/**
 * The content security policy of every answer. It fits the Swagger UI at
 * `/docs` and a same-origin page with its own script and style files:
 * scripts, styles, fonts, images and fetches come from this origin only
 * (images and fonts also as `data:` URLs); scripts are never inline, nor
 * event-handler attributes (`script-src-attr 'none'`); inline style
 * attributes are allowed, as charts drawn in SVG use them. No
 * `upgrade-insecure-requests` (helmet's default has it): on plain HTTP — the
 * service on a private network — it would send the browser to https URLs
 * this server does not answer.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "base-uri 'self'",
  "font-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
].join("; ");

/**
 * The headers every answer carries: successes, problems, 404s, refusals
 * (401, 429), the answers fastify gives before a route is found, and those
 * written on the bare connection for a request that cannot be read. They are
 * helmet's defaults with the policy above; one static set, so that each of
 * those paths sends the same.
 */
export const securityHeaders: Readonly<Record<string, string>> = {
  "content-security-policy": contentSecurityPolicy,
  "cross-origin-opener-policy": "same-origin",
  // Only no-cors reads from other sites are refused: a page at an origin of JOINTPLAN_CORS_ORIGINS reads answers through CORS.
  "cross-origin-resource-policy": "same-origin",
  "origin-agent-cluster": "?1",
  "referrer-policy": "no-referrer",
  // Browsers heed it only over HTTPS, i.e. behind a TLS-terminating proxy.
  "strict-transport-security": "max-age=31536000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-dns-prefetch-control": "off",
  "x-download-options": "noopen",
  "x-frame-options": "SAMEORIGIN",
  "x-permitted-cross-domain-policies": "none",
  // Off, as helmet sets it: the legacy XSS auditor itself opened leaks.
  "x-xss-protection": "0",
};
