import { capitalize, formatMoney, formatShare, formatUnits, humanize, list, Words } from "../../src/explain/words.js";
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

/**
 * What the levers change, in order; a plant's capacity lever is one change
 * per resource of the plant, a duty lever one change per lane pair it moves
 * (a source to a plant, a plant to a market).
 */
export function leverChanges(scenario: ScenarioView, levers: Levers): LeverChange[] {
  const resources = (plant: string) => Object.keys(scenario.plants.find((candidate) => candidate.id === plant)?.resources ?? {});
  const duties = (kind: DutyLever["kind"]) =>
    [...levers[kind]].flatMap(([id, set]) =>
      (dutyLevers(scenario).find((lever) => lever.kind === kind && lever.id === id)?.changes ?? []).map((selector) => ({
        change: { ...selector, set },
        control: leverKey(kind, id),
      })),
    );
  // A lever of an investment the scenario does not have is said on the page (unknownLevers), not sent.
  const investments = (kind: "build" | "fixedCost") => [...levers[kind]].filter(([id]) => scenario.investments.some((investment) => investment.id === id));
  return [
    ...[...levers.targets].map(([id, set]) => ({ change: { on: "target", id, field: "min", set } as const, control: leverKey("targets", id) })),
    ...[...levers.demand].map(([market, scale]) => ({ change: { on: "demand", market, field: "max", scale } as const, control: leverKey("demand", market) })),
    ...[...levers.capacity].flatMap(([plant, scale]) =>
      resources(plant).map((resource) => ({ change: { on: "capacity", plant, resource, scale } as const, control: leverKey("capacity", plant) })),
    ),
    ...duties("deliveryDuty"),
    ...duties("shippingDuty"),
    ...investments("build").map(([id, set]) => ({ change: { on: "investment", id, field: "built", set } as const, control: leverKey("build", id) })),
    ...investments("fixedCost").map(([id, set]) => ({
      change: { on: "investment", id, field: "fixed_cost", set } as const,
      control: leverKey("fixedCost", id),
    })),
  ];
}

/** Levers the scenario has nothing for (a plant it does not have, a source with no dutiable lanes, an investment it does not have): said on the page, left out of the changes. */
export function unknownLevers(scenario: ScenarioView, levers: Levers): string[] {
  const duties = dutyLevers(scenario);
  const noDuty = (kind: DutyLever["kind"], what: string) =>
    [...levers[kind].keys()]
      .filter((id) => !duties.some((lever) => lever.kind === kind && lever.id === id))
      .map((id) => `${leverKey(kind, id)} (the scenario has no ${what} ${JSON.stringify(id)} with a lane that crosses a border or pays duty)`);
  return [
    ...[...levers.capacity.keys()]
      .filter((plant) => !scenario.plants.some((candidate) => candidate.id === plant && Object.keys(candidate.resources).length > 0))
      .map((plant) => `${leverKey("capacity", plant)} (the scenario has no plant ${JSON.stringify(plant)} with resources)`),
    ...noDuty("deliveryDuty", "source"),
    ...noDuty("shippingDuty", "plant"),
    ...(["build", "fixedCost"] as const).flatMap((kind) =>
      [...levers[kind].keys()]
        .filter((id) => !scenario.investments.some((investment) => investment.id === id))
        .map((id) => `${leverKey(kind, id)} (the scenario has no investment ${JSON.stringify(id)})`),
    ),
  ];
}

/**
 * A duty lever of the joint network (docs/network.md): one per source, over
 * its deliveries that cross a border or pay duty (the duty on parts from that
 * source into the other country), and one per plant, over its sales in
 * markets across a border or that pay duty (the duty on its vehicles sold
 * there). Lanes within a country and free of duty have no lever.
 */
export interface DutyLever {
  readonly kind: "deliveryDuty" | "shippingDuty";
  /** The source's id, or the plant's. */
  readonly id: string;
  /** "Andijan kit line → Kostanay", "Andijan → Kazakhstan". */
  readonly label: string;
  /** What the lanes carry and what the duty is levied on, in words. */
  readonly carries: string;
  /** The duty rate every lane of the lever has in the scenario; null when they differ. */
  readonly current: number | null;
  /** The lowest and highest rate among its lanes. */
  readonly range: readonly [number, number];
  /** The changes the lever sends, without their `set`: one per lane pair (a source to a plant, a plant to a market). */
  readonly changes: readonly (
    | { readonly on: "delivery"; readonly source: string; readonly plant: string; readonly field: "duty" }
    | { readonly on: "shipping"; readonly plant: string; readonly market: string; readonly field: "duty" }
  )[];
}

