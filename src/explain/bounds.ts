import type { Formulation } from "../formulate/index.js";
import type { LinearProgram } from "../formulate/lp.js";
import { NONE } from "../formulate/variables.js";
import { optionalValueIn } from "../scenario/periods.js";
import { scenarioLookup } from "../scenario/lookup.js";
import type { Target } from "../scenario/schema.js";
import { partsInScope, routeInScope } from "../scenario/scope.js";
import type { BoundSide } from "../solvers/highsAnalysis.js";
import { at, defined, known } from "../util/invariant.js";
import type { BoundRef } from "./types.js";

/**
 * Every bound of the kinds the explanations reason about, with where it
 * sits in the LP. Capacities, demand bounds, targets and the joint network's
 * lanes are row sides; route bounds, yard limits, final stocks and pooled
 * source capacities are column bounds (docs/format.md §2.3 puts them on the
 * variables); per plant (§2.7) a source's capacity is a row. Balance and parts rows are structural:
 * they are never listed, so never blamed or relaxed.
 */
export interface ScenarioBound {
  readonly ref: BoundRef;
  /** The bound's value in the scenario: a share in [0, 1] for share targets. */
  readonly value: number;
  /** Positions in `BoundModel.sides`: one side, or two for a final stock (an equality). */
  readonly sides: readonly number[];
  /** For share targets: the row's two sums, counted and total (the share is counted / total). */
  readonly share?: ShareTerms;
}

export interface ShareTerms {
  readonly columns: readonly number[];
  readonly counted: readonly number[];
  readonly total: readonly number[];
}

export interface BoundModel {
  /** The plan's LP with every column bound reduced to the x ≥ 0 of docs/format.md §2.2: the scenario's column bounds are `sides`. */
  readonly lp: LinearProgram;
  readonly sides: readonly BoundSide[];
  readonly bounds: readonly ScenarioBound[];
}

const models = new WeakMap<Formulation, BoundModel>();

export function boundModel(formulation: Formulation): BoundModel {
  let model = models.get(formulation);
  if (model === undefined) {
    model = buildBoundModel(formulation);
    models.set(formulation, model);
  }
  return model;
}

