import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { SingleBar } from "cli-progress";
import type { PlanOptions } from "../plan/options.js";
import { isValidationError, type ValidationIssue } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";
import { compare } from "../whatif/compare.js";
import { sweep } from "../whatif/sweep.js";
import type { WhatIfOptions } from "../whatif/types.js";
import { renderComparison } from "./compareReport.js";
import { isWorkbookFile, writeOutputFile, type CheckedScenario } from "./scenarioFiles.js";
import { renderSweep, sweepCsv } from "./sweepReport.js";

/** What the what-if commands borrow from the CLI's main module. */
export interface CommandKit {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** The scenario a file path (JSON or a workbook) or a bundled id names, validated. */
  readonly checkScenario: (source: string) => Promise<CheckedScenario>;
  /** An error that prints the usage (bad command line). */
  readonly usageError: (message: string) => Error;
  readonly formatIssues: (issues: readonly ValidationIssue[]) => string;
  /** Where a progress bar may be drawn (stderr when it is a terminal), if anywhere. */
  readonly progress?: NodeJS.WritableStream;
}

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_NO_PLAN = 2;
/** A run shows a progress bar only once it has taken this long (ms). */
const PROGRESS_AFTER_MS = 500;

export const planFlags = {
  backend: { type: "string" },
  integer: { type: "boolean" },
  "time-limit": { type: "string" },
  "mip-gap": { type: "string" },
} as const;

/** `jointplan compare <scenario> <variants.json> [--json]`: the file holds `{ "variants": [...], "options"?: {...} }`. */
export async function compareCommand(argv: readonly string[], kit: CommandKit): Promise<number> {
  const { values, positionals } = parse(argv, { ...planFlags, json: { type: "boolean" }, explain: { type: "boolean" }, xlsx: { type: "string" } }, kit);
  const workbookFile = workbookFlag(values, kit);
  if (positionals.length !== 2)
    throw kit.usageError(`compare takes a scenario and a variants file, got ${positionals.length} argument${positionals.length === 1 ? "" : "s"}`);
  const [source = "", file = ""] = positionals;
  const request = readRequest(file, "variants", kit);
  if (request === undefined) return EXIT_ERROR;
  const scenario = await readValidScenario(source, kit);
  if (scenario === undefined) return EXIT_ERROR;
  const options: WhatIfOptions = { ...request.options, ...flagOptions(values), ...(values["explain"] === true ? { explain: true } : {}) };
  const comparison = await withProgress(kit, "plans", (onProgress) => compare(scenario.value, request.body, { ...options, onProgress }), file);
  if (comparison === undefined) return EXIT_ERROR;
  kit.out(values["json"] === true ? `${JSON.stringify(comparison, null, 2)}\n` : renderComparison(scenario.parsed, comparison));
  if (workbookFile !== undefined) {
    const { comparisonWorkbook } = await import("../workbook/planWorkbook.js"); // loaded only when a workbook is asked for
    writeOutputFile(workbookFile, await comparisonWorkbook(scenario.parsed, comparison), kit.err);
  }
  const plans = [comparison.baseline, ...comparison.variants.map((variant) => variant.plan)];
  if (plans.some((plan) => plan.objective !== null && !plan.verification.feasible)) {
    kit.err("jointplan: a solver's plan failed independent verification\n");
    return EXIT_ERROR;
  }
  return plans.every((plan) => plan.objective === null) ? EXIT_NO_PLAN : EXIT_OK;
}

/** `jointplan sweep <scenario> <sweep.json> [--json | --csv]`: the file holds `{ "sweep": {...}, "options"?: {...} }`. */
export async function sweepCommand(argv: readonly string[], kit: CommandKit): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { ...planFlags, json: { type: "boolean" }, csv: { type: "boolean" }, threads: { type: "string" }, xlsx: { type: "string" } },
    kit,
  );
  const workbookFile = workbookFlag(values, kit);
  if (positionals.length !== 2)
    throw kit.usageError(`sweep takes a scenario and a sweep file, got ${positionals.length} argument${positionals.length === 1 ? "" : "s"}`);
  if (values["json"] === true && values["csv"] === true) throw kit.usageError("--json and --csv exclude each other");
  const threads = threadsFlag(values, kit);
  const [source = "", file = ""] = positionals;
  const request = readRequest(file, "sweep", kit);
  if (request === undefined) return EXIT_ERROR;
  const scenario = await readValidScenario(source, kit);
  if (scenario === undefined) return EXIT_ERROR;
  const options = { ...request.options, ...flagOptions(values), ...(threads === undefined ? {} : { threads }) };
  const result = await withProgress(kit, "points", (onProgress) => sweep(scenario.value, request.body, { ...options, onProgress }), file);
  if (result === undefined) return EXIT_ERROR;
  if (values["json"] === true) kit.out(`${JSON.stringify(result, null, 2)}\n`);
  else if (values["csv"] === true) kit.out(sweepCsv(result, scenario.parsed.periods.length));
  else kit.out(renderSweep(scenario.parsed, result));
  if (workbookFile !== undefined) {
    const { sweepWorkbook } = await import("../workbook/planWorkbook.js");
    writeOutputFile(workbookFile, await sweepWorkbook(scenario.parsed, result), kit.err);
  }
  return result.points.some((point) => point.objective !== null) ? EXIT_OK : EXIT_NO_PLAN;
}

