/**
 * The page's state, which lives in the query string so that a view is a link
 * (docs/page.md lists the parameters). Pure: parsing and writing only.
 *
 *   scenario=<bundled id>        file=<name>          integer=1|0        period=<label>
 *   view=plan|compare|sweep|stochastic
 *   target.<target id>=<min>     demand.<market id>=<scale of max>     capacity.<plant id>=<scale>
 *   duty.delivery.<source id>=<rate>     duty.shipping.<plant id>=<rate>     (the joint network's duties)
 *   investment.built.<id>=1|0            investment.fixed_cost.<id>=<amount>   (investments: force or forbid, fixed cost)
 *   base.target.… base.demand.… base.capacity.…    the kept baseline of the comparison
 *   sweep.on=… sweep.<selector>=… sweep.from= sweep.to= sweep.steps= sweep.mode=grid|exact (absent: exact where it applies)
 *
 * Ids are the rest of the key after its prefix, so any id works (URL-encoded).
 */

export const DEFAULT_SCENARIO = "kz-uz-2020";

export type View = "plan" | "compare" | "sweep" | "stochastic";
const views: readonly View[] = ["plan", "compare", "sweep", "stochastic"];

export type Source =
  | { readonly kind: "bundled"; readonly id: string }
  | { readonly kind: "file"; readonly name: string }
  /** A version saved in the scenario library (`library=name@3`; the latest without `@n`). */
  | { readonly kind: "library"; readonly name: string; readonly version: number | null };

/** `name@3` → the name and version; only a trailing `@<number>` is a version (`a@b` is a name). */
export function libraryReference(text: string): { name: string; version: number | null } {
  const match = /^(.*)@([1-9]\d{0,8})$/s.exec(text);
  return match?.[1] === undefined || match[2] === undefined ? { name: text, version: null } : { name: match[1], version: Number(match[2]) };
}

/** Lever positions that differ from the scenario; a lever at the scenario's own value is absent. */
export interface Levers {
  /** Target id → its new min (units, or a share in [0, 1]). */
  readonly targets: ReadonlyMap<string, number>;
  /** Market id → scale of its demand maxima. */
  readonly demand: ReadonlyMap<string, number>;
  /** Plant id → scale of every resource's capacity. */
  readonly capacity: ReadonlyMap<string, number>;
  /** Joint network: source id → the duty rate of its deliveries across a border (or that pay duty). */
  readonly deliveryDuty: ReadonlyMap<string, number>;
  /** Joint network: plant id → the duty rate of its sales in markets across a border (or that pay duty). */
  readonly shippingDuty: ReadonlyMap<string, number>;
  /** Investments: investment id → 1 (build it within its window) or 0 (never build it); absent, the plan decides. */
  readonly build: ReadonlyMap<string, number>;
  /** Investments: investment id → its fixed cost. */
  readonly fixedCost: ReadonlyMap<string, number>;
}

export const NO_LEVERS: Levers = emptyLevers();

/** The selector keys a sweep parameter may carry besides `on` (the fields of a Change). */
export const sweepSelectorKeys = ["id", "field", "plant", "resource", "market", "product", "family", "part", "source"] as const;
export type SweepSelectorKey = (typeof sweepSelectorKeys)[number];

export interface SweepState {
  readonly on: string;
  readonly selector: Readonly<Partial<Record<SweepSelectorKey, string>>>;
  readonly from: number | null;
  readonly to: number | null;
  readonly steps: number | null;
  /** null: exact where it applies (a bound of a continuous model), else grid. */
  readonly mode: "grid" | "exact" | null;
}

export interface PageState {
  readonly source: Source;
  /** Whole units on or off; null: as the scenario says. */
  readonly integer: boolean | null;
  /** The period shown; null: the first. */
  readonly period: string | null;
  readonly view: View;
  readonly levers: Levers;
  /** The comparison's kept baseline: lever positions (none: the scenario as it is). */
  readonly baseline: Levers;
  readonly sweep: SweepState | null;
}

