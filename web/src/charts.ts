import { axisY, barX, barY, dot, line, plot, rectX, ruleX, ruleY, text, tickX, type Markish, type ScaleOptions } from "@observablehq/plot";
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
export function responsive(label: string, draw: (width: number) => Element): HTMLElement {
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

const colours = { accent: "#2b5d9b", kept: "#a9b4c2", good: "#2f7d4f", bad: "#b6412c", room: "#7a9cc6", imported: "#c9a227", rule: "#888" };
const unitsTick = (value: number) => formatUnits(value);
/** Large amounts on an axis: "102M". */
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumSignificantDigits: 4 });
const tickCount = (width: number) => Math.max(2, Math.floor(width / 110));

/**
 * A domain from `low` to `high` widened so that `labelPx` pixels are left
 * beyond each end that has bars, for the labels at the bars' ends.
 */
function roomForLabels(low: number, high: number, plotWidth: number, labelPx: number): [number, number] {
  const left = low < 0 ? labelPx : 0;
  const right = high > 0 ? labelPx : 0;
  const perPx = (high - low || 1) / Math.max(plotWidth - left - right, plotWidth * 0.4);
  return [low - left * perPx, high + right * perPx];
}

/** The width of a bar-end label, in px. */
function labelWidth(labels: readonly string[]): number {
  return CHAR_PX * Math.max(1, ...labels.map((label) => label.length)) + 8;
}

/** Signed whole units at a bar's end: "+312", "−1,250". */
function signedUnits(value: number): string {
  const rounded = Math.round(value);
  return `${rounded > 0 ? "+" : rounded < 0 ? "−" : ""}${formatUnits(Math.abs(rounded))}`;
}

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

interface HorizontalBars {
  /** The figure's name for screen readers, and the SVG's. */
  readonly label: string;
  readonly description: string;
  /** The bars' categories, top to bottom. */
  readonly categories: readonly string[];
  /** The x scale, or a function of the plot's inner width that gives it (to leave room for labels in pixels). */
  readonly x: ScaleOptions | ((plotWidth: number) => ScaleOptions);
  readonly color?: ScaleOptions;
  readonly marginRight: number;
  /** The marks, drawn between the category axis and the rule at zero; `rowHeight` is each category's height in px. */
  marks(rowHeight: number): Markish[];
}

/** The one layout of the page's bar charts: a category per row, its label wrapped on the left, units along the bottom. */
function horizontalBars(chart: HorizontalBars): HTMLElement {
  return responsive(chart.label, (width) => {
    const layout = bandLayout(chart.categories, width);
    const x = typeof chart.x === "function" ? chart.x(width - layout.marginLeft - chart.marginRight) : chart.x;
    return plot({
      width,
      height: 56 + layout.rowHeight * chart.categories.length,
      marginLeft: layout.marginLeft,
      marginRight: chart.marginRight,
      style,
      ariaLabel: chart.label,
      ariaDescription: chart.description,
      x: { grid: true, tickFormat: unitsTick, ticks: tickCount(width), ...x },
      y: { label: null, domain: chart.categories },
      ...(chart.color === undefined ? {} : { color: chart.color }),
      marks: [layout.axis, ...chart.marks(layout.rowHeight), ruleX([0])],
    });
  });
}

export interface ProductionBar {
  readonly product: string;
  readonly plant: string;
  readonly units: number;
}

