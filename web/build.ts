import { build } from "esbuild";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Builds the planner's page into dist/web: web/public as it is (HTML, CSS,
 * icon) and web/src bundled by esbuild into one ES module, app.js, with
 * Observable Plot and the shared wording module (src/explain/words.ts) in it,
 * and the licences of the packages bundled beside it. `npm run build` runs it
 * after tsc; the service serves dist/web at `/`.
 */
const root = join(import.meta.dirname, "..");
const out = join(root, "dist", "web");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(join(root, "web", "public"), out, { recursive: true });
const result = await build({
  entryPoints: [join(root, "web", "src", "main.ts")],
  outfile: join(out, "app.js"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["es2022"],
  minify: true,
  sourcemap: true,
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});

// The bundled packages' licences, as their terms ask: one file beside app.js.
const bundled = Object.entries(result.metafile.outputs).flatMap(([, output]) => Object.entries(output.inputs));
const packages = new Set(
  bundled.flatMap(([input, { bytesInOutput }]) => {
    if (bytesInOutput === 0) return [];
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    return match?.[1] === undefined ? [] : [match[1]];
  }),
);
const notices = [...packages].sort().map((name) => {
  const directory = join(root, "node_modules", name);
  const manifest = JSON.parse(readFileSync(join(directory, "package.json"), "utf8")) as { version?: string; license?: string };
  const file = readdirSync(directory).find((entry) => /^licen[cs]e/i.test(entry));
  const text = file === undefined ? `License: ${manifest.license ?? "unknown"}` : readFileSync(join(directory, file), "utf8").trim();
  return `${name} ${manifest.version ?? ""}\n\n${text}\n`;
});
writeFileSync(join(out, "licenses.txt"), `Packages bundled in app.js\n\n${notices.join("\n----------------------------------------\n\n")}`);
if (!existsSync(join(out, "index.html"))) throw new Error("web/public/index.html was not copied");
