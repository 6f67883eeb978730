import { optionalValueIn } from "../scenario/periods.js";
import type { Scenario } from "../scenario/schema.js";
import { at } from "../util/invariant.js";
import { discountFactor } from "./discounting.js";
import type { LpBuilder } from "./lp.js";
import { NONE } from "./variables.js";

/** build[investment][period]: a 0/1 column in the periods of its window, NONE outside it. */
export type BuildColumns = readonly (readonly number[])[];

/**
 * Builds (docs/format.md §2.8): build[i,t] ∈ {0, 1} for each period t of the
 * investment's window — whole in every plan, whatever `integer` says of units;
 * Σ_t build[i,t] ≤ 1 (= 1 when required or decided built, 0 when decided not
 * to); Σ_{i∈g} Σ_t build[i,t] ≤ 1 for each group g. Its money: the fixed cost
 * in the period built and the operating cost in every period from then on,
 * each at its present value — so the column of build[i,t'] carries
 * fixed·d(t') + Σ_{t≥t'} operating(t)·d(t), a cost (max_units ignores money).
 * What a build adds to the capacity rows is builtCapacity.ts.
 */
export function addBuilds(scenario: Scenario, builder: LpBuilder): BuildColumns {
  const { periods, objective } = scenario;
  const costSign = objective === "max_margin" ? -1 : objective === "min_cost" ? 1 : 0;
  const columns = scenario.investments.map((investment) => {
    const from = investment.earliest === undefined ? 0 : periods.indexOf(investment.earliest);
    const until = investment.latest === undefined ? periods.length - 1 : periods.indexOf(investment.latest);
    return periods.map((period, t) => {
      if (t < from || t > until) return NONE;
      let money = investment.fixed_cost * discountFactor(scenario, t);
      for (let later = t; later < periods.length; later++) {
        money += (optionalValueIn(investment.operating_cost, at(periods, later, "period")) ?? 0) * discountFactor(scenario, later);
      }
      return builder.addColumn({
        tag: { kind: "build", investment: investment.id, period },
        lower: 0,
        upper: investment.built === false ? 0 : 1,
        cost: costSign * money,
        integer: true,
      });
    });
  });

  scenario.investments.forEach((investment, i) => {
    for (const column of at(columns, i, "investment's build columns")) if (column !== NONE) builder.term(column, 1);
    const decided = investment.required || investment.built === true;
    builder.finishRow({ family: "investment_once", investment: investment.id }, decided ? 1 : 0, 1);
  });

  const groups = new Map<string, number[]>();
  scenario.investments.forEach((investment, i) => {
    if (investment.group !== undefined) groups.set(investment.group, [...(groups.get(investment.group) ?? []), i]);
  });
  for (const [group, members] of groups) {
    for (const i of members) for (const column of at(columns, i, "investment's build columns")) if (column !== NONE) builder.term(column, 1);
    builder.finishRow({ family: "investment_group", group }, 0, 1);
  }
  return columns;
}