/** A lane pair whose duty a lever or a sweep moves: a source to a plant, or a plant to a market, with the rates and what its lanes carry. */
interface DutyLane {
  readonly kind: DutyLever["kind"];
  /** The lever's id (the source, or the shipping plant) and the other end (the plant delivered to, or the market). */
  readonly id: string;
  readonly to: string;
  readonly rates: readonly number[];
  readonly carries: readonly string[];
}

/** Every lane pair of the scenario that crosses a border or pays duty, in the scenario's order. */
function dutyLanes(scenario: ScenarioView): DutyLane[] {
  const country = (items: readonly { id: string; country?: string }[], id: string | undefined) => items.find((item) => item.id === id)?.country;
  const crosses = (from: string | undefined, to: string | undefined) => from !== undefined && to !== undefined && from !== to;
  const lanes = new Map<string, { kind: DutyLever["kind"]; id: string; to: string; rates: number[]; carries: string[]; counts: boolean }>();
  const add = (kind: DutyLever["kind"], id: string, to: string, rate: number, carries: string, counts: boolean) => {
    const key = JSON.stringify([kind, id, to]);
    const lane = lanes.get(key) ?? { kind, id, to, rates: [], carries: [], counts: false };
    lane.rates.push(rate);
    if (!lane.carries.includes(carries)) lane.carries.push(carries);
    lane.counts ||= counts;
    lanes.set(key, lane);
  };
  for (const part of scenario.parts) {
    for (const source of part.sources) {
      for (const [plant, lane] of Object.entries(source.delivers_to ?? {})) {
        const counts = lane.duty > 0 || crosses(country(scenario.plants, source.plant), country(scenario.plants, plant));
        add("deliveryDuty", source.id, plant, lane.duty, part.id, counts);
      }
    }
  }
  for (const route of scenario.routes) {
    for (const [market, lane] of Object.entries(route.ships_to ?? {})) {
      const counts = lane.duty > 0 || crosses(country(scenario.plants, route.plant), country(scenario.markets, market));
      add("shippingDuty", route.plant, market, lane.duty, route.product, counts);
    }
  }
  // A pair counts when one of its lanes does; the change then sets the duty of all its lanes, so every lane's rate is kept.
  return [...lanes.values()].filter((lane) => lane.counts);
}

/** The duty levers of a joint network scenario: none for a scenario without lanes. */
export function dutyLevers(scenario: ScenarioView): DutyLever[] {
  const words = new Words(scenario);
  const lanes = dutyLanes(scenario);
  const levers: DutyLever[] = [];
  for (const kind of ["deliveryDuty", "shippingDuty"] as const) {
    const ids = [...new Set(lanes.filter((lane) => lane.kind === kind).map((lane) => lane.id))];
    for (const id of ids) {
      const mine = lanes.filter((lane) => lane.kind === kind && lane.id === id);
      const rates = mine.flatMap((lane) => lane.rates);
      const low = Math.min(...rates);
      const high = Math.max(...rates);
      const carried = [...new Set(mine.flatMap((lane) => lane.carries))];
      const delivery = kind === "deliveryDuty";
      levers.push({
        kind,
        id,
        label: `${delivery ? words.source(id) : words.plant(id)} → ${list(mine.map((lane) => (delivery ? words.plant(lane.to) : words.market(lane.to))))}`,
        carries: delivery
          ? `on ${list(carried.map(words.part))}, as a share of the unit cost`
          : `on ${carried.length === 1 ? carried.map(words.product).join("") : `${carried.length} products`}, as a share of the price`,
        current: low === high ? low : null,
        range: [low, high],
        changes: mine.map((lane) =>
          delivery
            ? { on: "delivery" as const, source: id, plant: lane.to, field: "duty" as const }
            : { on: "shipping" as const, plant: id, market: lane.to, field: "duty" as const },
        ),
      });
    }
  }
  return levers;
}

