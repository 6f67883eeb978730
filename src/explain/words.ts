import type {
  BoundRef,
  BoundSensitivity,
  DecisionAlternative,
  DecisionWorth,
  Diagnosis,
  MaxAchievable,
  Relaxation,
  Sensitivity,
  UnusedRoute,
} from "./types.js";
import type { PeriodMoney } from "../plan/types.js";

/**
 * Explanations and figures in words, in the scenario's own names: what the CLI
 * prints under a plan and what the planner's page (web/) shows. Pure: no Node
 * API and no imports but types, so the page's browser bundle shares it.
 */

/** What the words need of a scenario: its names, periods, target kinds and objective. A parsed Scenario is one. */
export interface ScenarioVocabulary {
  readonly periods: readonly string[];
  readonly objective: "max_margin" | "min_cost" | "max_units";
  readonly plants: readonly NamedRecord[];
  readonly products: readonly NamedRecord[];
  readonly markets: readonly NamedRecord[];
  readonly parts: readonly NamedRecord[];
  readonly targets: readonly { readonly id: string; readonly kind: string }[];
  /** Investments (docs/format.md §1.7), for what each decision is worth. */
  readonly investments?: readonly NamedRecord[];
}

export interface NamedRecord {
  readonly id: string;
  readonly name?: string | undefined;
}

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const money = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 7000 → "7,000"; 12.345 → "12.35". */
export function formatUnits(value: number): string {
  return grouped.format(value);
}

/** Whole currency units with thousands separators: 93250385.87 → "93,250,386". */
export function formatMoney(value: number): string {
  return money.format(value);
}

/** A share as a percentage with one decimal; "—" for a share of nothing. */
export function formatShare(value: number | null): string {
  return value === null ? "—" : `${(value * 100).toFixed(1)}%`;
}

/** Names and phrases in the scenario's own words. */
export class Words {
  private readonly plants: Map<string, string>;
  private readonly products: Map<string, string>;
  private readonly markets: Map<string, string>;
  private readonly parts: Map<string, string>;
  private readonly targetKinds: Map<string, string>;
  private readonly investments: Map<string, string>;
  readonly multiPeriod: boolean;

  constructor(readonly scenario: ScenarioVocabulary) {
    const names = (items: readonly NamedRecord[]) => new Map(items.map((item) => [item.id, item.name ?? humanize(item.id)]));
    this.plants = names(scenario.plants);
    this.products = names(scenario.products);
    this.markets = names(scenario.markets);
    this.parts = names(scenario.parts);
    this.targetKinds = new Map(scenario.targets.map((target) => [target.id, target.kind]));
    this.investments = names(scenario.investments ?? []);
    this.multiPeriod = scenario.periods.length > 1;
  }

  plant = (id: string) => this.plants.get(id) ?? humanize(id);
  market = (id: string) => this.markets.get(id) ?? humanize(id);
  /** Products, parts and sources are common nouns inside a sentence: "city small car", "stamped body set", "Andijan stamping". */
  product = (id: string) => uncapitalize(this.products.get(id) ?? humanize(id));
  part = (id: string) => uncapitalize(this.parts.get(id) ?? humanize(id));
  source = (id: string) => capitalize(humanize(id));
  isShare = (id: string) => this.targetKinds.get(id) !== "units";
  investment = (id: string) => this.investments.get(id) ?? humanize(id);

  /** "in 2020", only when the scenario has several periods. */
  when(period: string): string {
    return this.multiPeriod ? ` in ${period}` : "";
  }

  /** A target's bound as the subject of a sentence: "the 7,000-unit joint goal for 2020". */
  target(ref: Extract<BoundRef, { kind: "target" }>, value: number): string {
    const name = humanize(ref.id);
    // A scenario without periods has the one period "base": no need to name it.
    const period = this.scenario.periods.length === 1 && ref.period === "base" ? "" : ` for ${ref.period}`;
    if (this.isShare(ref.id)) return `the ${name} of at ${ref.bound === "min" ? "least" : "most"} ${percent(value)}${period}`;
    return ref.bound === "min" ? `the ${formatUnits(value)}-unit ${name}${period}` : `the ${name} of at most ${formatUnits(value)} units${period}`;
  }

