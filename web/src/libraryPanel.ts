import { libraryDiff, libraryHistory, listLibrary, saveLibraryVersion, type LibraryDiff } from "./api.js";
import { h } from "./dom.js";
import type { Source } from "./state.js";

/**
 * The scenario library on the page (docs/scenario-library.md): open a saved
 * scenario, save the one shown with a message, its history with a link to
 * each version, and what changed from the version before. Everything others
 * saved — names, titles, messages — is put on the page as text, never as
 * markup (`h` makes text nodes of strings).
 */
export interface LibraryPanelContext {
  readonly source: Source;
  /** The scenario document shown (what a save stores), or null when none is loaded. */
  readonly document: unknown;
  /** The scenario's id, the name a first save suggests. */
  readonly scenarioId: string | null;
  /** Opens a saved version (null: the latest). */
  readonly open: (name: string, version: number | null) => void;
  /** The link of a saved version. */
  readonly linkTo: (name: string, version: number) => string;
}

export function libraryPanel(context: LibraryPanelContext): HTMLElement {
  const { source } = context;
  const status = h("p", { id: "library-status", class: "hint", role: "status" });
  const picker = h("select", { id: "library-select", "aria-label": "Saved scenarios" }, h("option", { value: "" }, "Loading the library…"));
  const openButton = h("button", { type: "button", id: "library-open" }, "Open");
  openButton.addEventListener("click", () => {
    if (picker.value !== "") context.open(picker.value, null);
  });

  const nameInput = h("input", {
    id: "library-name",
    name: "library-name",
    type: "text",
    maxlength: 200,
    value: source.kind === "library" ? source.name : (context.scenarioId ?? ""),
  });
  const messageInput = h("input", { id: "library-message", name: "library-message", type: "text", maxlength: 2000, placeholder: "What this version changes" });
  const saveButton = h("button", { type: "button", id: "library-save", disabled: context.document === null }, "Save");
  const history = h("div", { id: "library-history" });
  const diff = h("div", { id: "library-diff" });

  /** The latest version of each saved name, as last read: a save follows it (If-Match). */
  const latest = new Map<string, number>();

  const refresh = async () => {
    const listed = await listLibrary();
    if (!listed.ok) {
      picker.replaceChildren(h("option", { value: "" }, "The library cannot be read"));
      status.textContent = listed.problem.detail;
      return;
    }
    latest.clear();
    for (const entry of listed.value) latest.set(entry.name, entry.latest);
    picker.replaceChildren(
      h("option", { value: "" }, listed.value.length === 0 ? "Nothing saved yet" : "Choose a saved scenario…"),
      ...listed.value.map((entry) =>
        h(
          "option",
          { value: entry.name, selected: source.kind === "library" && source.name === entry.name },
          `${entry.name} — ${entry.title} (v${entry.latest})`,
        ),
      ),
    );
  };

  saveButton.addEventListener("click", () => {
    void (async () => {
      const name = nameInput.value;
      if (name === "") {
        status.textContent = "Give the scenario a name to save it under.";
        return;
      }
      // Saving the version opened follows it; saving under another existing name follows that name's latest.
      const after = source.kind === "library" && source.name === name && source.version !== null ? source.version : (latest.get(name) ?? null);
      status.textContent = "Saving…";
      const saved = await saveLibraryVersion(name, context.document, messageInput.value, after);
      if (!saved.ok) {
        status.textContent =
          saved.problem.status === 412
            ? `Not saved: another save of “${name}” came first. Open its latest version, then save again.`
            : `Not saved: ${saved.problem.detail}${saved.problem.errors.length === 0 ? "" : ` ${saved.problem.errors.map((error) => `${error.path}: ${error.message}`).join("; ")}`}`;
        return;
      }
      messageInput.value = "";
      context.open(saved.value.name, saved.value.version);
    })();
  });

  const showHistory = async (name: string, version: number | null) => {
    const answer = await libraryHistory(name);
    if (!answer.ok) {
      history.replaceChildren(h("p", { class: "hint" }, answer.problem.detail));
      return;
    }
    const shown = version ?? answer.value.latest;
    history.replaceChildren(
      h("h3", {}, "History"),
      h(
        "ol",
        { class: "library-versions", reversed: true },
        ...answer.value.versions.map((entry) =>
          h(
            "li",
            { "data-version": entry.version, "aria-current": entry.version === shown ? "true" : undefined },
            h("a", { href: context.linkTo(name, entry.version) }, `v${entry.version}`),
            ` ${entry.created_at.slice(0, 16).replace("T", " ")} · ${entry.author} · `,
            h("span", { class: "library-message" }, entry.message === "" ? "(no message)" : entry.message),
          ),
        ),
      ),
    );
    if (shown > 1) {
      const diffButton = h("button", { type: "button", id: "library-diff-button" }, `What changed from v${shown - 1}`);
      diffButton.addEventListener("click", () => {
        void (async () => {
          const changes = await libraryDiff(name, shown - 1, shown);
          diff.replaceChildren(changes.ok ? diffList(changes.value) : h("p", { class: "hint" }, changes.problem.detail));
        })();
      });
      history.append(diffButton);
    }
  };

  void refresh();
  if (source.kind === "library") void showHistory(source.name, source.version);

  return h(
    "section",
    { id: "library", class: "panel", "aria-labelledby": "library-heading" },
    h("h2", { id: "library-heading" }, "Scenario library"),
    h("div", { class: "field" }, picker, openButton),
    h(
      "div",
      { class: "field" },
      h("label", { for: "library-name" }, "Save as"),
      nameInput,
      h("label", { for: "library-message" }, "Message"),
      messageInput,
      saveButton,
      h("p", { class: "hint" }, "Saves the scenario as opened; the levers are not part of it."),
    ),
    status,
    history,
    diff,
  );
}

/** A diff as lines of text: each Change, record added, removed or edited, and top-level field. */
function diffList(diff: LibraryDiff): HTMLElement {
  const json = (value: unknown) => (value === undefined ? "(none)" : JSON.stringify(value));
  const key = (value: Readonly<Record<string, string>>) => Object.values(value).join(" / ");
  const lines = [
    ...diff.fields.map((field) => `${field.field}: ${json(field.from)} → ${json(field.to)}`),
    ...diff.changes.map((change) => {
      const { set, periods, on, field, ...selector } = change;
      return `${on} ${Object.values(selector).map(String).join(" / ")} ${field ?? "capacity"}${periods === undefined ? "" : ` in ${periods.join(", ")}`} = ${json(set)}`;
    }),
    ...diff.added.map((added) => `added ${added.records} ${key(added.key)}`),
    ...diff.removed.map((removed) => `removed ${removed.records} ${key(removed.key)}`),
    ...diff.edited.map((edit) => `${edit.records} ${key(edit.key)} ${edit.field}: ${json(edit.from)} → ${json(edit.to)}`),
  ];
  return h(
    "div",
    {},
    h("h3", {}, `What changed from v${diff.from} to v${diff.to}`),
    lines.length === 0 ? h("p", {}, "No differences.") : h("ul", { class: "library-changes" }, ...lines.map((line) => h("li", {}, line))),
  );
}
