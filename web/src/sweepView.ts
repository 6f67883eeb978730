import type { BoundRef } from "../../src/explain/types.js";
import { formatUnits, humanize, Words } from "../../src/explain/words.js";
import { bindingChange } from "../../src/whatif/delta.js";
import type { SweepSpec } from "../../src/whatif/schema.js";
import type { SweepResult } from "../../src/whatif/types.js";
import { formatSlope, objectiveWords, parameterWords } from "../../src/whatif/words.js";
import { sweepChart } from "./charts.js";
import { h, table, type Child } from "./dom.js";
import type { FieldErrors } from "./errors.js";
import type { SweepChoice, SweepGroup } from "./levers.js";
import type { ScenarioView } from "./scenarioDoc.js";
import type { SweepState } from "./state.js";

export const DEFAULT_STEPS = 21;

/** The range a sweep covers when the link names none: half to one and a half times the scenario's value (a share: 0 to 100%). */
export function defaultRange(choice: SweepChoice): { from: number; to: number } {
  if (choice.share) return { from: 0, to: 1 };
  const current = choice.current ?? 0;
  return current > 0 ? { from: round(current * 0.5), to: round(current * 1.5) } : { from: 0, to: 1000 };
}

/** The mode a sweep runs in: the link's, else exact where it applies (a bound of a continuous model), else grid. */
export function sweepMode(choice: SweepChoice, state: SweepState | null, wholeUnits: boolean): "grid" | "exact" {
  return state?.mode ?? (choice.exact && !wholeUnits ? "exact" : "grid");
}

/** The request body's `sweep` for a chosen parameter and the state's range, steps and mode. */
export function sweepSpec(choice: SweepChoice, state: SweepState, wholeUnits: boolean): SweepSpec {
  const range = defaultRange(choice);
  const mode = sweepMode(choice, state, wholeUnits);
  return {
    parameter: choice.parameter,
    from: state.from ?? range.from,
    to: state.to ?? range.to,
    ...(mode === "grid" ? { steps: state.steps ?? DEFAULT_STEPS } : {}),
    mode,
  };
}

export interface SweepFormActions {
  run(choice: SweepChoice, from: number, to: number, steps: number | null, mode: "grid" | "exact"): void;
}

const groups: readonly SweepGroup[] = ["Targets", "Capacity", "Demand limits", "Prices", "Part supplies", "Duties", "Lane capacities"];
const exactWhy =
  "Exact mode traces every breakpoint of a bound of a continuous model (a units target, a capacity, a demand limit, a part supply, a lane's capacity).";

