import { formatMoney, formatUnits, humanize } from "../../src/explain/words.js";
import type { Plan } from "../../src/plan/types.js";
import { responsive } from "./charts.js";
import { h, table } from "./dom.js";
import type { Network, NetworkFlow } from "./network.js";
import { layoutNetwork, type NetworkLayout, type PlacedFlow } from "./networkLayout.js";
import type { ScenarioView } from "./scenarioDoc.js";

/**
 * The joint network on the page: the flow picture (sources → plants →
 * markets, the border between countries, each flow as wide as its units,
 * freight and duty on hover or focus) and the CLI's network tables — what
 * crossed a border, what plants sent each other, sales on shipping lanes.
 */

const SVG = "http://www.w3.org/2000/svg";

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Readonly<Record<string, string | number>> = {}, ...children: (Node | string)[]) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}

/** The flow picture and its legend, drawn at the figure's width and again when that changes. */
export function networkChart(network: Network, currency: string): HTMLElement {
  const figure = responsive("The network: flows from sources to plants to markets", (width) => drawNetwork(network, layoutNetwork(network, width), currency));
  figure.classList.add("network-chart");
  figure.id = "network-chart";
  return figure;
}

/** A flow in words: what it carries, its value, freight and duty, and the border it crosses. */
export function flowWords(network: Network, flow: NetworkFlow, currency: string): { title: string; lines: string[] } {
  const name = (key: string) => network.nodes.find((node) => node.key === key)?.label ?? key;
  const carried = flow.details.map((detail) =>
    flow.details.length === 1 ? detail.label.toLowerCase() : `${detail.label.toLowerCase()} ${formatUnits(Math.round(detail.units))}`,
  );
  const shown = carried.length > 4 ? [...carried.slice(0, 3), `${carried.length - 3} more`] : carried;
  return {
    title: `${name(flow.from)} → ${name(flow.to)}`,
    lines: [
      `${formatUnits(Math.round(flow.units))} ${flow.goods === "parts" ? "parts" : "units"}: ${shown.join(", ")}`,
      `${flow.goods === "parts" ? "value (unit cost)" : "revenue"} ${formatMoney(flow.value)} ${currency}`,
      `freight ${formatMoney(flow.freight)} ${currency} · duty ${formatMoney(flow.duty)} ${currency}`,
      ...(flow.border === null ? [] : [`crosses the border ${flow.border.from} → ${flow.border.to}`]),
    ],
  };
}

