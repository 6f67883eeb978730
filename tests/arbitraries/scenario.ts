import fc from "fast-check";
import { at } from "../../src/util/invariant.js";

/**
 * Valid `jointplan/v1` scenarios with every feature: several periods, period
 * maps with and without "*", inventory with initial/final, parts with local
 * and import sources, every target kind with filters, availability windows,
 * integer on/off, every objective — and ids drawn from hostile strings
 * (solver result keys, JavaScript internals, spaces, Cyrillic) as well as
 * plain ones. Sizes stay small so shrinking finds small counterexamples.
 */

export const hostileIds = [
  "feasible",
  "result",
  "bounded",
  "isIntegral",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "a b",
  "Андижан",
  "x0",
  "r0",
  "b0",
  "objective",
  "obj",
  "*x",
  '"quoted"',
  "back\\slash",
  "1e3",
  "-",
] as const;

const plainIds = ["andijan", "samarkand", "tashkent", "car", "bus", "engine", "uz", "kz", "alpha", "beta", "gamma", "delta"] as const;

export const idArbitrary = fc.oneof(fc.constantFrom(...hostileIds), fc.constantFrom(...plainIds), fc.string({ minLength: 1, maxLength: 6 }));

/**
 * Ids that a workbook must carry through unchanged besides those above: texts a
 * spreadsheet would take for a formula or a sheet reference, quotes and
 * brackets, escapes of the workbook's XML (`_x0041_`), control characters,
 * texts that look like numbers or booleans, list separators, spaces at the
 * ends, an emoji, and names longer than a sheet name may be.
 */
export const workbookHostileIds = [
  "=cmd|' /C calc'!A0",
  "=1+1",
  "+1",
  "-5",
  "@SUM(A1)",
  "\tlead",
  "\rcr",
  "a\r\nb",
  "'quoted'",
  "Routes!C7",
  "bang!",
  "[x]",
  '["a"]',
  "_x0041_",
  "_x005f_x0041_",
  "nul\u0000",
  "del\u007f",
  "2020",
  "0.1",
  "TRUE",
  "a, b",
  " spaced ",
  "😀",
  "Ташкент",
  "a-very-long-identifier-beyond-31-characters",
  "*",
] as const;

export const workbookIdArbitrary = fc.oneof(
  fc.constantFrom(...workbookHostileIds.filter((id) => id !== "*")),
  fc.constantFrom(...hostileIds),
  fc.constantFrom(...plainIds),
  fc.string({ minLength: 1, maxLength: 6, unit: "binary" }),
);

const amount = (max: number, min = 0) => fc.integer({ min, max });
const fractional = (max: number) =>
  fc.oneof(
    amount(max),
    fc.double({ min: 0, max, noNaN: true, noDefaultInfinity: true }).map((x) => Math.round(x * 100) / 100),
  );

/** A PeriodNumber over `periods`: a number, a full map, or a partial map with "*". */
function periodNumber(periods: readonly string[], value: fc.Arbitrary<number>): fc.Arbitrary<number | Record<string, number>> {
  const full = fc.tuple(...periods.map(() => value)).map((values) => Object.fromEntries(periods.map((p, i) => [p, at(values, i, "period value")])));
  const withDefault = fc.tuple(value, fc.subarray([...periods]), fc.tuple(...periods.map(() => value))).map(([fallback, listed, values]) => {
    const map: Record<string, number> = {};
    Object.defineProperty(map, "*", { value: fallback, enumerable: true, writable: true, configurable: true });
    for (const p of listed)
      Object.defineProperty(map, p, { value: at(values, periods.indexOf(p), "period value"), enumerable: true, writable: true, configurable: true });
    return map;
  });
  return fc.oneof(value, full, withDefault);
}

