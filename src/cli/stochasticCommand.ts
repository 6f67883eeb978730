import type { Scenario } from "../scenario/schema.js";
import type { DecompositionIteration } from "../stochastic/decomposition/types.js";
import { stochastic } from "../stochastic/stochastic.js";
import type { StochasticResult } from "../stochastic/types.js";
import { stochasticFigures, stochasticSummary } from "../stochastic/words.js";
import { objectiveWords } from "../whatif/words.js";
import { formatUnits, renderTable } from "./table.js";
import { EXIT_ERROR, EXIT_NO_PLAN, EXIT_OK, flagOptions, startRequestCommand, withProgress, type CommandKit } from "./whatifCommands.js";

/**
 * `jointplan stochastic <scenario> <spec.json> [--json] [--threads n]`: the
 * file holds `{ "outcomes" | "sample", "here_and_now"?, "evaluate"?,
 * "options"?: {...} }` (docs/stochastic.md). Exit 0 with a two-stage plan, 2
 * without one, 1 when some outcome's part fails verification.
 */
export async function stochasticCommand(argv: readonly string[], kit: CommandKit): Promise<number> {
  const start = await startRequestCommand(argv, kit, { name: "stochastic", file: "a stochastic file", shape: '{ "outcomes": [...] } or { "sample": {...} }' });
  if (start === undefined) return EXIT_ERROR;
  const { values, file, request, scenario, threads } = start;
  const options = { ...request.options, ...flagOptions(values), ...(threads === undefined ? {} : { threads, subproblemThreads: threads }) };
  // A decomposition's bounds each iteration (docs/stochastic-decomposition.md), on stderr beside the progress.
  const onIteration = ({ iteration, lower, upper, gap }: DecompositionIteration) =>
    kit.err(`decomposition iteration ${iteration}: lower ${lower ?? "—"}, upper ${upper ?? "—"}, gap ${gap === null ? "—" : gap.toExponential(2)}\n`);
  const result = await withProgress(kit, "solves", (onProgress) => stochastic(scenario.value, request.body, { ...options, onProgress, onIteration }), file);
  if (result === undefined) return EXIT_ERROR;
  kit.out(values["json"] === true ? `${JSON.stringify(result, null, 2)}\n` : renderStochastic(scenario.parsed, result));
  // A solution in every outcome, but one that fails verification somewhere: the solver's answer is wrong.
  if (
    result.expected === null &&
    (result.status === "optimal" || result.status === "time_limit") &&
    result.outcomes.some((outcome) => outcome.verification.checked > 0)
  ) {
    kit.err("jointplan: a solver's plan failed independent verification\n");
    return EXIT_ERROR;
  }
  return result.expected === null ? EXIT_NO_PLAN : EXIT_OK;
}

/** The two-stage plan for the terminal: the summary in words, the figures, the outcomes, and the here-and-now decisions. */
export function renderStochastic(scenario: Scenario, result: StochasticResult): string {
  const objective = objectiveWords(scenario);
  const money = (value: number | null) => (value === null ? "—" : objective.format(value));
  const lines: string[] = [
    `Two-stage plan of ${scenario.title} (${scenario.id}): ${result.outcomes.length} outcomes`,
    "",
    stochasticSummary(scenario, result),
    "",
  ];
  lines.push(
    `${objective.label} (${objective.unit})`,
    renderTable(
      [{ header: "figure" }, { header: "value", align: "right" }],
      stochasticFigures(result, objective.format).map((figure) => [figure.label, figure.value]),
    ),
    "",
  );
  lines.push(
    "Outcomes",
    renderTable(
      [
        { header: "outcome" },
        { header: "probability", align: "right" },
        { header: objective.label, align: "right" },
        { header: "known first", align: "right" },
        { header: "sold", align: "right" },
        { header: "unsold", align: "right" },
        { header: "targets met", align: "right" },
      ],
      result.outcomes.map((outcome) => [
        outcome.name,
        formatUnits(outcome.probability),
        money(outcome.objective),
        money(outcome.alone),
        formatUnits(outcome.sales.reduce((sum, row) => sum + row.units, 0)),
        formatUnits(outcome.unsold.reduce((sum, row) => sum + row.units, 0)),
        `${outcome.targets.filter((row) => row.met).length}/${outcome.targets.length}`,
      ]),
    ),
    "",
  );
  const { production, investments } = result.here_and_now;
  if (investments.length > 0) {
    lines.push(
      "Investments (decided here and now)",
      renderTable(
        [{ header: "investment" }, { header: "plant" }, { header: "built" }],
        investments.map((row) => [row.id, row.plant, row.built ? (row.period ?? "") : "no"]),
      ),
      "",
    );
  }
  if (production.length > 0) {
    const periods = scenario.periods;
    const routes = [...new Set(production.map((row) => JSON.stringify([row.plant, row.product])))].map((key) => JSON.parse(key) as [string, string]);
    lines.push(
      "Production (decided here and now)",
      renderTable(
        [{ header: "plant" }, { header: "product" }, ...periods.map((period) => ({ header: period, align: "right" as const }))],
        routes.map(([plant, product]) => [
          plant,
          product,
          ...periods.map((period) =>
            formatUnits(production.find((row) => row.plant === plant && row.product === product && row.period === period)?.units ?? 0),
          ),
        ]),
      ),
      "",
    );
  }
  for (const note of result.notes) lines.push(`Note: ${note}`);
  return `${lines.join("\n")}\n`;
}
