import type { BoundRef } from "../../src/explain/types.js";
import { formatShare, formatUnits, Words } from "../../src/explain/words.js";
import { sweepChart } from "./charts.js";
import { h, table } from "./dom.js";
import type { FieldErrors } from "./errors.js";
import type { SweepChoice } from "./levers.js";
import type { ScenarioView } from "./scenarioDoc.js";
import type { SweepState } from "./state.js";
import type { SweepResult, SweepSpec } from "./whatif.js";

export const DEFAULT_STEPS = 21;

/** The range a sweep covers when the link names none: around the scenario's value (a share from 0 to 100%). */
export function defaultRange(choice: SweepChoice): { from: number; to: number } {
  if (choice.share) return { from: 0, to: 1 };
  const current = choice.current ?? 0;
  return current > 0 ? { from: Math.round(current * 0.5), to: Math.round(current * 1.5) } : { from: 0, to: 1000 };
}

/** The request body's `sweep` for a chosen parameter and the state's range, steps and mode. */
export function sweepSpec(choice: SweepChoice, state: SweepState): SweepSpec {
  const range = defaultRange(choice);
  return {
    parameter: choice.parameter,
    from: state.from ?? range.from,
    to: state.to ?? range.to,
    ...(state.mode === "grid" ? { steps: state.steps ?? DEFAULT_STEPS } : {}),
    mode: state.mode,
  };
}

export interface SweepFormActions {
  run(choice: SweepChoice, from: number, to: number, steps: number, mode: "grid" | "exact"): void;
}

/** The sweep's form: what to sweep, from, to, how many steps, grid or exact. Shares are entered in percent. */
export function sweepForm(
  choices: readonly SweepChoice[],
  chosen: SweepChoice | undefined,
  state: SweepState | null,
  errors: FieldErrors,
  actions: SweepFormActions,
): HTMLElement {
  const first = chosen ?? choices[0];
  const select = h(
    "select",
    { id: "sweep-parameter", name: "sweep-parameter", "aria-describedby": "sweep-parameter-error" },
    ...choices.map((choice) => h("option", { value: choice.key, selected: choice === first }, choice.label)),
  );
  const range = first === undefined ? { from: 0, to: 0 } : defaultRange(first);
  const shown = (value: number, share: boolean) => (share ? Math.round(value * 1000) / 10 : value);
  const isShare = first?.share ?? false;
  const from = numberInput("sweep-from", shown(state?.from ?? range.from, isShare));
  const to = numberInput("sweep-to", shown(state?.to ?? range.to, isShare));
  const steps = numberInput("sweep-steps", state?.steps ?? DEFAULT_STEPS);
  steps.min = "2";
  steps.step = "1";
  const mode = h(
    "select",
    { id: "sweep-mode", name: "sweep-mode", "aria-describedby": "sweep-mode-error" },
    h("option", { value: "grid", selected: (state?.mode ?? "grid") === "grid" }, "grid: solve at evenly spaced values"),
    h("option", { value: "exact", selected: state?.mode === "exact" }, "exact: every breakpoint (continuous models)"),
  );
  const unitNote = h("small", { id: "sweep-unit" }, isShare ? "Values in percent." : "Values in the parameter's own units.");
  select.addEventListener("change", () => {
    const choice = choices.find((candidate) => candidate.key === select.value);
    if (choice === undefined) return;
    const fresh = defaultRange(choice);
    from.value = String(shown(fresh.from, choice.share));
    to.value = String(shown(fresh.to, choice.share));
    unitNote.textContent = choice.share ? "Values in percent." : "Values in the parameter's own units.";
  });
  const form = h(
    "form",
    { class: "panel sweep-form", "aria-labelledby": "sweep-form-title" },
    h("h2", { id: "sweep-form-title" }, "Sweep one lever"),
    h("p", {}, "Solve the scenario as it is at a range of values of one parameter, and see how the objective and what binds change."),
    field("sweep-parameter", "Parameter", select, errors, "sweep.parameter"),
    h("div", { class: "row" }, field("sweep-from", "From", from, errors, "sweep.from"), field("sweep-to", "To", to, errors, "sweep.to")),
    unitNote,
    h("div", { class: "row" }, field("sweep-steps", "Steps (grid)", steps, errors, "sweep.steps"), field("sweep-mode", "Mode", mode, errors, "sweep.mode")),
    h("div", { class: "buttons" }, h("button", { type: "submit", id: "sweep-run" }, "Run the sweep")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const choice = choices.find((candidate) => candidate.key === select.value);
    if (choice === undefined) return;
    const scale = choice.share ? 0.01 : 1;
    actions.run(choice, Number(from.value) * scale, Number(to.value) * scale, Number(steps.value), mode.value === "exact" ? "exact" : "grid");
  });
  return form;
}