/** The moved levers in words: "joint goal at least 7,500 units; Andijan capacity ×110%". */
export function leversInWords(scenario: ScenarioView, levers: Levers): string {
  const words = new Words(scenario);
  const target = (id: string, value: number) => {
    const known = scenario.targets.find((candidate) => candidate.id === id);
    return `${humanize(id)} at least ${known === undefined || known.kind === "units" ? `${formatUnits(value)} units` : formatShare(value)}`;
  };
  const percent = (scale: number) => `${formatUnits(Math.round(scale * 1000) / 10)}%`;
  const duties = dutyLevers(scenario);
  const duty = (kind: DutyLever["kind"], id: string, rate: number) =>
    `duty ${duties.find((lever) => lever.kind === kind && lever.id === id)?.label ?? id} at ${percent(rate)}`;
  const parts = [
    ...[...levers.targets].map(([id, value]) => target(id, value)),
    ...[...levers.demand].map(([market, scale]) => `${words.market(market)} demand at ${percent(scale)}`),
    ...[...levers.capacity].map(([plant, scale]) => `${words.plant(plant)} capacity at ${percent(scale)}`),
    ...[...levers.deliveryDuty].map(([source, rate]) => duty("deliveryDuty", source, rate)),
    ...[...levers.shippingDuty].map(([plant, rate]) => duty("shippingDuty", plant, rate)),
    ...[...levers.build].map(([id, built]) => `${words.investment(id)} ${built === 1 ? "built" : "never built"}`),
    ...[...levers.fixedCost].map(([id, cost]) => `${words.investment(id)} fixed cost ${formatMoney(cost)} ${scenario.currency}`),
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
export type SweepGroup = "Targets" | "Capacity" | "Demand limits" | "Prices" | "Part supplies" | "Duties" | "Lane capacities";

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
   * target, capacity, demand limit, part supply, lane capacity); not a price,
   * a duty or a share, which move the objective or the matrix (docs/whatif.md,
   * "Exact mode").
   */
  readonly exact: boolean;
}

/**
 * Every parameter of the scenario a sweep can move: target minimums, plant
 * resources, demand limits, prices, part supplies, and in a joint network the
 * duties (each lane pair a duty lever moves) and the lanes' capacities — in
 * the period shown when the scenario has several (a duty is one rate for
 * every period).
 */
export function sweepChoices(scenario: ScenarioView, period: string): SweepChoice[] {
  const words = new Words(scenario);
  const choices: SweepChoice[] = [];
  // With several periods a sweep moves the value in the period shown (the levers move every period).
  const periods = scenario.periods.length > 1 ? { periods: [period] } : {};
  const when = scenario.periods.length > 1 ? `, ${period}` : "";
  const add = (group: SweepGroup, label: string, selector: SweepParameter, current: number | undefined, share = false) => {
    const perPeriod = !(selector.on === "delivery" || selector.on === "shipping") || selector.field === "capacity";
    const parameter = perPeriod ? { ...selector, ...periods } : selector;
    const exact = !share && !(parameter.on === "demand" && parameter.field === "price");
    choices.push({ key: JSON.stringify(parameter), group, label: `${label}${perPeriod ? when : ""}`, parameter, current, share, exact });
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
  for (const lane of dutyLanes(scenario)) {
    const [low, high] = [Math.min(...lane.rates), Math.max(...lane.rates)];
    const delivery = lane.kind === "deliveryDuty";
    const label = delivery
      ? `Duty on parts from ${words.source(lane.id)} to ${words.plant(lane.to)}`
      : `Duty on ${words.plant(lane.id)}'s sales in ${words.market(lane.to)}`;
    const selector: SweepParameter = delivery
      ? { on: "delivery", source: lane.id, plant: lane.to, field: "duty" }
      : { on: "shipping", plant: lane.id, market: lane.to, field: "duty" };
    add("Duties", label, selector, low === high ? low : undefined, true);
  }
  for (const part of scenario.parts) {
    for (const source of part.sources) {
      for (const [plant, lane] of Object.entries(source.delivers_to ?? {})) {
        if (lane.capacity === undefined) continue;
        const label = `Deliveries of ${words.part(part.id)} from ${words.source(source.id)} to ${words.plant(plant)}`;
        add("Lane capacities", label, { on: "delivery", part: part.id, source: source.id, plant, field: "capacity" }, periodValue(lane.capacity, period));
      }
    }
  }
  for (const route of scenario.routes) {
    for (const [market, lane] of Object.entries(route.ships_to ?? {})) {
      if (lane.capacity === undefined) continue;
      const label = `Shipping of ${words.product(route.product)} from ${words.plant(route.plant)} to ${words.market(market)}`;
      add(
        "Lane capacities",
        label,
        { on: "shipping", plant: route.plant, product: route.product, market, field: "capacity" },
        periodValue(lane.capacity, period),
      );
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
