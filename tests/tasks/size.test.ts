import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultLimits } from "../../src/http/config.js";
import { formulate, loadBundledScenario, modelSize, parseScenario } from "../../src/index.js";
import { scenarioSize, sizeIssues } from "../../src/tasks/size.js";
import { scenarioArbitrary } from "../arbitraries/scenario.js";
import { minimalScenario } from "../support/builders.js";
import { propertyParameters } from "../support/properties.js";

/**
 * The size a service reads off a raw document decides, before anything is
 * validated or built, whether it is refused and where it is solved: it must
 * never be smaller than what `formulate` makes.
 */
describe("the size of a raw scenario", () => {
  it("property: columns, rows and non-zeros read off the document bound the formulated model's", () => {
    fc.assert(
      fc.property(scenarioArbitrary(), (document) => {
        const size = scenarioSize(document);
        const model = modelSize(formulate(parseScenario(document)).lp, false);
        expect(size.columns).toBeGreaterThanOrEqual(model.columns);
        expect(size.rows).toBeGreaterThanOrEqual(model.rows);
        expect(size.nonZeros).toBeGreaterThanOrEqual(model.nonZeros);
      }),
      propertyParameters(),
    );
  });

  it("is exact on the bundled scenarios' columns, and close on their rows", () => {
    for (const id of ["kz-uz-2020", "kz-uz-2019-2025"]) {
      const document = loadBundledScenario(id);
      const model = modelSize(formulate(parseScenario(document)).lp, false);
      const size = scenarioSize(document);
      expect(size.columns).toBeGreaterThanOrEqual(model.columns);
      expect(size.columns).toBeLessThanOrEqual(model.columns * 1.2);
      expect(size.rows).toBeLessThanOrEqual(model.rows * 2);
    }
  });

  it("reads anything without throwing: junk where collections should be counts as nothing", () => {
    for (const junk of [null, 3, "x", [], { routes: 5, plants: [null, 7, { resources: "no" }], demand: [{}], periods: {} }]) {
      expect(scenarioSize(junk)).toMatchObject({ periods: 1 });
      expect(() => sizeIssues(junk, defaultLimits)).not.toThrow();
    }
  });
});

describe("limits on what a service accepts, each named", () => {
  const limits = { ...defaultLimits, resourcesPerPlant: 3, rows: 50, nonZeros: 60, answerRows: 70, idLength: 8 };

  it("resources per plant", () => {
    const document = minimalScenario({ plants: [{ id: "p", resources: { a: 1, b: 1, c: 1, d: 1 } }] });
    expect(sizeIssues(document, limits)).toContainEqual({
      path: "scenario.plants[0].resources",
      message: "has 4 resources; this server accepts at most 3 per plant",
    });
  });

  it("constraints, non-zeros and answer rows, however few the columns", () => {
    // One route using 40 resources over 2 periods: 1 column a period, 40 capacity rows a period.
    const resources = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`r${i}`, 100]));
    const document = minimalScenario({ periods: ["a", "b"], plants: [{ id: "p", resources }], routes: [{ plant: "p", product: "q", uses: resources }] });
    const messages = sizeIssues(document, { ...limits, resourcesPerPlant: 100 }).map((issue) => issue.message);
    expect(messages).toContainEqual(expect.stringMatching(/^the model would have up to \d+ constraints; this server accepts at most 50$/));
    expect(messages).toContainEqual(expect.stringMatching(/^the model would have up to \d+ non-zero coefficients; this server accepts at most 60$/));
    expect(messages).toContainEqual(expect.stringMatching(/^its answer could hold up to \d+ rows; this server answers with at most 70$/));
  });

  it("ids, resource names and period labels, wherever they would be repeated in an answer", () => {
    const long = "x".repeat(9);
    const cases: [Record<string, unknown>, string][] = [
      [minimalScenario({ plants: [{ id: long, resources: { hours: 1 } }] }), "scenario.plants[0].id"],
      [minimalScenario({ plants: [{ id: "p", resources: { [long]: 1 } }] }), `scenario.plants[0].resources.${long}`],
      [minimalScenario({ periods: ["a", long] }), "scenario.periods[1]"],
      [minimalScenario({ demand: [{ market: "m", product: "q", max: { [long]: 3, "*": 2 } }] }), `scenario.demand[0].max.${long}`],
      [minimalScenario({ targets: [{ id: "t", kind: "units", plants: ["p", long] }] }), "scenario.targets[0].plants[1]"],
    ];
    for (const [document, path] of cases) {
      expect(sizeIssues(document, limits)).toContainEqual({ path, message: "is 9 characters long; this server accepts ids and labels of at most 8" });
    }
  });
});
