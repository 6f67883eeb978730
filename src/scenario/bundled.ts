import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseScenario } from "./parse.js";
import type { Scenario } from "./schema.js";

/** Bundled scenarios: `models/<id>.json`, found next to the package whether run from `src/` or `dist/`. */
export const modelsDirectory = fileURLToPath(new URL("../../models/", import.meta.url));

export interface BundledScenarioSummary {
  readonly id: string;
  readonly title: string;
  readonly periods: readonly string[];
}

export function bundledScenarioIds(): string[] {
  return readdirSync(modelsDirectory)
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort();
}

/** The raw JSON document of a bundled scenario, or undefined for an unknown id. */
export function loadBundledScenario(id: string): unknown {
  if (!bundledScenarioIds().includes(id)) return undefined;
  return JSON.parse(readFileSync(`${modelsDirectory}${id}.json`, "utf8"));
}

export function listBundledScenarios(): BundledScenarioSummary[] {
  return bundledScenarioIds().map((id) => {
    const document = loadBundledScenario(id) as { title?: unknown; periods?: unknown };
    return {
      id,
      title: typeof document.title === "string" ? document.title : id,
      periods: Array.isArray(document.periods) ? (document.periods as string[]) : ["base"],
    };
  });
}

const parsedBundled = new Map<string, Scenario>();

/** A bundled scenario, validated once per thread (a parsed scenario is frozen and shared); undefined for an unknown id. */
export function bundledScenario(id: string): Scenario | undefined {
  let scenario = parsedBundled.get(id);
  if (scenario === undefined) {
    const document = loadBundledScenario(id);
    if (document === undefined) return undefined;
    scenario = parseScenario(document);
    parsedBundled.set(id, scenario);
  }
  return scenario;
}
