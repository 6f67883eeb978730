import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

/**
 * The page's bundle takes from the library only the pure modules it shares
 * with the CLI; everything else it uses of the library is types, imported as
 * types, so nothing of Node (or of the solvers) reaches the browser.
 */
describe("the page's bundle", () => {
  it("holds the page, Observable Plot and six pure modules of the library and the bundled stochastic specs, nothing else of it", async () => {
    const root = join(import.meta.dirname, "..", "..");
    const result = await build({
      absWorkingDir: root,
      entryPoints: [join(root, "web", "src", "main.ts")],
      bundle: true,
      format: "esm",
      platform: "browser",
      write: false,
      metafile: true,
      outfile: "app.js",
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    const library = inputs.filter((input) => input.startsWith("src/")).sort();
    expect(library).toEqual([
      "src/explain/words.ts",
      "src/plan/figures.ts",
      "src/stochastic/words.ts",
      "src/whatif/delta.ts",
      "src/whatif/words.ts",
      "src/workbook/text.ts",
    ]);
    expect(inputs.filter((input) => input.startsWith("models/")).sort()).toEqual([
      "models/stochastic/kz-uz-2019-2025/kazakh-demand-sampled.json",
      "models/stochastic/kz-uz-2019-2025/kazakh-demand.json",
      "models/stochastic/kz-uz-cluster-2020-2030/demand-growth.json",
    ]);
    const packages = new Set(inputs.flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? []));
    expect(packages.has("@observablehq/plot")).toBe(true);
    for (const unwanted of ["zod", "highs", "javascript-lp-solver", "fastify", "exceljs", "yauzl"]) expect(packages.has(unwanted), unwanted).toBe(false);
  });
});
