import { formatShare, formatUnits, Words, type NamedRecord } from "../../src/explain/words.js";
import type { StochasticResult } from "../../src/stochastic/types.js";
import { stochasticFigures, stochasticSummary } from "../../src/stochastic/words.js";
import { objectiveWords } from "../../src/whatif/words.js";
import type { Change } from "../../src/whatif/schema.js";
import { cancelJob, getJob, submitJob, type FieldError, type JobView, type PlanOptions, type Problem, type ScenarioRef } from "./api.js";
import { h, table, unitsOrDash, type Child } from "./dom.js";
import type { FieldErrors } from "./errors.js";
import type { ScenarioView } from "./scenarioDoc.js";
import { spreadChart, type SpreadMarker } from "./stochasticChart.js";
import { DEFAULT_SAMPLE, readSpecText, sampleSpec, specsFor, specText, uncertainMarkets } from "./stochasticSpecs.js";

/**
 * The Stochastic tab: a two-stage plan of the scenario (docs/page.md)
 * with the levers as they are. The planner starts from a bundled spec or
 * draws outcomes from the demand of chosen markets, reads and may edit the
 * request, and runs it as a job (`POST /v1/jobs`, kind `stochastic`), its
 * progress shown until it ends; then the here-and-now plan, the spread of the
 * outcomes, EVPI and VSS in the CLI's words, and what goes unsold.
 */

export interface StochasticContext {
  readonly scenario: ScenarioView;
  /** The scenario's candidate investments (none: nothing to build), named for the words. */
  readonly investments: readonly NamedRecord[];
  readonly ref: ScenarioRef;
  /** The levers' changes, sent with the job. */
  readonly changes: readonly Change[];
  readonly options: PlanOptions;
  readonly errors: FieldErrors;
  /** Where a field error that is not the spec's belongs (the scenario, a lever). */
  readonly place: (error: FieldError) => { key: string | undefined; message: string };
  /** False once the page shows another state: the job is then cancelled and no longer watched. */
  readonly current: () => boolean;
  /** Says in the page's status line what is happening; `done` marks a state shown (tests wait on it). */
  readonly say: (status: string, done: boolean) => void;
}

/** How often the job is asked for its progress, in ms. */
const POLL_MS = 400;
const SPEC_KEY = "stochastic.spec";
/** The request's own fields: an error at one of them is shown at the spec. */
const specFields = /^(outcomes|sample|here_and_now|evaluate|method|decomposition|notes|options)(\b|$)|^$/;

