import fc from "fast-check";
import { buildApp } from "../src/http/app.js";
import { at } from "../src/util/invariant.js";
import { loadBundledScenario, plan, type Plan } from "../src/index.js";
import { scenarioArbitrary } from "../tests/arbitraries/scenario.js";
import { largeScenario } from "../tests/support/largeScenario.js";
import { random } from "../tests/support/transform.js";
import { benchArguments, machineLine, median, percentile } from "./harness.js";

/**
 * `npm run bench:load [-- --duration 30 --clients 16]`: load and fault drill
 * against the real service on a socket.
 *
 * Load: for the duration, concurrent clients send a mix of valid (bundled and
 * generated), invalid, malformed, unknown, oversized, infeasible and slow
 * requests. Every request must get an answer (sent = received), every answer
 * the status its kind calls for, and every valid plan must equal the
 * library's. A 503 "overloaded" is intended (the queue is bounded, and a
 * request whose time runs out before a worker takes it is told to retry), and
 * so is a 503 "unavailable" for a request whose time ran out before its
 * worker had built the model; any other 5xx is not.
 *
 * Fault: a worker is killed in the middle of a long solve; that request must
 * fail cleanly (503 worker-failed problem body) and the pool must recover.
 *
 * Exits 1 if anything was lost, unintended or wrong. `--smoke` runs 3 s.
 */
const args = benchArguments("usage: npm run bench:load [-- --duration SECONDS --clients N | --smoke]", { duration: 30, clients: 16 });
const smoke = args.smoke;
const durationMs = (smoke && !process.argv.includes("--duration") ? 3 : args.duration) * 1000;
const clients = smoke && !process.argv.includes("--clients") ? 4 : args.clients;

interface Kind {
  readonly name: string;
  readonly weight: number;
  readonly body: () => string;
  readonly expect: readonly number[];
  /** Checks a 200 answer against the library; returns a reason when it differs. */
  readonly check?: (plan: Plan, index: number) => string | undefined;
}

const same = (expected: Plan) => (actual: Plan) => {
  if (actual.status !== expected.status) return `status ${actual.status}, library ${expected.status}`;
  if (expected.objective === null) return actual.objective === null ? undefined : "objective where the library has none";
  const gap = Math.abs((actual.objective ?? Number.NaN) - expected.objective) / Math.max(1, Math.abs(expected.objective));
  return gap <= 1e-9 ? undefined : `objective ${actual.objective}, library ${expected.objective}`;
};

// Expected answers come from the library, computed before the load starts.
const generated = fc.sample(scenarioArbitrary({ integer: false }), { numRuns: 40, seed: 20201 });
const generatedPlans = generated.map((scenario) => plan(scenario));
const bundled = plan(loadBundledScenario("kz-uz-2020"));
const whole = plan(loadBundledScenario("kz-uz-2020"), { integer: true });
const stuck = largeScenario({ plants: 25, products: 25, markets: 3 }, "stuck");
const invalid = { ...(loadBundledScenario("kz-uz-2020") as Record<string, unknown>), routes: [{ plant: "nowhere", product: "city", uses: {} }] };
const oversized = JSON.stringify({ scenario: { ...(loadBundledScenario("kz-uz-2020") as Record<string, unknown>), notes: "x".repeat(2 * 1024 * 1024) } });

let generatedIndex = 0;
/** Which generated scenario each "posted generated scenario" request carried, in sending order. */
const sentGenerated: number[] = [];
const kinds: Kind[] = [
  { name: "bundled kz-uz-2020", weight: 30, body: () => JSON.stringify({ scenarioId: "kz-uz-2020" }), expect: [200], check: same(bundled) },
  {
    name: "posted generated scenario",
    weight: 30,
    body: () => JSON.stringify({ scenario: generated[generatedIndex++ % generated.length] }), // sentGenerated records which
    expect: [200, 503],
    check: (actual, index) => {
      const expected = generatedPlans[sentGenerated[index] ?? -1];
      return expected === undefined ? `no record of the generated scenario request ${index} carried` : same(expected)(actual);
    },
  },
  {
    name: "whole units (pool)",
    weight: 8,
    body: () => JSON.stringify({ scenarioId: "kz-uz-2020", options: { integer: true } }),
    expect: [200, 503],
    check: same(whole),
  },
  {
    name: "infeasible, diagnosed (pool)",
    weight: 4,
    body: () => JSON.stringify({ scenarioId: "kz-uz-parts-shortage" }),
    expect: [200, 503],
    check: (p) => (p.status === "infeasible" && p.diagnosis !== undefined ? undefined : `status ${p.status}`),
  },
  { name: "invalid scenario", weight: 10, body: () => JSON.stringify({ scenario: invalid }), expect: [422] },
  { name: "malformed JSON", weight: 6, body: () => '{"scenarioId": "kz-uz-2020"', expect: [400] },
  { name: "unknown scenario id", weight: 5, body: () => JSON.stringify({ scenarioId: "kz-uz-1999" }), expect: [404] },
  { name: "oversized body", weight: 2, body: () => oversized, expect: [413] },
  {
    name: "slow, cut by its time limit (pool)",
    weight: 1,
    body: () => JSON.stringify({ scenario: stuck, options: { backend: "javascript-lp-solver", timeLimitMs: 300 } }),
    expect: [200, 503],
    check: (p) => (p.status === "time_limit" ? undefined : `status ${p.status}`),
  },
];

/** The 503s that tell a client to retry: the queue was full or no worker was free in time, or the time ran out while the model was built. */
const retryLater = new Set(["urn:jointplan:problem:overloaded", "urn:jointplan:problem:unavailable"]);

