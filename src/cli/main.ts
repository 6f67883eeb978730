import { writeFileSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { toCplexLp } from "../export/cplexLp.js";
import { formulate } from "../formulate/index.js";
import { plan } from "../plan/plan.js";
import { planWithin } from "../tasks/within.js";
import { parsePlanOptions } from "../plan/options.js";
import type { Plan } from "../plan/types.js";
import { bundledScenarioIds } from "../scenario/bundled.js";
import { isValidationError } from "../scenario/parse.js";
import { renderExplanation } from "./explanationText.js";
import { renderPlan } from "./planTables.js";
import { monteCarloCommand } from "./monteCarloCommand.js";
import { stochasticCommand } from "./stochasticCommand.js";
import { checkScenario, formatIssues, isWorkbookFile, ScenarioFileError, writeOutputFile } from "./scenarioFiles.js";
import { compareCommand, sweepCommand, type CommandKit } from "./whatifCommands.js";
import { libraryCommand, LibraryCommandError, libraryUsage } from "./libraryCommand.js";

/** Exit codes (docs/cli.md). */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_NO_PLAN = 2;

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

const DEFAULT_SCENARIO = "kz-uz-2020";

const usage = `Usage:
  jointplan plan [file-or-bundled-id] [--json] [--xlsx file] [--integer] [--time-limit ms] [--mip-gap g] [--backend auto|javascript-lp-solver|highs] [--explain]
      Plans a scenario (default: ${DEFAULT_SCENARIO}) and prints the tables, or the Plan as JSON.
      --explain adds shadow prices and ranges ("what binds"); an infeasible plan is always explained, and a plan
        with investments always says what each decision is worth.
      --xlsx writes the plan as an Excel workbook too, with what binds and its price (it implies --explain).
  jointplan validate <file-or-bundled-id>
      Checks a scenario and lists every error with its JSON path (and, in a workbook, its sheet and cell).
  jointplan convert <in> <out>
      Converts a scenario between JSON and an Excel workbook, by the files' extensions (.json, .xlsx);
      <in> may be a bundled id: jointplan convert kz-uz-2020 kz-uz-2020.xlsx
  jointplan serve [--port n] [--host address]
      Runs the HTTP service (default port 3000 or PORT, host 127.0.0.1 or HOST) until SIGTERM or SIGINT.
  jointplan export-lp <file-or-bundled-id> [--integer] [-o file]
      Writes the model as CPLEX LP text (to stdout, or to the file), for any other solver.
  jointplan compare <file-or-bundled-id> <variants.json> [--json] [--xlsx file] [plan flags]
      Plans the scenario and each variant ({ "variants": [{ "name", "changes": [...] }] }) side by side.
  jointplan sweep <file-or-bundled-id> <sweep.json> [--json | --csv] [--xlsx file] [--threads n] [plan flags]
      Sweeps one parameter ({ "sweep": { "parameter", "from", "to", "steps"?, "mode"? } }): a table and the curve.
      docs/whatif.md describes both files; models/whatif/ has ready ones for the bundled scenarios.
  jointplan montecarlo <file-or-bundled-id> <montecarlo.json> [--json] [--threads n] [plan flags]
      Plans samples of uncertain values ({ "samples", "seed", "uncertain": [...] }, docs/montecarlo.md;
      models/montecarlo/ has ready ones): the objective's spread, targets met, production quantiles.
  jointplan stochastic <file-or-bundled-id> <stochastic.json> [--json] [--threads n] [plan flags]
      Two-stage plan: decides production (and investments) before the outcome is known ({ "outcomes": [...] } or
      { "sample": {...} }, docs/stochastic.md; models/stochastic/ has ready ones): EVPI, VSS and the decisions in words.
  jointplan worker [--concurrency n]
      Runs jobs from the Redis queue named by JOINTPLAN_REDIS_URL (docs/scale-out.md) until SIGTERM or SIGINT;
      n units at once (default: one per core).
${libraryUsage}
  jointplan help

A scenario file is JSON, or an Excel workbook when its name ends in .xlsx (docs/spreadsheets.md).
Exit codes: 0 a plan was found, 1 bad input or error, 2 no plan (infeasible, unbounded, or none within the time limit).
Bundled scenarios: ${bundledScenarioIds().join(", ")}
`;

class CliError extends Error {}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "plan":
        return await planCommand(rest, io);
      case "validate":
        return await validateCommand(rest, io);
      case "convert":
        return await convertCommand(rest, io);
      case "serve":
        return await serveCommand(rest); // awaited, so that a failure to listen is reported below
      case "export-lp":
        return await exportLpCommand(rest, io);
      case "worker":
        return await workerCommand(rest, io);
      case "compare":
        return await compareCommand(rest, whatIfKit(io));
      case "sweep":
        return await sweepCommand(rest, whatIfKit(io));
      case "montecarlo":
        return await monteCarloCommand(rest, whatIfKit(io));
      case "stochastic":
        return await stochasticCommand(rest, whatIfKit(io));
      case "library":
        return await libraryCommand(rest, { ...io, env: process.env });
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(usage);
        return command === undefined ? EXIT_ERROR : EXIT_OK;
      default:
        throw new CliError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    if (error instanceof CliError || error instanceof ScenarioFileError || error instanceof LibraryCommandError) {
      io.err(`jointplan: ${error.message}\n\n${usage}`);
      return EXIT_ERROR;
    }
    if (isValidationError(error)) {
      io.err(`jointplan: invalid ${error.subject}\n${formatIssues(error.issues, error.subject === "options" ? flagFor : (path) => path)}`);
      return EXIT_ERROR;
    }
    io.err(`jointplan: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_ERROR;
  }
}

async function planCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, {
    json: { type: "boolean" },
    integer: { type: "boolean" },
    "time-limit": { type: "string" },
    "mip-gap": { type: "string" },
    backend: { type: "string" },
    explain: { type: "boolean" },
    xlsx: { type: "string" },
  });
  if (positionals.length > 1) throw new CliError(`plan takes one scenario, got ${positionals.length}`);
  const workbookFile = workbookFlag(values.xlsx);
  const source = positionals[0] ?? DEFAULT_SCENARIO;
  const flags = {
    ...(values.backend === undefined ? {} : { backend: values.backend }),
    ...(values.integer === true ? { integer: true } : {}),
    ...(values["time-limit"] === undefined ? {} : { timeLimitMs: numberFlag(values["time-limit"]) }),
    ...(values["mip-gap"] === undefined ? {} : { mipGap: numberFlag(values["mip-gap"]) }),
  };
  parsePlanOptions(flags); // bad flags are reported before the scenario is read
  const checked = await checkScenario(source);
  if (!checked.ok) {
    io.err(`jointplan: ${source} is not a valid scenario\n${formatIssues(checked.issues)}`);
    return EXIT_ERROR;
  }
  // A plan with investments always says what each decision is worth: that is its question (docs/investments.md).
  const explained = values.explain === true || workbookFile !== undefined || checked.scenario.investments.length > 0;
  const options = parsePlanOptions({ ...flags, ...(explained ? { explain: true } : {}) });
  // A time limit is a bound on the wall clock: the solve runs in a child process, stopped at the limit if it must be.
  const result: Plan =
    options.timeLimitMs === undefined ? plan(checked.scenario, options) : await planWithin(checked.scenario, { ...options, timeLimitMs: options.timeLimitMs });
  io.out(values.json === true ? `${JSON.stringify(result, null, 2)}\n` : renderPlan(checked.scenario, result) + renderExplanation(checked.scenario, result));
  if (workbookFile !== undefined) {
    const { planWorkbook } = await import("../workbook/planWorkbook.js"); // the workbook library loads only when a workbook is asked for
    writeOutputFile(workbookFile, await planWorkbook(checked.scenario, result), io.err);
  }
  if (result.objective !== null && !result.verification.feasible) {
    io.err(`jointplan: the solver's plan failed independent verification (max violation ${result.verification.max_violation})\n`);
    return EXIT_ERROR;
  }
  return result.objective === null ? EXIT_NO_PLAN : EXIT_OK;
}