export function stochasticView(context: StochasticContext): HTMLElement {
  const { scenario, errors } = context;
  const bundled = specsFor(scenario.id);
  const markets = uncertainMarkets(scenario);
  const source = h(
    "select",
    { id: "stochastic-source", name: "stochastic-source" },
    ...bundled.map((entry) => h("option", { value: `bundled:${entry.name}` }, `${entry.name} (bundled spec)`)),
    h("option", { value: "sample" }, "demand drawn at random"),
  );
  const count = numberInput("stochastic-count", DEFAULT_SAMPLE.count, "1");
  const seed = numberInput("stochastic-seed", DEFAULT_SAMPLE.seed, "1");
  const sd = numberInput("stochastic-sd", DEFAULT_SAMPLE.sd * 100, "any");
  const marketBoxes = markets.map((market, i) => checkbox(`stochastic-market-${i}`, market.name ?? market.id, market.id, i === 0));
  const kinds = context.investments.length > 0 ? (["production", "procurement", "investments"] as const) : (["production", "procurement"] as const);
  const decided = kinds.map((kind) => checkbox(`stochastic-decide-${kind}`, kind, kind, DEFAULT_SAMPLE.hereAndNow.includes(kind)));
  const spec = h("textarea", {
    id: "stochastic-spec",
    name: "stochastic-spec",
    rows: 12,
    spellcheck: false,
    autocapitalize: "off",
    "aria-describedby": "stochastic-spec-hint stochastic-spec-error",
  });
  const sample = h(
    "fieldset",
    { id: "stochastic-sample" },
    h("legend", {}, "Outcomes drawn at random"),
    h("div", { class: "row" }, field("stochastic-count", "Outcomes", count), field("stochastic-seed", "Seed", seed)),
    field("stochastic-sd", "Demand's standard deviation (% of the forecast)", sd),
    markets.length === 0
      ? h("p", {}, "No market of this scenario has a demand limit to draw.")
      : h(
          "fieldset",
          { class: "choices" },
          h("legend", {}, "Uncertain demand (its limits scaled by one draw per market)"),
          ...marketBoxes.map((box) => box.field),
        ),
    h("fieldset", { class: "choices" }, h("legend", {}, "Decided before the outcome is known"), ...decided.map((box) => box.field)),
  );
  const fill = () => {
    const chosen = bundled.find((entry) => source.value === `bundled:${entry.name}`);
    sample.hidden = chosen !== undefined;
    spec.value = specText(
      chosen?.spec ??
        sampleSpec({
          count: Number(count.value),
          seed: Number(seed.value),
          sd: Number(sd.value) / 100,
          markets: marketBoxes.filter((box) => box.input.checked).map((box) => box.input.value),
          hereAndNow: decided.filter((box) => box.input.checked).map((box) => box.input.value as (typeof DEFAULT_SAMPLE.hereAndNow)[number]),
        }),
    );
  };
  fill();
  source.addEventListener("change", fill);
  sample.addEventListener("input", fill);

  const run = h("button", { type: "submit", id: "stochastic-run" }, "Run the two-stage plan");
  const progress = h("div", { id: "stochastic-progress", class: "job-progress", hidden: true });
  const result = h("div", { id: "stochastic-output" });
  const form = h(
    "form",
    { class: "panel stochastic-form", "aria-labelledby": "stochastic-form-title" },
    h("h2", { id: "stochastic-form-title" }, "Two-stage plan: decide before demand is known"),
    h(
      "p",
      {},
      "Decide production (and builds) once for several outcomes of an uncertain future, each with its probability; what is made and not sold in an outcome goes unsold. The scenario is planned with the levers as they are.",
    ),
    h("div", { class: "field" }, h("label", { for: "stochastic-source" }, "Outcomes"), source),
    sample,
    h(
      "div",
      { class: "field" },
      h("label", { for: "stochastic-spec" }, "The request (JSON)"),
      spec,
      h("small", { id: "stochastic-spec-hint" }, "What is sent: edit it to change anything."),
      errors.slot(SPEC_KEY, "stochastic-spec-error"),
    ),
    h("div", { class: "buttons" }, run),
    progress,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void runJob(context, spec.value, { run, progress, result });
  });
  return h("div", { class: "stochastic" }, form, result);
}

/** The scenario as the result reads it: the page's reading, with its investments' names. */
type ResultVocabulary = Omit<ScenarioView, "investments"> & { readonly investments: readonly NamedRecord[] };

interface Slots {
  readonly run: HTMLButtonElement;
  readonly progress: HTMLElement;
  readonly result: HTMLElement;
}

async function runJob(context: StochasticContext, text: string, { run, progress, result }: Slots): Promise<void> {
  const { errors, current, say } = context;
  errors.clear();
  const read = readSpecText(text);
  if (!read.ok) {
    errors.at(SPEC_KEY, read.message);
    say("The request could not be sent.", true);
    return;
  }
  run.disabled = true;
  result.replaceChildren();
  say("Submitting the two-stage plan…", false);
  const submitted = await submitJob("stochastic", context.ref, context.changes, read.spec, { ...context.options, ...read.options });
  if (!current()) return;
  if (!submitted.ok) {
    run.disabled = false;
    refused(context, submitted.problem);
    return;
  }
  const started = Date.now();
  const cancel = h("button", { type: "button", id: "stochastic-cancel" }, "Cancel");
  const bar = h("progress", { max: 1, value: 0, "aria-label": "Progress of the two-stage plan" });
  const words = h("span", { id: "stochastic-progress-words" });
  progress.replaceChildren(bar, words, cancel);
  progress.hidden = false;
  let job: JobView = submitted.value;
  cancel.addEventListener("click", () => {
    cancel.disabled = true;
    void cancelJob(job.id);
  });
  while (job.status === "queued" || job.status === "running") {
    bar.max = Math.max(1, job.progress.total);
    bar.value = job.progress.done;
    words.textContent = `${job.status === "queued" ? "Queued" : "Running"}: ${job.progress.done} of ${job.progress.total} done · ${Math.round((Date.now() - started) / 1000)} s`;
    say(`Two-stage plan ${job.status}…`, false);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (!current()) {
      // The planner has moved on: the job is no longer wanted.
      void cancelJob(job.id);
      return;
    }
    const polled = await getJob(job.id);
    if (!current()) return;
    if (!polled.ok) {
      progress.hidden = true;
      run.disabled = false;
      errors.show(polled.problem, context.place);
      say("The job could not be followed.", true);
      return;
    }
    job = polled.value;
  }
  progress.hidden = true;
  run.disabled = false;
  if (job.status === "succeeded" && job.result !== undefined) {
    const answer = job.result as StochasticResult;
    result.replaceChildren(stochasticResultView({ ...context.scenario, investments: context.investments }, answer));
    say(answer.expected === null ? `No two-stage plan (${answer.status}).` : "Two-stage plan ready.", true);
  } else if (job.status === "cancelled") {
    result.replaceChildren(h("p", { class: "notice", id: "stochastic-cancelled" }, "The two-stage plan was cancelled before it finished."));
    say("Cancelled.", true);
  } else {
    const problem = job.error;
    result.replaceChildren(
      h(
        "p",
        { class: "notice", id: "stochastic-failed" },
        `The two-stage plan failed: ${problem === undefined ? "no reason given" : `${problem.title}: ${problem.detail}`}`,
      ),
    );
    say("The two-stage plan failed.", true);
  }
}

