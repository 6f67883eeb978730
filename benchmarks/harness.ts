import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { at } from "../src/util/invariant.js";

/** Shared benchmark helpers: machine line, timing, medians. Benchmarks report medians and ratios, never lone times. */

export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  return `${cpu} × ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ${loadLine()}`;
}

/** The machine is shared: the load average says how much other work ran alongside. */
export function loadLine(): string {
  return `load average ${loadavg()
    .map((load) => load.toFixed(1))
    .join(" / ")} (1 / 5 / 15 min)`;
}

/** The median; NaN for no values. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  const upper = at(sorted, middle, "middle sample");
  return sorted.length % 2 === 1 ? upper : (at(sorted, middle - 1, "middle sample") + upper) / 2;
}

/** The p-th percentile; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function time(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/**
 * Times several contenders on the same machine in the same run, interleaved
 * round by round so that load from other processes hits all of them alike.
 */
export function compare(contenders: Record<string, () => unknown>, options: { warmup: number; rounds: number }): Record<string, number[]> {
  const entries = Object.entries(contenders).map(([name, run]) => ({ name, run, samples: new Array<number>() }));
  for (let i = 0; i < options.warmup; i++) for (const { run } of entries) run();
  for (let i = 0; i < options.rounds; i++) {
    for (const { run, samples } of i % 2 === 0 ? entries : [...entries].reverse()) samples.push(time(run));
  }
  return Object.fromEntries(entries.map(({ name, samples }) => [name, samples]));
}

export const ms = (value: number) => `${value.toFixed(value < 10 ? 3 : 1)} ms`;

/** A GitHub-flavoured markdown table (also readable on a terminal), as lines. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly ("left" | "right")[]): string[] {
  const widths = headers.map((header, c) => Math.max(header.length, 3, ...rows.map((row) => (row[c] ?? "").length)));
  const cell = (text: string, c: number) => (align[c] === "right" ? text.padStart(at(widths, c, "column width")) : text.padEnd(at(widths, c, "column width")));
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
  const rule = `|${widths.map((width, c) => (align[c] === "right" ? `${"-".repeat(width + 1)}:` : `:${"-".repeat(width + 1)}`)).join("|")}|`;
  return [line(headers), rule, ...rows.map(line)];
}

/**
 * A benchmark script's command line: `--smoke`, `--help` and the given
 * whole-number options (`--rounds 4`). An unknown flag or a value that is not
 * a whole number ≥ 1 prints the usage and exits 1; `--help` prints it and exits 0.
 */
export function benchArguments<K extends string>(usage: string, defaults: Readonly<Record<K, number>>): { smoke: boolean } & Record<K, number> {
  const numbers = Object.keys(defaults) as K[];
  const fail = (message: string): never => {
    console.error(`${message}\n\n${usage}`);
    process.exit(1);
  };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: {
        smoke: { type: "boolean" },
        help: { type: "boolean" },
        ...Object.fromEntries(numbers.map((name) => [name, { type: "string" as const }])),
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
  if (parsed.values["help"] === true) {
    console.log(usage);
    process.exit(0);
  }
  const result = { smoke: parsed.values["smoke"] === true } as { smoke: boolean } & Record<K, number>;
  for (const name of numbers) {
    const text = parsed.values[name];
    const value = typeof text === "string" ? Number(text) : defaults[name];
    if (!Number.isInteger(value) || value < 1) fail(`--${name} expects a whole number of at least 1`);
    (result as Record<K, number>)[name] = value;
  }
  return result;
}

/**
 * benchmarks/RESULTS.md holds every measured figure, one section per command
 * (`npm run bench`, `npm run bench:http`) between its own markers. A command
 * rewrites its own section only, so a run of one keeps the other's figures.
 */
export const RESULTS_FILE = new URL("./RESULTS.md", import.meta.url);

const RESULTS_HEADER = [
  "# jointplan benchmarks",
  "",
  "Measured figures, each section written by the command named in its heading. What each measures, and its targets: [docs/development.md](../docs/development.md#benchmarks).",
  "Medians and ratios against a baseline measured in the same run; the machine line says what else ran.",
];

/** `document` (the text of RESULTS.md, or "" for none) with the section of `command` replaced by `lines`, or appended. */
export function withResultsSection(document: string, command: string, lines: readonly string[]): string {
  const begin = `<!-- ${command}: begin -->`;
  const end = `<!-- ${command}: end -->`;
  const section = [begin, ...lines, end].join("\n");
  const text = document.trim() === "" ? RESULTS_HEADER.join("\n") : document.trimEnd();
  const from = text.indexOf(begin);
  const to = text.indexOf(end, from);
  if (from === -1 || to === -1) return `${text}\n\n${section}\n`;
  return `${text.slice(0, from)}${section}${text.slice(to + end.length)}\n`;
}

export function writeResultsSection(command: string, lines: readonly string[]): void {
  const document = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, "utf8") : "";
  writeFileSync(RESULTS_FILE, withResultsSection(document, command, lines));
}