async function validateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(argv, {});
  const [source, ...others] = positionals;
  if (source === undefined || others.length > 0) throw new CliError("validate takes exactly one scenario file");
  const checked = await checkScenario(source);
  if (!checked.ok) {
    io.err(`${source}: ${checked.issues.length} error${checked.issues.length === 1 ? "" : "s"}\n${formatIssues(checked.issues)}`);
    return EXIT_ERROR;
  }
  const { scenario } = checked;
  const counts = [
    count(scenario.plants.length, "plant"),
    count(scenario.products.length, "product"),
    count(scenario.routes.length, "route"),
    count(scenario.parts.length, "part"),
    count(scenario.markets.length, "market"),
    count(scenario.periods.length, "period"),
  ];
  io.out(`${source}: valid jointplan/v1 scenario ${JSON.stringify(scenario.id)} — ${counts.join(", ")}\n`);
  return EXIT_OK;
}

async function serveCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(argv, { port: { type: "string" }, host: { type: "string" } });
  if (positionals.length > 0) throw new CliError(`serve takes no arguments, got ${positionals.join(" ")}`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
    throw new CliError(`--port expects a port number, got ${JSON.stringify(values.port)}`);
  }
  // Loaded on demand: plan and validate need neither fastify nor the worker pool.
  const { serve } = await import("../http/server.js");
  return serve({
    ...(port === undefined ? {} : { port }),
    ...(values.host === undefined ? {} : { host: values.host }),
  });
}