/** `arbitrary` one time in `every`, null otherwise. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: every - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}

/** Assigns a JSON-safe own property, even for keys such as "__proto__". */
function put(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export interface ScenarioArbitraryOptions {
  readonly maxPeriods?: number;
  readonly maxPlants?: number;
  readonly maxProducts?: number;
  readonly maxParts?: number;
  /** Generate `integer: true` some of the time. */
  readonly integer?: boolean;
  /** Where ids come from (default `idArbitrary`). */
  readonly ids?: fc.Arbitrary<string>;
}

export function scenarioArbitrary(options: ScenarioArbitraryOptions = {}): fc.Arbitrary<Record<string, unknown>> {
  const { maxPeriods = 3, maxPlants = 3, maxProducts = 4, maxParts = 3, integer = true, ids: idSource = idArbitrary } = options;
  /** `count` distinct ids. */
  const distinctIds = (min: number, max: number) => fc.uniqueArray(idSource, { minLength: min, maxLength: max });
  return fc
    .record({
      periods: distinctIds(1, maxPeriods).filter((ids) => !ids.includes("*")),
      plantIds: distinctIds(1, maxPlants),
      productIds: distinctIds(1, maxProducts),
      partIds: distinctIds(0, maxParts),
      marketIds: distinctIds(1, 3),
      resourceIds: distinctIds(1, 2),
      families: fc.uniqueArray(fc.constantFrom("car", "bus", "agri", "__proto__", "constructor"), { minLength: 1, maxLength: 3 }),
    })
    .chain((ids) => {
      const { periods } = ids;
      const plant = (id: string) =>
        fc.subarray(ids.resourceIds, { minLength: 1 }).chain((resources) =>
          fc.tuple(...resources.map(() => periodNumber(periods, amount(400, 20)))).map((capacities) => {
            const record: Record<string, unknown> = {};
            resources.forEach((r, i) => put(record, r, capacities[i]));
            return { id, resources: record, plantResources: resources };
          }),
        );
      const product = (id: string) =>
        fc
          .record({
            family: fc.constantFrom(...ids.families),
            window: sometimes(fc.tuple(fc.nat(periods.length - 1), fc.nat(periods.length - 1)), 3),
            bom: fc.subarray(ids.partIds),
            quantities: fc.array(fc.constantFrom(1, 1, 2, 0.5), { minLength: ids.partIds.length, maxLength: ids.partIds.length }),
          })
          .map(({ family, window, bom, quantities }) => {
            const result: Record<string, unknown> = { id, family };
            if (window !== null) {
              const [a, b] = window;
              result["available_from"] = periods[Math.min(a, b)];
              result["available_until"] = periods[Math.max(a, b)];
            }
            if (bom.length > 0) {
              const record: Record<string, unknown> = {};
              bom.forEach((part) => put(record, part, quantities[ids.partIds.indexOf(part)] ?? 1));
              result["bom"] = record;
            }
            return result;
          });
      const part = (id: string) =>
        fc
          .uniqueArray(
            fc.record({
              id: idSource,
              local: fc.boolean(),
              capacity: sometimes(periodNumber(periods, amount(300, 10)), 2),
              unit_cost: fractional(20),
            }),
            { minLength: 1, maxLength: 2, selector: (source) => source.id },
          )
          .chain((sources) =>
            fc.record({ value: fc.constantFrom(1, 1, 2, 5), sources: fc.constant(sources) }).map(({ value, sources: list }) => ({
              id,
              value,
              sources: list.map((s) => (s.capacity === null ? { id: s.id, local: s.local, unit_cost: s.unit_cost } : { ...s, capacity: s.capacity })),
            })),
          );
      return fc.record({
        periods: fc.constant(periods),
        plants: fc.tuple(...ids.plantIds.map(plant)),
        products: fc.tuple(...ids.productIds.map(product)),
        parts: ids.partIds.length === 0 ? fc.constant([]) : fc.tuple(...ids.partIds.map(part)),
        markets: fc.tuple(...ids.marketIds.map((id) => fc.boolean().map((exported) => ({ id, export: exported })))),
        ids: fc.constant(ids),
        integer: integer ? fc.boolean() : fc.constant(false),
        objective: fc.constantFrom("max_margin", "max_margin", "min_cost", "max_units"),
      });
    })
    .chain((base) => {
      const { periods, ids } = base;
      const pairs = base.plants.flatMap((plant) => base.products.map((product) => ({ plant, product })));
      const route = ({ plant, product }: (typeof pairs)[number]) =>
        fc
          .record({
            // Now and then a route that uses no resource: with no other limit, an unbounded plan.
            uses: fc.oneof({ weight: 12, arbitrary: fc.subarray(plant.plantResources, { minLength: 1 }) }, { weight: 1, arbitrary: fc.constant([]) }),
            amounts: fc.array(fc.constantFrom(1, 2, 3, 0.5), { minLength: 2, maxLength: 2 }),
            unit_cost: fractional(10),
            min: sometimes(periodNumber(periods, amount(5)), 8),
            max: sometimes(periodNumber(periods, fc.integer({ min: 5, max: 200 })), 3),
            inventory: fc.option(
              fc.record({
                max: sometimes(periodNumber(periods, fc.integer({ min: 5, max: 100 })), 2),
                holding_cost: fractional(3),
                initial: amount(5),
                final: sometimes(amount(5), 3),
              }),
              { freq: 2 },
            ),
          })
          .map((r) => {
            const uses: Record<string, unknown> = {};
            (r.uses as readonly string[]).forEach((resource, i) => put(uses, resource, r.amounts[i] ?? 1));
            const result: Record<string, unknown> = { plant: plant.id, product: product["id"], uses, unit_cost: r.unit_cost };
            if (r.min !== null) result["min"] = r.min;
            if (r.max !== null) result["max"] = r.max;
            if (r.inventory !== null) {
              const inventory: Record<string, unknown> = { holding_cost: r.inventory.holding_cost, initial: r.inventory.initial };
              if (r.inventory.max !== null) inventory["max"] = r.inventory.max;
              if (r.inventory.final !== null) inventory["final"] = r.inventory.final;
              result["inventory"] = inventory;
            }
            return result;
          });
      const demandPairs = base.markets.flatMap((market) => base.products.map((product) => ({ market, product })));
      const demand = ({ market, product }: (typeof demandPairs)[number]) =>
        fc
          .record({
            price: periodNumber(periods, fractional(60)),
            min: sometimes(periodNumber(periods, amount(10)), 6),
            max: sometimes(periodNumber(periods, fc.integer({ min: 10, max: 150 })), 2),
          })
          .map((d) => {
            const result: Record<string, unknown> = { market: market.id, product: product["id"], price: d.price };
            if (d.min !== null) result["min"] = d.min;
            if (d.max !== null) result["max"] = d.max;
            return result;
          });
      const target = fc
        .record({
          kind: fc.constantFrom("units", "export_share", "local_parts_share"),
          min: sometimes(fc.integer({ min: 0, max: 60 }), 3),
          max: sometimes(fc.integer({ min: 100, max: 400 }), 3),
          share: sometimes(fc.constantFrom(0.2, 0.5, 0.75), 3),
          shareMax: sometimes(fc.constantFrom(0.8, 0.9, 1), 3),
          families: sometimes(
            fc.subarray(
              base.products.map((p) => p["family"] as string),
              { minLength: 1 },
            ),
            2,
          ),
          products: sometimes(fc.subarray(ids.productIds, { minLength: 1 }), 3),
          plants: sometimes(fc.subarray(ids.plantIds, { minLength: 1 }), 3),
          periods: sometimes(fc.subarray(periods, { minLength: 1 }), 3),
        })
        .map((t) => {
          const result: Record<string, unknown> = { kind: t.kind };
          if (t.kind === "units") {
            if (t.min !== null) result["min"] = t.min;
            if (t.max !== null) result["max"] = t.max;
          } else {
            if (t.share !== null) result["min"] = t.share;
            if (t.shareMax !== null) result["max"] = t.shareMax;
          }
          if (t.families !== null) result["families"] = [...new Set(t.families)];
          if (t.products !== null) result["products"] = t.products;
          if (t.plants !== null) result["plants"] = t.plants;
          if (t.periods !== null) result["periods"] = t.periods;
          return result;
        });
      return fc
        .record({
          routes: fc.subarray(pairs, { minLength: 1 }).chain((chosen) => fc.tuple(...chosen.map(route))),
          demand: fc
            .subarray(demandPairs)
            .chain((chosen): fc.Arbitrary<Record<string, unknown>[]> => (chosen.length === 0 ? fc.constant([]) : fc.tuple(...chosen.map(demand)))),
          targets: fc
            .uniqueArray(idSource, { maxLength: 3 })
            .chain((targetIds): fc.Arbitrary<Record<string, unknown>[]> =>
              targetIds.length === 0 ? fc.constant([]) : fc.tuple(...targetIds.map((id) => target.map((t) => ({ id, ...t })))),
            ),
        })
        .map(({ routes, demand: demandRows, targets }) => ({
          format: "jointplan/v1",
          id: "generated",
          title: "Generated scenario",
          periods: [...periods],
          integer: base.integer,
          objective: base.objective,
          plants: base.plants.map(({ plantResources: _unused, ...plant }) => plant),
          products: base.products,
          routes,
          parts: base.parts,
          markets: base.markets,
          demand: demandRows,
          targets,
        }));
    });
}

/** Country names for generated networks: plain, unicode and hostile. */
const countryNames = ["UZ", "KZ", "Қазақстан", "__proto__", "a b"] as const;

/**
 * Valid scenarios of the joint network (docs/format.md §1.6): the scenarios
 * of `scenarioArbitrary`, then countries on plants and markets, sources made
 * at a plant (using its resources, with a bom of other parts — two levels and
 * more, never a cycle: a part's in-house bom names only parts after it),
 * delivery lanes with freight, duty and capacities, and routes with shipping
 * lanes to some of their markets. Every plant that consumes a part gets a
 * source that delivers to it. Ids stay as hostile as `scenarioArbitrary` makes them.
 */
export function networkScenarioArbitrary(options: ScenarioArbitraryOptions = {}): fc.Arbitrary<Record<string, unknown>> {
  return scenarioArbitrary({ maxParts: 4, ...options }).chain((scenario) => fc.gen().map((draw) => withNetwork(scenario, draw)));
}

type Draw = fc.GeneratorValue;
type Json = Record<string, unknown>;

function withNetwork(input: Json, draw: Draw): Json {
  // A JSON copy keeps own "__proto__" keys as own properties.
  const scenario = JSON.parse(JSON.stringify(input)) as Json & {
    periods: string[];
    plants: (Json & { id: string; resources: Json })[];
    products: (Json & { id: string; bom?: Json })[];
    routes: (Json & { plant: string; product: string })[];
    parts: (Json & { id: string; sources: (Json & { id: string })[] })[];
    markets: (Json & { id: string })[];
    demand: (Json & { market: string; product: string })[];
  };
  const { periods, plants, parts } = scenario;
  // Most products take parts, so that most networks move some.
  for (const product of scenario.products) {
    if (product.bom !== undefined || parts.length === 0 || draw(() => fc.integer({ min: 0, max: 2 })) === 0) continue;
    const bom: Json = {};
    put(
      bom,
      draw(() => fc.constantFrom(...parts)).id,
      draw(() => fc.constantFrom(1, 2, 0.5)),
    );
    product.bom = bom;
  }
  const countries = draw(() => fc.uniqueArray(fc.constantFrom(...countryNames), { minLength: 2, maxLength: 2 }));
  const country = () => draw(() => fc.constantFrom(...countries));
  for (const plant of plants) if (draw(() => fc.boolean())) plant["country"] = country();
  // The first market always has a country, so that every generated scenario is one of the network (plants had countries before it).
  scenario.markets.forEach((market, m) => {
    if (m === 0 || draw(() => fc.integer({ min: 0, max: 3 })) > 0) market["country"] = country();
  });
  const lane = () => {
    const result: Json = {};
    if (draw(() => fc.boolean())) result["cost"] = draw(() => fractional(5));
    if (draw(() => fc.boolean())) result["duty"] = draw(() => fc.constantFrom(0, 0.05, 0.15, 0.5));
    if (draw(() => fc.integer({ min: 0, max: 2 })) === 0) result["capacity"] = draw(() => periodNumber(periods, amount(200)));
    return result;
  };

  parts.forEach((part, k) => {
    for (const source of part.sources) {
      if (draw(() => fc.integer({ min: 0, max: 2 })) === 0) {
        const plant = draw(() => fc.constantFrom(...plants));
        source["plant"] = plant.id;
        const resources = draw(() => fc.subarray(Object.keys(plant.resources)));
        if (resources.length > 0) {
          const uses: Json = {};
          for (const resource of resources)
            put(
              uses,
              resource,
              draw(() => fc.constantFrom(0.5, 1, 2)),
            );
          source["uses"] = uses;
        }
        const later = parts.slice(k + 1).map((p) => p.id);
        const subParts = later.length === 0 ? [] : draw(() => fc.subarray(later, { maxLength: Math.min(2, later.length) }));
        if (subParts.length > 0) {
          const bom: Json = {};
          for (const subPart of subParts)
            put(
              bom,
              subPart,
              draw(() => fc.constantFrom(0.5, 1, 2)),
            );
          source["bom"] = bom;
        }
      }
      if (draw(() => fc.boolean())) {
        const destinations = draw(() => fc.subarray(plants.map((plant) => plant.id)));
        const lanes: Json = {};
        for (const destination of destinations) put(lanes, destination, lane());
        source["delivers_to"] = lanes;
      }
    }
  });
  // Every part a plant consumes must be delivered to it by some source: a lane is added where none is.
  for (const [k, consumers] of consumersOf(scenario).entries()) {
    const part = at(parts, k, "part");
    for (const plant of consumers) {
      const delivers = part.sources.some((source) => source["delivers_to"] === undefined || Object.prototype.hasOwnProperty.call(source["delivers_to"], plant));
      if (!delivers)
        put(
          at(
            part.sources,
            draw(() => fc.nat(part.sources.length - 1)),
            "source",
          )["delivers_to"] as Json,
          plant,
          lane(),
        );
    }
  }
  for (const route of scenario.routes) {
    if (draw(() => fc.integer({ min: 0, max: 2 })) !== 0) continue;
    const markets = scenario.demand.filter((demand) => demand.product === route.product).map((demand) => demand.market);
    const chosen = markets.length === 0 ? [] : draw(() => fc.subarray(markets));
    const lanes: Json = {};
    for (const market of chosen) put(lanes, market, lane());
    route["ships_to"] = lanes;
  }
  return scenario;
}

/** Per part position: the plants consuming it (routes by their product's bom, parts made there by their source's bom). */
function consumersOf(scenario: {
  routes: readonly { plant: string; product: string }[];
  products: readonly { id: string; bom?: Json }[];
  parts: readonly { id: string; sources: readonly Json[] }[];
}): Set<string>[] {
  const own = (record: unknown, key: string): unknown =>
    typeof record === "object" && record !== null && Object.prototype.hasOwnProperty.call(record, key) ? (record as Json)[key] : undefined;
  return scenario.parts.map((part) => {
    const plants = new Set<string>();
    for (const route of scenario.routes) {
      const bom = scenario.products.find((product) => product.id === route.product)?.bom;
      if (typeof own(bom, part.id) === "number" && own(bom, part.id) !== 0) plants.add(route.plant);
    }
    for (const other of scenario.parts) {
      for (const source of other.sources) {
        if (typeof source["plant"] === "string" && typeof own(source["bom"], part.id) === "number" && own(source["bom"], part.id) !== 0)
          plants.add(source["plant"]);
      }
    }
    return plants;
  });
}

/**
 * Valid scenarios with investments (docs/format.md §1.7): a scenario of
 * `scenarioArbitrary` (or, now and then, a network), then one to four
 * investments at its plants — capacity added to some of the plant's
 * resources (per period now and then), fixed and operating costs, windows,
 * groups shared by some, at most one required per group, a decision taken
 * now and then — and sometimes a discount rate. Ids as hostile as ever.
 */
export function investmentScenarioArbitrary(options: ScenarioArbitraryOptions = {}): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .oneof({ weight: 3, arbitrary: scenarioArbitrary(options) }, { weight: 1, arbitrary: networkScenarioArbitrary(options) })
    .chain((scenario) => fc.gen().map((draw) => withInvestments(scenario, draw, options.ids ?? idArbitrary)));
}