  /** A bound in a list of what clashes: "assembly hours at Samarkand (110,000)". */
  bound(ref: BoundRef, value: number): string {
    const v = formatUnits(value);
    const when = this.when(ref.period);
    switch (ref.kind) {
      case "capacity":
        return `${humanize(ref.resource)} at ${this.plant(ref.plant)} (${v}${when})`;
      case "source_capacity":
        return `the supply of ${this.part(ref.part)} from ${this.source(ref.source)} (${v}${when})`;
      case "lane_capacity":
        return `deliveries of ${this.part(ref.part)} from ${this.source(ref.source)} to ${this.plant(ref.plant)} (${v}${when})`;
      case "shipping_capacity":
        return `shipping of ${this.product(ref.product)} from ${this.plant(ref.plant)} to ${this.market(ref.market)} (${v}${when})`;
      case "target":
        return this.target(ref, value);
      case "demand":
        return ref.bound === "max"
          ? `the ${this.market(ref.market)} demand for ${this.product(ref.product)} (at most ${v}${when})`
          : `the commitment to sell at least ${v} ${this.product(ref.product)} in ${this.market(ref.market)}${when}`;
      case "route":
        return ref.bound === "max"
          ? `the limit of ${v} ${this.product(ref.product)} at ${this.plant(ref.plant)}${when}`
          : `the minimum of ${v} ${this.product(ref.product)} at ${this.plant(ref.plant)}${when}`;
      case "inventory":
        return ref.bound === "max"
          ? `the yard limit of ${v} ${this.product(ref.product)} at ${this.plant(ref.plant)}${when}`
          : `the final stock of ${v} ${this.product(ref.product)} at ${this.plant(ref.plant)}`;
    }
  }

  /** A change that relaxes a bound: "+412 assembly hours at Andijan". */
  change(relaxation: Relaxation): string {
    const when = this.when(relaxation.period);
    const by = formatUnits(roundAway(relaxation.by));
    const to = this.relaxedValue(relaxation);
    switch (relaxation.kind) {
      case "capacity":
        return `+${by} ${humanize(relaxation.resource)} at ${this.plant(relaxation.plant)}${when}`;
      case "source_capacity":
        return `+${by} units of ${this.part(relaxation.part)} from ${this.source(relaxation.source)}${when}`;
      case "lane_capacity":
        return `+${by} ${this.part(relaxation.part)} delivered from ${this.source(relaxation.source)} to ${this.plant(relaxation.plant)}${when}`;
      case "shipping_capacity":
        return `+${by} ${this.product(relaxation.product)} shipped from ${this.plant(relaxation.plant)} to ${this.market(relaxation.market)}${when}`;
      case "target":
        return `${relaxation.bound === "min" ? "lowering" : "raising"} ${this.target(relaxation, relaxation.value)} to ${to}`;
      case "demand":
        return relaxation.bound === "max"
          ? `${this.market(relaxation.market)} demand for ${by} more ${this.product(relaxation.product)}${when}`
          : `a commitment to sell only ${to} ${this.product(relaxation.product)} in ${this.market(relaxation.market)}${when}`;
      case "route":
        return relaxation.bound === "max"
          ? `raising the limit of ${this.product(relaxation.product)} at ${this.plant(relaxation.plant)} to ${to}${when}`
          : `lowering the minimum of ${this.product(relaxation.product)} at ${this.plant(relaxation.plant)} to ${to}${when}`;
      case "inventory":
        return relaxation.bound === "max"
          ? `raising the yard limit for ${this.product(relaxation.product)} at ${this.plant(relaxation.plant)} to ${to}${when}`
          : `a final stock of ${to} ${this.product(relaxation.product)} at ${this.plant(relaxation.plant)}`;
    }
  }

  /** The relaxed value, rounded in the relaxing direction so that the words never ask for less than is needed. */
  relaxedValue(relaxation: Relaxation): string {
    const down = relaxation.to < relaxation.value;
    if (relaxation.kind === "target" && this.isShare(relaxation.id)) return percent(relaxation.to, down ? "down" : "up");
    return formatUnits(down ? roundToward(relaxation.to) : roundAway(relaxation.to));
  }

  /** A target's best reachable value, rounded so that it is reachable. */
  achievable(entry: MaxAchievable & { value: number }): string {
    if (this.isShare(entry.id)) return percent(entry.value, entry.bound === "min" ? "down" : "up");
    return formatUnits(entry.bound === "min" ? roundToward(entry.value) : roundAway(entry.value));
  }

