import { capitalize, formatMoney, formatShare, formatUnits, humanize } from "../../src/explain/words.js";
import type { Plan } from "../../src/plan/types.js";
import { WORKBOOK_TYPE, type Answer } from "./api.js";
import { capacityChart, productionChart, sourcingChart } from "./charts.js";
import { planCsv } from "./csv.js";
import { h, money, table, unitsOrDash, type Child } from "./dom.js";
import { explanationSection } from "./explanation.js";
import { investmentsSection, moneySection } from "./investmentsView.js";
import { binds, headline, localShare, partSourcing, productionTable } from "./figures.js";
import { planNetwork } from "./network.js";
import { bordersInWords, moneyOrDash, networkChart, networkTables } from "./networkView.js";
import type { ScenarioView } from "./scenarioDoc.js";

const statusWords: Readonly<Record<Plan["status"], { readonly value: string; readonly detail: string }>> = {
  optimal: { value: "Optimal", detail: "the best plan under every constraint" },
  infeasible: { value: "Infeasible", detail: "no plan meets every constraint" },
  unbounded: { value: "Unbounded", detail: "the objective can grow without limit: a capacity, demand or route bound is missing" },
  time_limit: { value: "Time limit", detail: "reached before any plan was found" },
  undecided: { value: "Undecided", detail: "the solver could not decide whether a plan exists: very large beside very small numbers" },
};

/** The plan of one period: headline figures, the explanation, production, capacity, parts, targets, downloads. */
/** `workbook`: the same plan as an Excel workbook, asked of the service when the planner downloads it. */
export function planView(scenario: ScenarioView, plan: Plan, period: string, workbook: () => Promise<Answer<Blob>>): HTMLElement {
  const sections: Child[] = [headlineSection(scenario, plan, period)];
  // A plan with investments: what is built when and the money of each period first, as they span every period.
  if (plan.objective !== null) sections.push(investmentsSection(scenario, plan), moneySection(scenario, plan));
  sections.push(explanationSection(scenario, plan));
  if (plan.objective !== null) {
    sections.push(
      productionSection(scenario, plan, period),
      networkSection(scenario, plan, period),
      capacitySection(scenario, plan, period),
      partsSection(scenario, plan, period),
    );
  }
  sections.push(targetsSection(scenario, plan, period), downloadsSection(plan, workbook));
  return h("div", { class: "plan-view" }, ...sections);
}

function headlineSection(scenario: ScenarioView, plan: Plan, period: string): HTMLElement {
  const figures = headline(scenario, plan, period);
  const solved = plan.objective !== null;
  const status = plan.status === "time_limit" && solved ? { value: "Time limit", detail: "reached; the best plan found so far" } : statusWords[plan.status];
  const v = plan.verification;
  const goal = figures.units.goal;
  const cards: Child[] = [
    card(
      "Status",
      status.value,
      `${status.detail} · ${plan.solver.integer ? "whole units" : "fractional units allowed"} · ${plan.solver.backend}, ${Math.round(plan.solver.ms)} ms`,
      {
        tone: plan.status === "optimal" ? "good" : "bad",
        id: "figure-status",
      },
    ),
    figures.objective === null
      ? null
      : card(
          figures.objective.label,
          figures.objective.unit === "units" ? `${formatUnits(figures.objective.value)} units` : money(figures.objective.value, figures.objective.unit),
          scenario.periods.length > 1 ? `over ${scenario.periods.length} periods` : null,
          { id: "figure-objective" },
        ),
    card(
      "Units made",
      solved ? `${formatUnits(figures.units.made)} units` : "—",
      goal === null
        ? null
        : `${figures.units.goalLabel ?? "goal"}: ${formatUnits(goal)} units${solved ? (figures.units.made >= goal - 1e-6 ? " · met" : " · missed") : ""}`,
      { id: "figure-units", tone: !solved || goal === null ? undefined : figures.units.made >= goal - 1e-6 ? "good" : "bad" },
    ),
    card(
      "Export share",
      solved ? formatShare(figures.exportShare.value) : "—",
      `${figures.exportShare.scope}${figures.exportShare.target === null ? "" : ` · target at least ${formatShare(figures.exportShare.target)}`}`,
      { id: "figure-export" },
    ),
    card(
      "Local parts share",
      solved ? formatShare(figures.localShare.value) : "—",
      `${figures.localShare.scope}, by value${figures.localShare.target === null ? "" : ` · target at least ${formatShare(figures.localShare.target)}`}`,
      { id: "figure-local" },
    ),
    card(
      "Verification",
      solved ? (v.feasible ? "Passed" : "Failed") : "—",
      solved
        ? `${formatUnits(v.checked)} constraints re-checked against the scenario; largest violation ${v.max_violation.toExponential(1)}`
        : "no plan to check",
      { id: "figure-verification", tone: solved ? (v.feasible ? "good" : "bad") : undefined },
    ),
  ];
  return h(
    "section",
    { class: "headline", "aria-labelledby": "headline-title" },
    h("h2", { id: "headline-title" }, scenario.periods.length > 1 ? `Headline figures, ${period}` : "Headline figures"),
    h("dl", { class: "cards" }, ...cards),
    solved && v.violations.length > 0 ? h("ul", { class: "violations" }, ...v.violations.map((violation) => h("li", {}, violation))) : null,
  );
}

