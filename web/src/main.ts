import type { PlanOptions } from "../../src/plan/options.js";
import type { Plan } from "../../src/plan/types.js";
import { delta } from "../../src/whatif/delta.js";
import type { Variant } from "../../src/whatif/schema.js";
import {
  compareVariants,
  getScenario,
  libraryVersion,
  listScenarios,
  planScenario,
  planWorkbook,
  workbookScenario,
  sweepParameter,
  type Answer,
  type FieldError,
  type Problem,
  type ScenarioRef,
  type ScenarioSummary,
} from "./api.js";
import { releaseCharts } from "./charts.js";
import { compareView } from "./compareView.js";
import { leversPanel, scenarioPanel, type ControlActions } from "./controls.js";
import { h } from "./dom.js";
import { FieldErrors } from "./errors.js";
import { chosenSweep, leverChanges, leversInWords, selectorOf, sweepChoices, unknownLevers, type LeverChange } from "./levers.js";
import { libraryPanel } from "./libraryPanel.js";
import { planView } from "./planView.js";
import { investmentNames } from "./stochasticSpecs.js";
import { stochasticView } from "./stochasticView.js";
import { readScenario, type ScenarioView } from "./scenarioDoc.js";
import { hasLevers, initialState, NO_LEVERS, parseQuery, sameLevers, toQuery, withLever, type PageState, type Source, type View } from "./state.js";
import { sweepForm, sweepResultView, sweepSpec } from "./sweepView.js";

/**
 * The planner's page: state from the query string → scenario → request →
 * view. Every user action makes a new state, pushes it to the history (so a
 * view is a link and back/forward restore it) and shows it.
 */

const FILE_KEY = "jointplan.page.file";
/** The time a request on a scenario with investments asks for: the service's default most (JOINTPLAN_MAX_TIME_LIMIT_MS). */
const INVESTMENT_TIME_LIMIT_MS = 60_000;

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page's HTML lacks #${id}`);
  return found;
}

const layout = {
  title: element("scenario-title"),
  about: element("scenario-about"),
  controls: element("controls"),
  tabs: element("tabs"),
  status: element("status"),
  general: element("general-error"),
  notes: element("notes"),
  view: element("view"),
};

interface Session {
  scenarios: readonly ScenarioSummary[];
  /** Bundled documents already fetched, by id. */
  readonly bundled: Map<string, unknown>;
  /** The loaded file: kept in this tab (sessionStorage), as a link cannot carry it. */
  file: { readonly name: string; readonly document: unknown } | null;
}

const session: Session = { scenarios: [], bundled: new Map(), file: restoreFile() };
let state: PageState = initialState;
/** The scenario document shown: what "Save" in the library panel stores. */
let shownDocument: unknown = null;
let generation = 0;
/** The last lever moved and when, so that a run of moves of one lever (arrow keys on a slider) makes one history entry. */
let lastLeverMove: { key: string; at: number } | null = null;
let pendingShow: ReturnType<typeof setTimeout> | undefined;
/** The levers panel is open on a wide screen, folded on a phone (the plan first); then as the planner leaves it. */
let leversOpen = window.matchMedia("(min-width: 60rem)").matches;
/** The error slots of the controls on screen. */
let shownErrors = new FieldErrors(layout.general);

const actions: ControlActions = {
  chooseScenario: (id) => navigate({ ...initialState, view: state.view, source: { kind: "bundled", id } }),
  loadFile: (file) => void loadFile(file),
  setInteger: (on) => navigate({ ...state, integer: on }),
  setPeriod: (period) => navigate({ ...state, period }),
  moveLever: (kind, id, value) => {
    const key = `${kind}:${id}`;
    const now = Date.now();
    const again = lastLeverMove !== null && lastLeverMove.key === key && now - lastLeverMove.at < 1500;
    lastLeverMove = { key, at: now };
    navigate({ ...state, levers: withLever(state.levers, kind, id, value) }, again ? "replace" : "push", 300);
  },
  resetLevers: () => navigate({ ...state, levers: NO_LEVERS }),
  keepBaseline: () => navigate({ ...state, baseline: state.levers, view: "compare" }),
};

async function boot(): Promise<void> {
  window.addEventListener("popstate", () => void show(location.search));
  layout.status.textContent = "Loading…";
  const scenarios = await listScenarios();
  if (scenarios.ok) session.scenarios = scenarios.value;
  else shownErrors.show(scenarios.problem, (error) => ({ key: undefined, message: `${error.path}: ${error.message}` }));
  await show(location.search);
}

