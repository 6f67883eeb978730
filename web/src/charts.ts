import { axisY, barX, dot, line, plot, ruleX, text, tickX } from "@observablehq/plot";
import { formatUnits } from "../../src/explain/words.js";
import { h } from "./dom.js";

/**
 * The page's charts, drawn by Observable Plot as SVG (crisp in print, text
 * readable by screen readers and tests), each sized to its container and
 * redrawn when the container's width changes. The tables beside them carry
 * the same numbers.
 */

const observers = new Set<ResizeObserver>();

/** Stops watching the charts of a view that is being replaced. */
export function releaseCharts(): void {
  for (const observer of observers) observer.disconnect();
  observers.clear();
}

/** A figure that draws itself at its own width, and again when that width changes. */
function responsive(label: string, draw: (width: number) => Element): HTMLElement {
  const figure = h("figure", { class: "chart", "aria-label": label });
  let drawnWidth = 0;
  let pending = false;
  const observer = new ResizeObserver(() => {
    if (pending) return;
    pending = true;
    // Drawn in the next frame, not inside the observer's callback, so that a new height never loops back into it.
    requestAnimationFrame(() => {
      pending = false;
      const width = Math.floor(figure.clientWidth);
      if (width === 0 || width === drawnWidth) return;
      drawnWidth = width;
      figure.replaceChildren(draw(width));
    });
  });
  observer.observe(figure);
  observers.add(observer);
  return figure;
}

const style = { fontSize: "12px", fontFamily: "inherit", overflow: "visible" };
const FONT_PX = 12;
/** Average width of a character of the chart's font, in px, for laying out labels. */
const CHAR_PX = 6.8;

/**
 * Room for the category labels of a horizontal bar chart: at most 42% of the
 * width, the labels wrapped onto more lines (and the rows made taller) when
 * they do not fit on one — on a phone "Samarkand · body shop hours" takes two.
 */
function bandLayout(labels: readonly string[], width: number): { marginLeft: number; rowHeight: number; axis: ReturnType<typeof axisY> } {
  const longest = CHAR_PX * Math.max(1, ...labels.map((label) => label.length));
  const marginLeft = Math.round(Math.min(width * 0.42, longest + 14));
  const room = marginLeft - 14;
  const lines = Math.max(1, Math.ceil(longest / room));
  return {
    marginLeft,
    rowHeight: Math.max(26, lines * (FONT_PX + 2) + 10),
    axis: axisY({ label: null, tickSize: 0, lineWidth: room / FONT_PX, textOverflow: lines > 3 ? "ellipsis" : null }),
  };
}

export interface ProductionBar {
  readonly product: string;
  readonly plant: string;
  readonly units: number;
}

/** Units made of each product, coloured by plant. */
export function productionChart(bars: readonly ProductionBar[], plants: readonly string[]): HTMLElement {
  const products = [...new Set(bars.map((bar) => bar.product))];
  return responsive("Production by product and plant, units", (width) => {
    const layout = bandLayout(products, width);
    return plot({
      width,
      height: 56 + layout.rowHeight * products.length,
      marginLeft: layout.marginLeft,
      marginRight: 56,
      style,
      ariaLabel: "Production by product and plant",
      ariaDescription: `Horizontal bars: units made of each product, coloured by the plant that makes it.`,
      x: { label: "units made →", grid: true, tickFormat: (value: number) => formatUnits(value), ticks: Math.max(2, Math.floor(width / 110)) },
      y: { label: null, domain: products },
      color: { legend: true, domain: plants },
      marks: [
        layout.axis,
        barX(bars, {
          x: "units",
          y: "product",
          fill: "plant",
          title: (bar: ProductionBar) => `${bar.product} at ${bar.plant}: ${formatUnits(bar.units)} units`,
        }),
        text(
          bars.filter((bar) => bar.units > 0),
          { x: "units", y: "product", text: (bar: ProductionBar) => formatUnits(Math.round(bar.units)), dx: 4, textAnchor: "start" },
        ),
        ruleX([0]),
      ],
    });
  });
}

export interface CapacityBar {
  readonly label: string;
  /** Percent of the capacity used. */
  readonly percent: number;
  readonly binds: boolean;
}

/** Use of each plant resource, in percent of its capacity; binding ones stand out, with a rule at 100%. */
export function capacityChart(bars: readonly CapacityBar[]): HTMLElement {
  const labels = bars.map((bar) => bar.label);
  return responsive("Capacity use by plant and resource, percent", (width) => {
    const layout = bandLayout(labels, width);
    return plot({
      width,
      height: 56 + layout.rowHeight * bars.length,
      marginLeft: layout.marginLeft,
      marginRight: 48,
      style,
      ariaLabel: "Capacity use",
      ariaDescription: "Horizontal bars: percent of each plant resource used; resources used to the full bind the plan.",
      x: { label: "capacity used (%) →", domain: [0, Math.max(100, ...bars.map((bar) => bar.percent))], grid: true },
      y: { label: null, domain: labels },
      color: { legend: true, domain: ["binds (used to the full)", "has room"], range: ["#b6412c", "#7a9cc6"] },
      marks: [
        layout.axis,
        barX(bars, {
          x: "percent",
          y: "label",
          fill: (bar: CapacityBar) => (bar.binds ? "binds (used to the full)" : "has room"),
          title: (bar: CapacityBar) => `${bar.label}: ${bar.percent.toFixed(1)}% used`,
        }),
        text(bars, { x: "percent", y: "label", text: (bar: CapacityBar) => `${bar.percent.toFixed(0)}%`, dx: 4, textAnchor: "start" }),
        ruleX([100], { stroke: "currentColor", strokeDasharray: "4,3" }),
        ruleX([0]),
      ],
    });
  });
}

