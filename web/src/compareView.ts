import type { BoundRef } from "../../src/explain/types.js";
import { formatShare, formatUnits, humanize, Words } from "../../src/explain/words.js";
import type { Plan } from "../../src/plan/types.js";
import { changeChart } from "./charts.js";
import { h, money, table, type Child } from "./dom.js";
import { headline } from "./figures.js";
import type { ScenarioView } from "./scenarioDoc.js";
import type { Comparison } from "./whatif.js";

/** Names of the variants the page sends: the kept baseline (when it moves levers) and the current levers. */
export const KEPT = "kept baseline";
export const CURRENT = "current levers";

/**
 * A comparison as the server answers it: the kept baseline beside the
 * variant, and the differences. The server's baseline is the scenario as it
 * is; when the kept baseline moves levers of its own it is sent as a variant
 * too, and the differences shown are between the two plans the server returned.
 */
export function compareView(scenario: ScenarioView, comparison: Comparison, period: string, keptIsVariant: boolean): HTMLElement {
  const words = new Words(scenario);
  const current = comparison.variants.find((variant) => variant.name === CURRENT);
  const keptVariant = keptIsVariant ? comparison.variants.find((variant) => variant.name === KEPT) : undefined;
  if (current === undefined || (keptIsVariant && keptVariant === undefined)) {
    return h("p", { class: "notice" }, "The server's comparison does not include the variants the page asked for.");
  }
  const keptPlan = keptVariant?.plan ?? comparison.baseline;
  const variantPlan = current.plan;

  const objectiveDelta = keptVariant === undefined ? current.delta.objective : difference(variantPlan.objective, keptPlan.objective);
  const kept = headline(scenario, keptPlan, period);
  const variant = headline(scenario, variantPlan, period);
  const money_ = (value: number | null) =>
    value === null ? "—" : scenario.objective === "max_units" ? `${formatUnits(value)} units` : money(value, scenario.currency);
  const figures = table(
    "Headline figures, kept baseline and variant",
    [{ header: "figure" }, { header: "kept baseline", numeric: true }, { header: "variant", numeric: true }, { header: "difference", numeric: true }],
    [
      ["status", keptPlan.status, variantPlan.status, ""],
      [kept.objective?.label ?? "objective", money_(keptPlan.objective), money_(variantPlan.objective), signed(objectiveDelta, money_)],
      [
        "units made",
        formatUnits(kept.units.made),
        formatUnits(variant.units.made),
        signed(variant.units.made - kept.units.made, (value) => formatUnits(value)),
      ],
      ["export share", formatShare(kept.exportShare.value), formatShare(variant.exportShare.value), points(kept.exportShare.value, variant.exportShare.value)],
      ["local parts share", formatShare(kept.localShare.value), formatShare(variant.localShare.value), points(kept.localShare.value, variant.localShare.value)],
    ],
  );

  // Production from the two plans the server returned (its delta is against the scenario as it is, which the kept baseline may not be).
  const pairs = new Map<string, { plant: string; product: string; before: number; after: number }>();
  const add = (plan: Plan, side: "before" | "after") => {
    for (const row of plan.production.filter((row) => row.period === period)) {
      const key = JSON.stringify([row.plant, row.product]);
      const entry = pairs.get(key) ?? { plant: row.plant, product: row.product, before: 0, after: 0 };
      entry[side] += row.units;
      pairs.set(key, entry);
    }
  };
  add(keptPlan, "before");
  add(variantPlan, "after");
  const order = (entry: { plant: string; product: string }) =>
    scenario.plants.findIndex((plant) => plant.id === entry.plant) * scenario.products.length +
    scenario.products.findIndex((product) => product.id === entry.product);
  const rows = [...pairs.values()]
    .sort((a, b) => order(a) - order(b))
    .map((entry) => ({
      label: `${capitalized(words.product(entry.product))} · ${words.plant(entry.plant)}`,
      before: entry.before,
      after: entry.after,
      change: entry.after - entry.before,
    }));
  const changed = rows.filter((row) => Math.abs(row.change) > 1e-6);

  const sections: Child[] = [
    h(
      "section",
      { class: "plan-section", "aria-labelledby": "compare-figures-title" },
      h("h2", { id: "compare-figures-title" }, "Kept baseline and variant"),
      figures,
    ),
    h(
      "section",
      { class: "plan-section", "aria-labelledby": "compare-production-title" },
      h("h2", { id: "compare-production-title" }, "Production: what changes"),
      h(
        "p",
        { class: "summary" },
        changed.length === 0
          ? "The variant makes the same as the kept baseline."
          : `${changed.length} product and plant pairs make a different number of units.`,
      ),
      h(
        "div",
        { class: changed.length === 0 ? "pair single" : "pair" },
        changed.length === 0 ? null : changeChart(changed.map((row) => ({ label: row.label, change: row.change }))),
        table(
          "Units made, kept baseline and variant",
          [{ header: "product · plant" }, { header: "kept", numeric: true }, { header: "variant", numeric: true }, { header: "change", numeric: true }],
          rows.map((row) => [row.label, formatUnits(row.before), formatUnits(row.after), signed(row.change, (value) => formatUnits(value))]),
        ),
      ),
    ),
    targetsSection(scenario, keptPlan, variantPlan, period),
    bindingSection(words, current.delta.binding, keptVariant?.delta.binding),
  ];
  return h("div", { class: "compare-view" }, ...sections);
}

