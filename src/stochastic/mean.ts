import type { Scenario } from "../scenario/schema.js";

/**
 * The mean outcome (docs/stochastic.md): the outcomes' scenarios averaged
 * number by number, each weighted by its probability. A number every outcome
 * shares is kept as it is, to the bit. A period-indexed value given as one
 * number in one outcome and per period in another is read per period
 * (`"*"` standing for the periods a map does not list). A limit some outcome
 * leaves unset (an unlimited `max`, a capacity without limit) is unset on
 * average; an unset `min` counts as 0 (what it means everywhere). Anything
 * that is not a number (a flag, an id) is the base scenario's where the
 * outcomes disagree. The result is a plain document, to be validated.
 */
export function meanScenario(base: Scenario, outcomes: readonly { readonly probability: number; readonly scenario: Scenario }[]): unknown {
  return average(
    outcomes.map((outcome) => outcome.scenario),
    outcomes.map((outcome) => outcome.probability),
    base,
  );
}

type Plain = Record<string, unknown>;

const isPlain = (value: unknown): value is Plain => typeof value === "object" && value !== null && !Array.isArray(value);

function average(values: readonly unknown[], weights: readonly number[], base: unknown): unknown {
  const first = values[0];
  if (values.every((value) => Object.is(value, first))) return first;
  if (values.every((value): value is number => typeof value === "number")) {
    let sum = 0;
    values.forEach((value, i) => (sum += (weights[i] ?? 0) * value));
    return sum;
  }
  if (values.every(Array.isArray)) {
    const arrays = values as readonly unknown[][];
    const length = arrays[0]?.length ?? 0;
    if (!arrays.every((array) => array.length === length)) return base;
    const baseArray = Array.isArray(base) ? (base as unknown[]) : [];
    return Array.from({ length }, (_, i) =>
      average(
        arrays.map((array) => array[i]),
        weights,
        baseArray[i],
      ),
    );
  }
  const periodMap = values.some((value) => typeof value === "number");
  if (values.every((value) => isPlain(value) || (periodMap && typeof value === "number"))) {
    const objects = values.map((value) => (typeof value === "number" ? { "*": value } : (value as Plain)));
    const keys = [...new Set(objects.flatMap((object) => Object.keys(object)))];
    const baseObject = isPlain(base) ? base : {};
    const result: Plain = {};
    const fallback = periodMap || objects.some((object) => Object.hasOwn(object, "*"));
    for (const key of keys) {
      const at = objects.map((object) =>
        Object.hasOwn(object, key) ? object[key] : fallback && Object.hasOwn(object, "*") ? object["*"] : key === "min" ? 0 : undefined,
      );
      // Unset in some outcome: unlimited (or free) on average.
      if (at.some((value) => value === undefined)) continue;
      // Ids are keys too, any string ("__proto__" included): own properties, never the prototype.
      Object.defineProperty(result, key, {
        value: average(at, weights, Object.hasOwn(baseObject, key) ? baseObject[key] : undefined),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return result;
  }
  return base;
}
