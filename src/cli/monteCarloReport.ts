import type { Scenario } from "../scenario/schema.js";
import type { Distribution, MonteCarloSpec } from "../montecarlo/schema.js";
import { selectorOf } from "../montecarlo/prepare.js";
import type { MonteCarloResult } from "../montecarlo/types.js";
import { formatShare, formatUnits, renderTable } from "./table.js";
import { objectiveWords, parameterLabel } from "../whatif/words.js";

/**
 * A Monte Carlo run for the terminal: what was uncertain, how many samples
 * have a plan, the objective's distribution, how often each target is met,
 * and production quantiles by plant, product and period (the plant and
 * product named once per group).
 */
export function renderMonteCarlo(scenario: Scenario, spec: MonteCarloSpec, result: MonteCarloResult): string {
  const objective = objectiveWords(scenario);
  const plants = new Map(scenario.plants.map((plant) => [plant.id, plant.name ?? plant.id]));
  const lines: string[] = [];
  lines.push(`Monte Carlo of ${scenario.title} (${scenario.id}): ${result.samples} samples, seed ${result.seed}`);
  if (result.stopped !== undefined)
    lines.push(`STOPPED (${result.stopped}) after ${result.samples} of ${result.requested} samples: the figures are those of the samples done.`);
  lines.push("Uncertain (multipliers of the scenario's values):");
  for (const entry of spec.uncertain) lines.push(`  ${parameterLabel(selectorOf(entry))}: ${distributionWords(entry.distribution)}`);
  const without = Object.entries(result.statuses).filter(([status]) => status !== "optimal" && status !== "time_limit");
  const share = result.samples === 0 ? "" : ` (${formatShare(result.feasible / result.samples)})`;
  lines.push(
    `A plan exists in ${result.feasible} of ${result.samples} samples${share}${
      without.length === 0 ? "." : `; none in ${without.map(([status, count]) => `${count} (${status})`).join(", ")}.`
    }`,
  );
  lines.push("");

  const stats = result.objective;
  if (stats !== null) {
    lines.push(
      `${objective.label} (${objective.unit}) over the ${result.feasible} samples with a plan`,
      renderTable(
        ["mean", "p5", "p50", "p95", "min", "max"].map((header) => ({ header, align: "right" as const })),
        [[stats.mean, stats.p5, stats.p50, stats.p95, stats.min, stats.max].map(objective.format)],
      ),
      "",
    );
  }

  if (result.targets.length > 0) {
    const periods = scenario.periods;
    const ids = [...new Set(result.targets.map((row) => row.id))];
    const single = periods.length === 1;
    lines.push(
      "Targets: share of the samples whose plan meets them (a sample without a plan meets none)",
      renderTable(
        [
          { header: "target" },
          ...(single ? [{ header: "met", align: "right" as const }] : periods.map((period) => ({ header: period, align: "right" as const }))),
        ],
        ids.map((id) => [
          id,
          ...periods.map((period) => {
            const row = result.targets.find((candidate) => candidate.id === id && candidate.period === period);
            return row === undefined ? "" : formatShare(row.met_share);
          }),
        ]),
      ),
      "",
    );
  }

  if (result.production.length > 0) {
    const single = scenario.periods.length === 1;
    // Grouped by route (in the scenario's order), then period.
    const route = new Map(scenario.routes.map((candidate, r) => [`${candidate.plant}\u0000${candidate.product}`, r]));
    const period = new Map(scenario.periods.map((label, t) => [label, t]));
    const ordered = [...result.production].sort(
      (a, b) =>
        (route.get(`${a.plant}\u0000${a.product}`) ?? 0) - (route.get(`${b.plant}\u0000${b.product}`) ?? 0) ||
        (period.get(a.period) ?? 0) - (period.get(b.period) ?? 0),
    );
    let previous: { plant: string; product: string } | undefined;
    const rows = ordered.map((row) => {
      const newPlant = row.plant !== previous?.plant;
      const newProduct = newPlant || row.product !== previous?.product;
      previous = row;
      const quantiles = [formatUnits(row.p5), formatUnits(row.p50), formatUnits(row.p95)];
      return [newPlant ? (plants.get(row.plant) ?? row.plant) : "", newProduct ? row.product : "", ...(single ? [] : [row.period]), ...quantiles];
    });
    lines.push(
      "Production (units) over the samples with a plan",
      renderTable(
        [
          { header: "plant" },
          { header: "product" },
          ...(single ? [] : [{ header: "period" }]),
          { header: "p5", align: "right" as const },
          { header: "p50", align: "right" as const },
          { header: "p95", align: "right" as const },
        ],
        rows,
      ),
    );
  }
  lines.push("", "Quantiles by nearest rank (p5: 5% of the samples with a plan are at or below it). Rows that no plan makes are left out.", ...result.notes);
  return `${lines.join("\n")}\n`;
}

function distributionWords(distribution: Distribution): string {
  switch (distribution.kind) {
    case "normal":
      return `normal, mean 1, sd ${distribution.sd} (truncated at 0)`;
    case "uniform":
      return `uniform from ${distribution.low} to ${distribution.high}`;
    case "triangular":
      return `triangular from ${distribution.low} to ${distribution.high}, mode ${distribution.mode}`;
  }
}