function targetsSection(scenario: ScenarioView, keptPlan: Plan, variantPlan: Plan, period: string): HTMLElement {
  const kinds = new Map(scenario.targets.map((target) => [target.id, target.kind]));
  const show = (id: string, value: number | null | undefined) =>
    value === null || value === undefined ? "—" : kinds.get(id) === "units" ? formatUnits(value) : formatShare(value);
  const rows = variantPlan.targets
    .filter((row) => row.period === period)
    .map((row) => {
      const before = keptPlan.targets.find((other) => other.id === row.id && other.period === period);
      return [
        humanize(row.id),
        show(row.id, before?.value),
        before === undefined ? "—" : before.met ? "met" : "missed",
        show(row.id, row.value),
        h("span", { class: row.met ? "badge good" : "badge bad" }, row.met ? "met" : "missed"),
      ];
    });
  return h(
    "section",
    { class: "plan-section", "aria-labelledby": "compare-targets-title" },
    h("h2", { id: "compare-targets-title" }, "Targets"),
    table(
      "Targets, kept baseline and variant",
      [{ header: "target" }, { header: "kept", numeric: true }, { header: "kept met" }, { header: "variant", numeric: true }, { header: "variant met" }],
      rows,
    ),
  );
}

function bindingSection(
  words: Words,
  variant: { readonly became: readonly BoundRef[]; readonly released: readonly BoundRef[] },
  kept: { readonly became: readonly BoundRef[]; readonly released: readonly BoundRef[] } | undefined,
): HTMLElement {
  const names = (bounds: readonly BoundRef[]) =>
    bounds.length === 0 ? "nothing" : bounds.map((bound) => `${words.bindingName(bound)}${words.when(bound.period)}`).join("; ");
  return h(
    "section",
    { class: "plan-section", "aria-labelledby": "compare-binding-title" },
    h("h2", { id: "compare-binding-title" }, "What binds differently"),
    kept === undefined ? null : h("p", { class: "note" }, "Both against the scenario as it is (the server compares each variant with it)."),
    h("p", {}, h("strong", {}, "Variant — now binds: "), names(variant.became)),
    h("p", {}, h("strong", {}, "Variant — no longer binds: "), names(variant.released)),
    kept === undefined ? null : h("p", {}, h("strong", {}, "Kept baseline — now binds: "), names(kept.became)),
    kept === undefined ? null : h("p", {}, h("strong", {}, "Kept baseline — no longer binds: "), names(kept.released)),
  );
}

function difference(after: number | null, before: number | null): number | null {
  return after === null || before === null ? null : after - before;
}

function signed(value: number | null, format: (value: number) => string): string {
  if (value === null) return "—";
  if (Math.abs(value) < 1e-9) return "0";
  return value > 0 ? `+${format(value)}` : `−${format(-value)}`;
}

function points(before: number | null, after: number | null): string {
  const change = difference(after, before);
  return change === null ? "—" : signed(change * 100, (value) => `${value.toFixed(1)} pt`);
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