/** A new state: into the history (a link), then shown; `delayMs` lets quick successive moves make one request. */
function navigate(next: PageState, mode: "push" | "replace" = "push", delayMs = 0): void {
  const url = `${location.pathname}${toQuery(next)}`;
  if (mode === "push") history.pushState(null, "", url);
  else history.replaceState(null, "", url);
  state = next;
  clearTimeout(pendingShow);
  if (delayMs === 0) void show(location.search);
  else pendingShow = setTimeout(() => void show(location.search), delayMs);
}

async function show(search: string): Promise<void> {
  const token = ++generation;
  const current = () => token === generation;
  const parsed = parseQuery(search);
  state = parsed.state;
  layout.view.setAttribute("aria-busy", "true");
  layout.status.textContent = "Loading the scenario…";

  const documentAnswer = await scenarioDocument(state);
  if (!current()) return;
  shownDocument = documentAnswer.ok ? documentAnswer.value : null;
  const scenario = documentAnswer.ok ? readScenario(documentAnswer.value) : null;
  const period = scenario !== null && state.period !== null && scenario.periods.includes(state.period) ? state.period : (scenario?.periods[0] ?? "");
  const notes = [...parsed.ignored];
  if (scenario !== null && state.period !== null && !scenario.periods.includes(state.period))
    notes.push(`period=${state.period} (the scenario has no such period)`);

  if (scenario !== null) notes.push(...unknownLevers(scenario, state.levers), ...unknownLevers(scenario, state.baseline).map((note) => `base.${note}`));

  const errors = renderFrame(scenario, period, notes);
  if (!documentAnswer.ok || scenario === null) {
    layout.view.replaceChildren();
    if (!documentAnswer.ok) errors.show(documentAnswer.problem, (error) => placeError(error, []));
    finish("No scenario to show.");
    return;
  }
  const view: ViewContext = {
    scenario,
    period,
    ref: scenarioRef(state.source, documentAnswer.value),
    options: {
      explain: true,
      ...(state.integer === null ? {} : { integer: state.integer }),
      // Investments make a mixed-integer model whose explanation re-optimises each decision: more than the service's default time.
      ...(scenario.investments.length > 0 ? { timeLimitMs: INVESTMENT_TIME_LIMIT_MS } : {}),
    },
    wholeUnits: state.integer ?? scenario.integer,
    errors,
    current,
  };
  if (state.view === "plan") await showPlan(view);
  else if (state.view === "compare") await showComparison(view);
  else if (state.view === "stochastic") showStochastic(view, documentAnswer.value);
  else await showSweep(view);
}

/** What a view needs: the scenario and period shown, the request's scenario and options, its error slots, whether it is still the latest. */
interface ViewContext {
  readonly scenario: ScenarioView;
  readonly period: string;
  readonly ref: ScenarioRef;
  readonly options: PlanOptions;
  /** Whole units on (the option, else the scenario's own setting). */
  readonly wholeUnits: boolean;
  readonly errors: FieldErrors;
  /** False once a newer state is being shown: an answer that comes back then is dropped. */
  readonly current: () => boolean;
}

/** Header, controls and tabs for the state; returns the error slots of this rendering. */
function renderFrame(scenario: ScenarioView | null, period: string, notes: readonly string[]): FieldErrors {
  const focused = document.activeElement instanceof HTMLElement && document.activeElement.id !== "" ? document.activeElement.id : null;
  releaseCharts();
  const errors = new FieldErrors(layout.general);
  errors.clear();
  shownErrors = errors;
  const context = {
    state,
    scenarios: session.scenarios,
    scenario,
    period,
    errors,
    actions,
    leversOpen,
    onLeversToggle: (open: boolean) => (leversOpen = open),
  };
  layout.controls.replaceChildren(
    scenarioPanel(context),
    libraryPanel({
      source: state.source,
      document: shownDocument,
      scenarioId: scenario?.id ?? null,
      open: (name, version) => navigate({ ...initialState, view: state.view, source: { kind: "library", name, version } }),
      linkTo: (name, version) => `${location.pathname}${toQuery({ ...initialState, source: { kind: "library", name, version } })}`,
    }),
    leversPanel(context),
  );

  layout.title.textContent = scenario?.title ?? (state.source.kind === "bundled" ? state.source.id : state.source.name);
  document.title = `${layout.title.textContent} — jointplan`;
  layout.about.replaceChildren(...aboutScenario(scenario));
  layout.tabs.replaceChildren(
    ...(["plan", "compare", "sweep", "stochastic"] as const).map((view) => {
      const link = h(
        "a",
        { id: `tab-${view}`, href: `${location.pathname}${toQuery({ ...state, view })}`, "aria-current": state.view === view ? "page" : undefined },
        viewNames[view],
      );
      link.addEventListener("click", (event) => {
        event.preventDefault();
        navigate({ ...state, view });
      });
      return link;
    }),
  );
  layout.notes.replaceChildren(...(notes.length === 0 ? [] : [h("p", { class: "notice" }, `Not understood, so not used: ${notes.join("; ")}.`)]));
  if (focused !== null) document.getElementById(focused)?.focus();
  return errors;
}

