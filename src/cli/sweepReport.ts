import { plot } from "asciichart";
import type { BoundRef } from "../explain/types.js";
import type { Scenario } from "../scenario/schema.js";
import { bindingChange } from "../whatif/delta.js";
import type { SweepPoint, SweepResult } from "../whatif/types.js";
import { csvField } from "../workbook/text.js";
import { renderTable } from "./table.js";
import { formatSlope, objectiveWords, parameterLabel, parameterWords } from "../whatif/words.js";
import { boundLabel } from "./whatifWords.js";

const CHART_WIDTH = 64;
const CHART_HEIGHT = 12;
/** Bounds named in a "what changes" cell before the rest are counted. */
const NAMED_CHANGES = 3;

/** A sweep for the terminal: a headline, the points (grid) or the segments (exact), the curve, notes. */
export function renderSweep(scenario: Scenario, result: SweepResult): string {
  const objective = objectiveWords(scenario);
  const words = parameterWords(scenario, result.parameter);
  const { value } = words;
  const slope = (slope: number | null) => formatSlope(slope === null ? null : slope * words.slopeScale);
  const periods = scenario.periods.length;
  const lines: string[] = [];
  const count =
    result.mode === "exact" ? `${result.segments?.length ?? 0} segment${result.segments?.length === 1 ? "" : "s"}` : `${result.points.length} values`;
  lines.push(`Sweep of ${parameterLabel(result.parameter)} — ${scenario.title} (${scenario.id})`);
  lines.push(
    `${result.mode} mode: ${count}, ${result.solves} LP solve${result.solves === 1 ? "" : "s"}${result.stopped === undefined ? "" : ` — STOPPED (${result.stopped}) before it finished`}`,
  );
  const range = result.feasible_range;
  lines.push(
    range === null
      ? "No value in the range has a plan."
      : `A plan exists from ${value(range.from)} to ${value(range.to)}${result.mode === "grid" ? " (between grid values: the true ends lie within one step beyond)" : ""}.`,
  );
  lines.push("");

  if (result.mode === "exact" && result.segments !== undefined && result.segments.length > 0) {
    let previous: readonly BoundRef[] | undefined;
    const rows = result.segments.map((segment) => {
      const changes = whatChanges(previous, segment.binding, periods);
      previous = segment.binding;
      return [
        value(segment.from),
        value(segment.to),
        objective.format(segment.objective_from),
        objective.format(segment.objective_to),
        slope(segment.slope),
        changes,
      ];
    });
    lines.push(
      `Segments: the ${objective.label} is linear on each`,
      renderTable(
        [
          { header: "from", align: "right" },
          { header: "to", align: "right" },
          { header: `${objective.label} at from`, align: "right" },
          { header: `${objective.label} at to`, align: "right" },
          { header: `slope (${objective.unit} ${words.per})`, align: "right" },
          { header: "what binds (changes from the segment before)" },
        ],
        rows,
      ),
    );
  } else {
    let previous: readonly BoundRef[] | undefined;
    const rows = result.points.map((point) => {
      const changes = point.objective === null ? "" : whatChanges(previous, point.binding, periods);
      if (point.objective !== null) previous = point.binding;
      return [value(point.value), point.status, point.objective === null ? "—" : objective.format(point.objective), slope(point.slope), changes];
    });
    lines.push(
      renderTable(
        [
          { header: "value", align: "right" },
          { header: "status" },
          { header: `${objective.label} (${objective.unit})`, align: "right" },
          { header: `slope (${objective.unit} ${words.per})`, align: "right" },
          { header: "what binds (changes from the value before)" },
        ],
        rows,
      ),
    );
  }

  const chart = renderCurve(result, value, objective.format);
  if (chart !== "") lines.push("", chart);
  if (result.notes.length > 0) lines.push("", ...result.notes);
  return `${lines.join("\n")}\n`;
}

