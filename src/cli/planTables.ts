import { capacityBinds, localShare } from "../plan/figures.js";
import type { Plan } from "../plan/types.js";
import type { Scenario } from "../scenario/schema.js";
import { formatMoney, formatShare, formatUnits, renderTable } from "./table.js";

/** The plan as the readable tables of the CLI, in the scenario's names. */
export function renderPlan(scenario: Scenario, plan: Plan): string {
  const names = new Names(scenario);
  const sections = [`${scenario.title} (${scenario.id})\n${headline(scenario, plan)}`];
  if (plan.objective !== null) {
    for (const period of scenario.periods) {
      sections.push(...productionSection(scenario, plan, names, period), ...salesSection(scenario, plan, names, period));
    }
    sections.push(
      ...inventorySection(plan, names),
      ...capacitySection(plan, names),
      ...procurementSection(scenario, plan, names),
      ...targetsSection(scenario, plan),
      verificationLine(plan),
    );
  }
  return `${sections.join("\n\n")}\n`;
}

class Names {
  readonly plant: (id: string) => string;
  readonly product: (id: string) => string;
  readonly market: (id: string) => string;
  readonly part: (id: string) => string;
  constructor(scenario: Scenario) {
    this.plant = lookup(scenario.plants);
    this.product = lookup(scenario.products);
    this.market = lookup(scenario.markets);
    this.part = lookup(scenario.parts);
  }
}

function lookup(items: readonly { id: string; name?: string | undefined }[]): (id: string) => string {
  const names = new Map(items.map((item) => [item.id, item.name ?? item.id]));
  return (id) => names.get(id) ?? id;
}

function headline(scenario: Scenario, plan: Plan): string {
  const solver = `${plan.solver.backend}${plan.solver.integer ? ", whole units" : ""}, ${plan.solver.ms.toFixed(0)} ms`;
  const label = { max_margin: "margin", min_cost: "cost", max_units: "units made" }[scenario.objective];
  const value =
    plan.objective === null
      ? ""
      : scenario.objective === "max_units"
        ? ` — ${label} ${formatUnits(plan.objective)}`
        : ` — ${label} ${formatMoney(plan.objective)} ${scenario.currency}`;
  const status = {
    optimal: "optimal",
    infeasible: "INFEASIBLE — no plan meets every constraint",
    unbounded: "UNBOUNDED — the objective can grow without limit (a capacity, demand or route bound is missing)",
    time_limit: plan.objective === null ? "TIME LIMIT reached before any plan was found" : "time limit reached; best plan found so far",
    undecided: "UNDECIDED — the solver could not decide whether a plan exists (its numbers are hard for it: very large or very small coefficients)",
  }[plan.status];
  const detail = plan.solver.detail === undefined ? "" : `\n${plan.solver.detail}`;
  return `Status: ${status}${value} (${solver})${detail}`;
}

/** Units made in one period, products down, plants across. */
function productionSection(scenario: Scenario, plan: Plan, names: Names, period: string): string[] {
  const production = plan.production.filter((row) => row.period === period);
  if (production.length === 0) return [];
  const plants = scenario.plants.filter((plant) => production.some((row) => row.plant === plant.id));
  const products = scenario.products.filter((product) => production.some((row) => row.product === product.id));
  const units = (plant: string, product: string) => total(production.filter((row) => row.plant === plant && row.product === product).map((row) => row.units));
  const rows = products.map((product) => {
    const byPlant = plants.map((plant) => units(plant.id, product.id));
    return [names.product(product.id), product.family, ...byPlant.map(dash), formatUnits(total(byPlant))];
  });
  const plantTotals = plants.map((plant) => total(production.filter((row) => row.plant === plant.id).map((row) => row.units)));
  return [
    `Production, ${period} (units)\n` +
      renderTable(
        [
          { header: "product" },
          { header: "family" },
          ...plants.map((plant) => ({ header: names.plant(plant.id), align: "right" as const })),
          { header: "total", align: "right" },
        ],
        rows,
        ["total", "", ...plantTotals.map(formatUnits), formatUnits(total(plantTotals))],
      ),
  ];
}

