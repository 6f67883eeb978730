import { capitalize, humanize, objectiveName } from "../../src/explain/words.js";
import { objectiveWords } from "../../src/whatif/words.js";
import { capacityBinds, localShare as sharedLocalShare } from "../../src/plan/figures.js";
import type { CapacityRow, Plan, TargetRow } from "../../src/plan/types.js";
import type { ScenarioView, TargetView } from "./scenarioDoc.js";
import { periodValue, targetScope } from "./scenarioDoc.js";

/** The figures the page shows, read from a plan in one period, in the scenario's names. Pure. */

export interface Headline {
  /** Margin, cost or units made, as the objective says; null without a plan. */
  readonly objective: { readonly label: string; readonly value: number; readonly unit: string } | null;
  /** Units made in the period (counted as the joint goal counts them), and the goal. */
  readonly units: { readonly made: number; readonly goal: number | null; readonly goalLabel: string | null };
  /** Units sold to export markets over all units sold; the export-share target's minimum, if any. */
  readonly exportShare: { readonly value: number | null; readonly target: number | null; readonly scope: string };
  /** Local share of parts bought, by value, as the local-parts target counts it (else over all parts); its minimum. */
  readonly localShare: { readonly value: number | null; readonly target: number | null; readonly scope: string };
}

export function headline(scenario: ScenarioView, plan: Plan, period: string): Headline {
  const words = objectiveWords(scenario);
  // With a discount rate the objective is a present value (docs/format.md §2.8).
  const label = capitalize(objectiveName(scenario.objective, scenario.discount_rate));
  const objective = plan.objective === null ? null : { label, value: plan.objective, unit: words.unit };

  const goal = jointGoal(scenario);
  const goalRow = goal === undefined ? undefined : targetRow(plan, goal.id, period);
  const made = goalRow?.value ?? sum(plan.production.filter((row) => row.period === period).map((row) => row.units));
  const goalValue = goal === undefined ? null : (goalRow?.min ?? periodValue(goal.min, period) ?? null);

  const exportTarget = scenario.targets.find((target) => target.kind === "export_share");
  const exportRow = exportTarget === undefined ? undefined : targetRow(plan, exportTarget.id, period);
  const localTarget = scenario.targets.find((target) => target.kind === "local_parts_share");
  const localRow = localTarget === undefined ? undefined : targetRow(plan, localTarget.id, period);

  return {
    objective,
    units: { made, goal: goalValue, goalLabel: goal === undefined ? null : humanize(goal.id) },
    exportShare: {
      value: exportRow === undefined ? exportShare(scenario, plan, period) : exportRow.value,
      target: exportTarget === undefined ? null : (exportRow?.min ?? periodValue(exportTarget.min, period) ?? null),
      scope: exportTarget === undefined ? "all sales" : targetScope(exportTarget, "sales"),
    },
    localShare: {
      value: localRow === undefined ? localShare(scenario, plan, period) : localRow.value,
      target: localTarget === undefined ? null : (localRow?.min ?? periodValue(localTarget.min, period) ?? null),
      scope: localTarget === undefined ? "all parts" : targetScope(localTarget, "parts"),
    },
  };
}

/** The joint goal: the units target over everything (no filters), else the first units target. */
export function jointGoal(scenario: ScenarioView): TargetView | undefined {
  const units = scenario.targets.filter((target) => target.kind === "units");
  return units.find((target) => target.families === undefined && target.products === undefined && target.plants === undefined) ?? units[0];
}

export function exportShare(scenario: ScenarioView, plan: Plan, period: string): number | null {
  const exported = new Set(scenario.markets.filter((market) => market.export).map((market) => market.id));
  const sales = plan.sales.filter((row) => row.period === period);
  const all = sum(sales.map((row) => row.units));
  return all > 0 ? sum(sales.filter((row) => exported.has(row.market)).map((row) => row.units)) / all : null;
}

/** Local share of every part bought in the period, weighted by each part's value. */
export function localShare(scenario: ScenarioView, plan: Plan, period: string): number | null {
  return sharedLocalShare(scenario.parts, plan, period).share;
}

export interface ProductionTable {
  readonly plants: readonly { readonly id: string; readonly name: string }[];
  readonly rows: readonly {
    readonly product: string;
    readonly name: string;
    readonly family: string;
    readonly byPlant: readonly number[];
    readonly total: number;
  }[];
  readonly plantTotals: readonly number[];
  readonly total: number;
}

/** Units made in the period: products down, plants across (only those that make something). */
export function productionTable(scenario: ScenarioView, plan: Plan, period: string): ProductionTable {
  const rows = plan.production.filter((row) => row.period === period);
  const units = new Map<string, number>();
  const key = (plant: string, product: string) => JSON.stringify([plant, product]);
  for (const row of rows) units.set(key(row.plant, row.product), (units.get(key(row.plant, row.product)) ?? 0) + row.units);
  const plants = scenario.plants.filter((plant) => rows.some((row) => row.plant === plant.id));
  const products = scenario.products.filter((product) => rows.some((row) => row.product === product.id));
  const table = products.map((product) => {
    const byPlant = plants.map((plant) => units.get(key(plant.id, product.id)) ?? 0);
    return { product: product.id, name: product.name ?? humanize(product.id), family: product.family, byPlant, total: sum(byPlant) };
  });
  const plantTotals = plants.map((_, p) => sum(table.map((row) => row.byPlant[p] ?? 0)));
  return { plants: plants.map((plant) => ({ id: plant.id, name: plant.name ?? humanize(plant.id) })), rows: table, plantTotals, total: sum(plantTotals) };
}

/** A capacity row that is used to the full (within solver tolerance): it binds. */
export const binds: (row: CapacityRow) => boolean = capacityBinds;

export interface PartSourcing {
  readonly part: string;
  readonly name: string;
  readonly local: number;
  readonly imported: number;
  readonly cost: number;
}

/** Parts bought in the period, local and imported units per part. */
export function partSourcing(scenario: ScenarioView, plan: Plan, period: string): PartSourcing[] {
  const rows = plan.procurement.filter((row) => row.period === period);
  return scenario.parts
    .filter((part) => rows.some((row) => row.part === part.id))
    .map((part) => {
      const mine = rows.filter((row) => row.part === part.id);
      return {
        part: part.id,
        name: part.name ?? humanize(part.id),
        local: sum(mine.filter((row) => row.local).map((row) => row.units)),
        imported: sum(mine.filter((row) => !row.local).map((row) => row.units)),
        cost: sum(mine.map((row) => row.cost)),
      };
    });
}

function targetRow(plan: Plan, id: string, period: string): TargetRow | undefined {
  return plan.targets.find((row) => row.id === id && row.period === period);
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