export interface SourcingBar {
  readonly part: string;
  readonly origin: "local" | "imported";
  readonly units: number;
}

/** Parts bought, local and imported units of each part, stacked. */
export function sourcingChart(bars: readonly SourcingBar[]): HTMLElement {
  const parts = [...new Set(bars.map((bar) => bar.part))];
  return responsive("Parts sourcing, local and imported units", (width) => {
    const layout = bandLayout(parts, width);
    return plot({
      width,
      height: 56 + layout.rowHeight * parts.length,
      marginLeft: layout.marginLeft,
      marginRight: 24,
      style,
      ariaLabel: "Parts sourcing",
      ariaDescription: "Stacked horizontal bars: units of each part bought from local sources and imported.",
      x: { label: "units bought →", grid: true, tickFormat: (value: number) => formatUnits(value), ticks: Math.max(2, Math.floor(width / 110)) },
      y: { label: null, domain: parts },
      color: { legend: true, domain: ["local", "imported"], range: ["#2f7d4f", "#c9a227"] },
      marks: [
        layout.axis,
        barX(bars, {
          x: "units",
          y: "part",
          fill: "origin",
          title: (bar: SourcingBar) => `${bar.part}, ${bar.origin}: ${formatUnits(bar.units)} units`,
        }),
        ruleX([0]),
      ],
    });
  });
}

export interface ChangeBar {
  readonly label: string;
  readonly change: number;
}

/** Change of units made per product and plant, variant against baseline. */
export function changeChart(bars: readonly ChangeBar[]): HTMLElement {
  const labels = bars.map((bar) => bar.label);
  return responsive("Change of production, variant against baseline, units", (width) => {
    const layout = bandLayout(labels, width);
    return plot({
      width,
      height: 56 + layout.rowHeight * bars.length,
      marginLeft: layout.marginLeft,
      marginRight: 56,
      style,
      ariaLabel: "Change of production",
      ariaDescription: "Horizontal bars: units more (right) or fewer (left) made by the variant than by the kept baseline.",
      // Room on both sides for the labels at the bars' ends.
      x: {
        label: "change of units made →",
        grid: true,
        domain: [Math.min(0, ...bars.map((bar) => bar.change)) * 1.3, Math.max(0, ...bars.map((bar) => bar.change)) * 1.3],
        tickFormat: (value: number) => formatUnits(value),
        ticks: Math.max(2, Math.floor(width / 110)),
      },
      y: { label: null, domain: labels },
      color: { domain: ["more", "fewer"], range: ["#2f7d4f", "#b6412c"] },
      marks: [
        layout.axis,
        barX(bars, { x: "change", y: "label", fill: (bar: ChangeBar) => (bar.change >= 0 ? "more" : "fewer") }),
        ...(["more", "fewer"] as const).map((side) =>
          text(
            bars.filter((bar) => (side === "more" ? bar.change >= 0 : bar.change < 0)),
            {
              x: "change",
              y: "label",
              text: (bar: ChangeBar) => `${bar.change > 0 ? "+" : bar.change < 0 ? "−" : ""}${formatUnits(Math.abs(Math.round(bar.change)))}`,
              dx: side === "more" ? 4 : -4,
              textAnchor: side === "more" ? "start" : "end",
            },
          ),
        ),
        ruleX([0]),
      ],
    });
  });
}

export interface SweepCurvePoint {
  readonly value: number;
  readonly objective: number | null;
  readonly feasible: boolean;
}

/** The objective along the swept value: the curve, its points, and breakpoints where what binds changes. */
export function sweepChart(points: readonly SweepCurvePoint[], breakpoints: readonly number[], xLabel: string, yLabel: string): HTMLElement {
  const solved = points.filter((point): point is SweepCurvePoint & { objective: number } => point.objective !== null);
  return responsive(`${yLabel} along ${xLabel}`, (width) =>
    plot({
      width,
      height: Math.min(420, Math.max(240, Math.round(width * 0.5))),
      marginLeft: 80,
      marginRight: 24,
      style,
      ariaLabel: `${yLabel} against ${xLabel}`,
      ariaDescription: "Line: the objective at each swept value; dashed rules: breakpoints where what binds changes; crosses: values with no plan.",
      x: { label: `${xLabel} →`, tickFormat: (value: number) => formatUnits(value), ticks: Math.max(2, Math.floor(width / 110)) },
      y: { label: `↑ ${yLabel}`, grid: true, tickFormat: (value: number) => formatUnits(value) },
      marks: [
        ruleX(breakpoints, { stroke: "#888", strokeDasharray: "4,3" }),
        line(solved, { x: "value", y: "objective", stroke: "#2b5d9b", strokeWidth: 2 }),
        dot(solved, {
          x: "value",
          y: "objective",
          fill: "#2b5d9b",
          r: 3,
          title: (point: SweepCurvePoint) => `${formatUnits(point.value)}: ${formatUnits(point.objective ?? 0)}`,
        }),
        tickX(
          points.filter((point) => !point.feasible),
          { x: "value", stroke: "#b6412c", strokeWidth: 2, title: (point: SweepCurvePoint) => `${formatUnits(point.value)}: no plan` },
        ),
      ],
    }),
  );
}