async function workerCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { concurrency: { type: "string" } });
  if (positionals.length > 0) throw new CliError(`worker takes no arguments, got ${positionals.join(" ")}`);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new CliError(`--concurrency expects a whole number of at least 1, got ${JSON.stringify(values.concurrency)}`);
  }
  // Loaded on demand, as serve: only a worker needs BullMQ.
  const { runWorker } = await import("../jobs/workerMain.js");
  return runWorker(process.env, { ...(concurrency === undefined ? {} : { concurrency }), log: (line) => io.err(`${line}\n`) });
}

/** `jointplan convert <in> <out>`: a valid scenario, from JSON, a workbook or a bundled id, to JSON or a workbook by `out`'s extension. */
async function convertCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(argv, {});
  const [source, target, ...others] = positionals;
  if (source === undefined || target === undefined || others.length > 0) throw new CliError("convert takes a scenario and the file to write");
  const toWorkbook = isWorkbookFile(target);
  if (!toWorkbook && !/\.json$/i.test(target)) throw new CliError(`convert writes a .json or an .xlsx file, not ${JSON.stringify(target)}`);
  const checked = await checkScenario(source);
  if (!checked.ok) {
    io.err(`jointplan: ${source} is not a valid scenario\n${formatIssues(checked.issues)}`);
    return EXIT_ERROR;
  }
  const { scenarioWorkbook } = await import("../workbook/writeScenario.js");
  writeOutputFile(target, toWorkbook ? await scenarioWorkbook(checked.scenario) : `${JSON.stringify(checked.scenario, null, 2)}\n`, io.err);
  return EXIT_OK;
}

async function exportLpCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { integer: { type: "boolean" }, output: { type: "string", short: "o" } });
  const [source, ...others] = positionals;
  if (source === undefined || others.length > 0) throw new CliError("export-lp takes exactly one scenario");
  const checked = await checkScenario(source);
  if (!checked.ok) {
    io.err(`jointplan: ${source} is not a valid scenario\n${formatIssues(checked.issues)}`);
    return EXIT_ERROR;
  }
  const { scenario } = checked;
  const integer = values.integer === true || scenario.integer;
  const text = toCplexLp(formulate(scenario, { integer }).lp, {
    title: `jointplan model of scenario ${JSON.stringify(scenario.id)}${integer ? " in whole units" : ""}`,
  });
  const output = values.output;
  if (output === undefined) io.out(text);
  else writeFileSync(output, text);
  return EXIT_OK;
}

function whatIfKit(io: CliIo): CommandKit {
  return {
    out: io.out,
    err: io.err,
    checkScenario,
    usageError: (message) => new CliError(message),
    formatIssues: (issues) => formatIssues(issues),
    ...(io === processIo && process.stderr.isTTY ? { progress: process.stderr } : {}),
  };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function parse<const Options extends NonNullable<ParseArgsConfig["options"]>>(argv: readonly string[], options: Options) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}

function numberFlag(text: string): number | string {
  const value = Number(text);
  return text.trim() === "" || Number.isNaN(value) ? text : value;
}

/** `--xlsx file`: the workbook to write, which must be named .xlsx. */
function workbookFlag(file: string | undefined): string | undefined {
  if (file !== undefined && !isWorkbookFile(file)) throw new CliError(`--xlsx writes an Excel workbook: name it .xlsx, not ${JSON.stringify(file)}`);
  return file;
}

const optionFlags: Record<string, string> = {
  backend: "--backend",
  integer: "--integer",
  timeLimitMs: "--time-limit",
  mipGap: "--mip-gap",
  explain: "--explain",
};

function flagFor(path: string): string {
  return optionFlags[path] ?? path;
}