function buildBoundModel(formulation: Formulation): BoundModel {
  const { scenario, lp, variables } = formulation;
  const sides: BoundSide[] = [];
  const bounds: ScenarioBound[] = [];
  const add = (ref: BoundRef, value: number, located: readonly Omit<BoundSide, "value">[], lpValue = value, share?: ShareTerms) => {
    const first = sides.length;
    for (const side of located) sides.push({ ...side, value: lpValue });
    bounds.push({ ref, value, sides: located.map((_, n) => first + n), ...(share === undefined ? {} : { share }) });
  };

  lp.rows.forEach((row, index) => {
    const tag = row.tag;
    switch (tag.family) {
      case "capacity":
        add({ kind: "capacity", plant: tag.plant, resource: tag.resource, period: tag.period }, row.upper, [{ on: "row", index, side: "upper" }]);
        break;
      case "demand": {
        const { market, product, period } = tag;
        if (row.lower > 0) add({ kind: "demand", market, product, period, bound: "min" }, row.lower, [{ on: "row", index, side: "lower" }]);
        if (row.upper < Infinity) add({ kind: "demand", market, product, period, bound: "max" }, row.upper, [{ on: "row", index, side: "upper" }]);
        break;
      }
      case "units_target":
        if (row.lower > -Infinity) add({ kind: "target", id: tag.target, period: tag.period, bound: "min" }, row.lower, [{ on: "row", index, side: "lower" }]);
        if (row.upper < Infinity) add({ kind: "target", id: tag.target, period: tag.period, bound: "max" }, row.upper, [{ on: "row", index, side: "upper" }]);
        break;
      case "export_share_target":
      case "local_parts_share_target": {
        const target = defined(
          scenario.targets.find((candidate) => candidate.id === tag.target),
          "target of a share row",
        );
        const share = defined(optionalValueIn(target[tag.bound], tag.period), "bound of a share row");
        const side = tag.bound === "min" ? "lower" : "upper";
        const terms = shareTerms(formulation, target, tag.period);
        add({ kind: "target", id: tag.target, period: tag.period, bound: tag.bound }, share, [{ on: "row", index, side }], 0, terms);
        break;
      }
      case "source_capacity":
        add({ kind: "source_capacity", part: tag.part, source: tag.source, period: tag.period }, row.upper, [{ on: "row", index, side: "upper" }]);
        break;
      case "lane_capacity":
        add({ kind: "lane_capacity", part: tag.part, source: tag.source, plant: tag.plant, period: tag.period }, row.upper, [
          { on: "row", index, side: "upper" },
        ]);
        break;
      case "shipping_capacity":
        add({ kind: "shipping_capacity", plant: tag.plant, product: tag.product, market: tag.market, period: tag.period }, row.upper, [
          { on: "row", index, side: "upper" },
        ]);
        break;
      default:
        break; // balance and parts rows are structural
    }
  });

  const { periods } = scenario;
  scenario.routes.forEach((route, r) => {
    periods.forEach((period, t) => {
      const make = variables.make[r]?.[t] ?? NONE;
      if (make !== NONE) {
        const { lower, upper } = at(lp.columns, make, "make column");
        const { plant, product } = route;
        if (lower > 0) add({ kind: "route", plant, product, period, bound: "min" }, lower, [{ on: "column", index: make, side: "lower" }]);
        if (upper < Infinity) add({ kind: "route", plant, product, period, bound: "max" }, upper, [{ on: "column", index: make, side: "upper" }]);
      }
      const stock = variables.stock[r]?.[t] ?? NONE;
      if (stock !== NONE && route.inventory !== undefined) {
        const { plant, product } = route;
        const max = optionalValueIn(route.inventory.max, period);
        if (max !== undefined) add({ kind: "inventory", plant, product, period, bound: "max" }, max, [{ on: "column", index: stock, side: "upper" }]);
        const final = t === periods.length - 1 ? route.inventory.final : undefined;
        if (final !== undefined) {
          add({ kind: "inventory", plant, product, period, bound: "final" }, final, [
            { on: "column", index: stock, side: "lower" },
            { on: "column", index: stock, side: "upper" },
          ]);
        }
      }
    });
  });

  // Pooled parts: a source's capacity bounds its one column (per plant it is a row, above).
  if (!scenarioLookup(scenario).perPlantParts) {
    scenario.parts.forEach((part, k) => {
      part.sources.forEach((source, s) => {
        periods.forEach((period, t) => {
          const capacity = optionalValueIn(source.capacity, period);
          const buy = variables.buy[k]?.[s]?.[0]?.[t] ?? NONE;
          if (capacity !== undefined && buy !== NONE) {
            add({ kind: "source_capacity", part: part.id, source: source.id, period }, capacity, [{ on: "column", index: buy, side: "upper" }]);
          }
        });
      });
    });
  }

  const structural: LinearProgram = { ...lp, columns: lp.columns.map((column) => ({ ...column, lower: 0, upper: Infinity })) };
  return { lp: structural, sides, bounds };
}

/**
 * The two sums of a share target in one period, over the columns docs/format.md §2.4
 * counts: sales (weight 1, counted when exported) for `export_share`, part
 * purchases (weight: the part's value, counted when local) for
 * `local_parts_share`. The share is Σ counted·x / Σ total·x.
 */
function shareTerms(formulation: Formulation, target: Target, period: string): ShareTerms {
  const { scenario, variables } = formulation;
  const lookup = scenarioLookup(scenario);
  const t = known(lookup.periodIndex, period, "period");
  const columns: number[] = [];
  const counted: number[] = [];
  const total: number[] = [];
  const term = (column: number, weight: number, isCounted: boolean) => {
    if (column === NONE || weight === 0) return;
    columns.push(column);
    total.push(weight);
    counted.push(isCounted ? weight : 0);
  };
  if (target.kind === "export_share") {
    lookup.channels.forEach((channel, c) => {
      const route = at(scenario.routes, channel.route, "route");
      if (routeInScope(target, route, at(lookup.routeProduct, channel.route, "route product"))) term(variables.sell[c]?.[t] ?? NONE, 1, channel.market.export);
    });
  } else {
    const parts = partsInScope(scenario, target);
    scenario.parts.forEach((part, k) => {
      if (!parts.has(part.id)) return;
      part.sources.forEach((source, s) => {
        for (const delivery of variables.buy[k]?.[s] ?? []) term(delivery[t] ?? NONE, part.value, source.local);
      });
    });
  }
  return { columns, counted, total };
}