function withInvestments(input: Json, draw: Draw, idArbitrary: fc.Arbitrary<string>): Json {
  const scenario = JSON.parse(JSON.stringify(input)) as Json & { periods: string[]; plants: (Json & { id: string; resources: Json })[] };
  const { periods, plants } = scenario;
  const ids = draw(() => fc.uniqueArray(idArbitrary, { minLength: 1, maxLength: 4 }));
  const groups = draw(() => fc.uniqueArray(idArbitrary, { minLength: 1, maxLength: 2 }));
  const requiredIn = new Set<string>();
  scenario["investments"] = ids.map((id) => {
    const plant = draw(() => fc.constantFrom(...plants));
    const resources = draw(() => fc.subarray(Object.keys(plant.resources), { minLength: 1 }));
    const adds: Json = {};
    for (const resource of resources)
      put(
        adds,
        resource,
        draw(() => periodNumber(periods, amount(300, 10))),
      );
    const investment: Json = { id, plant: plant.id, adds };
    if (draw(() => fc.boolean())) investment["fixed_cost"] = draw(() => fractional(800));
    if (draw(() => fc.boolean())) investment["operating_cost"] = draw(() => periodNumber(periods, fractional(40)));
    const from = draw(() => fc.nat(periods.length - 1));
    const until = draw(() => fc.integer({ min: from, max: periods.length - 1 }));
    if (from > 0 || draw(() => fc.boolean())) investment["earliest"] = periods[from];
    if (until < periods.length - 1 || draw(() => fc.boolean())) investment["latest"] = periods[until];
    const group = draw(() => fc.option(fc.constantFrom(...groups), { freq: 2 }));
    if (group !== null) investment["group"] = group;
    const choice = draw(() => fc.integer({ min: 0, max: 9 }));
    if (choice === 0 && !(group !== null && requiredIn.has(group))) {
      investment["required"] = true;
      if (group !== null) requiredIn.add(group);
    } else if (choice === 1) investment["built"] = draw(() => fc.boolean());
    return investment;
  });
  if (draw(() => fc.boolean())) scenario["discount_rate"] = draw(() => fc.constantFrom(0, 0.05, 0.1, 0.2));
  return scenario;
}
