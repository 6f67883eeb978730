import type ExcelJS from "exceljs";
import type { BoundSensitivity } from "../explain/types.js";
import {
  bindingTableTitle,
  closestUnusedRoutes,
  DECISIONS_TITLE,
  decisionLines,
  decisionsCaveat,
  diagnosisLines,
  nothingBinds,
  perUnit,
  pricedBounds,
  unusedRouteLine,
  unusedRoutesTitle,
  Words,
} from "../explain/words.js";
import { capacityBinds, localShare } from "../plan/figures.js";
import type { Plan } from "../plan/types.js";
import type { Scenario } from "../scenario/schema.js";
import type { Comparison, SweepResult } from "../whatif/types.js";
import { objectiveWords, parameterLabel } from "../whatif/words.js";
import { addTableSheet, addTextSheet, newWorkbook, workbookBytes, type CellContent, type NumberFormatName } from "./sheets.js";

/**
 * Plans, comparisons and sweeps as workbooks that open ready to read: a sheet
 * per table of the plan, numbers as numbers in their formats, headers frozen
 * and filtered, columns fitted, and the explanation in words
 * (docs/spreadsheets.md#plans-as-workbooks).
 */

/**
 * A plan as a workbook: a summary, then production, sales, stock, capacity,
 * parts, the local share, targets, the flows across borders and between
 * plants (joint network), what binds and the explanation.
 */
export async function planWorkbook(scenario: Scenario, plan: Plan): Promise<Uint8Array> {
  const workbook = newWorkbook();
  workbook.title = `Plan of ${scenario.title}`;
  addPlanSheets(workbook, scenario, plan);
  return workbookBytes(workbook);
}