/** One row per point, header first: value, status, objective, slope, what binds (labels joined by "; "); a text that starts like a formula is neutralised (`csvField`). */
export function sweepCsv(result: SweepResult, periods: number): string {
  const header = ["value", "status", "objective", "slope", "binding"];
  const rows = result.points.map((point) => [
    point.value,
    point.status,
    point.objective,
    point.slope,
    point.binding.map((ref) => boundLabel(ref, periods)).join("; "),
  ]);
  return `${[header, ...rows].map((row) => row.map(csvField).join(",")).join("\n")}\n`;
}

/** "+ a; − b" between two binding sets; on the first row, how many bind. */
function whatChanges(previous: readonly BoundRef[] | undefined, current: readonly BoundRef[], periods: number): string {
  if (previous === undefined) return `${current.length} bound${current.length === 1 ? "" : "s"} bind`;
  const { became, released } = bindingChange(previous, current);
  const all = [...became.map((ref) => `+ ${boundLabel(ref, periods)}`), ...released.map((ref) => `− ${boundLabel(ref, periods)}`)];
  if (all.length === 0) return "";
  const named = all.slice(0, NAMED_CHANGES).join("; ");
  return all.length > NAMED_CHANGES ? `${named}; and ${all.length - NAMED_CHANGES} more` : named;
}

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumSignificantDigits: 4 });

/**
 * The objective against the parameter over the range with plans: the
 * segments (exact) or the grid's points joined by straight lines, drawn by
 * asciichart at evenly spaced values, breakpoints marked ^ below the curve.
 */
function renderCurve(result: SweepResult, value: (value: number) => string, money: (value: number) => string): string {
  const known = curvePoints(result);
  const first = known[0];
  const last = known[known.length - 1];
  if (first === undefined || last === undefined || last.x <= first.x) return "";
  const xs = Array.from({ length: CHART_WIDTH }, (_, c) => first.x + ((last.x - first.x) * c) / (CHART_WIDTH - 1));
  const ys = xs.map((x) => interpolate(known, x));
  const width = Math.max(...ys.map((y) => compact.format(y).length)) + 1;
  const chart = plot(ys, { height: CHART_HEIGHT, format: (y: number) => compact.format(y).padStart(width) });
  const firstLine = chart.split("\n")[0] ?? "";
  const offset = Math.max(firstLine.indexOf("┤"), firstLine.indexOf("┼")) + 1;
  const column = (x: number) => offset + Math.round(((x - first.x) / (last.x - first.x)) * (CHART_WIDTH - 1));
  const marks = Array.from({ length: offset + CHART_WIDTH }, () => " ");
  const breakpoints = result.mode === "exact" ? (result.segments ?? []).slice(1).map((segment) => segment.from) : [];
  for (const x of breakpoints) marks[column(x)] = "^";
  const low = value(first.x);
  const high = value(last.x);
  const axis = `${" ".repeat(offset)}${low}${" ".repeat(Math.max(1, CHART_WIDTH - low.length - high.length))}${high}`;
  const legend =
    breakpoints.length > 0
      ? `^ breakpoints (${breakpoints.length}); objective ${money(first.y)} at ${low}, ${money(last.y)} at ${high}`
      : `objective ${money(first.y)} at ${low}, ${money(last.y)} at ${high}`;
  return [chart, marks.join("").trimEnd(), axis, legend].join("\n");
}

function curvePoints(result: SweepResult): { x: number; y: number }[] {
  if (result.mode === "exact" && result.segments !== undefined && result.segments.length > 0) {
    const [head] = result.segments;
    return [
      ...(head === undefined ? [] : [{ x: head.from, y: head.objective_from }]),
      ...result.segments.map((segment) => ({ x: segment.to, y: segment.objective_to })),
    ];
  }
  return result.points
    .filter((point): point is SweepPoint & { objective: number } => point.objective !== null)
    .map((point) => ({ x: point.value, y: point.objective }))
    .sort((a, b) => a.x - b.x);
}

function interpolate(known: readonly { x: number; y: number }[], x: number): number {
  for (let i = 1; i < known.length; i++) {
    const left = known[i - 1];
    const right = known[i];
    if (left === undefined || right === undefined || x > right.x) continue;
    return right.x === left.x ? right.y : left.y + ((right.y - left.y) * (x - left.x)) / (right.x - left.x);
  }
  return known[known.length - 1]?.y ?? NaN;
}
