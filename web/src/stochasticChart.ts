import { plot, rectY, ruleX, ruleY, text } from "@observablehq/plot";
import { responsive } from "./charts.js";

/**
 * The spread of a two-stage plan's outcomes: a histogram of the outcomes'
 * objectives, each weighted by its probability, with the expected objective,
 * the wait-and-see and the EEV marked as labelled rules.
 */

export interface SpreadMarker {
  readonly label: string;
  readonly value: number;
}

export interface SpreadData {
  readonly outcomes: readonly { readonly objective: number; readonly probability: number }[];
  readonly markers: readonly SpreadMarker[];
  /** The objective's name and unit: "margin (USD)". */
  readonly axis: string;
  readonly format: (value: number) => string;
}

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumSignificantDigits: 4 });
const markerColours = ["#2b5d9b", "#2f7d4f", "#b6412c", "#7a5c9b"];
const LABEL_ROW_PX = 16;
const MARGIN_LEFT = 48;
const MARGIN_RIGHT = 16;
/** Average width of a character of the chart's font, in px. */
const CHAR_PX = 6.8;

/** Equal bins over the outcomes' range: Sturges' count, at least 3 and at most 30. */
export function spreadThresholds(values: readonly number[]): number[] {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const count = Math.min(30, Math.max(3, Math.ceil(Math.log2(values.length)) + 1));
  // One value (or all equal): one bin around it, as wide as a percent of it.
  const span = high - low > 0 ? high - low : Math.max(Math.abs(low) * 0.01, 1);
  const start = high - low > 0 ? low : low - span / 2;
  return Array.from({ length: count + 1 }, (_, i) => start + (span * i) / count);
}

/** The probability in each bin [x1, x2) (the last one closed). */
export function spreadBins(
  outcomes: readonly { readonly objective: number; readonly probability: number }[],
  thresholds: readonly number[],
): { x1: number; x2: number; probability: number }[] {
  const bins = thresholds.slice(1).map((x2, i) => ({ x1: thresholds[i] ?? x2, x2, probability: 0 }));
  for (const outcome of outcomes) {
    const index = bins.findIndex((bin, i) => outcome.objective < bin.x2 || i === bins.length - 1);
    const bin = bins[index];
    if (bin !== undefined) bin.probability += outcome.probability;
  }
  return bins;
}

export function spreadChart(data: SpreadData): HTMLElement {
  const label = `Spread of the outcomes' ${data.axis}, weighted by probability`;
  const description = `${data.outcomes.length} outcomes; ${data.markers.map((marker) => `${marker.label} ${data.format(marker.value)}`).join(", ")}.`;
  const thresholds = spreadThresholds(data.outcomes.map((outcome) => outcome.objective));
  const bins = spreadBins(data.outcomes, thresholds);
  const first = thresholds[0] ?? 0;
  const last = thresholds.at(-1) ?? 0;
  const all = [first, last, ...data.markers.map((marker) => marker.value)];
  const low = Math.min(...all);
  const high = Math.max(...all);
  const pad = (high - low) * 0.04;
  const top = data.markers.length * LABEL_ROW_PX + 8;
  return responsive(label, (width) =>
    plot({
      width,
      height: 260 + top,
      marginTop: top,
      marginLeft: MARGIN_LEFT,
      marginRight: MARGIN_RIGHT,
      style: { fontSize: "12px", fontFamily: "inherit", overflow: "visible" },
      ariaLabel: label,
      ariaDescription: description,
      x: {
        domain: [low - pad, high + pad],
        label: data.axis,
        tickFormat: (value: number) => compact.format(value),
        ticks: Math.max(2, Math.floor(width / 110)),
      },
      y: { label: null, grid: true, tickFormat: (value: number) => `${Math.round(value * 100)}%` },
      marks: [
        rectY(bins, { x1: "x1", x2: "x2", y: "probability", fill: "#a9b4c2", insetLeft: 1, insetRight: 1 }),
        ruleY([0]),
        ...data.markers.flatMap((marker, i) => {
          const colour = markerColours[i % markerColours.length] ?? "currentColor";
          // Each marker's label on its own line above the bars, running right of its rule, or left where the width ends first.
          const caption = `${marker.label} ${data.format(marker.value)}`;
          const x = MARGIN_LEFT + ((marker.value - (low - pad)) / (high - low + 2 * pad || 1)) * (width - MARGIN_LEFT - MARGIN_RIGHT);
          const anchor = x + caption.length * CHAR_PX > width && x - caption.length * CHAR_PX >= 0 ? "end" : "start";
          return [
            ruleX([marker.value], { stroke: colour, strokeWidth: 2, strokeDasharray: i === 0 ? "none" : "5,3" }),
            text([marker], {
              x: "value",
              frameAnchor: "top",
              dy: -top + 4 + i * LABEL_ROW_PX,
              text: () => caption,
              textAnchor: anchor,
              dx: anchor === "start" ? -2 : 2,
              fill: colour,
              fontWeight: 600,
            }),
          ];
        }),
      ],
    }),
  );
}