function addPlanSheets(workbook: ExcelJS.Workbook, scenario: Scenario, plan: Plan): void {
  const words = new Words(scenario);
  const families = new Map(scenario.products.map((product) => [product.id, product.family]));
  const exported = new Set(scenario.markets.filter((market) => market.export).map((market) => market.id));
  const shareTargets = new Set(scenario.targets.filter((target) => target.kind !== "units").map((target) => target.id));
  const kinds = new Map(scenario.targets.map((target) => [target.id, target.kind]));
  const money = `(${scenario.currency})`;

  addTableSheet(workbook, "Plan", ["field", "value"], summaryRows(scenario, plan), [undefined, "general"], 1);
  addTableSheet(
    workbook,
    "Production",
    ["period", "plant", "product", "family", "units"],
    plan.production.map((row) => [row.period, row.plant, row.product, families.get(row.product), row.units]),
    [undefined, undefined, undefined, undefined, "units"],
  );
  // Joint network (docs/format.md §1.6): a sale's shipping and duty, a purchase's plant and freight, capacity taken by parts made in-house.
  const shipped = plan.sales.some((row) => row.shipping !== undefined || row.duty !== undefined);
  addTableSheet(
    workbook,
    "Sales",
    ["period", "plant", "product", "market", "export", "units", `revenue ${money}`, ...(shipped ? [`shipping ${money}`, `duty ${money}`] : [])],
    plan.sales.map((row) => [
      row.period,
      row.plant,
      row.product,
      row.market,
      exported.has(row.market),
      row.units,
      row.revenue,
      ...(shipped ? [row.shipping ?? 0, row.duty ?? 0] : []),
    ]),
    [undefined, undefined, undefined, undefined, undefined, "units", "wholeMoney", "wholeMoney", "wholeMoney"],
  );
  if (plan.inventory.length > 0) {
    addTableSheet(
      workbook,
      "Inventory",
      ["period", "plant", "product", "units at the end"],
      plan.inventory.map((row) => [row.period, row.plant, row.product, row.units]),
      [undefined, undefined, undefined, "units"],
    );
  }
  const priced = plan.capacity.some((row) => row.shadow_price !== undefined);
  const forParts = plan.capacity.some((row) => row.used_for_parts !== undefined);
  addTableSheet(
    workbook,
    "Capacity",
    [
      "period",
      "plant",
      "resource",
      "used",
      ...(forParts ? ["of it for parts"] : []),
      "available",
      "utilization",
      "binds",
      ...(priced ? [`shadow price ${money}`, "price holds from", "to"] : []),
    ],
    plan.capacity.map((row) => [
      row.period,
      row.plant,
      row.resource,
      row.used,
      ...(forParts ? [row.used_for_parts ?? 0] : []),
      row.available,
      row.utilization,
      capacityBinds(row),
      ...(priced ? [row.shadow_price, row.range?.from, row.range?.to] : []),
    ]),
    [undefined, undefined, undefined, "units", ...(forParts ? (["units"] as const) : []), "units", "share", undefined, "money", "units", "units"],
  );
  const perPlant = plan.procurement.some((row) => row.plant !== undefined);
  addTableSheet(
    workbook,
    "Procurement",
    ["period", "part", "source", ...(perPlant ? ["plant"] : []), "local", "units", `cost ${money}`, ...(perPlant ? [`freight ${money}`, `duty ${money}`] : [])],
    plan.procurement.map((row) => [
      row.period,
      row.part,
      row.source,
      ...(perPlant ? [row.plant] : []),
      row.local,
      row.units,
      row.cost,
      ...(perPlant ? [row.freight ?? 0, row.duty ?? 0] : []),
    ]),
    [undefined, undefined, undefined, ...(perPlant ? [undefined] : []), undefined, "units", "wholeMoney", "wholeMoney", "wholeMoney"],
  );
  addTableSheet(
    workbook,
    "Local share",
    ["period", "local parts (by value)", "all parts (by value)", "local share"],
    scenario.periods.map((period) => {
      const share = localShare(scenario.parts, plan, period);
      return [period, share.local, share.all, share.share];
    }),
    [undefined, "units", "units", "share"],
  );
  const targetValue = (id: string, value: number | null): CellContent | { value: number; format: NumberFormatName } =>
    value === null ? null : { value, format: shareTargets.has(id) ? "share" : "units" };
  const pricedTargets = plan.targets.some((row) => row.shadow_price !== undefined);
  addTableSheet(
    workbook,
    "Targets",
    ["target", "kind", "period", "value", "min", "max", "met", ...(pricedTargets ? [`shadow price ${money}`, "binding"] : [])],
    plan.targets.map((row) => [
      row.id,
      kinds.get(row.id),
      row.period,
      targetValue(row.id, row.value),
      targetValue(row.id, row.min),
      targetValue(row.id, row.max),
      row.met,
      ...(pricedTargets ? [row.shadow_price, row.binding ?? null] : []),
    ]),
    [undefined, undefined, undefined, undefined, undefined, undefined, undefined, "money"],
  );
  if (plan.flows !== undefined) {
    addTableSheet(
      workbook,
      "Border flows",
      ["period", "from", "to", "goods", "units", `value ${money}`, `freight ${money}`, `duty ${money}`],
      plan.flows.borders.map((row) => [row.period, row.from, row.to, row.goods, row.units, row.value, row.freight, row.duty]),
      [undefined, undefined, undefined, undefined, "units", "wholeMoney", "wholeMoney", "wholeMoney"],
    );
    addTableSheet(
      workbook,
      "Plant flows",
      ["period", "from plant", "to plant", "part", "source", "units", `value ${money}`, `freight ${money}`, `duty ${money}`],
      plan.flows.between_plants.map((row) => [row.period, row.from, row.to, row.part, row.source, row.units, row.value, row.freight, row.duty]),
      [undefined, undefined, undefined, undefined, undefined, "units", "wholeMoney", "wholeMoney", "wholeMoney"],
    );
  }
  // Investments (docs/format.md §3.5): each candidate's decision, and the money of each period behind the net present value.
  if (plan.investments !== undefined) {
    addTableSheet(
      workbook,
      "Investments",
      ["investment", "name", "plant", "built", "period", `fixed cost ${money}`, `operating cost ${money}`],
      plan.investments.map((row) => [row.id, words.investment(row.id), row.plant, row.built, row.period, row.fixed_cost, row.operating_cost]),
      [undefined, undefined, undefined, undefined, undefined, "wholeMoney", "wholeMoney"],
    );
  }
  if (plan.periods !== undefined) {
    addTableSheet(
      workbook,
      "Money by period",
      ["period", "discount factor", `revenue ${money}`, `operating costs ${money}`, `investment costs ${money}`, `net ${money}`, `present value ${money}`],
      plan.periods.map((row) => [row.period, row.discount_factor, row.revenue, row.operating_costs, row.investment_costs, row.net, row.present_value]),
      [undefined, "factor", "wholeMoney", "wholeMoney", "wholeMoney", "wholeMoney", "wholeMoney"],
    );
  }
  if (plan.sensitivity !== undefined) {
    const bounds = pricedBounds(plan.sensitivity);
    const value = (bound: BoundSensitivity) => ({
      value: bound.value,
      format: (bound.kind === "target" && words.isShare(bound.id) ? "share" : "units") as NumberFormatName,
    });
    addTableSheet(
      workbook,
      "What binds",
      ["bound", "period", "value", `shadow price (${plan.sensitivity.objective_unit})`, "per", "holds from", "to"],
      bounds.map((bound) => [words.bindingName(bound), bound.period, value(bound), bound.shadow_price, perUnit(bound), bound.range?.from, bound.range?.to]),
      [undefined, undefined, undefined, "money", undefined, "units", "units"],
    );
  }
  addTextSheet(workbook, "Explanation", "explanation", explanationLines(scenario, words, plan));
}