export type Flags = Record<string, string | boolean | undefined>;

/** `--threads n`: a whole number of at least 1, or undefined when not given. */
export function threadsFlag(values: Flags, kit: CommandKit): number | undefined {
  const threads = values["threads"] === undefined ? undefined : Number(values["threads"]);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1))
    throw kit.usageError(`--threads expects a whole number of at least 1, got ${JSON.stringify(values["threads"])}`);
  return threads;
}

export function parse(
  argv: readonly string[],
  options: Record<string, { type: "boolean" | "string" }>,
  kit: CommandKit,
): { values: Flags; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    const values: Flags = {};
    for (const [name, value] of Object.entries(parsed.values)) values[name] = Array.isArray(value) ? value.join(",") : value;
    return { values, positionals: parsed.positionals };
  } catch (error) {
    throw kit.usageError(error instanceof Error ? error.message : String(error));
  }
}

/** The plan flags as plan options (validated with the rest of the options by the library). */
export function flagOptions(values: Flags): PlanOptions {
  const number = (text: string | boolean | undefined): number | string | undefined => {
    if (typeof text !== "string") return undefined;
    const value = Number(text);
    return text.trim() === "" || Number.isNaN(value) ? text : value;
  };
  const options: Record<string, unknown> = {};
  if (values["backend"] !== undefined) options["backend"] = values["backend"];
  if (values["integer"] === true) options["integer"] = true;
  if (values["time-limit"] !== undefined) options["timeLimitMs"] = number(values["time-limit"]);
  if (values["mip-gap"] !== undefined) options["mipGap"] = number(values["mip-gap"]);
  return options;
}

/**
 * A request file: the request body of the service without its scenario —
 * `{ "<key>": …, "options"?: {…} }`. Problems are printed with their paths
 * in the file; undefined then.
 */
function readRequest(file: string, key: "variants" | "sweep", kit: CommandKit): { body: unknown; options: Record<string, unknown> } | undefined {
  const read = readJsonFile(file, kit);
  if (read === undefined) return undefined;
  const { document } = read;
  const issues: ValidationIssue[] = [];
  if (!isRecord(document)) {
    issues.push({ path: "", message: `expected an object: { "${key}": … }` });
  } else {
    const fields = document;
    for (const field of Object.keys(fields)) {
      if (field === key || field === "options") continue;
      const hint =
        field === "scenario" || field === "scenarioId"
          ? ": the scenario is given on the command line"
          : key === "sweep" && field === "parameter"
            ? ': put the sweep under "sweep": { "sweep": { "parameter": … } }'
            : "";
      issues.push({ path: field, message: `unknown field${hint}` });
    }
    if (!Object.prototype.hasOwnProperty.call(fields, key)) issues.push({ path: key, message: "is required" });
    const options = fields["options"] ?? {};
    if (!isRecord(options)) issues.push({ path: "options", message: "expected an object" });
    else if (issues.length === 0) return { body: fields[key], options };
  }
  kit.err(`jointplan: ${file}: ${issues.length} error${issues.length === 1 ? "" : "s"}\n${kit.formatIssues(issues)}`);
  return undefined;
}