function numberInput(id: string, value: number): HTMLInputElement {
  return h("input", { type: "number", id, name: id, value, step: "any", inputmode: "decimal", required: true, "aria-describedby": `${id}-error` });
}

function field(id: string, label: string, control: HTMLElement, errors: FieldErrors, key: string): HTMLElement {
  return h("div", { class: "field" }, h("label", { for: id }, label), control, errors.slot(key, `${id}-error`));
}

/** The sweep's answer: the curve with its breakpoints, and what binds on each segment (exact) or at each point (grid). */
export function sweepResultView(scenario: ScenarioView, choice: SweepChoice, result: SweepResult): HTMLElement {
  const words = new Words(scenario);
  const value = (number: number) => (choice.share ? formatShare(number) : formatUnits(number));
  const objective = (number: number | null) => (number === null ? "—" : formatUnits(Math.round(number)));
  const unit = scenario.objective === "max_units" ? "units" : scenario.currency;
  const yLabel = { max_margin: "margin", min_cost: "cost", max_units: "units made" }[scenario.objective];
  const binding = (bounds: readonly BoundRef[]) =>
    bounds.length === 0 ? "nothing" : bounds.map((bound) => `${words.bindingName(bound)}${words.when(bound.period)}`).join("; ");
  const scaleX = choice.share ? 100 : 1;
  const segments = result.segments ?? [];
  const breakpoints = segments.length > 1 ? segments.slice(1).map((segment) => segment.from * scaleX) : [];
  const feasible =
    result.feasible_range === null
      ? "No value in the range has a plan."
      : `A plan exists from ${value(result.feasible_range.from)} to ${value(result.feasible_range.to)}.`;

  const details =
    result.mode === "exact" && segments.length > 0
      ? table(
          `Segments: the objective is linear between breakpoints (${unit})`,
          [
            { header: "from" },
            { header: "to" },
            { header: `${yLabel} from`, numeric: true },
            { header: `${yLabel} to`, numeric: true },
            { header: "slope", numeric: true },
            { header: "what binds" },
          ],
          segments.map((segment) => [
            value(segment.from),
            value(segment.to),
            objective(segment.objective_from),
            objective(segment.objective_to),
            formatUnits(segment.slope),
            binding(segment.binding),
          ]),
        )
      : table(
          `Points (${unit})`,
          [{ header: "value" }, { header: "status" }, { header: yLabel, numeric: true }, { header: "slope", numeric: true }, { header: "what binds" }],
          result.points.map((point) => [
            value(point.value),
            point.status,
            objective(point.objective),
            point.slope === null ? "—" : formatUnits(point.slope),
            binding(point.binding),
          ]),
        );
  return h(
    "section",
    { class: "plan-section", "aria-labelledby": "sweep-result-title" },
    h("h2", { id: "sweep-result-title" }, `${choice.label}: ${yLabel} along the sweep`),
    h(
      "p",
      { class: "summary" },
      `${result.solves} solves, ${result.mode} mode. ${feasible}${breakpoints.length > 0 ? ` ${breakpoints.length} breakpoint${breakpoints.length === 1 ? "" : "s"}.` : ""}`,
    ),
    h(
      "div",
      { class: "pair" },
      sweepChart(
        curve(result).map((point) => ({ ...point, value: point.value * scaleX })),
        breakpoints,
        choice.share ? `${choice.label} (%)` : choice.label,
        `${yLabel} (${unit})`,
      ),
      details,
    ),
  );
}

/** The curve's points: the segments' ends in exact mode (the objective is linear between them), else the solved points. */
function curve(result: SweepResult): { value: number; objective: number | null; feasible: boolean }[] {
  const segments = result.segments ?? [];
  if (result.mode === "exact" && segments.length > 0) {
    return segments.flatMap((segment) => [
      { value: segment.from, objective: segment.objective_from, feasible: true },
      { value: segment.to, objective: segment.objective_to, feasible: true },
    ]);
  }
  return result.points.map((point) => ({ value: point.value, objective: point.objective, feasible: point.objective !== null }));
}
