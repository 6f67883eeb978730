import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { buildApp } from "../../src/http/app.js";
import { plan, type Plan } from "../../src/index.js";
import { scenarioArbitrary } from "../arbitraries/scenario.js";
import { propertyParameters } from "../support/properties.js";

/**
 * The library, `jointplan plan --json` and `POST /v1/plans` are one engine
 * with three faces: on any scenario they return the same plan (up to the
 * solve time). The CLI runs through its `main()` in-process, on a file, as a
 * user's shell would call it; HTTP through `app.inject()`.
 */
const app = buildApp();
afterAll(() => app.close());
const dir = mkdtempSync(join(tmpdir(), "jointplan-faces-"));

const withoutTiming = (result: Plan) => ({ ...result, solver: { ...result.solver, ms: 0 } });

async function cliPlan(file: string, flags: string[]): Promise<{ code: number; plan: Plan }> {
  let out = "";
  const code = await main(["plan", file, "--json", ...flags], { out: (text) => void (out += text), err: () => undefined });
  return { code, plan: JSON.parse(out) as Plan };
}

describe("the three faces agree", () => {
  it("the library, jointplan plan --json and POST /v1/plans return the same plan", async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary({ maxPeriods: 2 }), fc.boolean(), async (scenario, whole) => {
        const options = whole ? { integer: true } : {};
        const library = withoutTiming(plan(scenario, options));
        const file = join(dir, `scenario-${compared++}.json`);
        writeFileSync(file, JSON.stringify(scenario));
        const cli = await cliPlan(file, whole ? ["--integer"] : []);
        expect(cli.code).toBe(library.objective === null ? 2 : 0);
        expect(withoutTiming(cli.plan)).toEqual(library);
        const response = await app.inject({ method: "POST", url: "/v1/plans", payload: { scenario, options } });
        expect(response.statusCode).toBe(200);
        expect(withoutTiming(response.json<Plan>())).toEqual(library);
      }),
      propertyParameters(),
    );
  });
});
