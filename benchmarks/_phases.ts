import { profilePlanPhases } from "./planPhases.js";
import { networkScenario } from "../tests/support/networkScenario.js";
for (const plants of [10, 30]) {
  const p = profilePlanPhases(networkScenario({ plants }), 15);
  console.log(plants, JSON.stringify(p.phases, null, 0), "whole", p.wholePlan);
}
