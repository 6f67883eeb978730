import { capitalize, formatShare, formatUnits, humanize, Words } from "../../src/explain/words.js";
import type { Change, SweepParameter } from "../../src/whatif/schema.js";
import { periodValue, targetScope, type ScenarioView, type TargetView } from "./scenarioDoc.js";
import { leverKey, sweepSelectorKeys, type Levers, type SweepSelectorKey, type SweepState } from "./state.js";

/**
 * The levers as Changes (docs/whatif.md, "Changes"), applied by the server:
 * a target's minimum is `set`, a market's demand maxima and a plant's
 * capacities are scaled. `control` names the lever's control, where an error
 * the server reports at `changes[i]` is shown.
 */
export interface LeverChange {
  readonly change: Change;
  readonly control: string;
}

/** What the levers change, in order; a plant's capacity lever is one change per resource of the plant. */
export function leverChanges(scenario: ScenarioView, levers: Levers): LeverChange[] {
  const resources = (plant: string) => Object.keys(scenario.plants.find((candidate) => candidate.id === plant)?.resources ?? {});
  return [
    ...[...levers.targets].map(([id, set]) => ({ change: { on: "target", id, field: "min", set } as const, control: leverKey("targets", id) })),
    ...[...levers.demand].map(([market, scale]) => ({ change: { on: "demand", market, field: "max", scale } as const, control: leverKey("demand", market) })),
    ...[...levers.capacity].flatMap(([plant, scale]) =>
      resources(plant).map((resource) => ({ change: { on: "capacity", plant, resource, scale } as const, control: leverKey("capacity", plant) })),
    ),
  ];
}

/** Levers the scenario has nothing for (a plant it does not have): said on the page, left out of the changes. */
export function unknownLevers(scenario: ScenarioView, levers: Levers): string[] {
  return [...levers.capacity.keys()]
    .filter((plant) => !scenario.plants.some((candidate) => candidate.id === plant && Object.keys(candidate.resources).length > 0))
    .map((plant) => `${leverKey("capacity", plant)} (the scenario has no plant ${JSON.stringify(plant)} with resources)`);
}

/** The moved levers in words: "joint goal at least 7,500 units; Andijan capacity ×110%". */
export function leversInWords(scenario: ScenarioView, levers: Levers): string {
  const words = new Words(scenario);
  const target = (id: string, value: number) => {
    const known = scenario.targets.find((candidate) => candidate.id === id);
    return `${humanize(id)} at least ${known === undefined || known.kind === "units" ? `${formatUnits(value)} units` : formatShare(value)}`;
  };
  const percent = (scale: number) => `${formatUnits(Math.round(scale * 1000) / 10)}%`;
  const parts = [
    ...[...levers.targets].map(([id, value]) => target(id, value)),
    ...[...levers.demand].map(([market, scale]) => `${words.market(market)} demand at ${percent(scale)}`),
    ...[...levers.capacity].map(([plant, scale]) => `${words.plant(plant)} capacity at ${percent(scale)}`),
  ];
  return parts.length === 0 ? "the scenario as it is" : parts.join("; ");
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
  return capitalize(humanize(target.id));
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

/** What a sweep can move, grouped as the form lists them. */
export type SweepGroup = "Targets" | "Capacity" | "Demand limits" | "Prices" | "Part supplies";

export interface SweepChoice {
  /** Stable key of the choice (for the select). */
  readonly key: string;
  readonly group: SweepGroup;
  readonly label: string;
  readonly parameter: SweepParameter;
  /** The scenario's value in the period shown, for a default range and a mark on the curve. */
  readonly current: number | undefined;
  /** A share from 0 to 1 (entered and shown in percent). */
  readonly share: boolean;
  /**
   * Whether exact mode applies: a bound or right-hand side of the model (units
   * target, capacity, demand limit, part supply); not a price or a share, which
   * move the objective or the matrix (docs/whatif.md, "Exact mode").
   */
  readonly exact: boolean;
}

/**
 * Every parameter of the scenario a sweep can move: target minimums, plant
 * resources, demand limits, prices, part supplies — in the period shown when
 * the scenario has several.
 */
export function sweepChoices(scenario: ScenarioView, period: string): SweepChoice[] {
  const words = new Words(scenario);
  const choices: SweepChoice[] = [];
  // With several periods a sweep moves the value in the period shown (the levers move every period).
  const periods = scenario.periods.length > 1 ? { periods: [period] } : {};
  const when = scenario.periods.length > 1 ? `, ${period}` : "";
  const add = (group: SweepGroup, label: string, selector: SweepParameter, current: number | undefined, share = false) => {
    const parameter = { ...selector, ...periods };
    const exact = !share && !(parameter.on === "demand" && parameter.field === "price");
    choices.push({ key: JSON.stringify(parameter), group, label: `${label}${when}`, parameter, current, share, exact });
  };
  for (const target of scenario.targets) {
    add("Targets", `${targetLabel(target)}: minimum`, { on: "target", id: target.id, field: "min" }, periodValue(target.min, period), target.kind !== "units");
  }
  for (const plant of scenario.plants) {
    for (const [resource, capacity] of Object.entries(plant.resources)) {
      add(
        "Capacity",
        `${capitalize(humanize(resource))} at ${words.plant(plant.id)}`,
        { on: "capacity", plant: plant.id, resource },
        periodValue(capacity, period),
      );
    }
  }
  for (const row of scenario.demand) {
    if (row.max === undefined) continue; // unlimited: no limit to move
    const label = `${words.market(row.market)} demand for ${words.product(row.product)}: maximum`;
    add("Demand limits", capitalize(label), { on: "demand", market: row.market, product: row.product, field: "max" }, periodValue(row.max, period));
  }
  for (const row of scenario.demand) {
    const label = `Price of ${words.product(row.product)} in ${words.market(row.market)}`;
    add("Prices", label, { on: "demand", market: row.market, product: row.product, field: "price" }, periodValue(row.price, period));
  }
  for (const part of scenario.parts) {
    for (const source of part.sources) {
      if (source.capacity === undefined) continue; // unlimited: nothing to sweep
      const label = `Supply of ${words.part(part.id)} from ${words.source(source.id)}`;
      add("Part supplies", capitalize(label), { on: "source", part: part.id, source: source.id, field: "capacity" }, periodValue(source.capacity, period));
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

/** A parameter's selectors, as the link keeps them (`sweep.plant=…`). */
export function selectorOf(parameter: SweepParameter): Partial<Record<SweepSelectorKey, string>> {
  const selector: Partial<Record<SweepSelectorKey, string>> = {};
  for (const [name, value] of Object.entries(parameter)) {
    const key = sweepSelectorKeys.find((candidate) => candidate === name);
    if (key !== undefined && typeof value === "string") selector[key] = value;
  }
  return selector;
}
