import { optionalValueIn, valueIn } from "../../scenario/periods.js";
import type { PeriodMoney } from "../types.js";
import type { VerificationContext } from "./context.js";
import { freightAndDutyOf } from "./freightAndDuty.js";

/** The objective, and the money of each period it adds up (a Plan's `periods`, docs/format.md §3.5). */
export interface ObjectiveEvaluation {
  readonly objective: number;
  readonly periods: PeriodMoney[];
}

/**
 * The objective (docs/format.md §2.5, §2.7, §2.8) of the plan's quantities and
 * decisions, from the scenario's prices and costs, period by period:
 * revenue; the costs of making, holding and buying and the freight and duty
 * of the joint network; investments' fixed costs in the period built and
 * operating costs from then on. Each period's money is discounted by
 * (1 + discount_rate)^−n. `max_margin` is the discounted revenue less all
 * costs; `min_cost` the discounted costs; `max_units` units made.
 */
export function objectiveOf(context: VerificationContext): ObjectiveEvaluation {
  const { scenario, lookup, table } = context;
  const { periods } = scenario;
  const T = periods.length;
  const revenue = new Float64Array(T);
  const operating = new Float64Array(T);
  const investing = new Float64Array(T);
  // Running totals in the order an undiscounted plan has always summed them: its objective is the same to the last bit.
  let revenueTotal = 0;
  let costTotal = 0;
  let units = 0;
  scenario.routes.forEach((route, r) => {
    const channels = lookup.channelsByRoute[r] ?? [];
    periods.forEach((period, t) => {
      for (const c of channels) {
        const price = scenario.demand[lookup.channels[c]?.demand ?? -1]?.price ?? 0;
        const earned = valueIn(price, period) * (table.sold[c * T + t] ?? 0);
        revenue[t] = (revenue[t] ?? 0) + earned;
        revenueTotal += earned;
      }
      const made = table.made[r * T + t] ?? 0;
      if (route.inventory !== undefined) {
        const holding = route.inventory.holding_cost * (table.stock[r * T + t] ?? 0);
        operating[t] = (operating[t] ?? 0) + holding;
        costTotal += holding;
      }
      operating[t] = (operating[t] ?? 0) + route.unit_cost * made;
      costTotal += route.unit_cost * made;
      units += made;
    });
  });
  scenario.parts.forEach((part, k) => {
    for (let t = 0; t < T; t++) {
      part.sources.forEach((source, s) => {
        const bought = source.unit_cost * table.boughtFrom(k, s, t);
        operating[t] = (operating[t] ?? 0) + bought;
        costTotal += bought;
      });
    }
  });
  freightAndDutyOf(context).forEach((paid, t) => {
    operating[t] = (operating[t] ?? 0) + paid;
    costTotal += paid;
  });
  scenario.investments.forEach((investment, i) => {
    const built = table.builtIn[i] ?? -1;
    if (built === -1) return;
    investing[built] = (investing[built] ?? 0) + investment.fixed_cost;
    for (let t = built; t < T; t++) investing[t] = (investing[t] ?? 0) + (optionalValueIn(investment.operating_cost, periods[t] ?? "") ?? 0);
  });
  for (const invested of investing) costTotal += invested;

  let margin = 0;
  let costs = 0;
  const money = periods.map((period, t): PeriodMoney => {
    const factor = scenario.discount_rate === 0 ? 1 : (1 + scenario.discount_rate) ** -t;
    const earned = revenue[t] ?? 0;
    const spent = operating[t] ?? 0;
    const invested = investing[t] ?? 0;
    const net = earned - spent - invested;
    margin += factor === 1 ? net : net * factor;
    costs += factor === 1 ? spent + invested : (spent + invested) * factor;
    return { period, discount_factor: factor, revenue: earned, operating_costs: spent, investment_costs: invested, net, present_value: net * factor };
  });
  const discounted = scenario.discount_rate !== 0;
  const objective =
    scenario.objective === "max_margin"
      ? discounted
        ? margin
        : revenueTotal - costTotal
      : scenario.objective === "min_cost"
        ? discounted
          ? costs
          : costTotal
        : units;
  return { objective, periods: money };
}
