import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { storageFromEnv } from "../library/database.js";
import { diffScenarios, type ScenarioDiff } from "../library/diff.js";
import { messageIssue, nameIssue } from "../library/names.js";
import { LibraryStore } from "../library/store.js";
import { parseScenario } from "../scenario/parse.js";
import { checkScenario, formatIssues } from "./scenarioFiles.js";
import { renderTable } from "./table.js";

export const libraryUsage = `  jointplan library list [--json]
  jointplan library push <file-or-bundled-id> [--name n] [-m message]
  jointplan library log <name> [--json]
  jointplan library pull <name>[@version] [-o file]
  jointplan library diff <name>@a <name>@b [--json]
      The scenario library (docs/scenario-library.md): saved scenarios by name, each save a new version.
      Embedded in JOINTPLAN_DATA_DIR (default ./.jointplan), or the PostgreSQL server of JOINTPLAN_DATABASE_URL.`;

export interface LibraryIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

/** Bad input of a library command: exit 1, with this message. */
export class LibraryCommandError extends Error {}

/** `jointplan library …`: the same store as the service's, opened for the command and closed after it. */
export async function libraryCommand(argv: readonly string[], io: LibraryIo): Promise<number> {
  const [sub, ...rest] = argv;
  const run = commands[sub ?? ""];
  if (run === undefined)
    throw new LibraryCommandError(
      sub === undefined ? "library needs a command: list, push, log, pull or diff" : `unknown library command ${JSON.stringify(sub)}`,
    );
  const { values, positionals } = parsed(rest);
  let store: LibraryStore | undefined;
  const open = async () => (store ??= await LibraryStore.open(storageFromEnv(io.env)));
  try {
    return await run({ values, positionals, open, io });
  } finally {
    await store?.close();
  }
}

interface Invocation {
  readonly values: { json?: boolean; name?: string; message?: string; output?: string };
  readonly positionals: readonly string[];
  readonly open: () => Promise<LibraryStore>;
  readonly io: LibraryIo;
}

function parsed(argv: readonly string[]): Pick<Invocation, "values" | "positionals"> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { json: { type: "boolean" }, name: { type: "string" }, message: { type: "string", short: "m" }, output: { type: "string", short: "o" } },
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (error) {
    throw new LibraryCommandError(error instanceof Error ? error.message : String(error));
  }
}

function arguments_(positionals: readonly string[], count: number, what: string): string[] {
  if (positionals.length !== count) throw new LibraryCommandError(`${what}, got ${positionals.length} argument${positionals.length === 1 ? "" : "s"}`);
  return [...positionals];
}

/** `name@3` → name and version; a name may itself hold "@": only a trailing `@<number>` is a version. */
export function parseReference(text: string): { name: string; version?: number } {
  const match = /^(.*)@([1-9]\d{0,8})$/s.exec(text);
  const name = match?.[1] ?? text;
  const issue = nameIssue(name);
  if (issue !== undefined) throw new LibraryCommandError(`library name ${JSON.stringify(name)}: ${issue}`);
  return match?.[2] === undefined ? { name } : { name, version: Number(match[2]) };
}

const shortHash = (hash: string) => hash.slice(0, 12);
/** Text from others (names, titles, messages) on one line: control characters shown as escapes, never acted on by the terminal. */
// eslint-disable-next-line no-control-regex -- control characters are what this replaces
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