function drawNetwork(network: Network, layout: NetworkLayout, currency: string): HTMLElement {
  const { width, height } = layout;
  const root = svg("svg", {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    class: "network",
    "font-size": layout.fontPx,
    role: "group",
    "aria-label": "Flows from sources to plants to markets; each flow is listed with its units, freight and duty",
  });

  // Country bands (every other one washed) and the border between them.
  layout.bands.forEach((band, b) => {
    if (b % 2 === 1) root.append(svg("rect", { x: 0, y: band.y0 - 12, width, height: band.y1 - band.y0 + 24, class: "band" }));
  });
  for (const divide of layout.divides) {
    root.append(svg("line", { x1: divide.x0, x2: divide.x1, y1: divide.y, y2: divide.y, class: divide.border ? "border" : "divide" }));
    const said = (text: string | null, dy: number, id: string) =>
      svg("text", { x: width - 2, y: divide.y + dy, "text-anchor": "end", class: divide.border ? "country" : "country none", id }, text ?? "no country given");
    root.append(
      said(`${divide.above ?? "no country given"} ↑`, -6, `border-above-${divide.y}`),
      said(`${divide.below ?? "no country given"} ↓`, 16, `border-below-${divide.y}`),
    );
    if (divide.border) root.append(svg("text", { x: 2, y: divide.y - 6, class: "border-name" }, `border ${divide.above ?? ""} | ${divide.below ?? ""}`));
  }
  for (const column of layout.columns) {
    root.append(svg("text", { x: column.x, y: 14, "text-anchor": column.anchor, class: "heading" }, column.heading));
  }

  // Flows: the widest drawn first, so that thin ones stay on top and reachable.
  const flows = svg("g", { class: "flows", role: "list", "aria-label": "Flows" });
  const drawn = [...layout.flows].sort((a, b) => b.width - a.width);
  const tooltip = h("div", { class: "network-tooltip", role: "status", hidden: true });
  const paths = drawn.map((placed, index) => {
    const words = flowWords(network, placed.flow, currency);
    const path = svg("path", {
      d: placed.path,
      "stroke-width": Math.max(1, placed.width),
      class: `flow ${placed.flow.duty > 0 ? "duty" : "free"}${placed.flow.border === null ? "" : " crossing"}`,
      tabindex: index === 0 ? 0 : -1,
      role: "listitem",
      "aria-label": `${words.title}: ${words.lines.join("; ")}`,
      "data-from": placed.flow.from,
      "data-to": placed.flow.to,
    });
    flows.append(path);
    return { path, placed, words };
  });
  root.append(flows);

  for (const placed of layout.nodes) {
    const { node, label } = placed;
    const kind = node.column === "source" ? (node.madeAt === null ? "bought" : "in-house") : node.column;
    const group = svg(
      "g",
      { class: `node ${kind}` },
      svg("rect", { x: placed.x, y: placed.y, width: placed.width, height: Math.max(2, placed.height) }),
      svg(
        "text",
        { x: label.x, y: label.y, "text-anchor": label.anchor },
        ...label.lines.map((line, l) => svg("tspan", { x: label.x, dy: l === 0 ? 0 : layout.lineHeight }, line)),
      ),
    );
    group.append(svg("title", {}, nodeTitle(network, node.key, kind === "bought" ? "bought" : kind === "in-house" ? "made in-house" : null)));
    root.append(group);
  }

  const canvas = h("div", { class: "network-canvas" }, root, tooltip);
  followFlows(canvas, tooltip, paths, height);
  return h("div", { class: "network-drawing" }, canvas, legend(layout));
}

interface DrawnFlow {
  readonly path: SVGPathElement;
  readonly placed: PlacedFlow;
  readonly words: { readonly title: string; readonly lines: readonly string[] };
}

/**
 * Hover, touch or keyboard focus shows a flow's figures in the tooltip next
 * to it and highlights the flow; the arrow keys go from flow to flow (one
 * flow at a time is in the tab order, so Tab passes the picture in one step).
 */
function followFlows(canvas: HTMLElement, tooltip: HTMLElement, paths: readonly DrawnFlow[], height: number): void {
  let active: SVGPathElement | null = null;
  const show = (entry: DrawnFlow, x: number, y: number) => {
    active?.classList.remove("active");
    active = entry.path;
    active.classList.add("active");
    tooltip.replaceChildren(h("strong", {}, entry.words.title), ...entry.words.lines.map((line) => h("span", {}, line)));
    tooltip.hidden = false;
    const left = Math.max(0, Math.min(x + 12, canvas.clientWidth - tooltip.offsetWidth));
    const below = y + 14 + tooltip.offsetHeight <= height;
    tooltip.style.left = `${left}px`;
    tooltip.style.top = `${below ? y + 14 : Math.max(0, y - 14 - tooltip.offsetHeight)}px`;
  };
  const hide = () => {
    active?.classList.remove("active");
    active = null;
    tooltip.hidden = true;
  };
  const at = (event: MouseEvent) => {
    const box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  };
  const keys: Readonly<Record<string, (index: number) => number>> = {
    ArrowDown: (index) => index + 1,
    ArrowRight: (index) => index + 1,
    ArrowUp: (index) => index - 1,
    ArrowLeft: (index) => index - 1,
    Home: () => 0,
    End: () => paths.length - 1,
  };
  paths.forEach((entry, index) => {
    const { path, placed } = entry;
    const pointed = (event: MouseEvent) => show(entry, at(event).x, at(event).y);
    path.addEventListener("pointerenter", pointed);
    path.addEventListener("pointermove", pointed);
    path.addEventListener("click", pointed);
    path.addEventListener("pointerleave", () => {
      if (document.activeElement !== path) hide();
    });
    path.addEventListener("focus", () => show(entry, placed.middle.x, placed.middle.y));
    path.addEventListener("blur", hide);
    path.addEventListener("keydown", (event) => {
      const move = Object.hasOwn(keys, event.key) ? keys[event.key] : undefined;
      const target = move === undefined ? undefined : paths[Math.max(0, Math.min(paths.length - 1, move(index)))];
      if (target === undefined) return;
      event.preventDefault();
      for (const other of paths) other.path.setAttribute("tabindex", other === target ? "0" : "-1");
      target.path.focus();
    });
  });
}

