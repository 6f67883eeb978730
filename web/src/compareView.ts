import type { BoundRef } from "../../src/explain/types.js";
import { capitalize, diagnosisLines, formatShare, formatUnits, humanize, Words } from "../../src/explain/words.js";
import type { Plan } from "../../src/plan/types.js";
import type { Delta } from "../../src/whatif/types.js";
import { objectiveWords, signed } from "../../src/whatif/words.js";
import { changeChart, pairChart } from "./charts.js";
import { h, table, type Child } from "./dom.js";
import { headline, sum } from "./figures.js";
import type { ScenarioView } from "./scenarioDoc.js";

/** One side of a comparison: its plan, what binds in it, and its levers in words. */
export interface ComparedPlan {
  readonly plan: Plan;
  readonly binding: readonly BoundRef[];
  readonly levers: string;
}

/**
 * The kept baseline beside the variant, and how the variant differs
 * (`delta`, as the library's compare() reads it: docs/whatif.md, "Compare"):
 * headline figures, production by plant and by product, targets, what binds.
 */
export function compareView(scenario: ScenarioView, period: string, kept: ComparedPlan, variant: ComparedPlan, delta: Delta): HTMLElement {
  const words = new Words(scenario);
  const production = delta.production.filter((row) => row.period === period);
  const byPlant = scenario.plants
    .map((plant) => {
      const rows = production.filter((row) => row.plant === plant.id);
      return { label: words.plant(plant.id), kept: sum(rows.map((row) => row.baseline ?? 0)), variant: sum(rows.map((row) => row.variant ?? 0)) };
    })
    .filter((row) => row.kept !== 0 || row.variant !== 0);
  const order = (row: { plant: string; product: string }) =>
    scenario.plants.findIndex((plant) => plant.id === row.plant) * scenario.products.length +
    scenario.products.findIndex((product) => product.id === row.product);
  const pairs = [...production]
    .sort((a, b) => order(a) - order(b))
    .map((row) => ({
      label: `${capitalize(words.product(row.product))} · ${words.plant(row.plant)}`,
      kept: row.baseline,
      variant: row.variant,
      change: row.change,
    }));
  const changed = pairs.flatMap((row) => (row.change !== null && Math.abs(row.change) > 1e-6 ? [{ label: row.label, change: row.change }] : []));
  const units = (value: number | null) => (value === null ? "—" : formatUnits(value));
  const change = (value: number | null) => (value === null ? "—" : signed(value, formatUnits));
  const suffix = scenario.periods.length > 1 ? `, ${period}` : "";

  return h(
    "div",
    { class: "compare-view" },
    figuresSection(scenario, period, kept, variant, delta),
    ...[kept, variant].map((side, s) => noPlanSection(words, side.plan, s === 0 ? "the kept baseline" : "the variant")),
    h(
      "section",
      { id: "compare-plants", class: "plan-section", "aria-labelledby": "compare-plants-title" },
      h("h2", { id: "compare-plants-title" }, `Production by plant${suffix}`),
      h(
        "div",
        { class: "pair" },
        byPlant.length === 0 ? null : pairChart(byPlant),
        table(
          "Units made at each plant, kept baseline and variant",
          [{ header: "plant" }, { header: "kept", numeric: true }, { header: "variant", numeric: true }, { header: "change", numeric: true }],
          byPlant.map((row) => [row.label, formatUnits(row.kept), formatUnits(row.variant), signed(row.variant - row.kept, formatUnits)]),
        ),
      ),
    ),
    h(
      "section",
      { id: "compare-production", class: "plan-section", "aria-labelledby": "compare-production-title" },
      h("h2", { id: "compare-production-title" }, `Production by product and plant: what changes${suffix}`),
      h(
        "p",
        { class: "summary" },
        changed.length === 0
          ? "The variant makes the same as the kept baseline."
          : `${changed.length} product and plant pair${changed.length === 1 ? " makes" : "s make"} a different number of units.`,
      ),
      h(
        "div",
        { class: changed.length === 0 ? "pair single" : "pair" },
        changed.length === 0 ? null : changeChart(changed),
        table(
          "Units made, kept baseline and variant",
          [{ header: "product · plant" }, { header: "kept", numeric: true }, { header: "variant", numeric: true }, { header: "change", numeric: true }],
          pairs.map((row) => [row.label, units(row.kept), units(row.variant), change(row.change)]),
        ),
      ),
    ),
    targetsSection(scenario, delta, period),
    bindingSection(words, delta.binding),
  );
}