const viewNames: Readonly<Record<View, string>> = { plan: "Plan", compare: "Compare", sweep: "Sweep", stochastic: "Stochastic" };

function aboutScenario(scenario: ScenarioView | null): HTMLElement[] {
  if (scenario === null) return [];
  const facts = [
    `${scenario.plants.length} plants`,
    `${scenario.products.length} products`,
    `${scenario.markets.length} markets`,
    `periods ${scenario.periods.join(", ")}`,
  ];
  return [h("p", {}, `${scenario.id} · ${facts.join(" · ")}`)];
}

async function showPlan({ scenario, period, ref, options, errors, current }: ViewContext): Promise<void> {
  layout.status.textContent = "Planning…";
  const levers = leverChanges(scenario, state.levers);
  const answer = await planScenario(
    ref,
    levers.map((lever) => lever.change),
    options,
  );
  if (!current()) return;
  if (!answer.ok) {
    const where = errors.show(answer.problem, (error) => placeError(error, levers));
    layout.view.replaceChildren(couldNot("plan", where, answer.problem));
    finish("The plan could not be made.");
    return;
  }
  const moved = hasLevers(state.levers)
    ? h("p", { class: "notice levers-applied", id: "levers-applied" }, h("strong", {}, "Levers moved: "), `${leversInWords(scenario, state.levers)}.`)
    : null;
  const changes = levers.map((lever) => lever.change);
  layout.view.replaceChildren(
    ...(moved === null ? [] : [moved]),
    planView(scenario, answer.value, period, () => planWorkbook(ref, changes, options)),
  );
  finish(planStatus(answer.value));
}

/** Names of the variants the page sends: the kept baseline (when it moves levers) and the current levers. */
const KEPT = "kept baseline";
const CURRENT = "current levers";

/**
 * The kept baseline against the current levers. The levers are positions
 * relative to the scenario, not steps from the baseline, so the comparison is
 * made against the scenario as it is; a kept baseline that moves levers is
 * sent as a variant too, and the page reads the difference between the two
 * plans with the library's own rule (src/whatif/delta.ts).
 */
async function showComparison({ scenario, period, ref, options, errors, current }: ViewContext): Promise<void> {
  if (sameLevers(state.levers, state.baseline)) {
    const kept = leversInWords(scenario, state.baseline);
    layout.view.replaceChildren(
      h(
        "p",
        { class: "notice", id: "compare-nothing" },
        `The levers are where the kept baseline has them (${kept}). Move a lever to make a variant; “Keep as comparison baseline” keeps the levers as they are.`,
      ),
    );
    finish("Nothing to compare yet.");
    return;
  }
  layout.status.textContent = "Comparing…";
  const keptChanges = leverChanges(scenario, state.baseline);
  const currentChanges = leverChanges(scenario, state.levers);
  const keptIsVariant = keptChanges.length > 0;
  const variants: Variant[] = [
    ...(keptIsVariant ? [{ name: KEPT, changes: keptChanges.map((lever) => lever.change) }] : []),
    { name: CURRENT, changes: currentChanges.map((lever) => lever.change) },
  ];
  const answer = await compareVariants(ref, variants, options);
  if (!current()) return;
  if (!answer.ok) {
    const currentIndex = variants.length - 1;
    const where = errors.show(answer.problem, (error) => {
      const match = /^variants\[(\d+)\]\.(changes\[\d+\].*)$/.exec(error.path);
      if (match === null) return placeError(error, []);
      if (Number(match[1]) === currentIndex) return placeError({ ...error, path: match[2] ?? "" }, currentChanges);
      return { key: undefined, message: `The kept baseline's levers, ${match[2] ?? ""}: ${error.message}` };
    });
    layout.view.replaceChildren(couldNot("comparison", where, answer.problem));
    finish("The comparison could not be made.");
    return;
  }
  const comparison = answer.value;
  const variant = comparison.variants.find((entry) => entry.name === CURRENT);
  const keptVariant = keptIsVariant ? comparison.variants.find((entry) => entry.name === KEPT) : undefined;
  if (variant === undefined || (keptIsVariant && keptVariant === undefined)) {
    layout.view.replaceChildren(h("p", { class: "notice" }, "The server's comparison does not include the variants the page asked for."));
    finish("The comparison could not be read.");
    return;
  }
  const kept = keptVariant ?? { plan: comparison.baseline, binding: comparison.binding };
  layout.view.replaceChildren(
    compareView(
      scenario,
      period,
      { ...kept, levers: leversInWords(scenario, state.baseline) },
      { ...variant, levers: leversInWords(scenario, state.levers) },
      keptVariant === undefined ? variant.delta : delta(kept, variant),
    ),
  );
  finish("Comparison ready.");
}

