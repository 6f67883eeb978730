import { bundledScenario, listBundledScenarios, loadBundledScenario, type BundledScenarioSummary } from "../scenario/bundled.js";

/** A bundled scenario as the service serves it. */
export interface CatalogEntry extends BundledScenarioSummary {
  /** The document as JSON text, for `GET /v1/scenarios/:id`. */
  readonly json: string;
}

let entries: ReadonlyMap<string, CatalogEntry> | undefined;

/**
 * The bundled scenarios by id, loaded on first use; each is validated then
 * too (`bundledScenario`), so that a broken bundled file stops the service at
 * start rather than failing its first request.
 */
export function catalog(): ReadonlyMap<string, CatalogEntry> {
  entries ??= new Map(
    listBundledScenarios().map((summary): [string, CatalogEntry] => {
      bundledScenario(summary.id);
      return [summary.id, { ...summary, json: JSON.stringify(loadBundledScenario(summary.id)) }];
    }),
  );
  return entries;
}
