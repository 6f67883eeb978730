import { capitalize, formatMoney, formatShare, formatUnits, humanize, Words } from "../../src/explain/words.js";
import type { ScenarioSummary } from "./api.js";
import { h, type Child } from "./dom.js";
import type { FieldErrors } from "./errors.js";
import { dutyLevers, scalableMarkets, targetLevers, targetMeaning, type DutyLever } from "./levers.js";
import type { ScenarioView } from "./scenarioDoc.js";
import { hasLevers, leverCount, leverKey, type Levers, type PageState } from "./state.js";

/** What the controls ask of the page when they are used. */
export interface ControlActions {
  chooseScenario(id: string): void;
  loadFile(file: File): void;
  setInteger(on: boolean): void;
  setPeriod(period: string): void;
  moveLever(kind: keyof Levers, id: string, value: number | null): void;
  resetLevers(): void;
  keepBaseline(): void;
}

export interface ControlContext {
  readonly state: PageState;
  readonly scenarios: readonly ScenarioSummary[];
  /** The scenario shown; null while none could be read. */
  readonly scenario: ScenarioView | null;
  readonly period: string;
  readonly errors: FieldErrors;
  readonly actions: ControlActions;
  /** Whether the levers panel is open (it folds away on a phone, so that the plan comes first). */
  readonly leversOpen: boolean;
  onLeversToggle(open: boolean): void;
}

/** The scenario panel: bundled choice, file, whole units, period, and what the scenario says about itself. */
export function scenarioPanel(context: ControlContext): HTMLElement {
  const { state, scenarios, scenario, errors, actions } = context;
  const select = h(
    "select",
    { id: "scenario-select", name: "scenario", "aria-describedby": "scenario-select-error" },
    ...(state.source.kind === "file" ? [h("option", { value: "", selected: true }, `Loaded file: ${state.source.name}`)] : []),
    ...scenarios.map((summary) =>
      h("option", { value: summary.id, selected: state.source.kind === "bundled" && state.source.id === summary.id }, `${summary.title} (${summary.id})`),
    ),
    ...(state.source.kind === "bundled" && !scenarios.some((summary) => state.source.kind === "bundled" && summary.id === state.source.id)
      ? [h("option", { value: state.source.id, selected: true }, `${state.source.id} (not bundled)`)]
      : []),
  );
  select.addEventListener("change", () => {
    if (select.value !== "") actions.chooseScenario(select.value);
  });

  const file = h("input", {
    type: "file",
    id: "scenario-file",
    name: "file",
    accept: ".json,.xlsx,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "aria-describedby": "scenario-file-error",
  });
  file.addEventListener("change", () => {
    const chosen = file.files?.[0];
    if (chosen !== undefined) actions.loadFile(chosen);
  });

  const integerOn = state.integer ?? scenario?.integer ?? false;
  const integer = h("input", { type: "checkbox", id: "integer", name: "integer", checked: integerOn, "aria-describedby": "integer-error" });
  integer.addEventListener("change", () => actions.setInteger(integer.checked));

  const periods = scenario?.periods ?? [];
  let periodField: Child = null;
  if (periods.length > 1) {
    const period = h(
      "select",
      { id: "period", name: "period", "aria-describedby": "period-error" },
      ...periods.map((label) => h("option", { value: label, selected: label === context.period }, label)),
    );
    period.addEventListener("change", () => actions.setPeriod(period.value));
    periodField = h("div", { class: "field" }, h("label", { for: "period" }, "Period shown"), period, errors.slot("period", "period-error"));
  }

  return h(
    "section",
    { class: "panel", "aria-labelledby": "scenario-heading" },
    h("h2", { id: "scenario-heading" }, "Scenario"),
    h("div", { class: "field" }, h("label", { for: "scenario-select" }, "Bundled scenario"), select, errors.slot("scenario", "scenario-select-error")),
    h(
      "div",
      { class: "field" },
      h("label", { for: "scenario-file" }, "Or load a scenario file (jointplan/v1 JSON)"),
      file,
      errors.slot("file", "scenario-file-error"),
    ),
    h("div", { class: "field check" }, integer, h("label", { for: "integer" }, "Whole units (integer plan)"), errors.slot("integer", "integer-error")),
    periodField,
  );
}

