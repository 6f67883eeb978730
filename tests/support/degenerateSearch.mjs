// Searches for javascript-lp-solver cycling or hanging on degenerate LPs of at most 60 columns (the
// ones `auto` gives it): ties everywhere — equal capacities, unit resource uses, equal prices and
// costs, demand bounds equal to capacities — so that many bases describe one vertex. Run as a
// child process by tests/solvers/degenerate.test.ts, which stops it at a deadline: a hang shows as
// a timeout, with the scenario being solved written to the file named by DEGENERATE_CURRENT.
import { writeFileSync } from "node:fs";
import fc from "fast-check";
import { formulate, parseScenario, plan } from "../../dist/index.js";

const runs = Number(process.env["DEGENERATE_RUNS"] ?? 300);
const current = process.env["DEGENERATE_CURRENT"];
const level = fc.constantFrom(0, 10, 20, 100);

const scenario = fc
  .record({
    plants: fc.integer({ min: 1, max: 3 }),
    products: fc.integer({ min: 1, max: 4 }),
    markets: fc.integer({ min: 1, max: 3 }),
    capacity: level,
    price: fc.constantFrom(0, 5, 10),
    cost: fc.constantFrom(0, 5, 10),
    demandMin: fc.constantFrom(0, 10, 20),
    // max ≥ min: ties between the two are the point.
    demandMax: fc.constantFrom(undefined, 20, 100),
    share: fc.constantFrom(undefined, 0, 0.5, 1),
    objective: fc.constantFrom("max_margin", "min_cost", "max_units"),
  })
  .map((s) => {
    const plants = Array.from({ length: s.plants }, (_, p) => ({ id: `p${p}`, resources: { h: s.capacity, g: s.capacity } }));
    const products = Array.from({ length: s.products }, (_, q) => ({ id: `q${q}`, family: "car" }));
    const markets = Array.from({ length: s.markets }, (_, m) => ({ id: `m${m}`, export: m % 2 === 1 }));
    return {
      format: "jointplan/v1",
      id: "degenerate",
      title: "degenerate",
      objective: s.objective,
      plants,
      products,
      routes: plants.flatMap((plant) => products.map((product) => ({ plant: plant.id, product: product.id, uses: { h: 1, g: 1 }, unit_cost: s.cost }))),
      markets,
      demand: markets.flatMap((market) =>
        products.map((product) => ({
          market: market.id,
          product: product.id,
          price: s.price,
          min: s.demandMin,
          ...(s.demandMax === undefined ? {} : { max: s.demandMax }),
        })),
      ),
      targets: s.share === undefined ? [] : [{ id: "e", kind: "export_share", min: s.share }],
    };
  })
  .filter((document) => formulate(parseScenario(document)).lp.columns.length <= 60);

let solved = 0;
fc.assert(
  fc.property(scenario, (document) => {
    if (current !== undefined) writeFileSync(current, JSON.stringify(document));
    const result = plan(document, { backend: "javascript-lp-solver", explain: false });
    solved++;
    // A plan it returns is verified like any other; a wrong one is a failure too.
    return result.objective === null || result.verification.feasible;
  }),
  { numRuns: runs },
);
console.log(`${solved} degenerate LPs solved`);