  /** A bound as a row label of the "what binds" list: "assembly hours at Andijan", "joint goal (min)". */
  bindingName(bound: BoundRef): string {
    switch (bound.kind) {
      case "capacity":
        return `${humanize(bound.resource)} at ${this.plant(bound.plant)}`;
      case "source_capacity":
        return `${this.part(bound.part)} from ${this.source(bound.source)}`;
      case "lane_capacity":
        return `${this.part(bound.part)} deliveries from ${this.source(bound.source)} to ${this.plant(bound.plant)}`;
      case "shipping_capacity":
        return `${this.product(bound.product)} shipped from ${this.plant(bound.plant)} to ${this.market(bound.market)}`;
      case "target":
        return `${humanize(bound.id)} (${bound.bound})`;
      case "demand":
        return `${this.market(bound.market)} demand for ${this.product(bound.product)} (${bound.bound})`;
      case "route":
        return `${this.product(bound.product)} at ${this.plant(bound.plant)} (${bound.bound})`;
      case "inventory":
        return `${bound.bound === "max" ? "yard limit" : "final stock"} of ${this.product(bound.product)} at ${this.plant(bound.plant)}`;
    }
  }

  /** A priced bound's value: a percentage for share targets, else units. */
  boundValue(bound: BoundSensitivity): string {
    return bound.kind === "target" && this.isShare(bound.id) ? percent(bound.value) : formatUnits(bound.value);
  }
}

/** Why no plan exists, in sentences: the conflict, what meets the targets, the smallest change. */
export function diagnosisLines(words: Words, diagnosis: Diagnosis): string[] {
  const lines: string[] = [];
  const targets = diagnosis.conflict.filter((entry): entry is Extract<typeof entry, { kind: "target" }> => entry.kind === "target");
  const others = diagnosis.conflict.filter((entry) => entry.kind !== "target");
  const otherWords = others.map((entry) => words.bound(entry, entry.value));

  if (diagnosis.conflict.length === 0) {
    lines.push(...diagnosis.notes);
    return lines;
  }
  if (targets.length > 0) {
    const subjects = targets.map((entry) => words.target(entry, entry.value));
    lines.push(
      `${capitalize(list(subjects))} ${targets.length === 1 ? "cannot be met" : targets.length === 2 ? "cannot both be met" : "cannot all be met together"}.`,
    );
    lines.push(
      others.length === 0
        ? `No plan can reach ${targets.length === 1 ? "it" : "them"}, whatever else the scenario allows.`
        : `Together with ${list(otherWords)}, ${targets.length === 1 ? "it is" : "they are"} infeasible.`,
    );
    const fixes: string[] = [];
    const keeping = diagnosis.relaxations_keeping_targets;
    if (keeping !== null && keeping.length > 0) fixes.push(list(keeping.map((relaxation) => words.change(relaxation))));
    const reachable = diagnosis.max_achievable.flatMap((entry) => {
      if (entry.value === null) return [];
      const name = targets.length > 1 ? `the ${humanize(entry.id)}` : words.isShare(entry.id) ? "the share" : entry.bound === "min" ? "the goal" : "the cap";
      return [`${entry.bound === "min" ? "lowering" : "raising"} ${name} to ${words.achievable({ ...entry, value: entry.value })}`];
    });
    fixes.push(...reachable);
    if (fixes.length > 0) lines.push(`Meeting ${targets.length === 1 ? "it" : "them"} needs ${fixes.join(", or ")}.`);
    else lines.push("No change to capacities, supplies, demand or route limits alone can meet it.");
  } else {
    lines.push(`These bounds cannot all hold: ${list(otherWords)}.`);
  }
  const smallest = smallestChange(words, diagnosis);
  if (smallest !== null) lines.push(`The smallest change that makes the scenario feasible: ${smallest}.`);
  lines.push(...diagnosis.notes);
  return lines;
}

