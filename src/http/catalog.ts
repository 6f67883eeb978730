import { formulate } from "../formulate/index.js";
import { listBundledScenarios, loadBundledScenario, type BundledScenarioSummary } from "../scenario/bundled.js";
import { parseScenario } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";

/** A bundled scenario as the service holds it: parsed once per thread, served as read. */
export interface CatalogEntry extends BundledScenarioSummary {
  /** The document as JSON text, for `GET /v1/scenarios/:id`. */
  readonly json: string;
  /** Validated once: `plan()` does not validate a parsed scenario again. */
  readonly scenario: Scenario;
}

let entries: ReadonlyMap<string, CatalogEntry> | undefined;

/** The bundled scenarios by id, loaded and validated on first use in each thread. */
export function catalog(): ReadonlyMap<string, CatalogEntry> {
  entries ??= new Map(
    listBundledScenarios().map((summary): [string, CatalogEntry] => {
      const document = loadBundledScenario(summary.id);
      return [summary.id, { ...summary, json: JSON.stringify(document), scenario: parseScenario(document) }];
    }),
  );
  return entries;
}

const columnCounts = new Map<string, number>();

/** LP columns of a bundled scenario (for choosing where to solve it). */
export function catalogColumns(entry: CatalogEntry): number {
  let columns = columnCounts.get(entry.id);
  if (columns === undefined) {
    columns = formulate(entry.scenario).lp.columns.length;
    columnCounts.set(entry.id, columns);
  }
  return columns;
}
