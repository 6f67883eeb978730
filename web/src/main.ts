import type { Plan } from "../../src/plan/types.js";
import {
  capabilities,
  compareVariants,
  getScenario,
  listScenarios,
  planScenario,
  sweepParameter,
  type Answer,
  type Capabilities,
  type FieldError,
  type PlanOptions,
  type ScenarioRef,
  type ScenarioSummary,
} from "./api.js";
import { releaseCharts } from "./charts.js";
import { compareView, CURRENT, KEPT } from "./compareView.js";
import { leversPanel, scenarioPanel, type ControlActions } from "./controls.js";
import { h } from "./dom.js";
import { FieldErrors } from "./errors.js";
import { chosenSweep, leverChanges, sweepChoices, type LeverChange } from "./levers.js";
import { planView } from "./planView.js";
import { readScenario, type ScenarioView } from "./scenarioDoc.js";
import { hasLevers, initialState, NO_LEVERS, parseQuery, toQuery, withLever, type PageState, type View } from "./state.js";
import { sweepForm, sweepResultView, sweepSpec } from "./sweepView.js";
import type { Variant } from "./whatif.js";

/**
 * The planner's page: state from the query string → scenario → request →
 * view. Every user action makes a new state, pushes it to the history (so a
 * view is a link and back/forward restore it) and shows it.
 */

const FILE_KEY = "jointplan.page.file";

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
  capabilities: Capabilities;
  /** Bundled documents already fetched, by id. */
  readonly bundled: Map<string, unknown>;
  /** The loaded file: kept in this tab (sessionStorage), as a link cannot carry it. */
  file: { readonly name: string; readonly document: unknown } | null;
}