/** Units made of each product, coloured by plant. */
export function productionChart(bars: readonly ProductionBar[], plants: readonly string[]): HTMLElement {
  return horizontalBars({
    label: "Production by product and plant, units",
    description: "Horizontal bars: units made of each product, coloured by the plant that makes it.",
    categories: [...new Set(bars.map((bar) => bar.product))],
    x: { label: "units made →" },
    color: { legend: true, domain: plants },
    marginRight: 56,
    marks: () => [
      barX(bars, { x: "units", y: "product", fill: "plant", title: (bar: ProductionBar) => `${bar.product} at ${bar.plant}: ${formatUnits(bar.units)} units` }),
      text(
        bars.filter((bar) => bar.units > 0),
        { x: "units", y: "product", text: (bar: ProductionBar) => formatUnits(Math.round(bar.units)), dx: 4, textAnchor: "start" },
      ),
    ],
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
  const fill = (bar: CapacityBar) => (bar.binds ? "binds (used to the full)" : "has room");
  return horizontalBars({
    label: "Capacity use by plant and resource, percent",
    description: "Horizontal bars: percent of each plant resource used; resources used to the full bind the plan.",
    categories: bars.map((bar) => bar.label),
    x: { label: "capacity used (%) →", domain: [0, Math.max(100, ...bars.map((bar) => bar.percent))], tickFormat: undefined },
    color: { legend: true, domain: ["binds (used to the full)", "has room"], range: [colours.bad, colours.room] },
    marginRight: 48,
    marks: () => [
      barX(bars, { x: "percent", y: "label", fill, title: (bar: CapacityBar) => `${bar.label}: ${bar.percent.toFixed(1)}% used` }),
      text(bars, { x: "percent", y: "label", text: (bar: CapacityBar) => `${bar.percent.toFixed(0)}%`, dx: 4, textAnchor: "start" }),
      ruleX([100], { stroke: "currentColor", strokeDasharray: "4,3" }),
    ],
  });
}

export interface SourcingBar {
  readonly part: string;
  readonly origin: "local" | "imported";
  readonly units: number;
}

/** Parts bought, local and imported units of each part, stacked. */
export function sourcingChart(bars: readonly SourcingBar[]): HTMLElement {
  return horizontalBars({
    label: "Parts sourcing, local and imported units",
    description: "Stacked horizontal bars: units of each part bought from local sources and imported.",
    categories: [...new Set(bars.map((bar) => bar.part))],
    x: { label: "units bought →" },
    color: { legend: true, domain: ["local", "imported"], range: [colours.good, colours.imported] },
    marginRight: 24,
    marks: () => [
      barX(bars, { x: "units", y: "part", fill: "origin", title: (bar: SourcingBar) => `${bar.part}, ${bar.origin}: ${formatUnits(bar.units)} units` }),
    ],
  });
}

export interface ChangeBar {
  readonly label: string;
  readonly change: number;
}

/** Change of units made per product and plant, variant against the kept baseline: more to the right, fewer to the left. */
export function changeChart(bars: readonly ChangeBar[]): HTMLElement {
  const low = Math.min(0, ...bars.map((bar) => bar.change));
  const high = Math.max(0, ...bars.map((bar) => bar.change));
  return horizontalBars({
    label: "Change of production, variant against the kept baseline, units",
    description: "Horizontal bars: units more (right) or fewer (left) made by the variant than by the kept baseline.",
    categories: bars.map((bar) => bar.label),
    // Room on both sides for the labels at the bars' ends.
    x: (plotWidth) => ({
      label: "change of units made →",
      domain: roomForLabels(low, high, plotWidth, labelWidth(bars.map((bar) => signedUnits(bar.change)))),
    }),
    color: { domain: ["more", "fewer"], range: [colours.good, colours.bad] },
    marginRight: 56,
    marks: () => [
      barX(bars, { x: "change", y: "label", fill: (bar: ChangeBar) => (bar.change >= 0 ? "more" : "fewer") }),
      ...(["more", "fewer"] as const).map((side) =>
        text(
          bars.filter((bar) => (side === "more" ? bar.change >= 0 : bar.change < 0)),
          {
            x: "change",
            y: "label",
            text: (bar: ChangeBar) => signedUnits(bar.change),
            dx: side === "more" ? 4 : -4,
            textAnchor: side === "more" ? "start" : "end",
          },
        ),
      ),
    ],
  });
}

export interface PairBar {
  readonly label: string;
  readonly kept: number;
  readonly variant: number;
}

/** Units made at each plant by the kept baseline (upper bar, grey) and the variant (lower bar), the change at the end. */
export function pairChart(bars: readonly PairBar[]): HTMLElement {
  const sides = ["kept baseline", "variant"] as const;
  const rows = bars.flatMap((bar) => [
    { label: bar.label, side: sides[0], units: bar.kept },
    { label: bar.label, side: sides[1], units: bar.variant },
  ]);
  const variants = rows.filter((row) => row.side === "variant");
  return horizontalBars({
    label: "Production by plant, kept baseline and variant, units",
    description: "Two horizontal bars a plant: units made by the kept baseline (upper) and by the variant (lower), with the change.",
    categories: bars.map((bar) => bar.label),
    x: (plotWidth) => ({
      label: "units made →",
      domain: roomForLabels(0, Math.max(1, ...rows.map((row) => row.units)), plotWidth, labelWidth(bars.map((bar) => signedUnits(bar.variant - bar.kept)))),
    }),
    color: { legend: true, domain: [...sides], range: [colours.kept, colours.accent] },
    marginRight: 24,
    marks: (rowHeight) => {
      // Each plant's band split in two: the kept baseline above, the variant below.
      const half = (rowHeight * 0.9) / 2;
      return [
        barX(
          rows.filter((row) => row.side === "kept baseline"),
          { x: "units", y: "label", fill: "side", insetBottom: half, title: (row: (typeof rows)[number]) => `${row.label}, kept: ${formatUnits(row.units)}` },
        ),
        barX(variants, {
          x: "units",
          y: "label",
          fill: "side",
          insetTop: half,
          title: (row: (typeof rows)[number]) => `${row.label}, variant: ${formatUnits(row.units)}`,
        }),
        text(bars, {
          x: (bar: PairBar) => Math.max(bar.kept, bar.variant),
          y: "label",
          text: (bar: PairBar) => signedUnits(bar.variant - bar.kept),
          dx: 4,
          textAnchor: "start",
        }),
      ];
    },
  });
}

export interface SweepCurvePoint {
  readonly value: number;
  readonly objective: number | null;
}

export interface SweepChart {
  /** The solved points (the segments' ends in exact mode), in order of value. */
  readonly points: readonly SweepCurvePoint[];
  /** Values where the slope changes (exact mode). */
  readonly breakpoints: readonly number[];
  /** The swept range, and where in it a plan exists (null: nowhere). */
  readonly range: { readonly from: number; readonly to: number };
  readonly feasible: { readonly from: number; readonly to: number } | null;
  /** The scenario's own value of the parameter, marked on the curve; undefined when it has none. */
  readonly current: number | undefined;
  readonly xLabel: string;
  readonly yLabel: string;
  /** How values of the parameter read on the axis. */
  readonly tick: (value: number) => string;
}

/** The objective along the swept value: the curve, its breakpoints, where no plan exists, and the scenario's own value. */
export function sweepChart(chart: SweepChart): HTMLElement {
  const solved = chart.points.filter((point): point is SweepCurvePoint & { objective: number } => point.objective !== null);
  const unsolved = chart.points.filter((point) => point.objective === null);
  const { from, to } = chart.range;
  const noPlan =
    chart.feasible === null
      ? [{ from, to }]
      : [...(chart.feasible.from > from ? [{ from, to: chart.feasible.from }] : []), ...(chart.feasible.to < to ? [{ from: chart.feasible.to, to }] : [])];
  const current = chart.current !== undefined && chart.current >= from && chart.current <= to ? [chart.current] : [];
  const breakpoints = new Set(chart.breakpoints);
  const largest = Math.max(0, ...solved.map((point) => Math.abs(point.objective)));
  const yTick = largest >= 1e5 ? (value: number) => compact.format(value) : unitsTick;
  return responsive(`${chart.yLabel} along ${chart.xLabel}`, (width) =>
    plot({
      width,
      height: Math.min(420, Math.max(260, Math.round(width * 0.45))),
      marginLeft: largest >= 1e5 ? 56 : 84,
      marginRight: 24,
      marginTop: 28,
      style,
      ariaLabel: `${chart.yLabel} against ${chart.xLabel}`,
      ariaDescription:
        "Line: the objective at each swept value; dots and dashed rules: breakpoints, where what binds changes; shaded: values with no plan; solid rule: the scenario's own value.",
      x: { label: `${chart.xLabel} →`, domain: [from, to], tickFormat: chart.tick, ticks: tickCount(width) },
      y: { label: `↑ ${chart.yLabel}`, grid: true, tickFormat: yTick, nice: true },
      marks: [
        rectX(noPlan, { x1: "from", x2: "to", fill: colours.bad, fillOpacity: 0.08 }),
        text(noPlan, {
          x: (band: { from: number; to: number }) => (band.from + band.to) / 2,
          frameAnchor: "top",
          dy: -14,
          text: () => "no plan",
          fill: colours.bad,
        }),
        ruleX(chart.breakpoints, { stroke: colours.rule, strokeDasharray: "4,3" }),
        ruleX(current, { stroke: "currentColor", strokeWidth: 1.5 }),
        text(current, { x: (value: number) => value, frameAnchor: "top", dy: -14, text: () => "scenario", textAnchor: "middle" }),
        line(solved, { x: "value", y: "objective", stroke: colours.accent, strokeWidth: 2 }),
        dot(
          solved.filter((point) => chart.breakpoints.length === 0 || breakpoints.has(point.value)),
          {
            x: "value",
            y: "objective",
            fill: colours.accent,
            r: 3.5,
            title: (point: SweepCurvePoint) => `${chart.tick(point.value)}: ${formatUnits(Math.round(point.objective ?? 0))}`,
          },
        ),
        tickX(unsolved, { x: "value", stroke: colours.bad, strokeWidth: 2, title: (point: SweepCurvePoint) => `${chart.tick(point.value)}: no plan` }),
      ],
    }),
  );
}

export interface MoneyBar {
  readonly period: string;
  /** Net of the period before discounting, its present value, and what investments cost in it (fixed and operating). */
  readonly net: number;
  readonly presentValue: number;
  readonly investment: number;
}

/**
 * Money by period: the undiscounted net as a wide pale bar, its present value
 * as a narrower one inside it, and what investments cost in the period below
 * zero; on a narrow chart every other period is labelled.
 */
export function moneyChart(bars: readonly MoneyBar[], currency: string): HTMLElement {
  const series = ["net, undiscounted", "present value", "investment costs"];
  const rows = bars.flatMap((bar) => [
    { period: bar.period, series: series[0], value: bar.net },
    { period: bar.period, series: series[1], value: bar.presentValue },
    { period: bar.period, series: series[2], value: -bar.investment },
  ]);
  const periods = bars.map((bar) => bar.period);
  const title = (row: (typeof rows)[number]) => `${row.period}, ${row.series}: ${formatUnits(Math.round(Math.abs(row.value)))} ${currency}`;
  return responsive(`Money by period, ${currency}`, (width) => {
    const every = Math.max(1, Math.ceil((periods.length * 36) / Math.max(width - 60, 1)));
    // Narrower than the net's bar on each side only: an inset at the top or bottom would shorten the bar.
    const narrower = Math.max(2, width / periods.length / 6);
    return plot({
      width,
      height: 280,
      marginLeft: 52,
      style,
      ariaLabel: `Money by period, ${currency}`,
      ariaDescription:
        "Vertical bars per period: the net before discounting (pale), its present value (dark, inside it), and the investments' costs of the period below zero.",
      x: { label: null, domain: periods, padding: 0.15, tickFormat: (period: string) => (periods.indexOf(period) % every === 0 ? period : "") },
      y: { label: `${currency} ↑`, grid: true, tickFormat: (value: number) => compact.format(value), ticks: 5 },
      color: { legend: true, domain: series, range: [colours.kept, colours.accent, colours.bad] },
      marks: [
        barY(
          rows.filter((row) => row.series === series[0]),
          { x: "period", y: "value", fill: "series", title },
        ),
        barY(
          rows.filter((row) => row.series !== series[0] && row.value !== 0),
          { x: "period", y: "value", fill: "series", title, insetLeft: narrower, insetRight: narrower },
        ),
        ruleY([0]),
      ],
    });
  });
}
