import { describe, expect, it } from "vitest";
import { parseScenario, validateScenario, ValidationError } from "../../src/index.js";
import { minimalScenario, type Json } from "../support/builders.js";
import { matching } from "../support/matchers.js";

/** Each rejection rule of docs/format.md §1.5, with the JSON path the error must name. */
function issuesOf(input: unknown) {
  const result = validateScenario(input);
  if (result.ok) throw new Error("expected the scenario to be rejected");
  return result.issues;
}

function expectRejected(input: unknown, path: string, message?: RegExp) {
  const issues = issuesOf(input);
  const match = issues.find((issue) => issue.path === path);
  expect(match, `no issue at ${path}; got ${JSON.stringify(issues)}`).toBeDefined();
  if (message !== undefined) expect(match?.message).toMatch(message);
}

const withParts: Json = {
  products: [{ id: "q", family: "car", bom: { engine: 1 } }],
  parts: [{ id: "engine", sources: [{ id: "local", local: true, capacity: 10 }] }],
};

describe("scenario validation (docs/format.md §1)", () => {
  it("accepts the minimal scenario and fills in the defaults", () => {
    const scenario = parseScenario(minimalScenario());
    expect(scenario.currency).toBe("USD");
    expect(scenario.periods).toEqual(["base"]);
    expect(scenario.integer).toBe(false);
    expect(scenario.objective).toBe("max_margin");
    expect(scenario.parts).toEqual([]);
    expect(scenario.targets).toEqual([]);
    expect(scenario.routes[0]?.unit_cost).toBe(0);
    expect(scenario.markets[0]?.export).toBe(false);
  });

  const cases: [string, Json, string, RegExp?][] = [
    ["a wrong format tag", minimalScenario({ format: "jointplan/v2" }), "format"],
    ["a missing required field", (({ title: _t, ...rest }) => rest)(minimalScenario()), "title", /required/],
    ["an unknown top-level field", minimalScenario({ colour: "red" }), "colour", /unknown field/],
    ["an unknown nested field", minimalScenario({ routes: [{ plant: "p", product: "q", uses: {}, speed: 3 }] }), "routes[0].speed", /unknown field/],
    ["a route to an unknown plant", minimalScenario({ routes: [{ plant: "nowhere", product: "q", uses: {} }] }), "routes[0].plant", /unknown plant/],
    ["a route to an unknown product", minimalScenario({ routes: [{ plant: "p", product: "ghost", uses: {} }] }), "routes[0].product", /unknown product/],
    [
      "a route using a resource its plant lacks",
      minimalScenario({ routes: [{ plant: "p", product: "q", uses: { paint: 1 } }] }),
      "routes[0].uses.paint",
      /no resource/,
    ],
    [
      "a bom part that is not in parts",
      minimalScenario({ products: [{ id: "q", family: "car", bom: { engine: 1 } }] }),
      "products[0].bom.engine",
      /unknown part/,
    ],
    ["demand in an unknown market", minimalScenario({ demand: [{ market: "mars", product: "q" }] }), "demand[0].market", /unknown market/],
    ["demand for an unknown product", minimalScenario({ demand: [{ market: "m", product: "ghost" }] }), "demand[0].product", /unknown product/],
    ["a target on an unknown family", minimalScenario({ targets: [{ id: "t", kind: "units", families: ["boat"] }] }), "targets[0].families[0]"],
    ["a target on an unknown product", minimalScenario({ targets: [{ id: "t", kind: "units", products: ["ghost"] }] }), "targets[0].products[0]"],
    ["a target on an unknown plant", minimalScenario({ targets: [{ id: "t", kind: "units", plants: ["nowhere"] }] }), "targets[0].plants[0]"],
    ["a target in an unknown period", minimalScenario({ targets: [{ id: "t", kind: "units", periods: ["2099"] }] }), "targets[0].periods[0]", /unknown period/],
    ["an unknown target kind", minimalScenario({ targets: [{ id: "t", kind: "happiness" }] }), "targets[0].kind"],
    [
      "duplicate plant ids",
      minimalScenario({
        plants: [
          { id: "p", resources: { hours: 1 } },
          { id: "p", resources: {} },
        ],
      }),
      "plants[1].id",
      /duplicate/,
    ],
    [
      "duplicate product ids",
      minimalScenario({
        products: [
          { id: "q", family: "car" },
          { id: "q", family: "bus" },
        ],
      }),
      "products[1].id",
      /duplicate/,
    ],
    ["duplicate market ids", minimalScenario({ markets: [{ id: "m" }, { id: "m" }] }), "markets[1].id", /duplicate/],
    [
      "duplicate part ids",
      minimalScenario({
        parts: [
          { id: "k", sources: [{ id: "s", local: true }] },
          { id: "k", sources: [{ id: "s", local: true }] },
        ],
      }),
      "parts[1].id",
      /duplicate/,
    ],
    [
      "duplicate source ids within a part",
      minimalScenario({
        parts: [
          {
            id: "k",
            sources: [
              { id: "s", local: true },
              { id: "s", local: false },
            ],
          },
        ],
      }),
      "parts[0].sources[1].id",
      /duplicate/,
    ],
    [
      "duplicate target ids",
      minimalScenario({
        targets: [
          { id: "t", kind: "units" },
          { id: "t", kind: "units" },
        ],
      }),
      "targets[1].id",
      /duplicate/,
    ],
    ["duplicate period labels", minimalScenario({ periods: ["2020", "2020"] }), "periods[1]", /duplicate/],
    ["the reserved period label *", minimalScenario({ periods: ["*"] }), "periods[0]", /reserved/],
    [
      "a duplicate (plant, product) route",
      minimalScenario({
        routes: [
          { plant: "p", product: "q", uses: {} },
          { plant: "p", product: "q", uses: {} },
        ],
      }),
      "routes[1]",
      /duplicate route/,
    ],
    [
      "a duplicate (market, product) demand row",
      minimalScenario({
        demand: [
          { market: "m", product: "q" },
          { market: "m", product: "q" },
        ],
      }),
      "demand[1]",
      /duplicate demand/,
    ],
    ["a negative capacity", minimalScenario({ plants: [{ id: "p", resources: { hours: -5 } }] }), "plants[0].resources.hours", /negative/],
    [
      "a negative capacity in one period",
      minimalScenario({ periods: ["a", "b"], plants: [{ id: "p", resources: { hours: { a: 1, b: -1 } } }] }),
      "plants[0].resources.hours.b",
      /negative/,
    ],
    ["a negative unit cost", minimalScenario({ routes: [{ plant: "p", product: "q", uses: {}, unit_cost: -1 }] }), "routes[0].unit_cost", /negative/],
    [
      "a negative source cost",
      minimalScenario({ ...withParts, parts: [{ id: "engine", sources: [{ id: "s", local: true, unit_cost: -3 }] }] }),
      "parts[0].sources[0].unit_cost",
      /negative/,
    ],
    [
      "a negative holding cost",
      minimalScenario({ routes: [{ plant: "p", product: "q", uses: {}, inventory: { holding_cost: -1 } }] }),
      "routes[0].inventory.holding_cost",
      /negative/,
    ],
    ["a negative price", minimalScenario({ demand: [{ market: "m", product: "q", price: -10 }] }), "demand[0].price", /negative/],
    ["a negative demand bound", minimalScenario({ demand: [{ market: "m", product: "q", max: -1 }] }), "demand[0].max", /negative/],
    ["a negative route bound", minimalScenario({ routes: [{ plant: "p", product: "q", uses: {}, min: -2 }] }), "routes[0].min", /negative/],
    [
      "a negative bom quantity",
      minimalScenario({ ...withParts, products: [{ id: "q", family: "car", bom: { engine: -1 } }] }),
      "products[0].bom.engine",
      /negative/,
    ],
    ["route min above max", minimalScenario({ routes: [{ plant: "p", product: "q", uses: {}, min: 5, max: 3 }] }), "routes[0].min", /greater than max/],
    [
      "demand min above max in one period",
      minimalScenario({ periods: ["a", "b"], demand: [{ market: "m", product: "q", min: { a: 1, b: 9 }, max: 5 }] }),
      "demand[0].min",
      /period "b"/,
    ],
    ["target min above max", minimalScenario({ targets: [{ id: "t", kind: "units", min: 10, max: 5 }] }), "targets[0].min", /greater than max/],
    ["a share above 1", minimalScenario({ targets: [{ id: "t", kind: "export_share", min: 1.5 }] }), "targets[0].min", /\[0, 1\]/],
    ["a negative share", minimalScenario({ targets: [{ id: "t", kind: "local_parts_share", max: -0.1 }] }), "targets[0].max", /negative/],
    [
      "an unknown period label in a period map",
      minimalScenario({ periods: ["2020"], plants: [{ id: "p", resources: { hours: { "2020": 1, "2030": 2 } } }] }),
      'plants[0].resources.hours["2030"]',
      /unknown period/,
    ],
    [
      "a period map leaving a period without a value",
      minimalScenario({ periods: ["2020", "2021"], plants: [{ id: "p", resources: { hours: { "2020": 1 } } }] }),
      "plants[0].resources.hours",
      /"2021"/,
    ],
    [
      "an unknown available_from period",
      minimalScenario({ products: [{ id: "q", family: "car", available_from: "1999" }] }),
      "products[0].available_from",
      /unknown period/,
    ],
    [
      "available_until before available_from",
      minimalScenario({ periods: ["a", "b"], products: [{ id: "q", family: "car", available_from: "b", available_until: "a" }] }),
      "products[0].available_until",
    ],
    ["a wrong type", minimalScenario({ plants: "andijan" }), "plants"],
    ["a number given as a string", minimalScenario({ routes: [{ plant: "p", product: "q", uses: { hours: "2" } }] }), "routes[0].uses.hours"],
    ["an empty id", minimalScenario({ markets: [{ id: "" }] }), "markets[0].id", /empty/],
    ["no plants", minimalScenario({ plants: [] }), "plants", /at least one plant/],
    ["a part without sources", minimalScenario({ parts: [{ id: "k", sources: [] }] }), "parts[0].sources", /at least one source/],
    ["an unknown objective", minimalScenario({ objective: "max_happiness" }), "objective"],
  ];

  it.each(cases)("rejects %s, naming the field", (_name, input, path, message) => {
    expectRejected(input, path, message);
  });

  it("says what is wrong with a value of the wrong type, and 'is required' only for a missing one", () => {
    const wrongType = issuesOf(minimalScenario({ plants: "andijan" }));
    expect(wrongType).toContainEqual({ path: "plants", message: matching(/expected array, received string/) });
    const deep = issuesOf(minimalScenario({ notes: JSON.parse(`${"[".repeat(5000)}${"]".repeat(5000)}`) }));
    expect(deep).toContainEqual({ path: "notes", message: matching(/expected string/) });
    const missing = issuesOf((({ markets: _m, ...rest }) => rest)(minimalScenario()));
    expect(missing).toContainEqual({ path: "markets", message: "is required" });
  });

  it("rejects non-finite numbers given through the library", () => {
    expectRejected(minimalScenario({ plants: [{ id: "p", resources: { hours: Infinity } }] }), "plants[0].resources.hours");
    expectRejected(minimalScenario({ demand: [{ market: "m", product: "q", price: Number.NaN }] }), "demand[0].price");
  });

  it("rejects a document that is not an object, at the root path", () => {
    for (const input of [null, 42, "scenario", [], undefined]) {
      const issues = issuesOf(input);
      expect(issues[0]?.path).toBe("");
    }
  });

  it("lists every problem at once, not only the first", () => {
    const issues = issuesOf(
      minimalScenario({
        routes: [{ plant: "nowhere", product: "ghost", uses: {} }],
        demand: [{ market: "mars", product: "q" }],
      }),
    );
    expect(issues.map((issue) => issue.path).sort()).toEqual(["demand[0].market", "routes[0].plant", "routes[0].product"]);
  });

  it("lists broken references together with shape errors, each field once", () => {
    const issues = issuesOf(
      minimalScenario({
        plants: [{ id: "p", resources: { hours: -5 } }],
        products: [{ id: "q", family: "car", bom: { ghost: 1 } }],
        routes: [{ plant: "nowhere", product: "q", uses: {}, min: 5, max: 3 }],
        markets: [{ id: "m", colour: "red" }],
        demand: [{ market: "m", product: "q", price: "ten" }],
        targets: [{ id: "t", kind: "export_share", min: 1.5 }],
      }),
    );
    expect(issues.map((issue) => issue.path).sort()).toEqual(
      [
        "demand[0].price",
        "markets[0].colour",
        "plants[0].resources.hours",
        "products[0].bom.ghost",
        "routes[0].min",
        "routes[0].plant",
        "targets[0].min",
      ].sort(),
    );
  });

  it("does not guess at references when the collection they name is itself malformed", () => {
    // plants[0] has no id: whether "p" exists is unknown, so the route's plant is not called unknown.
    const issues = issuesOf(minimalScenario({ plants: [{ resources: { hours: 10 } }] }));
    expect(issues.map((issue) => issue.path)).toEqual(["plants[0].id"]);
    expect(issuesOf(minimalScenario({ markets: "KZ" })).map((issue) => issue.path)).toEqual(["markets"]);
  });

  it("rejects an empty key in an id-keyed record", () => {
    expectRejected(minimalScenario({ plants: [{ id: "p", resources: { "": 5 } }] }), 'plants[0].resources[""]', /empty/);
    expectRejected(minimalScenario({ routes: [{ plant: "p", product: "q", uses: { "": 1 } }] }), 'routes[0].uses[""]', /empty/);
  });

  it("quotes path segments that are not identifiers", () => {
    expectRejected(minimalScenario({ plants: [{ id: "p", resources: { "assembly hours": -1 } }] }), 'plants[0].resources["assembly hours"]');
  });

  it("throws a ValidationError carrying the issues from parseScenario", () => {
    try {
      parseScenario(minimalScenario({ routes: [{ plant: "nowhere", product: "q", uses: {} }] }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([{ path: "routes[0].plant", message: 'unknown plant "nowhere"' }]);
      expect((error as ValidationError).message).toContain("routes[0].plant");
    }
  });
});

/** The joint network's rules (docs/format.md §1.5–§1.6), each with the JSON path it must name. */
describe("scenario validation: the joint network", () => {
  const network = (sources: Json[], extra: Json = {}): Json =>
    minimalScenario({
      plants: [
        { id: "p", resources: { hours: 100, stamping: 50 } },
        { id: "kz", country: "KZ", resources: { hours: 100 } },
      ],
      products: [{ id: "q", family: "car", bom: { engine: 1 } }],
      routes: [
        { plant: "p", product: "q", uses: { hours: 1 } },
        { plant: "kz", product: "q", uses: { hours: 1 } },
      ],
      parts: [
        { id: "engine", sources },
        { id: "block", sources: [{ id: "foundry", local: true }] },
      ],
      ...extra,
    });

  const cases: [string, Json, string, RegExp][] = [
    ["a source made at an unknown plant", network([{ id: "s", local: true, plant: "nowhere" }]), "parts[0].sources[0].plant", /unknown plant "nowhere"/],
    ["uses without a plant", network([{ id: "s", local: true, uses: { hours: 1 } }]), "parts[0].sources[0].uses", /needs "plant"/],
    ["a bom without a plant", network([{ id: "s", local: true, bom: { block: 1 } }]), "parts[0].sources[0].bom", /needs "plant"/],
    [
      "uses of a resource the plant lacks",
      network([{ id: "s", local: true, plant: "kz", uses: { stamping: 1 } }]),
      "parts[0].sources[0].uses.stamping",
      /plant "kz" has no resource "stamping"/,
    ],
    [
      "a bom part that is not in parts",
      network([{ id: "s", local: true, plant: "p", bom: { piston: 1 } }]),
      "parts[0].sources[0].bom.piston",
      /unknown part "piston"/,
    ],
    [
      "a delivery to an unknown plant",
      network([{ id: "s", local: true, delivers_to: { p: {}, kz: {}, mars: {} } }]),
      "parts[0].sources[0].delivers_to.mars",
      /unknown plant "mars"/,
    ],
    [
      "a negative duty",
      network([{ id: "s", local: true, delivers_to: { p: {}, kz: { duty: -0.1 } } }]),
      "parts[0].sources[0].delivers_to.kz.duty",
      /must not be negative/,
    ],
    [
      "an unknown lane field",
      network([{ id: "s", local: true, delivers_to: { p: {}, kz: { tariff: 1 } } }]),
      "parts[0].sources[0].delivers_to.kz.tariff",
      /unknown field/,
    ],
    [
      "a lane capacity with an unknown period",
      network([{ id: "s", local: true, delivers_to: { p: {}, kz: { capacity: { "2031": 5, "*": 1 } } } }]),
      'parts[0].sources[0].delivers_to.kz.capacity["2031"]',
      /unknown period/,
    ],
    [
      "a part consumed at a plant no source delivers to (names the plant and the part)",
      network([{ id: "s", local: true, delivers_to: { p: {} } }]),
      "parts[0].sources",
      /no source of part "engine" delivers to plant "kz", which needs it \(to make "q"\)/,
    ],
    [
      "a shipping lane to an unknown market",
      minimalScenario({ routes: [{ plant: "p", product: "q", uses: { hours: 1 }, ships_to: { m: {}, mars: {} } }] }),
      "routes[0].ships_to.mars",
      /unknown market "mars"/,
    ],
    [
      "a shipping lane to a market without a demand row for the product",
      minimalScenario({
        markets: [{ id: "m" }, { id: "kz", country: "KZ" }],
        routes: [{ plant: "p", product: "q", uses: { hours: 1 }, ships_to: { kz: {} } }],
      }),
      "routes[0].ships_to.kz",
      /market "kz" has no demand row for product "q"/,
    ],
    [
      "a shipping lane with a negative freight",
      minimalScenario({ routes: [{ plant: "p", product: "q", uses: { hours: 1 }, ships_to: { m: { cost: -1 } } }] }),
      "routes[0].ships_to.m.cost",
      /must not be negative/,
    ],
    ["a market country that is not a string", minimalScenario({ markets: [{ id: "m", country: 7 }] }), "markets[0].country", /./],
  ];

  it.each(cases)("rejects %s", (_name, input, path, message) => expectRejected(input, path, message));

  it("names a bom cycle at the entry that closes it, with the whole cycle: engine → block → engine", () => {
    const input = network([{ id: "s", local: true, plant: "p", bom: { block: 1 } }]);
    (input["parts"] as Json[])[1] = { id: "block", sources: [{ id: "foundry", local: true, plant: "p", bom: { engine: 2 } }] };
    expect(issuesOf(input)).toEqual([{ path: "parts[1].sources[0].bom.engine", message: "engine is needed to make itself: engine → block → engine" }]);
  });

  it("names a part that needs itself directly", () => {
    expect(issuesOf(network([{ id: "s", local: true, plant: "p", bom: { engine: 1 } }]))).toEqual([
      { path: "parts[0].sources[0].bom.engine", message: "engine is needed to make itself: engine → engine" },
    ]);
  });

  it("accepts a network whose every consumer is supplied, and ids that look like internals", () => {
    const input = network([
      { id: "__proto__", local: true, plant: "p", uses: { stamping: 1 }, bom: { block: 1 }, delivers_to: { p: {}, kz: { cost: 1, duty: 0.15, capacity: 40 } } },
    ]);
    const scenario = parseScenario(input);
    expect(Object.keys(scenario.parts[0]?.sources[0]?.delivers_to ?? {})).toEqual(["p", "kz"]);
    expect(scenario.parts[0]?.sources[0]?.delivers_to?.["kz"]).toEqual({ cost: 1, duty: 0.15, capacity: 40 });
    expect(scenario.parts[0]?.sources[0]?.delivers_to?.["p"]).toEqual({ cost: 0, duty: 0 });
  });

  it("reports every network error at once, with the shape errors", () => {
    const input = network([{ id: "s", local: true, plant: "nowhere", delivers_to: { mars: {} } }], { colour: "red" });
    const paths = issuesOf(input).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(["colour", "parts[0].sources[0].plant", "parts[0].sources[0].delivers_to.mars"]));
  });
});

/** Investments (docs/format.md §1.5, §1.7), each rule with the JSON path it must name. */
describe("scenario validation: investments", () => {
  const withInvestments = (investments: Json[], extra: Json = {}): Json =>
    minimalScenario({ periods: ["2020", "2021", "2022"], plants: [{ id: "p", resources: { hours: 100, paint: 0 } }], investments, ...extra });
  const line = { id: "line", plant: "p", adds: { hours: 50 } };

  const cases: [string, Json, string, RegExp][] = [
    ["an unknown plant", withInvestments([{ ...line, plant: "nowhere" }]), "investments[0].plant", /unknown plant "nowhere"/],
    [
      "an adds resource the plant lacks",
      withInvestments([{ ...line, adds: { stamping: 10 } }]),
      "investments[0].adds.stamping",
      /plant "p" has no resource "stamping"/,
    ],
    ["earliest after latest", withInvestments([{ ...line, earliest: "2022", latest: "2020" }]), "investments[0].earliest", /is after latest \("2020"\)/],
    [
      "a window outside the periods",
      withInvestments([{ ...line, latest: "2031" }]),
      "investments[0].latest",
      /unknown period "2031": the window must lie within the periods/,
    ],
    [
      "a required investment whose group already holds a required one",
      withInvestments([
        { ...line, id: "a", group: "site", required: true },
        { ...line, id: "b", group: "site", required: true },
      ]),
      "investments[1].required",
      /group "site" already has a required investment \(investments\[0\]\)/,
    ],
    ["a negative fixed cost", withInvestments([{ ...line, fixed_cost: -1 }]), "investments[0].fixed_cost", /must not be negative/],
    [
      "a negative operating cost in a period",
      withInvestments([{ ...line, operating_cost: { "2020": 1, "*": -2 } }]),
      'investments[0].operating_cost["*"]',
      /must not be negative/,
    ],
    ["a negative capacity added", withInvestments([{ ...line, adds: { hours: -5 } }]), "investments[0].adds.hours", /must not be negative/],
    ["a duplicate investment id", withInvestments([line, line]), "investments[1].id", /duplicate investment id "line"/],
    ["a required investment decided against", withInvestments([{ ...line, required: true, built: false }]), "investments[0].built", /cannot be forbidden/],
    ["a negative discount rate", withInvestments([line], { discount_rate: -0.1 }), "discount_rate", /must not be negative/],
    ["an unknown investment field", withInvestments([{ ...line, lifetime: 10 }]), "investments[0].lifetime", /unknown field/],
  ];

  it.each(cases)("rejects %s", (_name, input, path, message) => expectRejected(input, path, message));

  it("accepts a candidate site whose resources are 0 until an investment adds to them, and fills in the defaults", () => {
    const scenario = parseScenario(withInvestments([{ ...line, id: "__proto__", adds: { paint: { "2020": 0, "*": 40 } } }]));
    expect(scenario.investments[0]).toMatchObject({ id: "__proto__", fixed_cost: 0, operating_cost: 0, required: false });
    expect(scenario.discount_rate).toBe(0);
  });
});
