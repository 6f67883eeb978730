import fc from "fast-check";
import { idArbitrary } from "./scenario.js";

/** A generated scenario with listed outcomes for a two-stage request (docs/stochastic.md). */
export interface ScenarioWithOutcomes {
  readonly input: Record<string, unknown>;
  readonly outcomes: { name: string; probability: number; changes: unknown[] }[];
}

/**
 * 1–3 outcomes with hostile names, each scaling one plant's capacity and every
 * price by its own factor, with probabilities in proportion to drawn weights.
 * Scenarios that sell nothing are left out: a price change must select something.
 */
export function withOutcomes(scenarios: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<ScenarioWithOutcomes> {
  return scenarios
    .filter((input) => (input["demand"] as unknown[]).length > 0)
    .chain((input) => {
      const plants = input["plants"] as { id: string; resources: Record<string, unknown> }[];
      const capacities = plants.flatMap((plant) => Object.keys(plant.resources).map((resource) => ({ plant: plant.id, resource })));
      const outcome = fc.record({
        weight: fc.integer({ min: 1, max: 10 }),
        capacity: fc.constantFrom(...capacities),
        capacityScale: fc.double({ min: 0.3, max: 1.7, noNaN: true }),
        priceScale: fc.double({ min: 0.5, max: 1.5, noNaN: true }),
      });
      return fc
        .record({ names: fc.uniqueArray(idArbitrary, { minLength: 1, maxLength: 3 }), drawn: fc.array(outcome, { minLength: 3, maxLength: 3 }) })
        .map(({ names, drawn }) => {
          const used = drawn.slice(0, names.length);
          const total = used.reduce((sum, entry) => sum + entry.weight, 0);
          return {
            input,
            outcomes: names.map((name, i) => {
              const entry = used[i] ?? { weight: 1, capacity: capacities[0], capacityScale: 1, priceScale: 1 };
              return {
                name,
                probability: entry.weight / total,
                changes: [
                  { on: "capacity", plant: entry.capacity?.plant, resource: entry.capacity?.resource, scale: entry.capacityScale },
                  { on: "demand", field: "price", scale: entry.priceScale },
                ],
              };
            }),
          };
        });
    });
}