/** The sweep's form: what to sweep, from, to, grid or exact, how many steps. Shares are entered in percent. */
export function sweepForm(
  choices: readonly SweepChoice[],
  chosen: SweepChoice | undefined,
  state: SweepState | null,
  wholeUnits: boolean,
  errors: FieldErrors,
  actions: SweepFormActions,
): HTMLElement {
  const first = chosen ?? choices[0];
  const select = h(
    "select",
    { id: "sweep-parameter", name: "sweep-parameter", "aria-describedby": "sweep-parameter-error" },
    ...groups.map((group) => {
      const members = choices.filter((choice) => choice.group === group);
      return members.length === 0
        ? null
        : h("optgroup", { label: group }, ...members.map((choice) => h("option", { value: choice.key, selected: choice === first }, choice.label)));
    }),
  );
  const shown = (value: number, share: boolean) => (share ? Math.round(value * 1e6) / 1e4 : value);
  const range = first === undefined ? { from: 0, to: 0 } : defaultRange(first);
  const from = numberInput("sweep-from", shown(state?.from ?? range.from, first?.share ?? false));
  const to = numberInput("sweep-to", shown(state?.to ?? range.to, first?.share ?? false));
  const steps = numberInput("sweep-steps", state?.steps ?? DEFAULT_STEPS);
  steps.min = "2";
  steps.step = "1";
  const exactOption = h("option", { value: "exact" }, "exact: every breakpoint");
  const mode = h(
    "select",
    { id: "sweep-mode", name: "sweep-mode", "aria-describedby": "sweep-mode-hint sweep-mode-error" },
    exactOption,
    h("option", { value: "grid" }, "grid: evenly spaced values"),
  );
  const unitHint = h("small", { id: "sweep-unit" });
  const modeHint = h("small", { id: "sweep-mode-hint" });
  const fit = (choice: SweepChoice | undefined, preferred: "grid" | "exact" | null) => {
    const exactApplies = choice !== undefined && choice.exact && !wholeUnits;
    exactOption.disabled = !exactApplies;
    mode.value = exactApplies && preferred !== "grid" ? "exact" : "grid";
    steps.disabled = mode.value === "exact";
    unitHint.textContent = choice?.share === true ? "Values in percent." : "Values in the parameter's own units.";
    modeHint.textContent = exactApplies
      ? exactWhy
      : `${exactWhy} ${wholeUnits ? "With whole units" : "For a price, a duty or a share"} the sweep solves a grid of values.`;
  };
  fit(first, first === undefined ? null : sweepMode(first, state, wholeUnits));
  mode.addEventListener("change", () => (steps.disabled = mode.value === "exact"));
  select.addEventListener("change", () => {
    const choice = choices.find((candidate) => candidate.key === select.value);
    if (choice === undefined) return;
    const fresh = defaultRange(choice);
    from.value = String(shown(fresh.from, choice.share));
    to.value = String(shown(fresh.to, choice.share));
    fit(choice, null);
  });
  const form = h(
    "form",
    { class: "panel sweep-form", "aria-labelledby": "sweep-form-title" },
    h("h2", { id: "sweep-form-title" }, "Sweep one lever"),
    h(
      "p",
      {},
      "Plan the scenario, with the levers as they are, at a range of values of one parameter: the objective along the range, where what binds changes, and where no plan exists.",
    ),
    field("sweep-parameter", "Parameter", select, errors, "sweep.parameter"),
    h("div", { class: "row" }, field("sweep-from", "From", from, errors, "sweep.from"), field("sweep-to", "To", to, errors, "sweep.to")),
    unitHint,
    h(
      "div",
      { class: "row wide" },
      field("sweep-mode", "Mode", mode, errors, "sweep.mode"),
      field("sweep-steps", "Values (grid)", steps, errors, "sweep.steps"),
    ),
    modeHint,
    h("div", { class: "buttons" }, h("button", { type: "submit", id: "sweep-run" }, "Run the sweep")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const choice = choices.find((candidate) => candidate.key === select.value);
    if (choice === undefined) return;
    const scale = choice.share ? 0.01 : 1;
    const exact = mode.value === "exact";
    actions.run(choice, Number(from.value) * scale, Number(to.value) * scale, exact ? null : Number(steps.value), exact ? "exact" : "grid");
  });
  return form;
}

function numberInput(id: string, value: number): HTMLInputElement {
  return h("input", { type: "number", id, name: id, value, step: "any", inputmode: "decimal", required: true, "aria-describedby": `${id}-error` });
}

function field(id: string, label: string, control: HTMLElement, errors: FieldErrors, key: string): HTMLElement {
  return h("div", { class: "field" }, h("label", { for: id }, label), control, errors.slot(key, `${id}-error`));
}