/** Units sold in one period, products down, markets across, with the export share. */
function salesSection(scenario: Scenario, plan: Plan, names: Names, period: string): string[] {
  const sales = plan.sales.filter((row) => row.period === period);
  if (sales.length === 0) return [];
  const markets = scenario.markets.filter((market) => sales.some((row) => row.market === market.id));
  const products = scenario.products.filter((product) => sales.some((row) => row.product === product.id));
  const exportShare = (byMarket: readonly number[]) => {
    const sold = total(byMarket);
    const exported = total(byMarket.filter((_, m) => markets[m]?.export === true));
    return formatShare(sold > 0 ? exported / sold : null);
  };
  const rows = products.map((product) => {
    const byMarket = markets.map((market) => total(sales.filter((row) => row.product === product.id && row.market === market.id).map((row) => row.units)));
    return [names.product(product.id), ...byMarket.map(dash), formatUnits(total(byMarket)), exportShare(byMarket)];
  });
  const marketTotals = markets.map((market) => total(sales.filter((row) => row.market === market.id).map((row) => row.units)));
  const revenue = total(sales.map((row) => row.revenue));
  return [
    `Sales, ${period} (units; revenue ${formatMoney(revenue)} ${scenario.currency})\n` +
      renderTable(
        [
          { header: "product" },
          ...markets.map((market) => ({ header: `${names.market(market.id)}${market.export ? " (export)" : ""}`, align: "right" as const })),
          { header: "total", align: "right" },
          { header: "export share", align: "right" },
        ],
        rows,
        ["total", ...marketTotals.map(formatUnits), formatUnits(total(marketTotals)), exportShare(marketTotals)],
      ),
  ];
}

function inventorySection(plan: Plan, names: Names): string[] {
  if (plan.inventory.length === 0) return [];
  return [
    "Inventory at the end of each period (units)\n" +
      renderTable(
        [{ header: "period" }, { header: "plant" }, { header: "product" }, { header: "units", align: "right" }],
        plan.inventory.map((row) => [row.period, names.plant(row.plant), names.product(row.product), formatUnits(row.units)]),
      ),
  ];
}

function capacitySection(plan: Plan, names: Names): string[] {
  if (plan.capacity.length === 0) return [];
  return [
    "Capacity utilization\n" +
      renderTable(
        [
          { header: "period" },
          { header: "plant" },
          { header: "resource" },
          { header: "used", align: "right" },
          { header: "available", align: "right" },
          { header: "utilization", align: "right" },
          { header: "binding" },
        ],
        plan.capacity.map((row) => [
          row.period,
          names.plant(row.plant),
          row.resource,
          formatUnits(row.used),
          formatUnits(row.available),
          formatShare(row.utilization),
          capacityBinds(row) ? "yes" : "",
        ]),
      ),
  ];
}

function procurementSection(scenario: Scenario, plan: Plan, names: Names): string[] {
  if (plan.procurement.length === 0) return [];
  const localShares = scenario.periods.flatMap((period) => {
    const { share } = localShare(scenario.parts, plan, period);
    return share === null ? [] : [`${period} ${formatShare(share)}`];
  });
  return [
    "Parts sourcing\n" +
      renderTable(
        [
          { header: "period" },
          { header: "part" },
          { header: "source" },
          { header: "local" },
          { header: "units", align: "right" },
          { header: `cost (${scenario.currency})`, align: "right" },
        ],
        plan.procurement.map((row) => [row.period, names.part(row.part), row.source, row.local ? "yes" : "no", formatUnits(row.units), formatMoney(row.cost)]),
      ) +
      `\nLocal share of all parts bought, by value: ${localShares.join(", ")}`,
  ];
}

function targetsSection(scenario: Scenario, plan: Plan): string[] {
  if (plan.targets.length === 0) return [];
  const kinds = new Map(scenario.targets.map((target) => [target.id, target.kind]));
  const show = (id: string, value: number | null) => (value === null ? "—" : kinds.get(id) === "units" ? formatUnits(value) : formatShare(value));
  return [
    "Targets\n" +
      renderTable(
        [
          { header: "target" },
          { header: "kind" },
          { header: "period" },
          { header: "value", align: "right" },
          { header: "min", align: "right" },
          { header: "max", align: "right" },
          { header: "met" },
        ],
        plan.targets.map((row) => [
          row.id,
          kinds.get(row.id) ?? "",
          row.period,
          show(row.id, row.value),
          show(row.id, row.min),
          show(row.id, row.max),
          row.met ? "yes" : "NO",
        ]),
      ),
  ];
}

function verificationLine(plan: Plan): string {
  const v = plan.verification;
  const head = `Verification: ${v.feasible ? "passed" : "FAILED"} — ${v.checked} constraints re-checked against the scenario, max violation ${v.max_violation.toExponential(1)}`;
  return v.violations.length === 0 ? head : `${head}\n${v.violations.map((text) => `  - ${text}`).join("\n")}`;
}

function total(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0);
}

function dash(value: number): string {
  return value === 0 ? "—" : formatUnits(value);
}