/** A JSON file's document; a file that is not JSON is printed as such (undefined then), one that cannot be read is a usage error. */
export function readJsonFile(file: string, kit: CommandKit): { document: unknown } | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw kit.usageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return { document: JSON.parse(text) as unknown };
  } catch (error) {
    kit.err(`jointplan: ${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `--xlsx file`: the workbook to write, which must be named .xlsx. */
function workbookFlag(values: Flags, kit: CommandKit): string | undefined {
  const file = values["xlsx"];
  if (typeof file !== "string") return undefined;
  if (!isWorkbookFile(file)) throw kit.usageError(`--xlsx writes an Excel workbook: name it .xlsx, not ${JSON.stringify(file)}`);
  return file;
}

export async function readValidScenario(source: string, kit: CommandKit): Promise<{ value: Scenario; parsed: Scenario } | undefined> {
  const checked = await kit.checkScenario(source);
  if (!checked.ok) {
    kit.err(`jointplan: ${source} is not a valid scenario\n${kit.formatIssues(checked.issues)}`);
    return undefined;
  }
  return { value: checked.scenario, parsed: checked.scenario };
}

/**
 * Runs `work` with a progress bar on the kit's progress stream once it has run
 * a while; a request the library finds invalid is printed with its paths in
 * `file` (undefined then). Other errors go to the CLI's own handler.
 */
export async function withProgress<T>(
  kit: CommandKit,
  unit: string,
  work: (onProgress: (done: number, total: number) => void) => Promise<T>,
  file: string,
): Promise<T | undefined> {
  const started = performance.now();
  let bar: SingleBar | undefined;
  const onProgress = (done: number, total: number) => {
    if (kit.progress === undefined) return;
    if (bar === undefined) {
      if (performance.now() - started < PROGRESS_AFTER_MS) return;
      bar = new SingleBar({ stream: kit.progress, format: `{bar} {value}/{total} ${unit} | {duration_formatted}`, hideCursor: true, clearOnComplete: true });
      bar.start(total, done);
      return;
    }
    bar.setTotal(total);
    bar.update(done);
  };
  try {
    return await work(onProgress);
  } catch (error) {
    if (!isValidationError(error) || error.subject !== "request") throw error;
    kit.err(`jointplan: ${file}: ${error.issues.length} error${error.issues.length === 1 ? "" : "s"}\n${kit.formatIssues(error.issues)}`);
    return undefined;
  } finally {
    bar?.stop();
  }
}

/** What a request command (montecarlo, stochastic) starts from: its flags, its file, the request in it, the scenario, `--threads`. */
export interface RequestCommandStart {
  readonly values: Flags;
  readonly file: string;
  readonly request: { body: Record<string, unknown>; options: Record<string, unknown> };
  readonly scenario: { value: Scenario; parsed: Scenario };
  readonly threads: number | undefined;
}

/**
 * The start of `jointplan <command> <scenario> <request.json> [--json]
 * [--threads n]` and the plan flags: the arguments checked, the request file
 * read (`shape` says what it holds) and the scenario validated. Undefined
 * when the file or the scenario was refused (printed already: exit 1).
 */
export async function startRequestCommand(
  argv: readonly string[],
  kit: CommandKit,
  command: { readonly name: string; readonly file: string; readonly shape: string },
): Promise<RequestCommandStart | undefined> {
  const { values, positionals } = parse(argv, { ...planFlags, json: { type: "boolean" }, threads: { type: "string" } }, kit);
  if (positionals.length !== 2)
    throw kit.usageError(`${command.name} takes a scenario and ${command.file}, got ${positionals.length} argument${positionals.length === 1 ? "" : "s"}`);
  const threads = threadsFlag(values, kit);
  const [source = "", file = ""] = positionals;
  const request = readRequestFile(file, kit, command.shape);
  if (request === undefined) return undefined;
  const scenario = await readValidScenario(source, kit);
  if (scenario === undefined) return undefined;
  return { values, file, request, scenario, threads };
}

/**
 * A request file of a command that takes the scenario on its command line
 * (montecarlo, stochastic): the request's fields, and optional plan options
 * beside them. Problems are printed with their paths in the file; undefined then.
 */
export function readRequestFile(file: string, kit: CommandKit, shape: string): { body: Record<string, unknown>; options: Record<string, unknown> } | undefined {
  const read = readJsonFile(file, kit);
  if (read === undefined) return undefined;
  const issues: ValidationIssue[] = [];
  const { document } = read;
  if (!isRecord(document)) {
    issues.push({ path: "", message: `expected an object: ${shape}` });
  } else {
    const { options = {}, ...body } = document;
    for (const field of ["scenario", "scenarioId"]) {
      if (field in body) issues.push({ path: field, message: "unknown field: the scenario is given on the command line" });
    }
    if (!isRecord(options)) issues.push({ path: "options", message: "expected an object" });
    else if (issues.length === 0) return { body, options };
  }
  kit.err(`jointplan: ${file}: ${issues.length} error${issues.length === 1 ? "" : "s"}\n${kit.formatIssues(issues)}`);
  return undefined;
}
