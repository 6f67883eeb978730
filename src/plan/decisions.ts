import type { DecisionAlternative, DecisionWorth } from "../explain/types.js";
import { formulate, type Formulation } from "../formulate/index.js";
import { shareLookup } from "../scenario/lookup.js";
import type { Investment, Scenario } from "../scenario/schema.js";
import { at } from "../util/invariant.js";
import type { ResolvedPlanOptions } from "./options.js";
import type { Plan } from "./types.js";

/** Plans a formulation with options (plan.ts's planFormulation, passed in to keep the import one way). */
export type Replan = (formulation: Formulation, settings: ResolvedPlanOptions, started: number) => Plan;

/**
 * What each investment decision of a plan is worth (docs/explanations.md):
 * for each investment, the scenario with that decision reversed — a built one
 * forbidden, one not built forced within its window — and, for a built one,
 * built a period earlier and a period later, each planned again as a whole
 * (every other decision re-optimised, whole units as the plan had them). The
 * alternatives share what is left of the plan's time limit; one that runs
 * out reports its best plan so far (status `time_limit`), or none.
 */
export function decisionWorths(
  formulation: Formulation,
  planned: Plan,
  settings: ResolvedPlanOptions,
  replan: Replan,
  deadline: number | undefined,
): DecisionWorth[] | undefined {
  const { scenario } = formulation;
  if (scenario.investments.length === 0 || planned.objective === null || planned.investments === undefined) return undefined;
  const { periods } = scenario;
  const alternatives = scenario.investments.reduce((count, _investment, i) => count + (planned.investments?.[i]?.built === true ? 3 : 1), 0);
  let left = alternatives;
  const alternative = (i: number, decision: Partial<Investment>): DecisionAlternative => {
    const edited: Scenario = {
      ...scenario,
      investments: scenario.investments.map((investment, j) => (j === i ? { ...investment, ...decision } : investment)),
    };
    shareLookup(edited, scenario);
    const remaining = deadline === undefined ? undefined : Math.max(1, Math.floor((deadline - performance.now()) / left--));
    const result = replan(
      formulate(edited, { integer: formulation.integer }),
      { ...settings, explain: false, ...(remaining === undefined ? {} : { timeLimitMs: remaining }) },
      performance.now(),
    );
    const built = result.investments?.[i];
    const instead = (result.investments ?? []).flatMap((row, j) =>
      j !== i && row.period !== (planned.investments?.[j]?.period ?? null) ? [{ id: row.id, period: row.period }] : [],
    );
    return { period: built?.period ?? null, objective: result.objective, status: result.status, instead };
  };
  const worthAgainst = (other: DecisionAlternative): number | null => {
    if (other.objective === null || planned.objective === null) return null;
    return scenario.objective === "min_cost" ? other.objective - planned.objective : planned.objective - other.objective;
  };

  return scenario.investments.map((investment, i): DecisionWorth => {
    const row = at(planned.investments ?? [], i, "investment row");
    if (!row.built || row.period === null) {
      const reversed = alternative(i, { built: true });
      return { id: investment.id, built: false, period: null, reversed, worth: worthAgainst(reversed) };
    }
    const t = periods.indexOf(row.period);
    const from = investment.earliest === undefined ? 0 : periods.indexOf(investment.earliest);
    const until = investment.latest === undefined ? periods.length - 1 : periods.indexOf(investment.latest);
    const periodAt = (position: number) => at(periods, position, "period");
    const reversed = alternative(i, { built: false, required: false });
    const earlier = t - 1 >= from ? alternative(i, { built: true, earliest: periodAt(t - 1), latest: periodAt(t - 1) }) : undefined;
    const later = t + 1 <= until ? alternative(i, { built: true, earliest: periodAt(t + 1), latest: periodAt(t + 1) }) : undefined;
    return {
      id: investment.id,
      built: true,
      period: row.period,
      reversed,
      ...(earlier === undefined ? {} : { earlier }),
      ...(later === undefined ? {} : { later }),
      worth: worthAgainst(reversed),
    };
  });
}