async function showSweep({ scenario, period, ref, options, wholeUnits, errors, current }: ViewContext): Promise<void> {
  const choices = sweepChoices(scenario, period);
  const chosen = chosenSweep(choices, state.sweep);
  const form = sweepForm(choices, chosen, state.sweep, wholeUnits, errors, {
    run: (choice, from, to, steps, mode) => {
      navigate({ ...state, sweep: { on: choice.parameter.on, selector: selectorOf(choice.parameter), from, to, steps, mode } });
    },
  });
  layout.view.replaceChildren(form);
  if (state.sweep !== null && chosen === undefined) errors.at("sweep.parameter", "The link names a parameter this scenario does not have; choose one.");
  if (state.sweep === null || chosen === undefined) {
    finish("Choose a parameter and run the sweep.");
    return;
  }
  layout.status.textContent = "Sweeping…";
  const spec = sweepSpec(chosen, state.sweep, wholeUnits);
  // The sweep moves one parameter of the scenario as the levers have it.
  const levers = leverChanges(scenario, state.levers);
  const answer = await sweepParameter(
    ref,
    levers.map((lever) => lever.change),
    spec,
    options,
  );
  if (!current()) return;
  if (!answer.ok) {
    errors.show(answer.problem, (error) => {
      const match = /^sweep\.(from|to|steps|mode|parameter)/.exec(error.path);
      return match === null ? placeError(error, levers) : { key: `sweep.${match[1] ?? ""}`, message: error.message };
    });
    finish("The sweep could not be made.");
    return;
  }
  layout.view.replaceChildren(form, sweepResultView(scenario, chosen, spec, answer.value));
  finish("Sweep ready.");
}

/** The two-stage plan's form; the plan runs as a job when the planner asks (web/src/stochasticView.ts). */
function showStochastic({ scenario, ref, errors, current }: ViewContext, document: unknown): void {
  const levers = leverChanges(scenario, state.levers);
  const view = stochasticView({
    scenario,
    investments: investmentNames(document),
    ref,
    changes: levers.map((lever) => lever.change),
    options: state.integer === null ? {} : { integer: state.integer },
    errors,
    place: (error) => placeError(error, levers),
    current,
    say: (status, done) => (done ? finish(status) : (layout.status.textContent = status)),
  });
  layout.view.replaceChildren(view);
  finish("Choose the outcomes and run the two-stage plan.");
}

