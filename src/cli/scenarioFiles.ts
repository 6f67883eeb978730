import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { extname } from "node:path";
import { loadBundledScenario } from "../scenario/bundled.js";
import { validateScenario, type ValidationIssue } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";

/**
 * Scenarios as the CLI takes them: a JSON file, an Excel workbook (`.xlsx`,
 * by its extension), or a bundled scenario by id. Every error is an issue
 * with its JSON path, and for a workbook its cell.
 */

export type CheckedScenario = { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** A file the command line cannot read as a scenario at all (printed with the usage). */
export class ScenarioFileError extends Error {}

export function isWorkbookFile(path: string): boolean {
  return extname(path).toLowerCase() === ".xlsx";
}

/** The scenario a command line names, validated. */
export async function checkScenario(source: string): Promise<CheckedScenario> {
  if (existsSync(source) && statSync(source).isFile()) {
    if (isWorkbookFile(source)) {
      // Loaded only for a workbook: the workbook library takes a second or so to load.
      const [{ isWorkbookError }, { validateScenarioWorkbook }] = await Promise.all([import("../workbook/archive.js"), import("../workbook/readScenario.js")]);
      try {
        return await validateScenarioWorkbook(readFileSync(source));
      } catch (error) {
        if (isWorkbookError(error)) return { ok: false, issues: [{ path: "", message: error.message }] };
        throw error;
      }
    }
    const text = readFileSync(source, "utf8");
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new ScenarioFileError(`${source} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    return validateScenario(document);
  }
  const bundled = loadBundledScenario(source);
  if (bundled !== undefined) return validateScenario(bundled);
  throw new ScenarioFileError(`no file or bundled scenario named ${JSON.stringify(source)}`);
}

/** Each issue on a line: the cell first when there is one (`Routes!C7: unknown plant "x" (routes[5].plant)`), else the path. */
export function formatIssues(issues: readonly ValidationIssue[], label: (path: string) => string = (path) => path): string {
  return issues
    .map((issue) => {
      const path = issue.path === "" ? "(scenario)" : label(issue.path);
      if (issue.cell === undefined) return `  ${path}: ${issue.message}\n`;
      return `  ${issue.cell}: ${issue.message}${issue.path === "" ? "" : ` (${path})`}\n`;
    })
    .join("");
}

/** Writes a file a command made (a workbook), saying so on `err` so that stdout keeps only the report. */
export function writeOutputFile(path: string, bytes: Uint8Array | string, err: (text: string) => void): void {
  writeFileSync(path, bytes);
  err(`jointplan: wrote ${path}\n`);
}
