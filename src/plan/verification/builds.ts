import type { VerificationContext } from "./context.js";
import { investmentRow } from "../investmentRows.js";
import { fmt, q } from "./checker.js";

/**
 * Builds (docs/format.md §2.8), from the plan's investment rows: each
 * investment has exactly one row; a built one is built once, in a period of
 * its window; a required one (or one decided built) is built, one decided
 * against is not; at most one investment of a group is built; each row's
 * fixed and operating costs are the scenario's. The decisions are placed in
 * the table (`builtIn`) for the capacity and objective checks.
 */
export function checkBuilds({ scenario, table, check }: VerificationContext): void {
  const { periods } = scenario;
  const index = new Map(scenario.investments.map((investment, i) => [investment.id, i]));
  const seen = new Set<number>();
  for (const row of table.investmentRows) {
    const described = `investment ${q(row.id)}${row.period === null ? "" : ` built in ${q(row.period)}`}`;
    const i = index.get(row.id);
    check.checked++;
    if (i === undefined || seen.has(i)) {
      check.record(Infinity);
      check.describe(`${described}: ${i === undefined ? "no such investment in the scenario" : "reported twice"}`);
      continue;
    }
    seen.add(i);
    const investment = scenario.investments[i];
    if (investment === undefined) continue;
    const t = row.period === null ? -1 : periods.indexOf(row.period);
    const from = investment.earliest === undefined ? 0 : periods.indexOf(investment.earliest);
    const until = investment.latest === undefined ? periods.length - 1 : periods.indexOf(investment.latest);
    check.checked++;
    if (row.built !== (row.period !== null) || (row.period !== null && (t < from || t > until))) {
      check.record(Infinity);
      check.describe(
        `${described}: ${row.built !== (row.period !== null) ? "built and period disagree" : `outside its window (${q(periods[from] ?? "")} to ${q(periods[until] ?? "")})`}`,
      );
      continue;
    }
    table.builtIn[i] = t;
    const expected = investmentRow(scenario, i, row.period);
    check.checked++;
    const wrong = Math.max(
      Math.abs(row.fixed_cost - expected.fixed_cost) / Math.max(1, expected.fixed_cost),
      Math.abs(row.operating_cost - expected.operating_cost) / Math.max(1, expected.operating_cost),
    );
    if (check.record(Number.isNaN(wrong) ? Infinity : wrong)) {
      check.describe(
        `${described}: costs ${fmt(row.fixed_cost)} fixed and ${fmt(row.operating_cost)} operating, the scenario makes them ${fmt(expected.fixed_cost)} and ${fmt(expected.operating_cost)}`,
      );
    }
  }
  scenario.investments.forEach((investment, i) => {
    const built = (table.builtIn[i] ?? -1) !== -1;
    check.checked++;
    if (!seen.has(i) && check.record(Infinity)) check.describe(`investment ${q(investment.id)}: the plan does not say whether it is built`);
    const mustBuild = investment.required || investment.built === true;
    check.checked++;
    if ((mustBuild && !built) || (investment.built === false && built)) {
      check.record(Infinity);
      check.describe(
        `investment ${q(investment.id)}: ${mustBuild ? "must be built" : "is decided against"}, the plan ${built ? "builds it" : "does not build it"}`,
      );
    }
  });
  const groups = new Map<string, string[]>();
  scenario.investments.forEach((investment, i) => {
    if (investment.group !== undefined && (table.builtIn[i] ?? -1) !== -1)
      groups.set(investment.group, [...(groups.get(investment.group) ?? []), investment.id]);
  });
  for (const group of new Set(scenario.investments.flatMap((investment) => (investment.group === undefined ? [] : [investment.group])))) {
    const built = groups.get(group) ?? [];
    check.checked++;
    if (built.length > 1 && check.record(built.length - 1))
      check.describe(`group ${q(group)}: ${built.length} investments built (${built.map(q).join(", ")}), at most one may be`);
  }
}