/** The levers: target minimums, investments (force or forbid, fixed cost), the joint network's duty rates, demand scale per market, capacity scale per plant. */
export function leversPanel(context: ControlContext): HTMLElement {
  const { state, scenario, errors, actions, period } = context;
  const moved = leverCount(state.levers);
  const panel = h(
    "details",
    { class: "panel levers", open: context.leversOpen },
    h("summary", { id: "levers-summary" }, h("h2", {}, "Levers"), h("span", { class: "count" }, moved === 0 ? "none moved" : `${moved} moved`)),
  );
  panel.addEventListener("toggle", () => context.onLeversToggle(panel.open));
  if (scenario === null) return panel;
  const levers = state.levers;
  let index = 0;
  const nextId = () => `lever-${index++}`;

  const targets = targetLevers(scenario, period);
  if (targets.length > 0) {
    panel.append(
      h(
        "fieldset",
        {},
        h("legend", {}, "Targets: minimum"),
        ...targets.map((lever) => {
          const scenarioValue = lever.current === undefined ? "none" : lever.share ? formatShare(lever.current) : `${formatUnits(lever.current)} units`;
          return numberLever(
            {
              id: nextId(),
              kind: "targets",
              recordId: lever.target.id,
              label: `${lever.label}, at least (${lever.share ? "%" : "units"})`,
              hint: `Counts the ${targetMeaning(lever.target)}. Scenario: ${scenarioValue}${scenario.periods.length > 1 ? "; a new value applies to every period" : ""}.`,
              current: lever.current,
              percent: lever.share,
              step: lever.share ? 0.5 : 100,
              max: lever.share ? 100 : undefined,
            },
            levers,
            errors,
            actions,
          );
        }),
      ),
    );
  }

  if (scenario.investments.length > 0) panel.append(investmentLevers(scenario, nextId, levers, errors, actions));

  // Joint network: the duty rates of the lanes that cross a border or pay duty, in percent.
  const duties = dutyLevers(scenario);
  const dutyFieldset = (kind: DutyLever["kind"], legend: string) => {
    const mine = duties.filter((lever) => lever.kind === kind);
    if (mine.length === 0) return;
    panel.append(
      h(
        "fieldset",
        {},
        h("legend", {}, legend),
        ...mine.map((lever) => {
          const [low, high] = lever.range;
          const scenarioValue = lever.current === null ? `from ${formatShare(low)} to ${formatShare(high)} by lane` : formatShare(lever.current);
          return numberLever(
            {
              id: nextId(),
              kind,
              recordId: lever.id,
              label: `${lever.label} (%)`,
              hint: `Duty ${lever.carries}. Scenario: ${scenarioValue}.`,
              current: lever.current ?? undefined,
              percent: true,
              step: 0.5,
              max: undefined,
            },
            levers,
            errors,
            actions,
          );
        }),
      ),
    );
  };
  dutyFieldset("deliveryDuty", "Duty on parts delivered across a border");
  dutyFieldset("shippingDuty", "Duty on vehicles sold across a border");

  const markets = scalableMarkets(scenario);
  if (markets.length > 0) {
    panel.append(
      h(
        "fieldset",
        {},
        h("legend", {}, "Demand: scale of each market's maximum"),
        ...markets.map((market) =>
          scaleField(
            nextId(),
            "demand",
            market.id,
            `${market.name} demand`,
            market.scalable ? null : "unlimited demand: nothing to scale",
            levers,
            errors,
            actions,
          ),
        ),
      ),
    );
  }
  panel.append(
    h(
      "fieldset",
      {},
      h("legend", {}, "Capacity: scale of every resource at each plant"),
      ...scenario.plants.map((plant) => scaleField(nextId(), "capacity", plant.id, `${plant.name ?? plant.id} capacity`, null, levers, errors, actions)),
    ),
  );

  const reset = h("button", { type: "button", id: "levers-reset", disabled: !hasLevers(levers) }, "Reset levers");
  reset.addEventListener("click", () => actions.resetLevers());
  const keep = h("button", { type: "button", id: "keep-baseline" }, "Keep as comparison baseline");
  keep.addEventListener("click", () => actions.keepBaseline());
  panel.append(errors.slot("levers", "levers-error"), h("div", { class: "buttons" }, reset, keep));
  return panel;
}

/**
 * Investment levers, one pair per candidate: its decision — the plan's to
 * take, forced (built within its window) or forbidden — and its fixed cost.
 */