function summaryRows(scenario: Scenario, plan: Plan): CellContent[][] {
  const objective = objectiveWords(scenario);
  const v = plan.verification;
  return [
    ["scenario", scenario.id],
    ["title", scenario.title],
    ["status", plan.status],
    [`${objective.label} (${objective.unit})`, plan.objective],
    ["units made", plan.production.reduce((sum, row) => sum + row.units, 0)],
    ["currency", scenario.currency],
    ["solver", plan.solver.backend],
    ["whole units", plan.solver.integer],
    ...(plan.solver.gap === undefined ? [] : [["relative gap", plan.solver.gap] as CellContent[]]),
    ["solve time (ms)", Math.round(plan.solver.ms)],
    ["verification", v.feasible ? "passed" : "FAILED"],
    ["constraints re-checked", v.checked],
    ["largest violation", v.max_violation],
  ];
}

/** The explanation in words: why no plan exists, or what binds and the routes closest to entering; the notes; failed checks. */
function explanationLines(scenario: Scenario, words: Words, plan: Plan): string[] {
  const lines: string[] = [];
  if (plan.diagnosis !== undefined) lines.push("Why no plan exists", ...diagnosisLines(words, plan.diagnosis));
  const sensitivity = plan.sensitivity;
  if (sensitivity !== undefined) {
    const nothing = nothingBinds("What binds", sensitivity);
    lines.push(nothing ?? `${bindingTableTitle("What binds", sensitivity.objective_unit)}: the sheet What binds lists each bound with its price.`);
    const closest = closestUnusedRoutes(sensitivity, 5);
    if (closest.length > 0)
      lines.push(`${unusedRoutesTitle(scenario.objective)}:`, ...closest.map((route) => unusedRouteLine(words, route, sensitivity.objective_unit)));
    if (sensitivity.decisions !== undefined && sensitivity.decisions.length > 0) {
      const caveat = decisionsCaveat(sensitivity.decisions);
      lines.push(DECISIONS_TITLE, ...decisionLines(words, sensitivity.decisions, sensitivity.objective_unit), ...(caveat === null ? [] : [caveat]));
    }
    lines.push(...sensitivity.notes);
  }
  if (plan.diagnosis === undefined && sensitivity === undefined) {
    lines.push(
      plan.objective === null
        ? "No plan: ask for the explanation (explain) to see why."
        : "Plan again with the explanation (--explain, or options.explain) for what binds and its price.",
    );
  }
  if (plan.solver.detail !== undefined) lines.push(plan.solver.detail);
  lines.push(...plan.verification.violations.map((violation) => `Verification: ${violation}`));
  return lines;
}