function nodeTitle(network: Network, key: string, note: string | null): string {
  const node = network.nodes.find((candidate) => candidate.key === key);
  const sum = (flows: readonly NetworkFlow[]) => flows.reduce((total, flow) => total + flow.units, 0);
  const into = sum(network.flows.filter((flow) => flow.to === key));
  const out = sum(network.flows.filter((flow) => flow.from === key));
  const figures = [
    into > 0 ? `${formatUnits(Math.round(into))} ${node?.column === "plant" ? "parts" : "units"} in` : "",
    out > 0 ? `${formatUnits(Math.round(out))} ${node?.column === "source" ? "parts" : "units"} out` : "",
  ];
  return [node?.label ?? key, note, node?.country === null || node === undefined ? null : node.country, ...figures]
    .filter((part) => part !== null && part !== "")
    .join(" · ");
}

/** What the colours, the line and the widths mean; the width keys at this drawing's scale. */
function legend(layout: NetworkLayout): HTMLElement {
  const key = (perUnit: number, noun: string) => {
    if (perUnit <= 0) return null;
    const units = niceUnits(16 / perUnit);
    const px = Math.max(1, units * perUnit);
    return h(
      "li",
      {},
      svg("svg", { width: 28, height: 20, "aria-hidden": "true" }, svg("line", { x1: 0, x2: 28, y1: 10, y2: 10, "stroke-width": px, class: "flow free" })),
      `${formatUnits(units)} ${noun}`,
    );
  };
  const swatch = (kind: string, text: string) =>
    h(
      "li",
      {},
      svg("svg", { width: 28, height: 20, "aria-hidden": "true" }, svg("line", { x1: 0, x2: 28, y1: 10, y2: 10, "stroke-width": 8, class: kind })),
      text,
    );
  const bar = (kind: string, text: string) =>
    h("li", { class: `node ${kind}` }, svg("svg", { width: 8, height: 20, "aria-hidden": "true" }, svg("rect", { x: 0, y: 2, width: 8, height: 16 })), text);
  return h(
    "ul",
    { class: "network-legend" },
    bar("in-house", "plant or in-house line"),
    bar("bought", "supplier (no country)"),
    bar("market", "market"),
    swatch("flow duty", "pays duty"),
    swatch("flow free", "no duty"),
    layout.divides.some((divide) => divide.border) ? swatch("border", "border between countries") : null,
    key(layout.scale.parts, "parts (sources → plants)"),
    key(layout.scale.products, "units (plants → markets)"),
  );
}

/** A round number of units near `units`: 1, 2 or 5 times a power of ten. */
export function niceUnits(units: number): number {
  if (!(units > 0) || !Number.isFinite(units)) return 1;
  const power = 10 ** Math.floor(Math.log10(units));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= units) ?? 10;
  return step * power;
}