const session: Session = { scenarios: [], capabilities: { changes: true, comparisons: true, sweeps: true }, bundled: new Map(), file: restoreFile() };
let state: PageState = initialState;
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
  const [scenarios, offered] = await Promise.all([listScenarios(), capabilities()]);
  session.capabilities = offered;
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
  const scenario = documentAnswer.ok ? readScenario(documentAnswer.value) : null;
  const period = scenario !== null && state.period !== null && scenario.periods.includes(state.period) ? state.period : (scenario?.periods[0] ?? "");
  const notes = [...parsed.ignored];
  if (scenario !== null && state.period !== null && !scenario.periods.includes(state.period))
    notes.push(`period=${state.period} (the scenario has no such period)`);

  const errors = renderFrame(scenario, period, notes);
  if (!documentAnswer.ok || scenario === null) {
    layout.view.replaceChildren();
    if (!documentAnswer.ok) errors.show(documentAnswer.problem, (error) => placeError(error, []));
    finish("No scenario to show.");
    return;
  }
  const ref: ScenarioRef = state.source.kind === "bundled" ? { scenarioId: state.source.id } : { scenario: documentAnswer.value };
  const options: PlanOptions = { explain: true, ...(state.integer === null ? {} : { integer: state.integer }) };
  if (state.view === "plan") await showPlan(scenario, period, ref, options, errors, current);
  else if (state.view === "compare") await showComparison(scenario, period, ref, options, errors, current);
  else await showSweep(scenario, period, ref, options, errors, current);
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
    changesAvailable: session.capabilities.changes,
    errors,
    actions,
    leversOpen,
    onLeversToggle: (open: boolean) => (leversOpen = open),
  };
  layout.controls.replaceChildren(scenarioPanel(context), leversPanel(context));

  layout.title.textContent = scenario?.title ?? (state.source.kind === "file" ? state.source.name : state.source.id);
  document.title = `${layout.title.textContent} — jointplan`;
  layout.about.replaceChildren(...aboutScenario(scenario));
  layout.tabs.replaceChildren(
    ...(["plan", "compare", "sweep"] as const).map((view) => {
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
  layout.notes.replaceChildren(...(notes.length === 0 ? [] : [h("p", { class: "notice" }, `Left out of the link, not understood: ${notes.join("; ")}.`)]));
  if (focused !== null) document.getElementById(focused)?.focus();
  return errors;
}

const viewNames: Readonly<Record<View, string>> = { plan: "Plan", compare: "Compare", sweep: "Sweep" };

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

async function showPlan(
  scenario: ScenarioView,
  period: string,
  ref: ScenarioRef,
  options: PlanOptions,
  errors: FieldErrors,
  current: () => boolean,
): Promise<void> {
  layout.status.textContent = "Planning…";
  let levers = session.capabilities.changes ? leverChanges(state.levers) : [];
  let answer = await planScenario(
    ref,
    levers.map((lever) => lever.change),
    options,
  );
  if (!answer.ok && answer.unsupported && levers.length > 0) {
    // The server does not take changes (its OpenAPI document did not say): say so at the levers, plan the scenario as it is.
    session.capabilities = { ...session.capabilities, changes: false };
    if (!current()) return;
    errors = renderFrame(scenario, period, []);
    levers = [];
    answer = await planScenario(ref, [], options);
  }
  if (!current()) return;
  if (!answer.ok) {
    layout.view.replaceChildren();
    errors.show(answer.problem, (error) => placeError(error, levers));
    finish("The plan could not be made.");
    return;
  }
  const plan = answer.value;
  const notApplied = !session.capabilities.changes && hasLevers(state.levers);
  layout.view.replaceChildren(
    ...(notApplied
      ? [h("p", { class: "notice" }, "The levers you moved are not applied: this server cannot apply changes yet. This is the scenario as it is.")]
      : []),
    planView(scenario, plan, period),
  );
  finish(planStatus(plan));
}

async function showComparison(
  scenario: ScenarioView,
  period: string,
  ref: ScenarioRef,
  options: PlanOptions,
  errors: FieldErrors,
  current: () => boolean,
): Promise<void> {
  const intro = h(
    "p",
    { class: "summary" },
    hasLevers(state.baseline)
      ? "The kept baseline is a set of lever positions; the variant is the levers as they are now."
      : "The kept baseline is the scenario as it is; the variant is the levers as they are now. “Keep as comparison baseline” keeps the current levers instead.",
  );
  if (!session.capabilities.comparisons || !session.capabilities.changes) {
    layout.view.replaceChildren(intro, unavailable("compare", "It cannot compare variants of a scenario yet."));
    finish("Comparisons are not available on this server.");
    return;
  }
  if (!hasLevers(state.levers) && !hasLevers(state.baseline)) {
    layout.view.replaceChildren(intro, h("p", { class: "notice" }, "Move a lever to make a variant to compare with the baseline."));
    finish("Nothing to compare yet.");
    return;
  }
  layout.status.textContent = "Comparing…";
  const keptChanges = leverChanges(state.baseline);
  const currentChanges = leverChanges(state.levers);
  const variants: Variant[] = [
    ...(keptChanges.length > 0 ? [{ name: KEPT, changes: keptChanges.map((lever) => lever.change) }] : []),
    { name: CURRENT, changes: currentChanges.map((lever) => lever.change) },
  ];
  const answer = await compareVariants(ref, variants, options);
  if (!current()) return;
  if (!answer.ok) {
    if (answer.unsupported) {
      session.capabilities = { ...session.capabilities, comparisons: false };
      layout.view.replaceChildren(intro, unavailable("compare", "It cannot compare variants of a scenario yet."));
      finish("Comparisons are not available on this server.");
      return;
    }
    layout.view.replaceChildren(intro);
    const currentIndex = variants.length - 1;
    errors.show(answer.problem, (error) => {
      const match = /^variants\[(\d+)\]\.changes(\[\d+\].*)$/.exec(error.path);
      if (match !== null && Number(match[1]) === currentIndex) return placeError({ ...error, path: `changes${match[2] ?? ""}` }, currentChanges);
      if (match !== null) return { key: undefined, message: `kept baseline, ${error.path}: ${error.message}` };
      return placeError(error, []);
    });
    finish("The comparison could not be made.");
    return;
  }
  layout.view.replaceChildren(intro, compareView(scenario, answer.value, period, keptChanges.length > 0));
  finish("Comparison ready.");
}

async function showSweep(
  scenario: ScenarioView,
  period: string,
  ref: ScenarioRef,
  options: PlanOptions,
  errors: FieldErrors,
  current: () => boolean,
): Promise<void> {
  const choices = sweepChoices(scenario, period);
  const chosen = chosenSweep(choices, state.sweep);
  const form = sweepForm(choices, chosen, state.sweep, errors, {
    run: (choice, from, to, steps, mode) => {
      const { on, ...selector } = choice.parameter;
      navigate({ ...state, sweep: { on, selector, from, to, steps: mode === "grid" ? steps : null, mode } });
    },
  });
  if (!session.capabilities.sweeps) {
    layout.view.replaceChildren(unavailable("sweep", "It cannot sweep a parameter yet."), form);
    finish("Sweeps are not available on this server.");
    return;
  }
  if (state.sweep !== null && chosen === undefined) errors.at("sweep.parameter", "The link names a parameter this scenario does not have; choose one.");
  if (state.sweep === null || chosen === undefined) {
    layout.view.replaceChildren(form);
    finish("Choose a parameter and run the sweep.");
    return;
  }
  layout.view.replaceChildren(form);
  layout.status.textContent = "Sweeping…";
  const answer = await sweepParameter(ref, sweepSpec(chosen, state.sweep), options);
  if (!current()) return;
  if (!answer.ok) {
    if (answer.unsupported) {
      session.capabilities = { ...session.capabilities, sweeps: false };
      layout.view.replaceChildren(unavailable("sweep", "It cannot sweep a parameter yet."), form);
      finish("Sweeps are not available on this server.");
      return;
    }
    errors.show(answer.problem, (error) => {
      const match = /^sweep\.(from|to|steps|mode|parameter)/.exec(error.path);
      return match === null ? placeError(error, []) : { key: `sweep.${match[1] ?? ""}`, message: error.message };
    });
    finish("The sweep could not be made.");
    return;
  }
  layout.view.replaceChildren(form, sweepResultView(scenario, chosen, answer.value));
  finish("Sweep ready.");
}

function unavailable(view: "compare" | "sweep", reason: string): HTMLElement {
  return h("p", { class: "notice", id: `${view}-unavailable` }, h("strong", {}, "Not available on this server. "), reason);
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
  const change = /^changes\[(\d+)\]/.exec(path);
  if (change !== null) {
    const lever = levers[Number(change[1])];
    return { key: lever?.control ?? "levers", message: `${path}: ${message}` };
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
async function scenarioDocument(page: PageState): Promise<Answer<unknown>> {
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
    unsupported: false,
    problem: { type: "about:blank", title: "File not loaded", status: 0, detail, errors: [{ path: "scenario", message: detail }] },
  };
}

async function loadFile(file: File): Promise<void> {
  let document: unknown;
  try {
    document = JSON.parse(await file.text());
  } catch (error) {
    shownErrors.clear();
    shownErrors.at("file", `${file.name} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    finish("The file could not be read.");
    return;
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
