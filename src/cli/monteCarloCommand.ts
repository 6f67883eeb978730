import { monteCarlo } from "../montecarlo/monteCarlo.js";
import { monteCarloSpecSchema } from "../montecarlo/schema.js";
import { renderMonteCarlo } from "./monteCarloReport.js";
import { EXIT_ERROR, EXIT_NO_PLAN, EXIT_OK, flagOptions, startRequestCommand, withProgress, type CommandKit } from "./whatifCommands.js";

/**
 * `jointplan montecarlo <scenario> <montecarlo.json> [--json] [--threads n]`:
 * the file holds `{ "samples", "seed", "uncertain": [...], "options"?: {...} }`.
 * Exit 0 when some sample has a plan, 2 when none has.
 */
export async function monteCarloCommand(argv: readonly string[], kit: CommandKit): Promise<number> {
  const start = await startRequestCommand(argv, kit, { name: "montecarlo", file: "a Monte Carlo file", shape: '{ "samples", "seed", "uncertain": [...] }' });
  if (start === undefined) return EXIT_ERROR;
  const { values, file, request, scenario, threads } = start;
  const options = { ...request.options, ...flagOptions(values), ...(threads === undefined ? {} : { threads }) };
  const result = await withProgress(kit, "samples", (onProgress) => monteCarlo(scenario.value, request.body, { ...options, onProgress }), file);
  if (result === undefined) return EXIT_ERROR;
  if (values["json"] === true) kit.out(`${JSON.stringify(result, null, 2)}\n`);
  else kit.out(renderMonteCarlo(scenario.parsed, monteCarloSpecSchema.parse(request.body), result));
  return result.feasible > 0 ? EXIT_OK : EXIT_NO_PLAN;
}
