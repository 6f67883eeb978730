import { own, ownKeys } from "./records.js";
import type { IssuePath } from "./references.js";
import type { PeriodNumber, Scenario } from "./schema.js";

type Report = (path: IssuePath, message: string) => void;
type CheckPeriodNumber = (value: PeriodNumber | undefined, path: IssuePath) => boolean;

/**
 * The rules of investments (docs/format.md §1.7) that need the whole
 * scenario: unique ids, a known plant, `adds` naming that plant's resources,
 * a window of known periods with `earliest` not after `latest`, and at most
 * one required investment in a group (two could not both be built).
 */
export function checkInvestmentReferences(scenario: Scenario, report: Report, periodNumber: CheckPeriodNumber): void {
  const plants = new Map(scenario.plants.map((plant) => [plant.id, plant]));
  const periodIndex = new Map(scenario.periods.map((period, t) => [period, t]));
  const seen = new Set<string>();
  const requiredInGroup = new Map<string, number>();
  scenario.investments.forEach((investment, i) => {
    const at: IssuePath = ["investments", i];
    if (seen.has(investment.id)) report([...at, "id"], `duplicate investment id ${JSON.stringify(investment.id)}`);
    seen.add(investment.id);
    const plant = plants.get(investment.plant);
    if (plant === undefined) report([...at, "plant"], `unknown plant ${JSON.stringify(investment.plant)}`);
    for (const resource of ownKeys(investment.adds)) {
      if (plant !== undefined && own(plant.resources, resource) === undefined) {
        report(
          [...at, "adds", resource],
          `plant ${JSON.stringify(plant.id)} has no resource ${JSON.stringify(resource)} (a candidate site lists its resources at 0)`,
        );
      }
      periodNumber(own(investment.adds, resource), [...at, "adds", resource]);
    }
    periodNumber(investment.operating_cost, [...at, "operating_cost"]);
    const earliest = investment.earliest === undefined ? 0 : periodIndex.get(investment.earliest);
    const latest = investment.latest === undefined ? scenario.periods.length - 1 : periodIndex.get(investment.latest);
    if (earliest === undefined) report([...at, "earliest"], `unknown period ${JSON.stringify(investment.earliest)}: the window must lie within the periods`);
    if (latest === undefined) report([...at, "latest"], `unknown period ${JSON.stringify(investment.latest)}: the window must lie within the periods`);
    if (earliest !== undefined && latest !== undefined && earliest > latest) {
      report([...at, "earliest"], `is after latest (${JSON.stringify(investment.latest)}): the window holds no period`);
    }
    if (investment.required && investment.built === false) report([...at, "built"], "a required investment cannot be forbidden (built: false)");
    if (investment.required && investment.group !== undefined) {
      const other = requiredInGroup.get(investment.group);
      if (other !== undefined) {
        report(
          [...at, "required"],
          `group ${JSON.stringify(investment.group)} already has a required investment (investments[${other}]): at most one of a group is built`,
        );
      } else requiredInGroup.set(investment.group, i);
    }
  });
}