/** The headline figures side by side, each with its difference. */
function figuresSection(scenario: ScenarioView, period: string, kept: ComparedPlan, variant: ComparedPlan, delta: Delta): HTMLElement {
  const objective = objectiveWords(scenario);
  const before = headline(scenario, kept.plan, period);
  const after = headline(scenario, variant.plan, period);
  const solved = (plan: Plan) => plan.objective !== null;
  const both = solved(kept.plan) && solved(variant.plan);
  const amount = (plan: Plan) => (plan.objective === null ? "—" : `${objective.format(plan.objective)} ${objective.unit}`);
  const share = (plan: Plan, value: number | null) => (solved(plan) ? formatShare(value) : "—");
  const points = (from: number | null, to: number | null) =>
    !both || from === null || to === null ? "—" : `${signed((to - from) * 100, (value) => value.toFixed(1))} pt`;
  const periods = scenario.periods.length > 1;
  const cards: { id: string; label: string; difference: string; kept: string; variant: string }[] = [
    {
      id: "compare-objective",
      label: `${capitalize(objective.label)}${periods ? ", all periods" : ""}`,
      difference: delta.objective === null ? "—" : `${signed(delta.objective, objective.format)} ${objective.unit}`,
      kept: amount(kept.plan),
      variant: amount(variant.plan),
    },
    {
      id: "compare-units",
      label: `Units made${periods ? `, ${period}` : ""}`,
      difference: both ? signed(after.units.made - before.units.made, formatUnits) : "—",
      kept: solved(kept.plan) ? formatUnits(before.units.made) : "—",
      variant: solved(variant.plan) ? formatUnits(after.units.made) : "—",
    },
    {
      id: "compare-export",
      label: "Export share",
      difference: points(before.exportShare.value, after.exportShare.value),
      kept: share(kept.plan, before.exportShare.value),
      variant: share(variant.plan, after.exportShare.value),
    },
    {
      id: "compare-local",
      label: "Local parts share",
      difference: points(before.localShare.value, after.localShare.value),
      kept: share(kept.plan, before.localShare.value),
      variant: share(variant.plan, after.localShare.value),
    },
  ];
  const status = (plan: Plan) => plan.status.replace("_", " ");
  return h(
    "section",
    { class: "headline", "aria-labelledby": "compare-figures-title" },
    h("h2", { id: "compare-figures-title" }, "Variant against the kept baseline"),
    h(
      "dl",
      { class: "sides" },
      h("dt", {}, "Kept baseline"),
      h("dd", { id: "compare-kept" }, `${capitalize(kept.levers)} — ${status(kept.plan)}.`),
      h("dt", {}, "Variant"),
      h("dd", { id: "compare-variant" }, `${capitalize(variant.levers)} — ${status(variant.plan)}.`),
    ),
    h(
      "dl",
      { class: "cards compare" },
      ...cards.map((card) =>
        h(
          "div",
          { class: "card", id: card.id },
          h("dt", {}, card.label),
          h("dd", { class: "value" }, card.difference),
          h("dd", { class: "detail" }, `${card.kept} → ${card.variant}`),
        ),
      ),
    ),
  );
}

/** Why a side has no plan: the diagnosis' sentences (the conflict and the smallest fix). */
function noPlanSection(words: Words, plan: Plan, side: string): HTMLElement | null {
  if (plan.objective !== null) return null;
  const lines = plan.diagnosis === undefined ? [`No plan: ${plan.status}.`] : diagnosisLines(words, plan.diagnosis);
  return h(
    "section",
    { class: "explanation infeasible", "aria-label": `Why ${side} has no plan` },
    h("h2", {}, `Why ${side} has no plan`),
    ...lines.map((line) => h("p", {}, line)),
  );
}

function targetsSection(scenario: ScenarioView, delta: Delta, period: string): HTMLElement {
  const kinds = new Map(scenario.targets.map((target) => [target.id, target.kind]));
  const show = (id: string, value: number | null) => (value === null ? "—" : kinds.get(id) === "units" ? formatUnits(value) : formatShare(value));
  const rows = delta.targets
    .filter((row) => row.period === period)
    .map((row): Child[] => [
      humanize(row.id),
      show(row.id, row.baseline),
      show(row.id, row.variant),
      h("span", { class: row.met ? "badge good" : "badge bad" }, row.met ? "met" : "missed"),
    ]);
  return h(
    "section",
    { id: "compare-targets", class: "plan-section", "aria-labelledby": "compare-targets-title" },
    h("h2", { id: "compare-targets-title" }, `Targets${scenario.periods.length > 1 ? `, ${period}` : ""}`),
    table(
      "Targets, kept baseline and variant",
      [{ header: "target" }, { header: "kept", numeric: true }, { header: "variant", numeric: true }, { header: "variant meets it" }],
      rows,
    ),
  );
}

function bindingSection(words: Words, binding: Delta["binding"]): HTMLElement {
  const list = (id: string, bounds: readonly BoundRef[]) =>
    bounds.length === 0
      ? h("p", { id }, "Nothing.")
      : h("ul", { id }, ...bounds.map((bound) => h("li", {}, `${capitalize(words.bindingName(bound))}${words.when(bound.period)}`)));
  return h(
    "section",
    { id: "compare-binding", class: "plan-section", "aria-labelledby": "compare-binding-title" },
    h("h2", { id: "compare-binding-title" }, "What binds differently"),
    h("p", { class: "summary" }, "A bound binds when moving it would move the objective (its shadow price is not zero; whole units: the plan sits at it)."),
    h(
      "div",
      { class: "columns" },
      h("div", {}, h("h3", {}, "Binds in the variant, not in the kept baseline"), list("compare-became", binding.became)),
      h("div", {}, h("h3", {}, "Binds in the kept baseline, no longer in the variant"), list("compare-released", binding.released)),
    ),
  );
}
