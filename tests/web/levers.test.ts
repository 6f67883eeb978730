import { describe, expect, it } from "vitest";
import { applyChanges, loadBundledScenario, parseScenario } from "../../src/index.js";
import { dutyLevers, leverChanges, leversInWords, sweepChoices, unknownLevers } from "../../web/src/levers.js";
import { readScenario } from "../../web/src/scenarioDoc.js";
import { NO_LEVERS, parseQuery, withLever } from "../../web/src/state.js";

/** The joint network's levers (web/src/levers.ts): the duty rates of the lanes that cross a border or pay duty, and what a sweep can move. */

const document = loadBundledScenario("kz-uz-joint-2020");
const scenario = readScenario(document);

describe("duty levers", () => {
  it("one per source whose deliveries cross a border or pay duty, one per plant whose sales do; none for lanes within a country and free of duty", () => {
    const levers = dutyLevers(scenario);
    const delivery = levers.filter((lever) => lever.kind === "deliveryDuty");
    expect(delivery.map((lever) => lever.id)).toEqual([
      "tashkent_powertrain",
      "korea_import",
      "andijan_transmissions",
      "andijan_electronics",
      "asia_import",
      "andijan_kit_line",
      "angren_tyres",
      "europe_import",
    ]);
    expect(delivery.find((lever) => lever.id === "andijan_kit_line")).toEqual({
      kind: "deliveryDuty",
      id: "andijan_kit_line",
      label: "Andijan kit line → Kostanay",
      carries: "on painted body and interior kit, as a share of the unit cost",
      current: 0.15,
      range: [0.15, 0.15],
      changes: [{ on: "delivery", source: "andijan_kit_line", plant: "kostanay", field: "duty" }],
    });
    // Kostanay sells in Kazakhstan only, duty-free: no lever; the Uzbek plants' sales in Kazakhstan have one each.
    const shipping = levers.filter((lever) => lever.kind === "shippingDuty");
    expect(shipping.map((lever) => [lever.id, lever.label, lever.current])).toEqual([
      ["andijan", "Andijan → Kazakhstan", 0.15],
      ["samarkand", "Samarkand → Kazakhstan", 0.1],
      ["tashkent", "Tashkent → Kazakhstan", 0.05],
    ]);
    expect(shipping[0]?.changes).toEqual([{ on: "shipping", plant: "andijan", market: "KZ", field: "duty" }]);
    expect(dutyLevers(readScenario(loadBundledScenario("kz-uz-2020")))).toEqual([]);
  });

  it("a lever whose lanes differ has no single scenario value, and gives their range", () => {
    const mixed = structuredClone(document) as { parts: { id: string; sources: { id: string; delivers_to?: Record<string, { duty?: number }> }[] }[] };
    const lane = mixed.parts.find((part) => part.id === "gearbox")?.sources.find((source) => source.id === "korea_import")?.delivers_to?.["kostanay"];
    if (lane !== undefined) lane.duty = 0.1;
    const korea = dutyLevers(readScenario(mixed)).find((lever) => lever.id === "korea_import");
    expect(korea).toMatchObject({ current: null, range: [0.05, 0.1], carries: "on 1.2–1.5 l petrol engine and gearbox, as a share of the unit cost" });
  });

  it("sends set changes the library applies: the kit lane's duty and Andijan's car duty move, nothing else", () => {
    const levers = withLever(withLever(NO_LEVERS, "deliveryDuty", "andijan_kit_line", 0), "shippingDuty", "andijan", 0.1);
    const changes = leverChanges(scenario, levers);
    expect(changes).toEqual([
      { change: { on: "delivery", source: "andijan_kit_line", plant: "kostanay", field: "duty", set: 0 }, control: "duty.delivery.andijan_kit_line" },
      { change: { on: "shipping", plant: "andijan", market: "KZ", field: "duty", set: 0.1 }, control: "duty.shipping.andijan" },
    ]);
    const changed = applyChanges(
      document,
      changes.map((lever) => lever.change),
    );
    const original = parseScenario(document);
    const kitLine = (s: typeof original) => s.parts.find((part) => part.id === "body_kit")?.sources[0]?.delivers_to;
    expect(kitLine(changed)?.["kostanay"]).toEqual({ ...kitLine(original)?.["kostanay"], duty: 0 });
    expect(kitLine(changed)?.["andijan"]).toEqual(kitLine(original)?.["andijan"]);
    for (const [r, route] of changed.routes.entries()) {
      const before = original.routes[r];
      const expected = route.plant === "andijan" ? { ...before?.ships_to?.["KZ"], duty: 0.1 } : before?.ships_to?.["KZ"];
      expect(route.ships_to?.["KZ"], `${route.plant} ${route.product}`).toEqual(expected);
      expect(route.ships_to?.["UZ"]).toEqual(before?.ships_to?.["UZ"]);
    }
    expect(changed.parts.filter((part) => part.id !== "body_kit")).toEqual(original.parts.filter((part) => part.id !== "body_kit"));
  });

  it("says a moved duty in words, and names a duty lever the scenario has no lanes for instead of sending it", () => {
    const { state } = parseQuery("?duty.delivery.andijan_kit_line=0&duty.shipping.samarkand=0.125");
    expect(leversInWords(scenario, state.levers)).toBe("duty Andijan kit line → Kostanay at 0%; duty Samarkand → Kazakhstan at 12.5%");
    const unknown = parseQuery("?duty.delivery.andijan_stamping=0&duty.shipping.kostanay=0.1").state.levers;
    expect(leverChanges(scenario, unknown)).toEqual([]);
    expect(unknownLevers(scenario, unknown)).toEqual([
      'duty.delivery.andijan_stamping (the scenario has no source "andijan_stamping" with a lane that crosses a border or pays duty)',
      'duty.shipping.kostanay (the scenario has no plant "kostanay" with a lane that crosses a border or pays duty)',
    ]);
  });
});

