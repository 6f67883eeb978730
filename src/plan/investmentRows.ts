import { optionalValueIn } from "../scenario/periods.js";
import type { Scenario } from "../scenario/schema.js";
import { at } from "../util/invariant.js";
import type { InvestmentRow } from "./types.js";

/** The plan's row of investment `i` built in `period` (null: not built), with its costs undiscounted (docs/format.md §3.5). */
export function investmentRow(scenario: Scenario, i: number, period: string | null): InvestmentRow {
  const investment = at(scenario.investments, i, "investment");
  const from = period === null ? scenario.periods.length : scenario.periods.indexOf(period);
  let operating = 0;
  for (let t = from; t < scenario.periods.length; t++) operating += optionalValueIn(investment.operating_cost, at(scenario.periods, t, "period")) ?? 0;
  return {
    id: investment.id,
    plant: investment.plant,
    built: period !== null,
    period,
    fixed_cost: period === null ? 0 : investment.fixed_cost,
    operating_cost: operating,
  };
}