/** A refused request: the spec's issues at the spec, with their paths; the scenario's and the levers' where they belong. */
function refused(context: StochasticContext, problem: Problem): void {
  context.errors.show(problem, (error) =>
    specFields.test(error.path) ? { key: SPEC_KEY, message: error.path === "" ? error.message : `${error.path}: ${error.message}` } : context.place(error),
  );
  context.say("The server refused the two-stage plan.", true);
}

/** The two-stage plan's answer: the words, the figures, the spread, the outcomes and what goes unsold, the here-and-now decisions. */
export function stochasticResultView(scenario: ResultVocabulary, result: StochasticResult): HTMLElement {
  const words = new Words(scenario);
  const objective = objectiveWords(scenario);
  const amount = (value: number | null) => (value === null ? "—" : objective.format(value));
  const unit = objective.unit;
  const summary = h("p", { id: "stochastic-words", class: "summary" }, stochasticSummary(scenario, result));
  const figures = table(
    `The figures (${objective.label}, ${unit})`,
    [{ header: "figure" }, { header: "value", numeric: true }],
    stochasticFigures(result, objective.format).map((figure) => [figure.label.trim(), figure.value]),
  );
  figures.id = "stochastic-figures";

  const planned = result.outcomes.flatMap((outcome) =>
    outcome.objective === null ? [] : [{ objective: outcome.objective, probability: outcome.probability }],
  );
  const markers: SpreadMarker[] = [
    ...(result.expected === null ? [] : [{ label: "expected", value: result.expected }]),
    ...(result.wait_and_see === null ? [] : [{ label: "wait-and-see", value: result.wait_and_see }]),
    ...(result.eev === null ? [] : [{ label: "EEV", value: result.eev }]),
  ];
  const chart =
    planned.length === 0
      ? h("p", { class: "notice" }, "No outcome has a plan: nothing to chart.")
      : spreadChart({ outcomes: planned, markers, axis: `${objective.label} (${unit})`, format: objective.format });
  chart.id = "stochastic-spread";

  const total = (rows: readonly { units: number }[]) => rows.reduce((sum, row) => sum + row.units, 0);
  const outcomes = table(
    `Outcomes (${objective.label} in ${unit})`,
    [
      { header: "outcome" },
      { header: "probability", numeric: true },
      { header: objective.label, numeric: true },
      { header: "known first", numeric: true },
      { header: "sold", numeric: true },
      { header: "unsold", numeric: true },
      { header: "targets met", numeric: true },
    ],
    result.outcomes.map((outcome) => [
      outcome.name,
      formatShare(outcome.probability),
      amount(outcome.objective),
      amount(outcome.alone),
      formatUnits(total(outcome.sales)),
      formatUnits(total(outcome.unsold)),
      `${outcome.targets.filter((row) => row.met).length}/${outcome.targets.length}`,
    ]),
  );
  outcomes.id = "stochastic-outcomes";

  const unsoldRows = result.outcomes.flatMap((outcome) => outcome.unsold.filter((row) => row.units > 1e-9).map((row) => ({ outcome: outcome.name, row })));
  const unsold =
    unsoldRows.length === 0
      ? h("p", { id: "stochastic-unsold" }, "Nothing goes unsold in any outcome.")
      : withId(
          table(
            "Unsold units by outcome",
            [
              { header: "outcome" },
              { header: "plant" },
              { header: "product" },
              ...(words.multiPeriod ? [{ header: "period" }] : []),
              { header: "units", numeric: true },
            ],
            unsoldRows.map(({ outcome, row }) => [
              outcome,
              words.plant(row.plant),
              words.product(row.product),
              ...(words.multiPeriod ? [row.period] : []),
              formatUnits(row.units),
            ]),
          ),
          "stochastic-unsold",
        );

  return h(
    "section",
    { id: "stochastic-result", class: "plan-section", "aria-labelledby": "stochastic-result-title" },
    h("h2", { id: "stochastic-result-title" }, `Two-stage plan over ${result.outcomes.length} outcome${result.outcomes.length === 1 ? "" : "s"}`),
    summary,
    h(
      "div",
      { class: "pair" },
      h("div", {}, h("p", { class: "chart-caption" }, `How likely each ${objective.label} is: the outcomes' probability by ${objective.label}`), chart),
      figures,
    ),
    h("h3", {}, "Decided here and now"),
    ...hereAndNowTables(scenario, words, result),
    h("h3", {}, "Each outcome"),
    outcomes,
    unsold,
    ...result.notes.map((note) => h("p", { class: "notice" }, `Note: ${note}`)),
  );
}