/** A comparison as a workbook: the variants side by side, a sheet per variant with its production against the baseline, the targets, and what changed binding. */
export async function comparisonWorkbook(scenario: Scenario, comparison: Comparison): Promise<Uint8Array> {
  const workbook = newWorkbook();
  workbook.title = `Comparison on ${scenario.title}`;
  const words = new Words(scenario);
  const objective = objectiveWords(scenario);
  addTableSheet(
    workbook,
    "Comparison",
    ["variant", "sheet", "status", `${objective.label} (${objective.unit})`, "change", "verified"],
    [
      ["baseline", "Baseline", comparison.baseline.status, comparison.baseline.objective, null, comparison.baseline.verification.feasible],
      ...comparison.variants.map((variant, v) => [
        variant.name,
        variantSheetName(comparison, v),
        variant.plan.status,
        variant.plan.objective,
        variant.delta.objective,
        variant.plan.verification.feasible,
      ]),
    ],
    [undefined, undefined, undefined, "wholeMoney", "wholeMoney"],
  );
  addTableSheet(
    workbook,
    "Baseline",
    ["period", "plant", "product", "units"],
    comparison.baseline.production.map((row) => [row.period, row.plant, row.product, row.units]),
    [undefined, undefined, undefined, "units"],
  );
  comparison.variants.forEach((variant, v) => {
    addTableSheet(
      workbook,
      variantSheetName(comparison, v),
      ["period", "plant", "product", "baseline", "variant", "change"],
      variant.delta.production.map((row) => [row.period, row.plant, row.product, row.baseline, row.variant, row.change]),
      [undefined, undefined, undefined, "units", "units", "units"],
    );
  });
  const shares = new Set(scenario.targets.filter((target) => target.kind !== "units").map((target) => target.id));
  const figure = (id: string, value: number | null) => (value === null ? null : { value, format: (shares.has(id) ? "share" : "units") as NumberFormatName });
  addTableSheet(
    workbook,
    "Targets",
    ["variant", "target", "period", "baseline", "variant value", "met"],
    comparison.variants.flatMap((variant) =>
      variant.delta.targets.map((row) => [variant.name, row.id, row.period, figure(row.id, row.baseline), figure(row.id, row.variant), row.met]),
    ),
  );
  addTableSheet(
    workbook,
    "Binding",
    ["variant", "change", "bound", "period"],
    comparison.variants.flatMap((variant) => [
      ...variant.delta.binding.became.map((bound) => [variant.name, "binds now", words.bindingName(bound), bound.period]),
      ...variant.delta.binding.released.map((bound) => [variant.name, "no longer binds", words.bindingName(bound), bound.period]),
    ]),
  );
  return workbookBytes(workbook);
}

/** A sweep as a workbook: what was swept, the points, and in exact mode the segments. */
export async function sweepWorkbook(scenario: Scenario, result: SweepResult): Promise<Uint8Array> {
  const workbook = newWorkbook();
  workbook.title = `Sweep on ${scenario.title}`;
  const words = new Words(scenario);
  const objective = objectiveWords(scenario);
  const binding = (bounds: SweepResult["points"][number]["binding"]) =>
    bounds.map((bound) => `${words.bindingName(bound)}${words.when(bound.period)}`).join("; ");
  addTableSheet(
    workbook,
    "Sweep",
    ["field", "value"],
    [
      ["scenario", scenario.id],
      ["parameter", parameterLabel(result.parameter)],
      ["mode", result.mode],
      ["solves", result.solves],
      ["plans exist from", result.feasible_range?.from],
      ["to", result.feasible_range?.to],
      ...(result.stopped === undefined ? [] : [["stopped", result.stopped] as CellContent[]]),
      ...result.notes.map((note) => ["note", note] as CellContent[]),
    ],
    [undefined, "general"],
    1,
  );
  addTableSheet(
    workbook,
    "Points",
    ["value", "status", `${objective.label} (${objective.unit})`, "slope", "binding"],
    result.points.map((point) => [point.value, point.status, point.objective, point.slope, binding(point.binding)]),
    ["general", undefined, "wholeMoney", "money"],
  );
  if (result.segments !== undefined) {
    addTableSheet(
      workbook,
      "Segments",
      ["from", "to", `${objective.label} from`, `${objective.label} to`, "slope", "binding"],
      result.segments.map((segment) => [segment.from, segment.to, segment.objective_from, segment.objective_to, segment.slope, binding(segment.binding)]),
      ["general", "general", "wholeMoney", "wholeMoney", "money"],
    );
  }
  return workbookBytes(workbook);
}

/**
 * A variant's sheet name: its name as a spreadsheet allows one (at most 31
 * characters, none of : \ / ? * [ ], not starting or ending with an
 * apostrophe), numbered to be unique, case aside, among the workbook's sheets.
 */
export function variantSheetName(comparison: Comparison, index: number): string {
  const taken = new Set(["comparison", "baseline", "targets", "binding"]);
  let name = "";
  comparison.variants.slice(0, index + 1).forEach((variant, v) => {
    const base = sheetSafe(variant.name) || `Variant ${v + 1}`;
    let candidate = clip(base, 31);
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${clip(base, 31 - ` (${n})`.length).trimEnd()} (${n})`;
    taken.add(candidate.toLowerCase());
    name = candidate;
  });
  return name;
}

function sheetSafe(name: string): string {
  return (
    name
      // eslint-disable-next-line no-control-regex -- control characters have no place in a sheet's name
      .replace(/[:\\/?*[\]\u0000-\u001f\u007f]/g, " ")
      .replace(/^'+|'+$/g, "")
      .trim()
  );
}

/** The first `length` UTF-16 units of a text, never half a character. */
function clip(text: string, length: number): string {
  const cut = text.slice(0, length);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}
