import { humanize } from "../../src/explain/words.js";
import { periodValue, targetScope, type ScenarioView, type TargetView } from "./scenarioDoc.js";
import { leverKey, sweepSelectorKeys, type Levers, type SweepSelectorKey, type SweepState } from "./state.js";
import type { Change, ChangeSelector } from "./whatif.js";

/**
 * The levers as Changes (README, "What-if"): each moved lever is one Change,
 * applied by the server. `control` names the lever's control, where an error
 * the server reports at `changes[i]` is shown.
 */
export interface LeverChange {
  readonly change: Change;
  readonly control: string;
}

export function leverChanges(levers: Levers): LeverChange[] {
  return [
    ...[...levers.targets].map(([id, set]) => ({ change: { on: "target", id, field: "min", set } as const, control: leverKey("targets", id) })),
    ...[...levers.demand].map(([market, scale]) => ({ change: { on: "demand", market, field: "max", scale } as const, control: leverKey("demand", market) })),
    ...[...levers.capacity].map(([plant, scale]) => ({ change: { on: "capacity", plant, scale } as const, control: leverKey("capacity", plant) })),
  ];
}

/** A target lever: its min in the period shown, as the scenario has it. */
export interface TargetLever {
  readonly target: TargetView;
  readonly label: string;
  /** The scenario's min in the period shown; undefined when it sets none. */
  readonly current: number | undefined;
  readonly share: boolean;
}

/** The targets a planner moves: every units, export-share and local-parts target, by its min. */
export function targetLevers(scenario: ScenarioView, period: string): TargetLever[] {
  return scenario.targets.map((target) => ({
    target,
    label: targetLabel(target),
    current: periodValue(target.min, period),
    share: target.kind !== "units",
  }));
}

/** "Joint goal". */
export function targetLabel(target: TargetView): string {
  const name = humanize(target.id);
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}

/** What a target counts, in words: "units made", "export share of all sales", "local share of car parts, by value". */
export function targetMeaning(target: TargetView): string {
  switch (target.kind) {
    case "units":
      return `units made of ${targetScope(target, "products")}`;
    case "export_share":
      return `export share of ${targetScope(target, "sales")}`;
    case "local_parts_share":
      return `local share of ${targetScope(target, "parts")}, by value`;
  }
}

/** Markets whose demand can be scaled: each of their demand rows has a maximum (scaling an unlimited one is an error). */
export function scalableMarkets(scenario: ScenarioView): { readonly id: string; readonly name: string; readonly scalable: boolean }[] {
  return scenario.markets.map((market) => {
    const rows = scenario.demand.filter((row) => row.market === market.id);
    return { id: market.id, name: market.name ?? humanize(market.id), scalable: rows.length > 0 && rows.every((row) => row.max !== undefined) };
  });
}

/** What a sweep can move: target bounds, plant resources, part supplies — values that enter bounds or right-hand sides. */
export interface SweepChoice {
  /** Stable key of the choice (for the select). */
  readonly key: string;
  readonly label: string;
  readonly parameter: ChangeSelector;
  /** The scenario's value in the period shown, for a default range. */
  readonly current: number | undefined;
  readonly share: boolean;
}

export function sweepChoices(scenario: ScenarioView, period: string): SweepChoice[] {
  const choices: SweepChoice[] = [];
  for (const target of scenario.targets) {
    choices.push({
      key: JSON.stringify(["target", target.id]),
      label: `${targetLabel(target)}: minimum`,
      parameter: { on: "target", id: target.id, field: "min" },
      current: periodValue(target.min, period),
      share: target.kind !== "units",
    });
  }
  for (const plant of scenario.plants) {
    for (const resource of plant.resources) {
      choices.push({
        key: JSON.stringify(["capacity", plant.id, resource.id]),
        label: `${humanize(resource.id)} at ${plant.name ?? humanize(plant.id)}`,
        parameter: { on: "capacity", plant: plant.id, resource: resource.id },
        current: periodValue(resource.capacity, period),
        share: false,
      });
    }
  }
  for (const part of scenario.parts) {
    for (const source of part.sources) {
      if (source.capacity === undefined) continue; // unlimited: nothing to sweep
      choices.push({
        key: JSON.stringify(["source", part.id, source.id]),
        label: `Supply of ${part.name ?? humanize(part.id)} from ${humanize(source.id)}`,
        parameter: { on: "source", part: part.id, source: source.id, field: "capacity" },
        current: periodValue(source.capacity, period),
        share: false,
      });
    }
  }
  return choices;
}

/** The sweep choice a URL's sweep state names, if the scenario has it. */
export function chosenSweep(choices: readonly SweepChoice[], sweep: SweepState | null): SweepChoice | undefined {
  if (sweep === null) return undefined;
  return choices.find((choice) => {
    const selector = selectorOf(choice.parameter);
    return choice.parameter.on === sweep.on && sweepSelectorKeys.every((key) => selector[key] === sweep.selector[key]);
  });
}

/** The sweep state of a newly chosen parameter: its range starts afresh, steps and mode stay. */
export function sweepStateOf(choice: SweepChoice, previous: SweepState | null): SweepState {
  return {
    on: choice.parameter.on,
    selector: selectorOf(choice.parameter),
    from: null,
    to: null,
    steps: previous?.steps ?? null,
    mode: previous?.mode ?? "grid",
  };
}

function selectorOf(parameter: ChangeSelector): Partial<Record<SweepSelectorKey, string>> {
  const { on: _, ...selector } = parameter;
  return selector;
}