/** The here-and-now production by plant and product, period by period, and each investment's decision. */
function hereAndNowTables(scenario: ResultVocabulary, words: Words, result: StochasticResult): HTMLElement[] {
  const { production, investments, decided } = result.here_and_now;
  const tables: HTMLElement[] = [];
  if (production.length > 0) {
    const routes = [...new Set(production.map((row) => JSON.stringify([row.plant, row.product])))].map((key) => JSON.parse(key) as [string, string]);
    const units = (plant: string, product: string, period: string) =>
      production.filter((row) => row.plant === plant && row.product === product && row.period === period).reduce((sum, row) => sum + row.units, 0);
    const rows: Child[][] = routes.map(([plant, product]) => [
      `${words.plant(plant)} · ${words.product(product)}`,
      ...scenario.periods.map((period) => unitsOrDash(units(plant, product, period))),
    ]);
    const footer = [
      "total",
      ...scenario.periods.map((period) => formatUnits(production.filter((row) => row.period === period).reduce((sum, row) => sum + row.units, 0))),
    ];
    tables.push(
      withId(
        table(
          "Production decided before the outcome is known (units)",
          [{ header: "plant · product" }, ...scenario.periods.map((period) => ({ header: period, numeric: true }))],
          rows,
          footer,
        ),
        "stochastic-production",
      ),
    );
  } else {
    tables.push(h("p", { id: "stochastic-production" }, "Production waits for the outcome: each outcome's plan makes its own."));
  }
  if (investments.length > 0) {
    tables.push(
      withId(
        table(
          "Investments decided before the outcome is known",
          [{ header: "investment" }, { header: "plant" }, { header: "built" }],
          investments.map((row) => [words.investment(row.id), words.plant(row.plant), row.built ? (row.period ?? "") : "no"]),
        ),
        "stochastic-investments",
      ),
    );
  }
  if (decided.length === 0) tables.push(h("p", {}, "Nothing is decided before the outcome is known."));
  return tables;
}

function withId(element: HTMLElement, id: string): HTMLElement {
  element.id = id;
  return element;
}

function numberInput(id: string, value: number, step: string): HTMLInputElement {
  return h("input", { type: "number", id, name: id, value, step, inputmode: "decimal", required: true });
}

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h("div", { class: "field" }, h("label", { for: id }, label), control);
}

function checkbox(id: string, label: string, value: string, checked: boolean): { field: HTMLElement; input: HTMLInputElement } {
  const input = h("input", { type: "checkbox", id, name: id, value, checked });
  return { input, field: h("div", { class: "field check" }, input, h("label", { for: id }, label)) };
}