const totalWeight = kinds.reduce((sum, kind) => sum + kind.weight, 0);
/** A request kind drawn by weight, from a seeded generator so runs are comparable. */
function pick(next: () => number): Kind {
  let point = Math.floor(next() * totalWeight);
  for (const kind of kinds) {
    if (point < kind.weight) return kind;
    point -= kind.weight;
  }
  return at(kinds, 0, "request kind");
}

const app = buildApp({ poolSize: 2 });
const base = await app.listen({ port: 0, host: "127.0.0.1" });
app.solveService.start();

async function post(body: string): Promise<{ status: number; json: unknown; contentType: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${base}/v1/plans`, { method: "POST", headers: { "content-type": "application/json" }, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json, contentType: response.headers.get("content-type") ?? "", ms: performance.now() - started };
}

let sent = 0;
let received = 0;
const statuses = new Map<string, number>();
const failures: string[] = [];
const latencies: number[] = [];
const byKind = new Map<string, number[]>();
const deadline = Date.now() + durationMs;

console.log(`jointplan load and fault drill — ${machineLine()}`);
console.log(`${clients} clients for ${durationMs / 1000} s against ${base}, request mix:`);
for (const kind of kinds) console.log(`  ${String(kind.weight).padStart(3)} / ${totalWeight}  ${kind.name} → ${kind.expect.join(" or ")}`);

await Promise.all(
  Array.from({ length: clients }, async (_, client) => {
    const next = random(1_000 + client);
    while (Date.now() < deadline) {
      const kind = pick(next);
      let index = 0;
      if (kind === kinds[1]) {
        index = sentGenerated.length;
        sentGenerated.push(generatedIndex % generated.length); // body() sends this one next
      }
      sent++;
      try {
        const answer = await post(kind.body());
        received++;
        latencies.push(answer.ms);
        (byKind.get(kind.name) ?? byKind.set(kind.name, []).get(kind.name))?.push(answer.ms);
        const key = `${answer.status} ${kind.name}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        if (!kind.expect.includes(answer.status))
          failures.push(`${kind.name}: status ${answer.status}, expected ${kind.expect.join("/")}: ${JSON.stringify(answer.json).slice(0, 200)}`);
        else if (answer.status >= 400 && !answer.contentType.startsWith("application/problem+json"))
          failures.push(`${kind.name}: ${answer.status} without a problem body`);
        else if (answer.status === 503 && !retryLater.has(String((answer.json as { type?: string }).type)))
          failures.push(`${kind.name}: unintended 503 ${JSON.stringify(answer.json)}`);
        else if (answer.status === 200 && kind.check !== undefined) {
          const reason = kind.check(answer.json as Plan, index);
          if (reason !== undefined) failures.push(`${kind.name}: plan differs from the library's: ${reason}`);
        }
      } catch (error) {
        failures.push(`${kind.name}: no answer (${error instanceof Error ? error.message : String(error)})`);
      }
    }
  }),
);

console.log(`\nLoad: ${sent} requests sent, ${received} answers received (${sent - received} lost)`);
console.log(`latency over all answers: p50 ${median(latencies).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
for (const [key, count] of [...statuses].sort()) console.log(`  ${String(count).padStart(6)}  ${key}`);
const unintended5xx = [...statuses].filter(([key]) => key.startsWith("5") && !key.startsWith("503")).reduce((sum, [, count]) => sum + count, 0);
console.log(`unintended 5xx: ${unintended5xx}; answers not as expected: ${failures.length}`);
for (const failure of failures.slice(0, 10)) console.log(`  - ${failure}`);

// Fault drill: kill the worker in the middle of a long solve.
console.log("\nFault: a worker is killed mid-solve");
const slow = post(JSON.stringify({ scenario: stuck, options: { backend: "javascript-lp-solver", timeLimitMs: 30_000 } }));
const waitStarted = Date.now();
while (app.solveService.pending === 0 && Date.now() - waitStarted < 5_000) await new Promise((resolve) => setTimeout(resolve, 10));
await new Promise((resolve) => setTimeout(resolve, 500)); // well into the solve
const killed = app.solveService.pool.workers.length;
await Promise.all(app.solveService.pool.workers.map((worker) => worker.terminate()));
const killedAnswer = await slow;
const problemType = (killedAnswer.json as { type?: string }).type;
const cleanFailure =
  killedAnswer.status === 503 && problemType === "urn:jointplan:problem:worker-failed" && killedAnswer.contentType.startsWith("application/problem+json");
console.log(
  `  terminated ${killed} worker threads; the request in flight got ${killedAnswer.status} ${problemType ?? ""} after ${(killedAnswer.ms / 1000).toFixed(2)} s — ${cleanFailure ? "a clean failure" : "NOT a clean failure"}`,
);
const recovery = await Promise.all(Array.from({ length: 20 }, () => post(JSON.stringify({ scenarioId: "kz-uz-2020", options: { integer: true } }))));
const recovered = recovery.filter((answer) => answer.status === 200 && same(whole)(answer.json as Plan) === undefined).length;
const health = await fetch(`${base}/healthz`);
console.log(
  `  after the kill: ${recovered} of 20 pooled plans answered and equal the library's; /healthz ${health.status}; ${app.solveService.pool.workers.length} workers in the pool`,
);

await app.close();
const ok = sent === received && unintended5xx === 0 && failures.length === 0 && cleanFailure && recovered === 20;
console.log(`\n${ok ? "OK" : "FAILED"}: ${ok ? "nothing lost, nothing unintended, the pool recovered" : "see above"}`);
process.exitCode = ok ? 0 : 1;
