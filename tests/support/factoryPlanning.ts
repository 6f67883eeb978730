import { at } from "../../src/util/invariant.js";
import type { Json } from "./builders.js";

/**
 * "Factory Planning" (H. P. Williams, Model Building in Mathematical
 * Programming, 5th ed., §12.3) as a jointplan scenario: seven products made on
 * five machine types over six months, machines down for maintenance in given
 * months, monthly market limits, stock up to 100 of each product at 0.5 per
 * unit and month, 50 of each in stock at the end. Profit contributions become
 * prices with no unit cost. Its optimum is the textbook's 93,715.18.
 */
const months = ["jan", "feb", "mar", "apr", "may", "jun"];
const products = ["prod1", "prod2", "prod3", "prod4", "prod5", "prod6", "prod7"];
const profit = [10, 6, 8, 4, 11, 9, 3];
/** Hours per unit on each machine type. */
const hours: Record<string, number[]> = {
  grinding: [0.5, 0.7, 0, 0, 0.3, 0.2, 0.5],
  vertical_drilling: [0.1, 0.2, 0, 0.3, 0, 0.6, 0],
  horizontal_drilling: [0.2, 0, 0.8, 0, 0, 0, 0.6],
  boring: [0.05, 0.03, 0, 0.07, 0.1, 0, 0.08],
  planing: [0, 0, 0.01, 0, 0.05, 0, 0.05],
};
const machines: Record<string, number> = { grinding: 4, vertical_drilling: 2, horizontal_drilling: 3, boring: 1, planing: 1 };
/** Machines down for maintenance, by month. */
const down: Record<string, Record<string, number>> = {
  jan: { grinding: 1 },
  feb: { horizontal_drilling: 2 },
  mar: { boring: 1 },
  apr: { vertical_drilling: 1 },
  may: { grinding: 1, vertical_drilling: 1 },
  jun: { planing: 1, horizontal_drilling: 1 },
};
const marketLimit: Record<string, number[]> = {
  jan: [500, 1000, 300, 300, 800, 200, 100],
  feb: [600, 500, 200, 0, 400, 300, 150],
  mar: [300, 600, 0, 0, 500, 400, 100],
  apr: [200, 300, 400, 500, 200, 0, 100],
  may: [0, 100, 500, 100, 1000, 300, 0],
  jun: [500, 500, 100, 300, 1100, 500, 60],
};
/** 24 working days of two 8-hour shifts. */
const HOURS_PER_MACHINE = 384;

export const FACTORY_PLANNING_OPTIMUM = 93715.18;

export function factoryPlanningScenario(): Json {
  const resources = Object.fromEntries(
    Object.entries(machines).map(([machine, count]) => [
      machine,
      Object.fromEntries(months.map((month) => [month, (count - (down[month]?.[machine] ?? 0)) * HOURS_PER_MACHINE])),
    ]),
  );
  return {
    format: "jointplan/v1",
    id: "factory-planning",
    title: "Factory Planning (Williams)",
    currency: "GBP",
    periods: months,
    plants: [{ id: "factory", resources }],
    products: products.map((id) => ({ id, family: "parts" })),
    routes: products.map((product, p) => ({
      plant: "factory",
      product,
      uses: Object.fromEntries(
        Object.entries(hours).flatMap(([machine, perUnit]) => {
          const use = at(perUnit, p, "hours per unit");
          return use > 0 ? [[machine, use]] : [];
        }),
      ),
      inventory: { max: 100, holding_cost: 0.5, initial: 0, final: 50 },
    })),
    markets: [{ id: "market" }],
    demand: products.map((product, p) => ({
      market: "market",
      product,
      price: profit[p],
      max: Object.fromEntries(months.map((month) => [month, marketLimit[month]?.[p]])),
    })),
  };
}
