import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/** What made a saved result: jointplan's version and its solvers'. */
export interface Software {
  readonly jointplan: string;
  readonly solvers: { readonly highs: string; readonly "javascript-lp-solver": string };
}

let known: Software | undefined;

/** Read once from the packages' own package.json files. */
export function software(): Software {
  known ??= {
    jointplan: versionOf(new URL("../../package.json", import.meta.url)),
    solvers: { highs: packageVersion("highs"), "javascript-lp-solver": packageVersion("javascript-lp-solver") },
  };
  return known;
}

function versionOf(file: URL | string): string {
  const json = JSON.parse(readFileSync(file, "utf8")) as { version?: unknown };
  return typeof json.version === "string" ? json.version : "unknown";
}

/** A dependency's version, found where Node would look for the package (its exports hide package.json). */
function packageVersion(name: string): string {
  const paths = createRequire(import.meta.url).resolve.paths(name) ?? [];
  for (const dir of paths) {
    const file = join(dir, name, "package.json");
    if (existsSync(file)) return versionOf(file);
  }
  return "unknown";
}