function card(label: string, value: string, detail: string | null, options: { tone?: "good" | "bad" | undefined; id: string }): HTMLElement {
  return h(
    "div",
    { class: `card${options.tone === undefined ? "" : ` ${options.tone}`}`, id: options.id },
    h("dt", {}, label),
    h("dd", { class: "value" }, value),
    detail === null ? null : h("dd", { class: "detail" }, detail),
  );
}

function productionSection(scenario: ScenarioView, plan: Plan, period: string): HTMLElement {
  const production = productionTable(scenario, plan, period);
  const plantNames = production.plants.map((plant) => plant.name);
  const bars = production.rows.flatMap((row) =>
    row.byPlant.flatMap((units, p) => (units > 0 ? [{ product: row.name, plant: plantNames[p] ?? "", units }] : [])),
  );
  return section(
    "production",
    `Production${periodSuffix(scenario, period)}`,
    `${formatUnits(production.total)} units made, by plant and product.`,
    productionChart(bars, plantNames),
    table(
      "Units made by product (rows) and plant (columns)",
      [{ header: "product" }, ...plantNames.map((name) => ({ header: name, numeric: true })), { header: "total", numeric: true }],
      production.rows.map((row) => [row.name, ...row.byPlant.map(unitsOrDash), formatUnits(row.total)]),
      ["total", ...production.plantTotals.map((total) => formatUnits(total)), formatUnits(production.total)],
    ),
  );
}

function capacitySection(scenario: ScenarioView, plan: Plan, period: string): HTMLElement {
  const plantName = (id: string) => scenario.plants.find((plant) => plant.id === id)?.name ?? humanize(id);
  const rows = plan.capacity.filter((row) => row.period === period);
  const binding = rows.filter(binds);
  const currency = plan.sensitivity?.objective_unit ?? scenario.currency;
  const hasPrices = rows.some((row) => row.shadow_price !== undefined);
  // Joint network: what making parts in-house took of each resource, beside the total.
  const forParts = rows.some((row) => row.used_for_parts !== undefined);
  return section(
    "capacity",
    `Capacity use${periodSuffix(scenario, period)}`,
    binding.length === 0
      ? "No resource is used to the full."
      : `Used to the full (what binds): ${binding.map((row) => `${humanize(row.resource)} at ${plantName(row.plant)}`).join(", ")}.`,
    capacityChart(
      rows.map((row) => ({
        label: `${plantName(row.plant)} · ${humanize(row.resource)}`,
        percent: row.utilization === null ? 0 : row.utilization * 100,
        binds: binds(row),
      })),
    ),
    table(
      hasPrices
        ? `Capacity used and available by plant and resource; price: change of the objective per unit more of the resource (${currency})`
        : "Capacity used and available by plant and resource",
      [
        { header: "resource" },
        { header: "used", numeric: true },
        ...(forParts ? [{ header: "for parts", numeric: true }] : []),
        { header: "available", numeric: true },
        { header: "use", numeric: true },
        ...(hasPrices ? [{ header: `price (${currency})`, numeric: true }] : []),
      ],
      rows.map((row) => [
        `${plantName(row.plant)} · ${humanize(row.resource)}`,
        formatUnits(row.used),
        ...(forParts ? [row.used_for_parts === undefined ? "" : unitsOrDash(row.used_for_parts)] : []),
        formatUnits(row.available),
        binds(row) ? h("span", {}, formatShare(row.utilization), " ", h("span", { class: "badge bad" }, "binds")) : formatShare(row.utilization),
        ...(hasPrices ? [row.shadow_price === undefined ? "—" : formatUnits(row.shadow_price)] : []),
      ]),
    ),
  );
}