export const initialState: PageState = {
  source: { kind: "bundled", id: DEFAULT_SCENARIO },
  integer: null,
  period: null,
  view: "plan",
  levers: NO_LEVERS,
  baseline: NO_LEVERS,
  sweep: null,
};

export interface ParsedQuery {
  readonly state: PageState;
  /** Parameters that were not understood, in words, for the page to say so. */
  readonly ignored: readonly string[];
}

export function parseQuery(search: string): ParsedQuery {
  const params = new URLSearchParams(search);
  const ignored: string[] = [];
  const ignore = (key: string, value: string, why: string) => ignored.push(`${key}=${value} (${why})`);
  let source: Source = initialState.source;
  let integer: boolean | null = null;
  let period: string | null = null;
  let view: View = "plan";
  const levers = emptyLevers();
  const baseline = emptyLevers();
  const sweep: {
    on: string | null;
    selector: Partial<Record<SweepSelectorKey, string>>;
    from: number | null;
    to: number | null;
    steps: number | null;
    mode: "grid" | "exact" | null;
  } = { on: null, selector: {}, from: null, to: null, steps: null, mode: null };

  for (const [key, value] of params) {
    if (key === "scenario") source = { kind: "bundled", id: value };
    else if (key === "file") source = { kind: "file", name: value };
    else if (key === "library" && value !== "") source = { kind: "library", ...libraryReference(value) };
    else if (key === "integer") {
      if (value === "1" || value === "true") integer = true;
      else if (value === "0" || value === "false") integer = false;
      else ignore(key, value, "expected 1 or 0");
    } else if (key === "period") period = value;
    else if (key === "view") {
      const known = views.find((candidate) => candidate === value);
      if (known === undefined) ignore(key, value, "expected plan, compare, sweep or stochastic");
      else view = known;
    } else if (key.startsWith("sweep.")) {
      const name = key.slice("sweep.".length);
      if (name === "on") sweep.on = value;
      else if (name === "mode") {
        if (value === "grid" || value === "exact") sweep.mode = value;
        else ignore(key, value, "expected grid or exact");
      } else if (name === "from" || name === "to" || name === "steps") {
        const number = finiteNumber(value);
        if (number === null || (name === "steps" && !(Number.isInteger(number) && number >= 2)))
          ignore(key, value, name === "steps" ? "expected a whole number ≥ 2" : "not a number");
        else sweep[name] = number;
      } else {
        const selectorKey = sweepSelectorKeys.find((candidate) => candidate === name);
        if (selectorKey === undefined) ignore(key, value, "unknown sweep field");
        else sweep.selector[selectorKey] = value;
      }
    } else {
      const base = key.startsWith("base.");
      const lever = readLever(base ? key.slice("base.".length) : key, value);
      if (lever === "unknown") ignore(key, value, "unknown parameter");
      else if ("invalid" in lever) ignore(key, value, invalidLever[lever.invalid]);
      else (base ? baseline : levers)[lever.kind].set(lever.id, lever.value);
    }
  }
  const state: PageState = {
    source,
    integer,
    period,
    view,
    levers,
    baseline,
    sweep: sweep.on === null ? null : { on: sweep.on, selector: sweep.selector, from: sweep.from, to: sweep.to, steps: sweep.steps, mode: sweep.mode },
  };
  return { state, ignored };
}

export function toQuery(state: PageState): string {
  const params = new URLSearchParams();
  if (state.source.kind === "bundled") {
    if (state.source.id !== DEFAULT_SCENARIO) params.set("scenario", state.source.id);
  } else if (state.source.kind === "library") {
    params.set("library", state.source.version === null ? state.source.name : `${state.source.name}@${state.source.version}`);
  } else params.set("file", state.source.name);
  if (state.integer !== null) params.set("integer", state.integer ? "1" : "0");
  if (state.period !== null) params.set("period", state.period);
  if (state.view !== "plan") params.set("view", state.view);
  writeLevers(params, "", state.levers);
  writeLevers(params, "base.", state.baseline);
  if (state.sweep !== null) {
    params.set("sweep.on", state.sweep.on);
    for (const key of sweepSelectorKeys) {
      const value = state.sweep.selector[key];
      if (value !== undefined) params.set(`sweep.${key}`, value);
    }
    if (state.sweep.from !== null) params.set("sweep.from", String(state.sweep.from));
    if (state.sweep.to !== null) params.set("sweep.to", String(state.sweep.to));
    if (state.sweep.steps !== null) params.set("sweep.steps", String(state.sweep.steps));
    if (state.sweep.mode !== null) params.set("sweep.mode", state.sweep.mode);
  }
  const query = params.toString();
  return query === "" ? "" : `?${query}`;
}

