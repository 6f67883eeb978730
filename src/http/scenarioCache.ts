import type { Scenario } from "../scenario/schema.js";

/**
 * Parsed scenarios of posted plan requests, keyed by the exact text of the
 * request body. The library caches validation and formulation per parsed
 * (deeply frozen) Scenario object, not per document; a client that posts the
 * same body again — a planner re-planning, a tool polling — gets the same
 * Scenario object back from here, and so skips parsing, validation and
 * formulation. Keyed by the whole body (options included), so a different
 * body, even by one space, is a different entry: nothing is guessed.
 *
 * Bounded: at most `maxEntries` (least recently used evicted first), and only
 * bodies of at most `maxBodyBytes` are kept. Only plans solved on the
 * request's thread are cached: a pooled plan is copied to a worker, which
 * parses it there.
 */
export class ScenarioCache {
  private readonly entries = new Map<string, Scenario>();
  /** Lookups answered from the cache, and lookups that were not. */
  hits = 0;
  misses = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxBodyBytes: number,
  ) {}

  /** Whether a body of this text may be cached. */
  accepts(body: string): boolean {
    // A UTF-8 byte per UTF-16 unit at least: a longer string is over the limit without counting.
    return this.maxEntries > 0 && body.length <= this.maxBodyBytes && Buffer.byteLength(body) <= this.maxBodyBytes;
  }

  get(body: string): Scenario | undefined {
    const scenario = this.entries.get(body);
    if (scenario === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Most recently used last: a Map iterates in insertion order.
    this.entries.delete(body);
    this.entries.set(body, scenario);
    return scenario;
  }

  set(body: string, scenario: Scenario): void {
    if (!this.accepts(body)) return;
    this.entries.delete(body);
    this.entries.set(body, scenario);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
