import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { laneSchema, readLane } from "../../src/scenario/schema.js";

/**
 * A network file holds a lane per source and plant, so lanes are read by a
 * fast path (`readLane`) before the schema. The fast path must read exactly
 * what the schema reads, and leave everything else to it.
 */
const field = fc.oneof(
  fc.constantFrom(0, 1e-5, 1e-6, 0.15, 350, -1, Infinity, Number.NaN, -0),
  fc.double(),
  fc.string(),
  fc.constant(undefined),
  fc.constant(null),
  fc.dictionary(fc.constantFrom("2025", "*"), fc.double()),
);
const laneLike = fc.oneof(
  fc.record({ cost: field, duty: field, capacity: field }, { requiredKeys: [] }),
  fc.dictionary(fc.constantFrom("cost", "duty", "capacity", "price", "__proto__"), field),
  fc.anything(),
);

describe("the fast reading of a lane", () => {
  it("gives what the schema gives, or leaves the lane to the schema", () => {
    fc.assert(
      fc.property(laneLike, (value) => {
        const quick = readLane(value);
        if (quick === undefined) return;
        const parsed = laneSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(quick).toStrictEqual(parsed.data);
        expect(Object.keys(quick)).toEqual(Object.keys(parsed.data ?? {}));
      }),
      { numRuns: 2_000 },
    );
  });

  it("reads the common lanes itself: numbers only, known fields", () => {
    expect(readLane({})).toStrictEqual({ cost: 0, duty: 0 });
    expect(readLane({ duty: 0.15, cost: 350 })).toStrictEqual({ cost: 350, duty: 0.15 });
    expect(readLane({ capacity: 2_400 })).toStrictEqual({ cost: 0, duty: 0, capacity: 2_400 });
    for (const lane of [{ capacity: { "2025": 10 } }, { cost: -1 }, { capacity: 1e-6 }, { price: 1 }, { cost: undefined }, [], null, 5, Object.create(null)]) {
      expect(readLane(lane)).toBeUndefined();
    }
  });
});