export function hasLevers(levers: Levers): boolean {
  return leverCount(levers) > 0;
}

/** How many levers are moved. */
export function leverCount(levers: Levers): number {
  return leverKinds.reduce((count, kind) => count + levers[kind].size, 0);
}

/** Whether two sets of lever positions are the same. */
export function sameLevers(a: Levers, b: Levers): boolean {
  return leverKinds.every((kind) => a[kind].size === b[kind].size && [...a[kind]].every(([id, value]) => b[kind].get(id) === value));
}

/** A copy of `levers` with one lever moved; `null` puts it back at the scenario's value. */
export function withLever(levers: Levers, kind: keyof Levers, id: string, value: number | null): Levers {
  const moved = new Map(levers[kind]);
  if (value === null) moved.delete(id);
  else moved.set(id, value);
  return { ...levers, [kind]: moved };
}

/** The URL key of a lever, also the name of its control and of the place its errors are shown. */
export function leverKey(kind: keyof Levers, id: string): string {
  return `${leverPrefix[kind]}${id}`;
}

const leverKinds = ["targets", "demand", "capacity", "deliveryDuty", "shippingDuty", "build", "fixedCost"] as const satisfies readonly (keyof Levers)[];
const leverPrefix: Readonly<Record<keyof Levers, string>> = {
  targets: "target.",
  demand: "demand.",
  capacity: "capacity.",
  deliveryDuty: "duty.delivery.",
  shippingDuty: "duty.shipping.",
  build: "investment.built.",
  fixedCost: "investment.fixed_cost.",
};
const invalidLever: Readonly<Record<keyof Levers, string>> = {
  targets: "not a number",
  demand: "not a scale: a number ≥ 0",
  capacity: "not a scale: a number ≥ 0",
  deliveryDuty: "not a duty rate: a number ≥ 0",
  shippingDuty: "not a duty rate: a number ≥ 0",
  build: "expected 1 (build it) or 0 (never build it)",
  fixedCost: "not a cost: a number ≥ 0",
};

function readLever(key: string, value: string): { kind: keyof Levers; id: string; value: number } | { invalid: keyof Levers } | "unknown" {
  for (const kind of leverKinds) {
    const prefix = leverPrefix[kind];
    if (!key.startsWith(prefix) || key.length === prefix.length) continue;
    const number = finiteNumber(value);
    // A scale multiplies, a duty rate is ad valorem and a cost is paid: all ≥ 0; a build decision is 1 or 0. A target's min may be any finite number (the server says whether it fits).
    if (number === null || (kind !== "targets" && number < 0) || (kind === "build" && number !== 0 && number !== 1)) return { invalid: kind };
    return { kind, id: key.slice(prefix.length), value: number };
  }
  return "unknown";
}

function writeLevers(params: URLSearchParams, prefix: string, levers: Levers): void {
  for (const kind of leverKinds) {
    for (const [id, value] of levers[kind]) params.set(`${prefix}${leverKey(kind, id)}`, String(value));
  }
}

function emptyLevers(): { [K in keyof Levers]: Map<string, number> } {
  return {
    targets: new Map(),
    demand: new Map(),
    capacity: new Map(),
    deliveryDuty: new Map(),
    shippingDuty: new Map(),
    build: new Map(),
    fixedCost: new Map(),
  };
}

function finiteNumber(text: string): number | null {
  if (text.trim() === "") return null;
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}