function investmentLevers(scenario: ScenarioView, nextId: () => string, levers: Levers, errors: FieldErrors, actions: ControlActions): HTMLElement {
  const words = new Words(scenario);
  return h(
    "fieldset",
    {},
    h("legend", {}, "Investments: build or not, and fixed cost"),
    ...scenario.investments.flatMap((investment) => {
      const id = nextId();
      const key = leverKey("build", investment.id);
      const decided = levers.build.get(investment.id);
      const choice = h(
        "select",
        { id, name: key, "aria-describedby": `${id}-hint ${id}-error`, class: decided === undefined ? undefined : "moved" },
        h("option", { value: "", selected: decided === undefined }, investment.required ? "Plan decides when (required)" : "Plan decides"),
        h("option", { value: "1", selected: decided === 1 }, "Build it (within its window)"),
        h("option", { value: "0", selected: decided === 0 }, "Never build it"),
      );
      choice.addEventListener("change", () => actions.moveLever("build", investment.id, choice.value === "" ? null : Number(choice.value)));
      const window = [investment.earliest ?? scenario.periods[0], investment.latest ?? scenario.periods.at(-1)].join("–");
      const group = investment.group === undefined ? "" : ` · ${capitalize(humanize(investment.group))}: at most one`;
      const decision = h(
        "div",
        { class: "field" },
        h("label", { for: id }, words.investment(investment.id)),
        choice,
        h("small", { id: `${id}-hint` }, `${words.plant(investment.plant)} · may be built ${window}${group}.`),
        errors.slot(key, `${id}-error`),
      );
      const cost = numberLever(
        {
          id: nextId(),
          kind: "fixedCost",
          recordId: investment.id,
          label: `${words.investment(investment.id)}: fixed cost (${scenario.currency})`,
          hint: `Paid in the period it is built. Scenario: ${formatMoney(investment.fixed_cost)} ${scenario.currency}.`,
          current: investment.fixed_cost,
          percent: false,
          step: 100_000,
          max: undefined,
        },
        levers,
        errors,
        actions,
      );
      return [decision, cost];
    }),
  );
}

interface NumberLever {
  readonly id: string;
  readonly kind: "targets" | "deliveryDuty" | "shippingDuty" | "fixedCost";
  readonly recordId: string;
  readonly label: string;
  readonly hint: string;
  /** The scenario's value (a share or rate from 0 to 1 when `percent`); undefined when it has none, or one per lane. */
  readonly current: number | undefined;
  /** Entered in percent, kept as a share. */
  readonly percent: boolean;
  readonly step: number;
  readonly max: number | undefined;
}

/** A number lever (a target's minimum, a duty rate): the scenario's value until moved; back at it, the lever is not moved. */
function numberLever(lever: NumberLever, levers: Levers, errors: FieldErrors, actions: ControlActions): HTMLElement {
  const { id, kind, recordId } = lever;
  const key = leverKey(kind, recordId);
  const moved = levers[kind].get(recordId);
  const shown = moved ?? lever.current;
  const input = h("input", {
    type: "number",
    id,
    name: key,
    inputmode: "decimal",
    min: 0,
    max: lever.max,
    step: lever.step,
    value: shown === undefined ? "" : lever.percent ? round(shown * 100, 4) : shown,
    "aria-describedby": `${id}-hint ${id}-error`,
    class: moved === undefined ? undefined : "moved",
  });
  input.addEventListener("change", () => {
    const typed = input.value.trim() === "" ? null : Number(input.value);
    if (typed !== null && !Number.isFinite(typed)) return;
    const value = typed === null ? null : lever.percent ? typed / 100 : typed;
    actions.moveLever(kind, recordId, value === null || (lever.current !== undefined && Math.abs(value - lever.current) < 1e-12) ? null : value);
  });
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, lever.label),
    input,
    h("small", { id: `${id}-hint` }, lever.hint),
    errors.slot(key, `${id}-error`),
  );
}

/** A 0–200% slider for a scale lever, its value shown beside it. */
function scaleField(
  id: string,
  kind: "demand" | "capacity",
  recordId: string,
  label: string,
  disabledReason: string | null,
  levers: Levers,
  errors: FieldErrors,
  actions: ControlActions,
): HTMLElement {
  const key = leverKey(kind, recordId);
  const scale = levers[kind].get(recordId) ?? 1;
  const percent = Math.round(scale * 100);
  const output = h("output", { for: id, id: `${id}-value` }, `${percent}%`);
  const input = h("input", {
    type: "range",
    id,
    name: key,
    min: 0,
    max: 200,
    step: 1,
    value: percent,
    disabled: disabledReason !== null,
    "aria-describedby": `${id}-value ${id}-error`,
    "aria-valuetext": `${percent}%`,
    class: levers[kind].has(recordId) ? "moved" : undefined,
  });
  input.addEventListener("input", () => {
    output.textContent = `${input.value}%`;
    input.setAttribute("aria-valuetext", `${input.value}%`);
  });
  input.addEventListener("change", () => {
    const value = Number(input.value) / 100;
    actions.moveLever(kind, recordId, value === 1 ? null : value);
  });
  return h(
    "div",
    { class: "field scale" },
    h("label", { for: id }, label),
    h("div", { class: "range" }, input, output),
    disabledReason === null ? null : h("small", {}, disabledReason),
    errors.slot(key, `${id}-error`),
  );
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