/** Said in the view when the server refused a request: where its words are. */
function couldNot(what: "plan" | "comparison", where: "at fields" | "above", problem: Problem): HTMLElement {
  const levers = problem.errors.length > 0 && problem.errors.every((error) => /^(variants\[\d+\]\.)?changes\[/.test(error.path));
  const see = where === "above" ? "its words are above" : levers ? "its words are next to the lever" : "its words are next to what they name";
  return h("p", { class: "notice", id: "view-refused" }, `No ${what}: the server refused the request; ${see}.`);
}

/** A workbook's issue as the page says it: `Routes!A7: unknown plant "x" (routes[4].plant)`. */
function workbookIssue(error: FieldError): string {
  const path = error.path.replace(/^scenario\.?/, "");
  if (error.cell === undefined) return path === "" ? error.message : `${path}: ${error.message}`;
  return `${error.cell}: ${error.message}${path === "" ? "" : ` (${path})`}`;
}

/** Where a field error of a plan request belongs: the scenario choice, the file, whole units, or the lever whose change it names. */
function placeError(error: FieldError, levers: readonly LeverChange[]): { key: string | undefined; message: string } {
  const { path, message } = error;
  if (path === "scenarioId") return { key: "scenario", message };
  if (path === "scenario" || path.startsWith("scenario.") || path.startsWith("scenario[")) {
    const inFile = path.replace(/^scenario\.?/, "");
    return { key: "file", message: inFile === "" ? message : `${inFile}: ${message}` };
  }
  if (path === "options.integer") return { key: "integer", message };
  // A lever's change: the server's words at the lever (its path means nothing to a planner).
  const change = /^changes\[(\d+)\]/.exec(path);
  if (change !== null) {
    const lever = levers[Number(change[1])];
    return lever === undefined ? { key: "levers", message: `${path}: ${message}` } : { key: lever.control, message };
  }
  return { key: undefined, message: path === "" ? message : `${path}: ${message}` };
}

let shown = 0;

/** A state is shown: the view is no longer busy; `data-shown` on <html> counts the states shown (tests and screenshots wait on it). */
function finish(status: string): void {
  layout.view.removeAttribute("aria-busy");
  layout.status.textContent = status;
  document.documentElement.dataset["shown"] = String(++shown);
}

function planStatus(plan: Plan): string {
  const words = {
    optimal: "Plan ready: optimal.",
    infeasible: "No plan: the scenario is infeasible.",
    unbounded: "No plan: the scenario is unbounded.",
    time_limit: "Time limit reached.",
    undecided: "No plan: the solver could not decide.",
  };
  return words[plan.status];
}

/** The scenario document of the state: fetched once per bundled id, or the loaded file. */
/** What a request names: a bundled id, a saved version (the one shown: its number is in the document's answer), or the document. */
function scenarioRef(source: Source, document: unknown): ScenarioRef {
  if (source.kind === "bundled") return { scenarioId: source.id };
  if (source.kind === "library" && source.version !== null) return { library: { name: source.name, version: source.version } };
  return { scenario: document };
}

async function scenarioDocument(page: PageState): Promise<Answer<unknown>> {
  if (page.source.kind === "library") return libraryVersion(page.source.name, page.source.version);
  if (page.source.kind === "bundled") {
    const known = session.bundled.get(page.source.id);
    if (known !== undefined) return { ok: true, value: known };
    const answer = await getScenario(page.source.id);
    if (answer.ok) session.bundled.set(page.source.id, answer.value);
    else if (answer.problem.status === 404) {
      // An unknown id in the link: said at the scenario choice.
      return { ...answer, problem: { ...answer.problem, errors: [{ path: "scenarioId", message: answer.problem.detail }], detail: "" } };
    }
    return answer;
  }
  if (session.file !== null && session.file.name === page.source.name) return { ok: true, value: session.file.document };
  const detail = `The file ${page.source.name} was loaded in another visit; a link cannot carry a file. Load it again.`;
  return {
    ok: false,
    problem: { type: "about:blank", title: "File not loaded", status: 0, detail, errors: [{ path: "scenario", message: detail }] },
  };
}

async function loadFile(file: File): Promise<void> {
  let document: unknown;
  if (/\.xlsx$/i.test(file.name)) {
    // A workbook is read by the service (as the CLI reads one): its problems name their sheets and cells.
    layout.status.textContent = `Reading ${file.name}…`;
    const read = await workbookScenario(file);
    if (!read.ok) {
      shownErrors.clear();
      if (read.problem.errors.length === 0) shownErrors.at("file", `${file.name}: ${read.problem.detail}`);
      // Each issue at the file input, by its sheet and cell, with its path in the scenario.
      for (const error of read.problem.errors) shownErrors.at("file", workbookIssue(error));
      finish("The workbook could not be read.");
      return;
    }
    document = read.value;
  } else {
    try {
      document = JSON.parse(await file.text());
    } catch (error) {
      shownErrors.clear();
      shownErrors.at("file", `${file.name} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
      finish("The file could not be read.");
      return;
    }
  }
  session.file = { name: file.name, document };
  try {
    sessionStorage.setItem(FILE_KEY, JSON.stringify(session.file));
  } catch {
    // Too large for this tab's storage: kept in memory only (a reload asks for the file again).
  }
  navigate({ ...initialState, view: state.view, source: { kind: "file", name: file.name } });
}

function restoreFile(): Session["file"] {
  try {
    const stored = sessionStorage.getItem(FILE_KEY);
    if (stored === null) return null;
    const parsed: unknown = JSON.parse(stored);
    if (typeof parsed !== "object" || parsed === null || !("name" in parsed) || typeof parsed.name !== "string" || !("document" in parsed)) return null;
    return { name: parsed.name, document: parsed.document };
  } catch {
    return null;
  }
}

void boot();