const commands: Readonly<Record<string, (invocation: Invocation) => Promise<number>>> = {
  async list({ values, positionals, open, io }) {
    arguments_(positionals, 0, "library list takes no arguments");
    const entries = await (await open()).list();
    if (values.json === true) io.out(`${JSON.stringify(entries, null, 2)}\n`);
    else if (entries.length === 0) io.out("The library is empty: jointplan library push <file> saves a scenario.\n");
    else {
      const rows = entries.map((entry) => [oneLine(entry.name), String(entry.latest), entry.updated_at, oneLine(entry.title)]);
      io.out(`${renderTable([{ header: "name" }, { header: "latest", align: "right" }, { header: "saved" }, { header: "title" }], rows)}\n`);
    }
    return 0;
  },

  async push({ values, positionals, open, io }) {
    const [source] = arguments_(positionals, 1, "library push takes one scenario file (or bundled id)");
    const checked = await checkScenario(source ?? "");
    if (!checked.ok) {
      io.err(`jointplan: ${source ?? ""} is not a valid scenario; nothing is saved\n${formatIssues(checked.issues)}`);
      return 1;
    }
    const name = values.name ?? checked.scenario.id;
    const nameProblem = nameIssue(name);
    if (nameProblem !== undefined) throw new LibraryCommandError(`--name: ${nameProblem}`);
    const message = values.message ?? "";
    const messageProblem = messageIssue(message);
    if (messageProblem !== undefined) throw new LibraryCommandError(`-m: ${messageProblem}`);
    const store = await open();
    const latest = (await store.version(name))?.info.version ?? null;
    const outcome = await store.save(name, checked.scenario, { message, author: "anonymous", expected: latest });
    if (outcome.kind !== "saved") {
      io.err(`jointplan: another save of ${JSON.stringify(name)} came first (now at version ${outcome.latest ?? "none"}); push again to save after it\n`);
      return 1;
    }
    const { version, hash } = outcome.version;
    io.out(`saved ${oneLine(name)}@${version} (${shortHash(hash)})\n`);
    return 0;
  },

  async log({ values, positionals, open, io }) {
    const [text] = arguments_(positionals, 1, "library log takes one name");
    const { name } = parseReference(text ?? "");
    const history = await (await open()).history(name);
    if (history === undefined) throw new LibraryCommandError(`nothing is saved as ${JSON.stringify(name)}`);
    if (values.json === true) {
      io.out(`${JSON.stringify(history, null, 2)}\n`);
      return 0;
    }
    const rows = history.versions.map((version) => [
      String(version.version),
      version.created_at,
      oneLine(version.author),
      shortHash(version.hash),
      oneLine(version.title),
      oneLine(version.message),
    ]);
    const columns = [
      { header: "version", align: "right" as const },
      { header: "saved" },
      { header: "author" },
      { header: "hash" },
      { header: "title" },
      { header: "message" },
    ];
    io.out(`${oneLine(name)}\n${renderTable(columns, rows)}\n`);
    if (history.results.length > 0) {
      const results = history.results.map((result) => [result.id, String(result.version), result.kind, result.status, result.created_at]);
      io.out(
        `\nsaved results\n${renderTable([{ header: "id" }, { header: "version", align: "right" }, { header: "kind" }, { header: "status" }, { header: "saved" }], results)}\n`,
      );
    }
    return 0;
  },

  async pull({ values, positionals, open, io }) {
    const [text] = arguments_(positionals, 1, "library pull takes one name[@version]");
    const { name, version } = parseReference(text ?? "");
    const found = await (await open()).version(name, version);
    if (found === undefined)
      throw new LibraryCommandError(
        version === undefined ? `nothing is saved as ${JSON.stringify(name)}` : `${JSON.stringify(name)} has no version ${version}`,
      );
    const pretty = `${JSON.stringify(JSON.parse(found.content), null, 2)}\n`;
    if (values.output === undefined) io.out(pretty);
    else {
      writeFileSync(values.output, pretty);
      io.err(`wrote ${oneLine(name)}@${found.info.version} to ${values.output}\n`);
    }
    return 0;
  },

  async diff({ values, positionals, open, io }) {
    const [fromText, toText] = arguments_(positionals, 2, "library diff takes two versions: name@a name@b");
    const store = await open();
    const load = async (text: string) => {
      const { name, version } = parseReference(text);
      const found = await store.version(name, version);
      if (found === undefined)
        throw new LibraryCommandError(
          version === undefined ? `nothing is saved as ${JSON.stringify(name)}` : `${JSON.stringify(name)} has no version ${version}`,
        );
      return { label: `${oneLine(name)}@${found.info.version}`, scenario: parseScenario(JSON.parse(found.content)) };
    };
    const from = await load(fromText ?? "");
    const to = await load(toText ?? "");
    const diff = diffScenarios(from.scenario, to.scenario);
    if (values.json === true) io.out(`${JSON.stringify(diff, null, 2)}\n`);
    else io.out(`${from.label} → ${to.label}\n${diffText(diff)}\n`);
    return 0;
  },
};

/** A diff in lines a planner reads: one line per top-level field, Change, record added, removed or edited. */
export function diffText(diff: ScenarioDiff): string {
  const json = (value: unknown) => (value === undefined ? "(none)" : oneLine(JSON.stringify(value)));
  const key = (value: Readonly<Record<string, string>>) => oneLine(Object.values(value).join(" / "));
  const lines = [
    ...diff.fields.map((field) => `  field   ${field.field}: ${json(field.from)} → ${json(field.to)}`),
    ...diff.changes.map((change) => {
      const { set, periods, ...selector } = change;
      const where = Object.entries(selector)
        .filter(([field]) => field !== "on" && field !== "field")
        .map(([, value]) => String(value))
        .join(" / ");
      return `  change  ${change.on} ${oneLine(where)} ${change.field ?? "capacity"}${periods === undefined ? "" : ` in ${periods.join(", ")}`} = ${json(set)}`;
    }),
    ...diff.added.map((added) => `  added   ${added.records} ${key(added.key)}`),
    ...diff.removed.map((removed) => `  removed ${removed.records} ${key(removed.key)}`),
    ...diff.edited.map((edit) => `  edited  ${edit.records} ${key(edit.key)} ${edit.field}: ${json(edit.from)} → ${json(edit.to)}`),
  ];
  return lines.length === 0 ? "  no differences" : lines.join("\n");
}
