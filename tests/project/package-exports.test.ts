import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The package's entry points as a user imports them, resolved by Node through
 * package.json "exports" (a package may import itself by name), from the
 * build that `npm test` makes first.
 */
const root = join(import.meta.dirname, "..", "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { exports: Record<string, { types: string; default: string }> };

describe("package exports", () => {
  it("every export names a built module and its type declarations", () => {
    expect(Object.keys(manifest.exports)).toEqual([".", "./http", "./workbook"]);
    for (const target of Object.values(manifest.exports)) {
      expect(existsSync(join(root, target.default))).toBe(true);
      expect(existsSync(join(root, target.types))).toBe(true);
    }
  });

  it('import { scenarioWorkbook, validateScenarioWorkbook } from "jointplan/workbook": a bundled scenario to a workbook and back', () => {
    const script = `
      import { loadBundledScenario, parseScenario } from "jointplan";
      import { scenarioWorkbook, validateScenarioWorkbook } from "jointplan/workbook";
      const scenario = parseScenario(loadBundledScenario("kz-uz-2020"));
      const back = await validateScenarioWorkbook(await scenarioWorkbook(scenario));
      console.log(JSON.stringify({ ok: back.ok, same: back.ok && JSON.stringify(back.scenario) === JSON.stringify(scenario) }));
    `;
    const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    expect(JSON.parse(output)).toEqual({ ok: true, same: true });
  });

  it('import { buildApp } from "jointplan/http" builds a service that answers', () => {
    const script = `
      import { buildApp } from "jointplan/http";
      import { plan } from "jointplan";
      const app = buildApp({ poolSize: 1 });
      const health = await app.inject({ method: "GET", url: "/healthz" });
      await app.close();
      console.log(JSON.stringify({ health: health.json(), plan: typeof plan }));
    `;
    const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    expect(JSON.parse(output)).toEqual({ health: { status: "ok" }, plan: "function" });
  });
});
