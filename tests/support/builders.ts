/**
 * Small scenario builders for tests: a minimal valid scenario, overridable field by field.
 * Returned objects are plain JSON, as a user would write them.
 */
export type Json = Record<string, unknown>;

export function minimalScenario(overrides: Json = {}): Json {
  return {
    format: "jointplan/v1",
    id: "test",
    title: "Test scenario",
    plants: [{ id: "p", resources: { hours: 100 } }],
    products: [{ id: "q", family: "car" }],
    routes: [{ plant: "p", product: "q", uses: { hours: 1 } }],
    markets: [{ id: "m" }],
    demand: [{ market: "m", product: "q", price: 10 }],
    ...overrides,
  };
}