/** The overall smallest change in words, or null when there is none or it repeats a fix `diagnosisLines` says before it. */
export function smallestChange(words: Words, diagnosis: Diagnosis): string | null {
  const hasTargets = diagnosis.conflict.some((entry) => entry.kind === "target");
  const repeats =
    diagnosis.relaxations.every((relaxation) =>
      diagnosis.max_achievable.some(
        (entry) => relaxation.kind === "target" && entry.id === relaxation.id && entry.period === relaxation.period && entry.bound === relaxation.bound,
      ),
    ) ||
    (hasTargets && JSON.stringify(diagnosis.relaxations) === JSON.stringify(diagnosis.relaxations_keeping_targets));
  if (diagnosis.relaxations.length === 0 || repeats) return null;
  return list(diagnosis.relaxations.map((relaxation) => words.change(relaxation)));
}

/** The heading of what each investment decision is worth, above decisionLines. */
export const DECISIONS_TITLE = "What each investment decision is worth (each re-optimised as a whole plan)";

/**
 * What each investment decision is worth, a sentence each (docs/explanations.md):
 * "Building the Kostanay car cluster in 2023 adds 41.2 million USD of net
 * present value over not building it; built in 2022 it would add 39.8 million,
 * in 2024 40.9 million." or "Not building the Tashkent site: building it (best
 * in 2025) would lose 3.1 million USD of net present value."
 */
export function decisionLines(words: Words, decisions: readonly DecisionWorth[], unit: string): string[] {
  const { objective } = words.scenario;
  const measure = objective === "min_cost" ? "of cost" : objective === "max_units" ? "" : "of net present value";
  const amount = (value: number) => `${formatAmount(Math.abs(value))} ${unit}${measure === "" ? "" : ` ${measure}`}`;
  const when = (period: string | null) => (period === null ? "" : ` in ${period}`);
  // What else the alternative plan decides differently: "(the plan would then build the Almaty cluster in 2022)".
  const otherwise = (alternative: DecisionAlternative) => {
    if (alternative.instead.length === 0) return "";
    const changes = alternative.instead.map(({ id, period }) =>
      period === null ? `not build ${words.investment(id)}` : `build ${words.investment(id)}${when(period)}`,
    );
    return ` (the plan would then ${list(changes)})`;
  };
  // An alternative's worth against the reverse of the plan's decision (not building it): what building then would add.
  return decisions.map((decision) => {
    const name = words.investment(decision.id);
    const reversed = decision.reversed;
    if (!decision.built) {
      if (decision.worth === null) return `Not building ${name}: building it leaves no plan (${reversed.status}).`;
      return `Not building ${name}: building it${reversed.period === null ? "" : ` (best${when(reversed.period)})`} would ${decision.worth >= 0 ? "lose" : "add"} ${amount(decision.worth)}${otherwise(reversed)}.`;
    }
    const head =
      decision.worth === null
        ? `Building ${name}${when(decision.period)}: without it no plan exists (${reversed.status}).`
        : `Building ${name}${when(decision.period)} ${decision.worth >= 0 ? "adds" : "costs"} ${amount(decision.worth)} over not building it${otherwise(reversed)}.`;
    const moved = [decision.earlier, decision.later].flatMap((alternative): string[] => {
      if (alternative === undefined) return [];
      const added = worthOver(objective, alternative, reversed);
      if (added === null) return [`built${when(alternative.period)} no plan exists (${alternative.status})`];
      return [`built${when(alternative.period)} it would ${added >= 0 ? "add" : "cost"} ${formatAmount(Math.abs(added))}`];
    });
    return moved.length === 0 ? head : `${head.slice(0, -1)}; ${moved.join(", ")}.`;
  });
}

/** What the objective is called in a plan's headline: with a discount rate it is a present value (docs/format.md §2.8). */
export function objectiveName(objective: ScenarioVocabulary["objective"], discountRate: number): string {
  const discounted = discountRate > 0;
  switch (objective) {
    case "max_margin":
      return discounted ? "net present value of the margin" : "margin";
    case "min_cost":
      return discounted ? "present value of the costs" : "cost";
    case "max_units":
      return "units made";
  }
}

/**
 * A mixed-integer plan's distance to the best possible (HiGHS' gap), in words:
 * "The plan is within 0.8% of the best possible, not proven optimal."; null
 * when there is nothing to say (no gap, no plan, or optimal with no gap left).
 */
