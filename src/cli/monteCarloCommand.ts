import { monteCarlo } from "../montecarlo/monteCarlo.js";
import { monteCarloSpecSchema } from "../montecarlo/schema.js";
import { renderMonteCarlo } from "./monteCarloReport.js";
import {
  EXIT_ERROR,
  EXIT_NO_PLAN,
  EXIT_OK,
  flagOptions,
  parse,
  planFlags,
  readRequestFile,
  readValidScenario,
  threadsFlag,
  withProgress,
  type CommandKit,
} from "./whatifCommands.js";

/**
 * `jointplan montecarlo <scenario> <montecarlo.json> [--json] [--threads n]`:
 * the file holds `{ "samples", "seed", "uncertain": [...], "options"?: {...} }`.
 * Exit 0 when some sample has a plan, 2 when none has.
 */
export async function monteCarloCommand(argv: readonly string[], kit: CommandKit): Promise<number> {
  const { values, positionals } = parse(argv, { ...planFlags, json: { type: "boolean" }, threads: { type: "string" } }, kit);
  if (positionals.length !== 2)
    throw kit.usageError(`montecarlo takes a scenario and a Monte Carlo file, got ${positionals.length} argument${positionals.length === 1 ? "" : "s"}`);
  const threads = threadsFlag(values, kit);
  const [source = "", file = ""] = positionals;
  const request = readRequestFile(file, kit, '{ "samples", "seed", "uncertain": [...] }');
  if (request === undefined) return EXIT_ERROR;
  const scenario = await readValidScenario(source, kit);
  if (scenario === undefined) return EXIT_ERROR;
  const options = { ...request.options, ...flagOptions(values), ...(threads === undefined ? {} : { threads }) };
  const result = await withProgress(kit, "samples", (onProgress) => monteCarlo(scenario.value, request.body, { ...options, onProgress }), file);
  if (result === undefined) return EXIT_ERROR;
  if (values["json"] === true) kit.out(`${JSON.stringify(result, null, 2)}\n`);
  else kit.out(renderMonteCarlo(scenario.parsed, monteCarloSpecSchema.parse(request.body), result));
  return result.feasible > 0 ? EXIT_OK : EXIT_NO_PLAN;
}