function partsSection(scenario: ScenarioView, plan: Plan, period: string): HTMLElement | null {
  const sourcing = partSourcing(scenario, plan, period);
  if (sourcing.length === 0) return null;
  const share = localShare(scenario, plan, period);
  const parts = section(
    "parts",
    `Parts sourcing${periodSuffix(scenario, period)}`,
    `Local share of all parts bought, by value: ${formatShare(share)}.`,
    sourcingChart(
      sourcing.flatMap((part) => [
        { part: part.name, origin: "local" as const, units: part.local },
        { part: part.name, origin: "imported" as const, units: part.imported },
      ]),
    ),
    table(
      "Parts bought: local and imported units, and cost",
      [{ header: "part" }, { header: "local", numeric: true }, { header: "imported", numeric: true }, { header: `cost (${scenario.currency})`, numeric: true }],
      sourcing.map((part) => [part.name, unitsOrDash(part.local), unitsOrDash(part.imported), formatUnits(Math.round(part.cost))]),
    ),
  );
  const deliveries = deliveriesTable(scenario, plan, period);
  if (deliveries !== null) parts.append(deliveries);
  return parts;
}

/** Joint network, parts per plant: each purchase with the plant it was delivered to and the freight and duty on the way (the CLI's parts table). */
function deliveriesTable(scenario: ScenarioView, plan: Plan, period: string): HTMLElement | null {
  const rows = plan.procurement.filter((row) => row.period === period && row.plant !== undefined);
  if (rows.length === 0) return null;
  const name = (items: readonly { id: string; name?: string }[], id: string) => items.find((item) => item.id === id)?.name ?? humanize(id);
  const currency = scenario.currency;
  const deliveries = table(
    "Parts delivered: each source's deliveries to each plant, with the freight and duty paid on the way",
    [
      { header: "part from source" },
      { header: "delivered to" },
      { header: "local" },
      { header: "units", numeric: true },
      { header: `cost (${currency})`, numeric: true },
      { header: `freight (${currency})`, numeric: true },
      { header: `duty (${currency})`, numeric: true },
    ],
    rows.map((row) => [
      `${name(scenario.parts, row.part)} from ${capitalize(humanize(row.source))}`,
      row.plant === undefined ? "" : name(scenario.plants, row.plant),
      row.local ? "yes" : "no",
      formatUnits(row.units),
      formatMoney(row.cost),
      moneyOrDash(row.freight),
      moneyOrDash(row.duty),
    ]),
  );
  deliveries.id = "parts-delivered";
  return deliveries;
}

/** Joint network: the flow picture and the network's tables, for a plan of a scenario with the network's fields. */
function networkSection(scenario: ScenarioView, plan: Plan, period: string): HTMLElement | null {
  const network = planNetwork(scenario, plan, period);
  if (network === null) return null;
  const pooled = network.pooledParts
    ? " Parts are bought for all plants together (no source names the plants it delivers to), so the picture starts at the plants."
    : "";
  return h(
    "section",
    { id: "network", class: "plan-section", "aria-labelledby": "network-title" },
    h("h2", { id: "network-title" }, `The network${periodSuffix(scenario, period)}`),
    h("p", { class: "summary" }, `${bordersInWords(plan, period, scenario.currency)}${pooled}`),
    h(
      "p",
      { class: "note", id: "network-help" },
      "Each flow is as wide as the units it carries. Point at a flow, tap it, or tab to the picture and move with the arrow keys, for its freight and duty.",
    ),
    networkChart(network, scenario.currency),
    h("div", { class: "network-tables" }, ...networkTables(scenario, plan, period)),
  );
}