export function gapLine(plan: { readonly status: string; readonly objective: number | null; readonly solver: { readonly gap?: number } }): string | null {
  const { gap } = plan.solver;
  if (gap === undefined || plan.objective === null) return null;
  if (plan.status === "optimal" && gap <= 1e-9) return null;
  const proven = plan.status === "optimal" ? "" : ", not proven optimal";
  return `The plan is within ${(gap * 100).toFixed(gap < 0.001 ? 3 : 1)}% of the best possible${proven}.`;
}

/**
 * Said under decisionLines when some alternatives ran out of the time they
 * shared (docs/explanations.md): their figures come from the best plan found
 * then, not a proven optimum. Null when every alternative finished.
 */
export function decisionsCaveat(decisions: readonly DecisionWorth[]): string | null {
  const alternatives = decisions.flatMap((decision) => [
    decision.reversed,
    ...(decision.earlier === undefined ? [] : [decision.earlier]),
    ...(decision.later === undefined ? [] : [decision.later]),
  ]);
  const stopped = alternatives.filter((alternative) => alternative.status === "time_limit").length;
  if (stopped === 0) return null;
  return `${stopped} of these ${alternatives.length} re-optimisations stopped at the time limit with the best plan found by then, so the figures they give are not proven; a longer time limit gives proven ones.`;
}

/** What `alternative` adds over `base` in the objective's direction; null without both plans. */
function worthOver(objective: ScenarioVocabulary["objective"], alternative: DecisionAlternative, base: DecisionAlternative): number | null {
  if (alternative.objective === null || base.objective === null) return null;
  return objective === "min_cost" ? base.objective - alternative.objective : alternative.objective - base.objective;
}