describe("sweeps of the joint network", () => {
  it("offers each dutiable lane pair's duty (a rate, grid only, one value for every period) and each lane's capacity (exact)", () => {
    const choices = sweepChoices(scenario, "2020");
    const kitDuty = choices.find((choice) => choice.group === "Duties" && choice.label === "Duty on parts from Andijan kit line to Kostanay");
    expect(kitDuty).toMatchObject({
      parameter: { on: "delivery", source: "andijan_kit_line", plant: "kostanay", field: "duty" },
      current: 0.15,
      share: true,
      exact: false,
    });
    expect(choices.find((choice) => choice.label === "Duty on Andijan's sales in Kazakhstan")?.parameter).toEqual({
      on: "shipping",
      plant: "andijan",
      market: "KZ",
      field: "duty",
    });
    const lanes = choices.filter((choice) => choice.group === "Lane capacities");
    expect(lanes).toEqual([
      expect.objectContaining({
        label: "Deliveries of painted body and interior kit from Andijan kit line to Kostanay",
        parameter: { on: "delivery", part: "body_kit", source: "andijan_kit_line", plant: "kostanay", field: "capacity" },
        current: 2000,
        share: false,
        exact: true,
      }),
    ]);
    expect(
      sweepChoices(readScenario(loadBundledScenario("kz-uz-2020")), "2020").some((choice) => choice.group === "Duties" || choice.group === "Lane capacities"),
    ).toBe(false);
  });

  it("in a scenario of several periods, a lane's capacity is swept in the period shown and a duty in all (it has one rate)", () => {
    const periods = structuredClone(document) as { periods?: string[]; targets: { periods?: string[] }[] };
    periods.periods = ["2020", "2021"];
    const choices = sweepChoices(readScenario(periods), "2021");
    expect(choices.find((choice) => choice.group === "Lane capacities")?.parameter).toMatchObject({ periods: ["2021"] });
    expect(choices.find((choice) => choice.group === "Duties")?.parameter).not.toHaveProperty("periods");
    expect(choices.find((choice) => choice.group === "Duties")?.label.endsWith("2021")).toBe(false);
  });
});
