import type { ScenarioLookup, Place } from "../scenario/lookup.js";
import { valueIn } from "../scenario/periods.js";
import { own } from "../scenario/records.js";
import type { Objective, Scenario } from "../scenario/schema.js";
import { at } from "../util/invariant.js";
import { discountFactor } from "./discounting.js";

/**
 * Freight and duty in the objective (docs/format.md §2.7). A unit bought from
 * source s and delivered to plant p along a lane costs
 * unit_cost·(1 + duty) + cost; a unit sold from a route to a market along a
 * shipping lane earns price − cost − duty·price. Without a lane the money is
 * §2.5's: unit_cost, and price.
 *
 * With a discount rate each is at its present value (discounting.ts).
 * Every objective coefficient of a purchase or a sale is computed here, by
 * the formulation and by whatever moves one of its numbers later (sweeps,
 * Monte Carlo), so that a moved LP is the changed scenario's LP to the last bit.
 */

/** A lane's money: freight per unit and the ad-valorem duty rate. */
export interface LaneMoney {
  readonly cost: number;
  readonly duty: number;
}

/** What one unit of a sales channel brings in: its price, and its shipping lane if the route has one to the market. */
export interface SaleMoney {
  readonly price: number;
  readonly lane?: LaneMoney | undefined;
  /** The period's discount factor (discounting.ts); absent, 1. */
  readonly discount?: number | undefined;
}

/** What one unit bought (or made, without a lane) costs: the unit cost, and the delivery lane to the plant if the source names one. */
export interface PurchaseMoney {
  readonly unitCost: number;
  readonly lane?: LaneMoney | undefined;
  /** The period's discount factor (discounting.ts); absent, 1. */
  readonly discount?: number | undefined;
}

/** The number of a sale or a purchase that a what-if moves. */
export type MoneyComponent = "price" | "unit_cost" | "lane_cost" | "lane_duty";

/** The sign of a cost in the objective: −1 under max_margin, +1 under min_cost, 0 under max_units. */
function costSign(objective: Objective): number {
  return objective === "max_margin" ? -1 : objective === "min_cost" ? 1 : 0;
}

/** Objective coefficient of one unit sold: the price (max_margin) less freight and duty; freight and duty alone are the costs of min_cost. */
export function saleCoefficient(objective: Objective, money: SaleMoney): number {
  const { price, lane } = money;
  if (objective === "max_units") return 0;
  if (lane === undefined) return discounted(objective === "max_margin" ? price : 0, money);
  const shipping = lane.cost + lane.duty * price;
  return discounted(objective === "max_margin" ? price - shipping : shipping, money);
}

/** A period's money at its present value; undiscounted money is left as it is, to the bit. */
function discounted(value: number, money: SaleMoney | PurchaseMoney): number {
  return money.discount === undefined ? value : value * money.discount;
}

/** Objective coefficient of one unit bought: its unit cost, and with a lane the duty on that cost and the freight. */
export function purchaseCoefficient(objective: Objective, money: PurchaseMoney): number {
  const { unitCost, lane } = money;
  const sign = costSign(objective);
  if (lane === undefined) return discounted(sign * unitCost, money);
  return discounted(sign * (unitCost * (1 + lane.duty) + lane.cost), money);
}

/** Money of a sale or a purchase (a route's making is a purchase without a lane: its unit cost). */
export type Money = SaleMoney | PurchaseMoney;

/** Objective coefficient of a sale or a purchase. */
export function moneyCoefficient(objective: Objective, money: Money): number {
  return "price" in money ? saleCoefficient(objective, money) : purchaseCoefficient(objective, money);
}

/** The money with one component replaced by `value`. */
export function withComponent<M extends Money>(money: M, component: MoneyComponent, value: number): M {
  switch (component) {
    case "price":
      return { ...money, price: value };
    case "unit_cost":
      return { ...money, unitCost: value };
    case "lane_cost":
      return { ...money, lane: { cost: value, duty: money.lane?.duty ?? 0 } };
    case "lane_duty":
      return { ...money, lane: { cost: money.lane?.cost ?? 0, duty: value } };
  }
}

/** The value of one component of a sale's or a purchase's money. */
export function componentOf(money: Money, component: MoneyComponent): number {
  switch (component) {
    case "price":
      return "price" in money ? money.price : 0;
    case "unit_cost":
      return "unitCost" in money ? money.unitCost : 0;
    case "lane_cost":
      return money.lane?.cost ?? 0;
    case "lane_duty":
      return money.lane?.duty ?? 0;
  }
}

/** The money of sales channel `channel` (as in `ScenarioLookup.channels`) in `period`. */
export function saleMoneyOf(scenario: Scenario, lookup: ScenarioLookup, channel: number, t: number): SaleMoney {
  const { route: r, demand: d, market } = at(lookup.channels, channel, "sales channel");
  const price = valueIn(at(scenario.demand, d, "demand row").price, at(scenario.periods, t, "period"));
  const lane = own(at(scenario.routes, r, "route").ships_to, market.id);
  return withDiscount(scenario, t, lane === undefined ? { price } : { price, lane });
}

/** The money of source `s` of part `k` delivered to `plant` (or into the pool) in period `t`. */
export function purchaseMoneyOf(scenario: Scenario, k: number, s: number, plant: Place, t: number): PurchaseMoney {
  const source = at(at(scenario.parts, k, "part").sources, s, "source");
  const lane = plant === null ? undefined : own(source.delivers_to, plant);
  return withDiscount(scenario, t, lane === undefined ? { unitCost: source.unit_cost } : { unitCost: source.unit_cost, lane });
}

/** The money of making one unit on route `r` in period `t`: its unit cost. */
export function makingMoneyOf(scenario: Scenario, r: number, t: number): PurchaseMoney {
  return withDiscount(scenario, t, { unitCost: at(scenario.routes, r, "route").unit_cost });
}

/** Money of period `t`, with its discount factor when the scenario discounts. */
function withDiscount<M extends Money>(scenario: Scenario, t: number, money: M): M {
  return scenario.discount_rate === 0 ? money : { ...money, discount: discountFactor(scenario, t) };
}