/** The sweep's answer: the curve with its breakpoints, and what binds on each segment (exact) or at each value (grid). */
export function sweepResultView(scenario: ScenarioView, choice: SweepChoice, spec: SweepSpec, result: SweepResult): HTMLElement {
  const words = new Words(scenario);
  const parameter = parameterWords(scenario, result.parameter, humanize);
  const objective = objectiveWords(scenario);
  const slopeHeader = `slope (${objective.unit} ${parameter.per})`;
  const slope = (value: number | null) => formatSlope(value === null ? null : value * parameter.slopeScale);
  const amount = (value: number | null) => (value === null ? "—" : objective.format(value));
  const segments = result.mode === "exact" ? (result.segments ?? []) : [];
  const breakpoints = segments.slice(1).map((segment) => segment.from);
  const range = result.feasible_range;
  const feasible =
    range === null
      ? "No value in the range has a plan."
      : `A plan exists from ${parameter.value(range.from)} to ${parameter.value(range.to)}${result.mode === "grid" ? " (at the values solved: the true ends lie within one step beyond)" : ""}.`;
  const counted =
    result.mode === "exact"
      ? `${segments.length} segment${segments.length === 1 ? "" : "s"}, ${breakpoints.length} breakpoint${breakpoints.length === 1 ? "" : "s"}`
      : `${result.points.length} values`;

  const details =
    segments.length > 0
      ? table(
          `Segments: the ${objective.label} is linear between breakpoints (${objective.unit})`,
          [
            { header: "segment" },
            { header: "from", numeric: true },
            { header: "to", numeric: true },
            { header: `${objective.label} from`, numeric: true },
            { header: `${objective.label} to`, numeric: true },
            { header: slopeHeader, numeric: true },
            { header: "what binds (changes from the segment before)" },
          ],
          rowsWithBinding(segments, words).map(({ row: segment, binding }, s) => [
            String(s + 1),
            parameter.value(segment.from),
            parameter.value(segment.to),
            amount(segment.objective_from),
            amount(segment.objective_to),
            slope(segment.slope),
            binding,
          ]),
        )
      : table(
          `Values solved (${objective.unit})`,
          [
            { header: "value" },
            { header: "status" },
            { header: objective.label, numeric: true },
            { header: slopeHeader, numeric: true },
            { header: "what binds (changes from the value before)" },
          ],
          rowsWithBinding(result.points, words).map(({ row: point, binding }) => [
            parameter.value(point.value),
            point.status,
            amount(point.objective),
            slope(point.slope),
            point.objective === null ? "" : binding,
          ]),
        );
  const points = segments.length > 0 ? segmentEnds(segments) : result.points;
  const xLabel = parameter.share ? `${choice.label} (%)` : choice.label;
  return h(
    "section",
    { id: "sweep-result", class: "plan-section", "aria-labelledby": "sweep-result-title" },
    h("h2", { id: "sweep-result-title" }, `${choice.label}: the ${objective.label} along the sweep`),
    h("p", { class: "summary", id: "sweep-summary" }, `${result.mode === "exact" ? "Exact" : "Grid"}: ${counted}, ${result.solves} LP solves. ${feasible}`),
    ...result.notes.map((note) => h("p", { class: "note" }, note)),
    result.stopped === undefined
      ? null
      : h("p", { class: "notice" }, `The sweep stopped (${result.stopped}) before it finished: these are the values it solved.`),
    h(
      "div",
      { class: "pair" },
      sweepChart({
        points,
        breakpoints,
        range: { from: spec.from ?? range?.from ?? 0, to: spec.to ?? range?.to ?? 1 },
        feasible: range,
        current: choice.current,
        xLabel,
        yLabel: `${objective.label} (${objective.unit})`,
        tick: (value) => (parameter.share ? `${formatUnits(Math.round(value * 1000) / 10)}%` : formatUnits(value)),
      }),
    ),
    details,
  );
}

/**
 * Each row with what binds on it in words: on the first, every bound (folded
 * under its count); after, what starts and stops binding since the row before.
 */
function rowsWithBinding<T extends { readonly binding: readonly BoundRef[] }>(rows: readonly T[], words: Words): { row: T; binding: Child }[] {
  const name = (ref: BoundRef) => `${words.bindingName(ref)}${words.when(ref.period)}`;
  let previous: readonly BoundRef[] | undefined;
  return rows.map((row) => {
    const before = previous;
    if (!("objective" in row) || row.objective !== null) previous = row.binding;
    if (before === undefined) {
      return {
        row,
        binding: h(
          "details",
          { class: "binding" },
          h("summary", {}, `${row.binding.length} bound${row.binding.length === 1 ? "" : "s"} bind`),
          h("ul", {}, ...row.binding.map((ref) => h("li", {}, name(ref)))),
        ),
      };
    }
    const { became, released } = bindingChange(before, row.binding);
    const changes = [...became.map((ref) => `+ ${name(ref)}`), ...released.map((ref) => `− ${name(ref)}`)];
    return { row, binding: changes.length === 0 ? "no change" : changes.join("; ") };
  });
}

/** The curve's points in exact mode: the ends of every segment (the objective is linear between them). */
function segmentEnds(segments: NonNullable<SweepResult["segments"]>): { value: number; objective: number }[] {
  const [head] = segments;
  return [
    ...(head === undefined ? [] : [{ value: head.from, objective: head.objective_from }]),
    ...segments.map((s) => ({ value: s.to, objective: s.objective_to })),
  ];
}

/** A round figure near `value` for a default range: two significant digits. */
function round(value: number): number {
  if (value === 0) return 0;
  const step = 10 ** (Math.floor(Math.log10(Math.abs(value))) - 1);
  return Math.round(value / step) * step;
}