/** 41,200,000 → "41.2 million"; smaller amounts with thousands separators. */
function formatAmount(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)} million`;
  return formatMoney(value);
}

/** The bounds with a price, dearest first: what binds. */
export function pricedBounds(sensitivity: Sensitivity): BoundSensitivity[] {
  return sensitivity.bounds.filter((bound) => bound.shadow_price !== 0).sort((a, b) => Math.abs(b.shadow_price) - Math.abs(a.shadow_price));
}

/** The unused routes whose margin is nearest to bringing them into the plan. */
export function closestUnusedRoutes(sensitivity: Sensitivity, count: number): UnusedRoute[] {
  return [...sensitivity.unused_routes].sort((a, b) => Math.abs(a.reduced_cost) - Math.abs(b.reduced_cost)).slice(0, count);
}

/** A column of a table in words: the CLI aligns numeric ones right, the page marks them. */
export interface WordsColumn {
  readonly header: string;
  readonly numeric: boolean;
}

/**
 * The "what binds" table: each priced bound, its period (when there are
 * several), value, shadow price, per what, and the range over which the
 * price holds. `priceUnit` goes into the price's header when the table's
 * title does not give it.
 */
export function bindingTable(words: Words, bounds: readonly BoundSensitivity[], priceUnit?: string): { columns: WordsColumn[]; rows: string[][] } {
  const columns: WordsColumn[] = [
    { header: "bound", numeric: false },
    ...(words.multiPeriod ? [{ header: "period", numeric: false }] : []),
    { header: "value", numeric: true },
    { header: priceUnit === undefined ? "shadow price" : `shadow price (${priceUnit})`, numeric: true },
    { header: "per", numeric: false },
    { header: "holds from", numeric: true },
    { header: "to", numeric: true },
  ];
  const rows = bounds.map((bound) => {
    const range = rangeEnds(bound);
    return [
      words.bindingName(bound),
      ...(words.multiPeriod ? [bound.period] : []),
      words.boundValue(bound),
      formatUnits(bound.shadow_price),
      perUnit(bound),
      range.from,
      range.to,
    ];
  });
  return { columns, rows };
}

/** The title of the "what binds" table: what its numbers are. */
export function bindingTableTitle(title: string, unit: string): string {
  return `${title} (change of the objective, in ${unit}, per unit more of each bound; the price holds over the range)`;
}

/** When no bound has a price, why, in one sentence; null when some do. */
export function nothingBinds(title: string, sensitivity: Sensitivity): string | null {
  if (sensitivity.bounds.length === 0) return `${title}: no bound is priced.`;
  if (pricedBounds(sensitivity).length === 0) return `${title}: nothing — no bound is worth anything at the margin.`;
  return null;
}

/** The heading of the unused routes closest to entering the plan. */
export function unusedRoutesTitle(objective: ScenarioVocabulary["objective"]): string {
  return `Unused routes closest to entering the plan (${objective === "min_cost" ? "cost must fall by" : "margin must improve by"}, per unit)`;
}

/** "city at Andijan: 1,234 USD" — an unused route and how much its margin must improve. */
export function unusedRouteLine(words: Words, route: UnusedRoute, unit: string): string {
  return `${words.product(route.product)} at ${words.plant(route.plant)}${words.when(route.period)}: ${formatUnits(Math.abs(route.reduced_cost))} ${unit}`;
}

/** What one unit of a priced bound is: "assembly hours", "part", "share point", "unit". */
export function perUnit(bound: BoundSensitivity): string {
  switch (bound.per) {
    case "resource":
      return bound.kind === "capacity" ? humanize(bound.resource) : "unit";
    case "part":
      return "part";
    case "percentage_point":
      return "share point";
    case "unit":
      return "unit";
  }
}

/** The ends of the range over which a price holds: "119,320", "−∞"/"∞" for an open end, "—" when no range is known. */
export function rangeEnds(bound: BoundSensitivity): { readonly from: string; readonly to: string } {
  if (bound.range === null) return { from: "—", to: "—" };
  return {
    from: bound.range.from === null ? "−∞" : formatUnits(bound.range.from),
    to: bound.range.to === null ? "∞" : formatUnits(bound.range.to),
  };
}

/** "assembly_hours" → "assembly hours"; ids that are not plain words stay quoted as they are. */
export function humanize(id: string): string {
  return /^[\p{L}\p{N}]+(?:[_-][\p{L}\p{N}]+)*$/u.test(id) ? id.replace(/[_-]/g, " ") : JSON.stringify(id);
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Lower-cases a leading capital unless the word is an acronym ("Large SUV" → "large SUV", "SUV engine" stays). */
function uncapitalize(text: string): string {
  return /^\p{Lu}\p{Ll}/u.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/** "a, b and c". */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** A share as a percentage, rounded in the given direction at 0.1%. */
export function percent(share: number, direction: "down" | "up" | "nearest" = "nearest"): string {
  const tenths = share * 1000;
  const rounded = direction === "down" ? Math.floor(tenths + 1e-9) : direction === "up" ? Math.ceil(tenths - 1e-9) : Math.round(tenths);
  return `${(rounded / 10).toFixed(rounded % 10 === 0 ? 0 : 1)}%`;
}

/** Away from zero at the precision the words show: whole above 100, hundredths below. */
function roundAway(value: number): number {
  const step = Math.abs(value) >= 100 ? 1 : 0.01;
  return Math.ceil(value / step - 1e-9) * step;
}

function roundToward(value: number): number {
  const step = Math.abs(value) >= 100 ? 1 : 0.01;
  return Math.floor(value / step + 1e-9) * step;
}

/** The columns of the money-by-period table (docs/format.md §3.5), the CLI's and the page's. */
export const MONEY_BY_PERIOD_COLUMNS = ["period", "discount", "revenue", "operating costs", "investment", "net", "present value"] as const;

/**
 * The money-by-period table as text: a row per period (undiscounted money,
 * the discount factor, the net's present value; "—" for a period without
 * investment costs) and the total row, in the order of `MONEY_BY_PERIOD_COLUMNS`.
 */
export function moneyByPeriodCells(periods: readonly PeriodMoney[]): { readonly rows: string[][]; readonly total: string[] } {
  const sum = (pick: (row: PeriodMoney) => number) => periods.reduce((total, row) => total + pick(row), 0);
  return {
    rows: periods.map((row) => [
      row.period,
      row.discount_factor.toFixed(3),
      formatMoney(row.revenue),
      formatMoney(row.operating_costs),
      Math.abs(row.investment_costs) < 0.5 ? "—" : formatMoney(row.investment_costs),
      formatMoney(row.net),
      formatMoney(row.present_value),
    ]),
    total: [
      "total",
      "",
      formatMoney(sum((row) => row.revenue)),
      formatMoney(sum((row) => row.operating_costs)),
      formatMoney(sum((row) => row.investment_costs)),
      formatMoney(sum((row) => row.net)),
      formatMoney(sum((row) => row.present_value)),
    ],
  };
}
