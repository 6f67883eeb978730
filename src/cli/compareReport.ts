import type { BoundRef } from "../explain/types.js";
import type { Plan } from "../plan/types.js";
import type { Scenario } from "../scenario/schema.js";
import { boundKey } from "../whatif/delta.js";
import type { Comparison } from "../whatif/types.js";
import { formatShare, formatUnits, renderTable } from "./table.js";
import { objectiveWords, signed } from "../whatif/words.js";
import { boundLabel } from "./whatifWords.js";

/**
 * A comparison side by side: the baseline and each variant across; status,
 * objective and its change, units, export and local-parts shares, production
 * by plant, targets and what binds down.
 */
export function renderComparison(scenario: Scenario, comparison: Comparison): string {
  const columns = [
    { name: "baseline", plan: comparison.baseline, binding: comparison.binding },
    ...comparison.variants.map((variant) => ({ name: variant.name, plan: variant.plan, binding: variant.binding })),
  ];
  const objective = objectiveWords(scenario);
  const has = (plan: Plan) => plan.objective !== null;
  const cell = (plan: Plan, text: () => string) => (has(plan) ? text() : "—");
  const row = (label: string, text: (plan: Plan, c: number) => string): string[] => [label, ...columns.map(({ plan }, c) => text(plan, c))];

  const rows: string[][] = [
    row("status", (plan) => plan.status),
    row(`${objective.label} (${objective.unit})`, (plan) => cell(plan, () => objective.format(plan.objective ?? 0))),
    row("  change", (plan, c) => {
      const base = comparison.baseline.objective;
      return c === 0 || plan.objective === null || base === null ? "" : signed(plan.objective - base, objective.format);
    }),
    row("units made", (plan) => cell(plan, () => formatUnits(sum(plan.production.map((r) => r.units))))),
    row("export share", (plan) => cell(plan, () => formatShare(exportShare(scenario, plan)))),
    row("local parts share", (plan) => cell(plan, () => formatShare(localPartsShare(scenario, plan)))),
  ];

  const section = (title: string) => rows.push([title, ...columns.map(() => "")]);
  section("production by plant (units)");
  for (const plant of scenario.plants) {
    const made = (plan: Plan) => sum(plan.production.filter((r) => r.plant === plant.id).map((r) => r.units));
    if (columns.every(({ plan }) => made(plan) === 0)) continue;
    rows.push(row(`  ${plant.name ?? plant.id}`, (plan) => cell(plan, () => formatUnits(made(plan)))));
  }

  if (scenario.targets.length > 0) {
    section(scenario.periods.length > 1 ? "targets (periods met)" : "targets");
    const kinds = new Map(scenario.targets.map((target) => [target.id, target.kind]));
    for (const target of scenario.targets) {
      rows.push(
        row(`  ${target.id}`, (plan) => {
          const entries = plan.targets.filter((entry) => entry.id === target.id);
          if (!has(plan) || entries.length === 0) return "—";
          if (entries.length > 1) return `${entries.filter((entry) => entry.met).length} of ${entries.length}`;
          const [entry] = entries;
          if (entry === undefined) return "—";
          const value = entry.value === null ? "—" : kinds.get(target.id) === "units" ? formatUnits(entry.value) : formatShare(entry.value);
          return `${value}${entry.met ? "" : " (missed)"}`;
        }),
      );
    }
  }

  const periods = scenario.periods.length;
  const binding = bindingRows(columns, periods);
  if (binding.length > 0) {
    section(periods > 1 ? "what binds (periods)" : "what binds");
    rows.push(...binding);
  }

  const title = `${scenario.title} (${scenario.id}): baseline and ${comparison.variants.length} variant${comparison.variants.length === 1 ? "" : "s"}`;
  const table = renderTable([{ header: "" }, ...columns.map(({ name }) => ({ header: name, align: "right" as const }))], rows);
  const notes = [
    "What binds: the bounds whose shadow price is nonzero in the plan (whole-unit plans: the bounds the plan sits at).",
    ...columns.flatMap(({ name, plan }) => noPlanNote(scenario, name, plan)),
    ...(columns.some(({ plan }) => plan.objective !== null && !plan.verification.feasible) ? ["A plan FAILED independent verification: see --json."] : []),
  ];
  return `${title}\n\n${table}\n\n${notes.join("\n")}\n`;
}

/** Why a plan has none, in one line: the diagnosis' smallest fix. */
function noPlanNote(scenario: Scenario, name: string, plan: Plan): string[] {
  if (plan.objective !== null) return [];
  const fixes = plan.diagnosis?.relaxations ?? [];
  if (fixes.length === 0) return [`${name}: no plan (${plan.status}).`];
  const share = new Set(scenario.targets.filter((target) => target.kind !== "units").map((target) => target.id));
  const to = (fix: (typeof fixes)[number]) => (fix.kind === "target" && share.has(fix.id) ? formatShare(fix.to) : formatUnits(fix.to));
  const list = fixes.map((fix) => `${boundLabel(fix, scenario.periods.length)} to ${to(fix)}`).join("; ");
  return [`${name}: no plan (${plan.status}); the smallest change that restores one: ${list}.`];
}

/** One row per bound that binds in some plan (bounds of several periods grouped), marked per plan. */
function bindingRows(columns: readonly { plan: Plan; binding: readonly BoundRef[] }[], periods: number): string[][] {
  const labels = new Map<string, string>();
  const counts = columns.map(({ binding }) => {
    const count = new Map<string, number>();
    for (const ref of binding) {
      const key = periods > 1 ? boundKey({ ...ref, period: "" }) : boundKey(ref);
      labels.set(key, boundLabel(ref, periods, false));
      count.set(key, (count.get(key) ?? 0) + 1);
    }
    return count;
  });
  return [...labels.entries()].map(([key, label]) => [
    `  ${label}`,
    ...columns.map(({ plan }, c) => {
      if (plan.objective === null) return "—";
      const count = counts[c]?.get(key) ?? 0;
      return periods > 1 ? (count === 0 ? "·" : String(count)) : count === 0 ? "·" : "binds";
    }),
  ]);
}

/** Units sold to export markets over all units sold, every period together. */
function exportShare(scenario: Scenario, plan: Plan): number | null {
  const exported = new Set(scenario.markets.filter((market) => market.export).map((market) => market.id));
  const sold = sum(plan.sales.map((row) => row.units));
  return sold > 0 ? sum(plan.sales.filter((row) => exported.has(row.market)).map((row) => row.units)) / sold : null;
}

/** Parts bought from local sources over all parts bought, weighted by part value, every period together. */
function localPartsShare(scenario: Scenario, plan: Plan): number | null {
  const value = new Map(scenario.parts.map((part) => [part.id, part.value]));
  const weighted = (rows: Plan["procurement"]) => sum(rows.map((row) => (value.get(row.part) ?? 1) * row.units));
  const all = weighted(plan.procurement);
  return all > 0 ? weighted(plan.procurement.filter((row) => row.local)) / all : null;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