function targetsSection(scenario: ScenarioView, plan: Plan, period: string): HTMLElement | null {
  const rows = plan.targets.filter((row) => row.period === period);
  if (rows.length === 0) return null;
  const kinds = new Map(scenario.targets.map((target) => [target.id, target.kind]));
  const show = (id: string, value: number | null) => (value === null ? "—" : kinds.get(id) === "units" ? formatUnits(value) : formatShare(value));
  const solved = plan.objective !== null;
  const missed = rows.filter((row) => !row.met);
  const columns = [{ header: "target" }, { header: "value", numeric: true }, { header: "at least", numeric: true }, { header: "at most", numeric: true }];
  return section(
    "targets",
    `Targets${periodSuffix(scenario, period)}`,
    !solved
      ? "No plan, so no target is met; the table gives each target's bounds."
      : missed.length === 0
        ? "Every target is met."
        : `Missed: ${missed.map((row) => humanize(row.id)).join(", ")}.`,
    null,
    table(
      solved ? "Targets: the plan's value against each target's bounds" : "Targets and their bounds",
      solved ? [...columns, { header: "met" }] : columns.filter((column) => column.header !== "value"),
      rows.map((row) => [
        humanize(row.id),
        ...(solved ? [show(row.id, row.value)] : []),
        show(row.id, row.min),
        show(row.id, row.max),
        ...(solved ? [h("span", { class: row.met ? "badge good" : "badge bad" }, row.met ? "met" : "missed")] : []),
      ]),
    ),
  );
}

function downloadsSection(plan: Plan, workbook: () => Promise<Answer<Blob>>): HTMLElement {
  const name = plan.scenario.replace(/[^\p{L}\p{N}._-]+/gu, "_") || "plan";
  const download = (content: string | Blob, type: string, file: string) => {
    const url = URL.createObjectURL(typeof content === "string" ? new Blob([content], { type }) : content);
    const link = h("a", { href: url, download: file, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };
  const json = h("button", { type: "button", id: "download-json" }, "Download plan (JSON)");
  json.addEventListener("click", () => download(`${JSON.stringify(plan, null, 2)}\n`, "application/json", `${name}-plan.json`));
  const csv = h("button", { type: "button", id: "download-csv" }, "Download plan (CSV)");
  csv.addEventListener("click", () => download(planCsv(plan), "text/csv", `${name}-plan.csv`));
  const excel = h("button", { type: "button", id: "download-xlsx" }, "Download plan (Excel)");
  const excelStatus = h("span", { class: "note", role: "status", id: "download-xlsx-status" });
  excel.addEventListener("click", () => {
    excel.setAttribute("disabled", "");
    excelStatus.textContent = "Making the workbook…";
    void workbook().then((answer) => {
      excel.removeAttribute("disabled");
      excelStatus.textContent = answer.ok ? "" : `The workbook could not be made: ${answer.problem.detail}`;
      if (answer.ok) download(answer.value, WORKBOOK_TYPE, `${name}-plan.xlsx`);
    });
  });
  const print = h("button", { type: "button", id: "print" }, "Print");
  print.addEventListener("click", () => window.print());
  return h(
    "section",
    { class: "downloads no-print", "aria-labelledby": "downloads-title" },
    h("h2", { id: "downloads-title" }, "Take it away"),
    h(
      "p",
      {},
      "The JSON is the plan as the service returns it; the CSV is one table, a section column saying which part of the plan each row belongs to; the Excel workbook has a sheet per table, with what binds and the explanation in words.",
    ),
    h("div", { class: "buttons" }, json, csv, excel, print, excelStatus),
  );
}

function section(id: string, title: string, summary: string, chart: HTMLElement | null, details: HTMLElement): HTMLElement {
  return h(
    "section",
    { id, class: "plan-section", "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title` }, title),
    h("p", { class: "summary" }, summary),
    h("div", { class: chart === null ? "pair single" : "pair" }, chart, details),
  );
}

function periodSuffix(scenario: ScenarioView, period: string): string {
  return scenario.periods.length > 1 ? `, ${period}` : "";
}
