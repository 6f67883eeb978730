import { gapLine, MONEY_BY_PERIOD_COLUMNS, moneyByPeriodCells, objectiveName } from "../explain/words.js";
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
      ...shippingSection(scenario, plan, names),
      ...flowsSections(scenario, plan, names),
      ...investmentSections(scenario, plan),
      ...moneySection(scenario, plan),
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
  const label = objectiveName(scenario.objective, scenario.discount_rate);
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
  return `Status: ${status}${value} (${solver})${gapWords(plan)}${detail}`;
}

/** A mixed-integer plan's distance to the best possible, on a line of its own (docs/investments.md). */
function gapWords(plan: Plan): string {
  const line = gapLine(plan);
  return line === null ? "" : `\n${line}`;
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
  // Joint network: what making parts in-house took of each plant's resources, beside the total.
  const forParts = plan.capacity.some((row) => row.used_for_parts !== undefined);
  return [
    "Capacity utilization\n" +
      renderTable(
        [
          { header: "period" },
          { header: "plant" },
          { header: "resource" },
          { header: "used", align: "right" },
          ...(forParts ? [{ header: "for parts", align: "right" as const }] : []),
          { header: "available", align: "right" },
          { header: "utilization", align: "right" },
          { header: "binding" },
        ],
        plan.capacity.map((row) => [
          row.period,
          names.plant(row.plant),
          row.resource,
          formatUnits(row.used),
          ...(forParts ? [row.used_for_parts === undefined ? "" : dash(row.used_for_parts)] : []),
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
  // Joint network, parts per plant: the plant each purchase was delivered to, and the freight and duty on the way.
  const perPlant = plan.procurement.some((row) => row.plant !== undefined);
  return [
    "Parts sourcing\n" +
      renderTable(
        [
          { header: "period" },
          { header: "part" },
          { header: "source" },
          ...(perPlant ? [{ header: "delivered to" }] : []),
          { header: "local" },
          { header: "units", align: "right" },
          { header: `cost (${scenario.currency})`, align: "right" },
          ...(perPlant
            ? [
                { header: "freight", align: "right" as const },
                { header: "duty", align: "right" as const },
              ]
            : []),
        ],
        plan.procurement.map((row) => [
          row.period,
          names.part(row.part),
          row.source,
          ...(perPlant ? [row.plant === undefined ? "" : names.plant(row.plant)] : []),
          row.local ? "yes" : "no",
          formatUnits(row.units),
          formatMoney(row.cost),
          ...(perPlant ? [moneyOrDash(row.freight), moneyOrDash(row.duty)] : []),
        ]),
      ) +
      `\nLocal share of all parts bought, by value: ${localShares.join(", ")}`,
  ];
}

/** Joint network: sales on shipping lanes, with the freight and duty they paid. */
function shippingSection(scenario: Scenario, plan: Plan, names: Names): string[] {
  const shipped = plan.sales.filter((row) => row.shipping !== undefined || row.duty !== undefined);
  if (shipped.length === 0) return [];
  return [
    `Shipping to markets (${scenario.currency})\n` +
      renderTable(
        [
          { header: "period" },
          { header: "plant" },
          { header: "product" },
          { header: "market" },
          { header: "units", align: "right" },
          { header: "revenue", align: "right" },
          { header: "freight", align: "right" },
          { header: "duty", align: "right" },
        ],
        shipped.map((row) => [
          row.period,
          names.plant(row.plant),
          names.product(row.product),
          names.market(row.market),
          formatUnits(row.units),
          formatMoney(row.revenue),
          moneyOrDash(row.shipping),
          moneyOrDash(row.duty),
        ]),
        [
          "total",
          "",
          "",
          "",
          formatUnits(total(shipped.map((row) => row.units))),
          formatMoney(total(shipped.map((row) => row.revenue))),
          formatMoney(total(shipped.map((row) => row.shipping ?? 0))),
          formatMoney(total(shipped.map((row) => row.duty ?? 0))),
        ],
      ),
  ];
}

/** Joint network: what crossed a border, by country pair, and what plants sent each other. */
function flowsSections(scenario: Scenario, plan: Plan, names: Names): string[] {
  const flows = plan.flows;
  if (flows === undefined) return [];
  const money = [
    { header: "units", align: "right" as const },
    { header: `value (${scenario.currency})`, align: "right" as const },
    { header: "freight", align: "right" as const },
    { header: "duty", align: "right" as const },
  ];
  const figures = (row: { units: number; value: number; freight: number; duty: number }) => [
    formatUnits(row.units),
    formatMoney(row.value),
    moneyOrDash(row.freight),
    moneyOrDash(row.duty),
  ];
  const sections: string[] = [];
  sections.push(
    flows.borders.length === 0
      ? "Across borders: nothing crossed one (plants and markets need a country for a border to be named)"
      : "Across borders (parts: the source's cost; products: revenue)\n" +
          renderTable(
            [{ header: "period" }, { header: "from" }, { header: "to" }, { header: "goods" }, ...money],
            flows.borders.map((row) => [row.period, row.from, row.to, row.goods, ...figures(row)]),
            ["total", "", "", "", ...figures(sumFlows(flows.borders))],
          ),
  );
  if (flows.between_plants.length > 0) {
    sections.push(
      "Between plants (parts made at one plant, delivered to another)\n" +
        renderTable(
          [{ header: "period" }, { header: "from" }, { header: "to" }, { header: "part" }, ...money],
          flows.between_plants.map((row) => [row.period, names.plant(row.from), names.plant(row.to), names.part(row.part), ...figures(row)]),
        ),
    );
  }
  return sections;
}

function sumFlows(rows: readonly { units: number; value: number; freight: number; duty: number }[]) {
  return {
    units: total(rows.map((row) => row.units)),
    value: total(rows.map((row) => row.value)),
    freight: total(rows.map((row) => row.freight)),
    duty: total(rows.map((row) => row.duty)),
  };
}

function moneyOrDash(value: number | undefined): string {
  return value === undefined || value === 0 ? "—" : formatMoney(value);
}

/** Investments (docs/format.md §3.5): each decision with its costs, and a timeline of what is built when. */
function investmentSections(scenario: Scenario, plan: Plan): string[] {
  const rows = plan.investments;
  if (rows === undefined || rows.length === 0) return [];
  const name = lookup(scenario.investments);
  const plantName = lookup(scenario.plants);
  const table =
    `Investments (${scenario.currency}, undiscounted)\n` +
    renderTable(
      [
        { header: "investment" },
        { header: "plant" },
        { header: "built" },
        { header: "fixed cost", align: "right" },
        { header: "operating cost", align: "right" },
      ],
      rows.map((row) => [
        name(row.id),
        plantName(row.plant),
        row.built ? `yes, ${row.period ?? ""}` : "no",
        moneyOrDash(row.fixed_cost),
        moneyOrDash(row.operating_cost),
      ]),
    );
  // One column per period: ■ the period built, ▪ each period it runs after, · before it or never.
  const timeline =
    "Timeline (■ built, ▪ running)\n" +
    renderTable(
      [{ header: "investment" }, ...scenario.periods.map((period) => ({ header: period }))],
      rows.map((row) => {
        const built = row.period === null ? Infinity : scenario.periods.indexOf(row.period);
        return [name(row.id), ...scenario.periods.map((_period, t) => (t === built ? "■" : t > built ? "▪" : "·"))];
      }),
    );
  return [table, timeline];
}

/** The money of each period, undiscounted and at its present value: what the objective adds up (docs/format.md §3.5). */
function moneySection(scenario: Scenario, plan: Plan): string[] {
  const periods = plan.periods;
  if (periods === undefined || periods.length === 0) return [];
  const { rows, total } = moneyByPeriodCells(periods);
  return [
    `Money by period (${scenario.currency}; discount rate ${(scenario.discount_rate * 100).toFixed(1)}%)\n` +
      renderTable(
        MONEY_BY_PERIOD_COLUMNS.map((header, i) => ({ header, ...(i === 0 ? {} : { align: "right" as const }) })),
        rows,
        total,
      ),
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