/** The network tables of one period, as the CLI prints them: across borders, between plants, shipping to markets. */
export function networkTables(scenario: ScenarioView, plan: Plan, period: string): HTMLElement[] {
  const flows = plan.flows;
  if (flows === undefined) return [];
  const plant = (id: string) => scenario.plants.find((candidate) => candidate.id === id)?.name ?? humanize(id);
  const market = (id: string) => scenario.markets.find((candidate) => candidate.id === id)?.name ?? humanize(id);
  const part = (id: string) => scenario.parts.find((candidate) => candidate.id === id)?.name ?? humanize(id);
  const product = (id: string) => scenario.products.find((candidate) => candidate.id === id)?.name ?? humanize(id);
  const currency = scenario.currency;
  const figures = (row: { units: number; value: number; freight: number; duty: number }) => [
    formatUnits(row.units),
    formatMoney(row.value),
    moneyOrDash(row.freight),
    moneyOrDash(row.duty),
  ];
  const moneyColumns = (value: string) => [
    { header: "units", numeric: true },
    { header: `${value} (${currency})`, numeric: true },
    { header: `freight (${currency})`, numeric: true },
    { header: `duty (${currency})`, numeric: true },
  ];
  const tables: HTMLElement[] = [];
  const borders = flows.borders.filter((row) => row.period === period);
  if (borders.length > 0) {
    tables.push(
      withId(
        "network-borders",
        table(
          "Across borders: parts at the source's cost, products at their revenue",
          [{ header: "from → to" }, { header: "goods" }, ...moneyColumns("value")],
          borders.map((row) => [`${row.from} → ${row.to}`, row.goods, ...figures(row)]),
          ["total", "", ...figures(total(borders))],
        ),
      ),
    );
  }
  const between = flows.between_plants.filter((row) => row.period === period);
  if (between.length > 0) {
    tables.push(
      withId(
        "network-between-plants",
        table(
          "Between plants: parts made at one plant, delivered to another",
          [{ header: "from → to" }, { header: "part" }, ...moneyColumns("value")],
          between.map((row) => [`${plant(row.from)} → ${plant(row.to)}`, part(row.part), ...figures(row)]),
        ),
      ),
    );
  }
  const shipped = plan.sales.filter((row) => row.period === period && (row.shipping !== undefined || row.duty !== undefined));
  if (shipped.length > 0) {
    const sales = shipped.map((row) => ({ ...row, value: row.revenue, freight: row.shipping ?? 0, duty: row.duty ?? 0 }));
    tables.push(
      withId(
        "network-shipping",
        table(
          "Shipping to markets: sales on shipping lanes, with the freight and duty they paid",
          [{ header: "from → to" }, { header: "product" }, ...moneyColumns("revenue")],
          sales.map((row) => [`${plant(row.plant)} → ${market(row.market)}`, product(row.product), ...figures(row)]),
          ["total", "", ...figures(total(sales))],
        ),
      ),
    );
  }
  return tables;
}

/** What crossed a border in the period, in words. */
export function bordersInWords(plan: Plan, period: string, currency: string): string {
  const borders = plan.flows?.borders.filter((row) => row.period === period) ?? [];
  if (borders.length === 0) return "Nothing crossed a border (plants and markets need a country for a border to be named).";
  const units = (goods: "parts" | "products") => total(borders.filter((row) => row.goods === goods)).units;
  const all = total(borders);
  const carried = [
    units("parts") > 0 ? `${formatUnits(Math.round(units("parts")))} parts` : "",
    units("products") > 0 ? `${formatUnits(Math.round(units("products")))} products` : "",
  ]
    .filter((text) => text !== "")
    .join(" and ");
  return `Across borders: ${carried}, worth ${formatMoney(all.value)} ${currency}, paying ${formatMoney(all.freight)} ${currency} of freight and ${formatMoney(all.duty)} ${currency} of duty.`;
}

function total(rows: readonly { units: number; value: number; freight: number; duty: number }[]) {
  const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((acc, row) => acc + pick(row), 0);
  return { units: sum((row) => row.units), value: sum((row) => row.value), freight: sum((row) => row.freight), duty: sum((row) => row.duty) };
}

export function moneyOrDash(value: number | undefined): string {
  return value === undefined || Math.abs(value) < 0.5 ? "—" : formatMoney(value);
}

function withId(id: string, element: HTMLElement): HTMLElement {
  element.id = id;
  return element;
}
