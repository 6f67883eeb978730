import type { ColumnTag, LinearProgram, RowTag } from "../formulate/lp.js";
import { at } from "../util/invariant.js";

/**
 * The solver-neutral LP as CPLEX LP text, for handing a model to any other
 * solver (CPLEX, Gurobi, HiGHS, GLPK, CBC, SCIP read it).
 *
 * Names come from the domain tags — `make(andijan,city,2020)`,
 * `capacity(andijan,assembly_hours,2020)`, `demand(KZ,suv,2020).min` — so the
 * file reads in the scenario's terms. User ids are written as tokens of
 * letters, digits, `_` and `.` only: every other character becomes `_`, and an
 * id whose token another id already has gets a `~2`, `~3` … suffix, so
 * distinct ids stay distinct (a comment lists each id whose token differs).
 * Every name starts with a letter and contains `(`, so none can be read as a
 * number or a keyword.
 *
 * Portability choices: a row with two finite, different bounds (a range) is
 * written as two rows, `<name>.min` and `<name>.max`, since range syntax is not
 * read alike by all solvers; a row with no finite bound constrains nothing and
 * is left out; every column gets an explicit bound line, so columns that appear
 * in no row are kept; long expressions are wrapped well below the 510-character
 * line limit of the format.
 */
export interface CplexLpOptions {
  /** First comment line, e.g. which scenario the model came from. */
  readonly title?: string;
}

const MAX_LINE = 200;
const MAX_NAME = 255;

export function toCplexLp(lp: LinearProgram, options: CplexLpOptions = {}): string {
  const tokens = new IdTokens();
  const names = new UniqueNames();
  const columns = lp.columns.map((column) => ({ column, name: names.claim(columnName(column.tag, tokens)) }));
  const rows = lp.rows.map((row) => ({ row, base: rowName(row.tag, tokens) }));
  const nameOf = (j: number) => at(columns, j, "column").name;

  const out: string[] = [];
  if (options.title !== undefined) out.push(`\\ ${oneLine(options.title)}`);
  const integerColumns = lp.columns.filter((column) => column.integer).length;
  out.push(`\\ ${lp.columns.length} columns, ${lp.rows.length} rows${integerColumns > 0 ? `, ${integerColumns} integer columns` : ""}`);
  for (const [id, token] of tokens.renamed()) out.push(`\\ ${token} stands for ${oneLine(JSON.stringify(id))}`);

  out.push(lp.sense === "max" ? "Maximize" : "Minimize");
  const objective: Term[] = [];
  for (const { column, name } of columns) {
    if (column.cost !== 0) objective.push([column.cost, name]);
  }
  out.push(...expression(" obj:", objective, ""));

  out.push("Subject To");
  for (const { row, base } of rows) {
    const terms: Term[] = row.columns.map((j, n) => [at(row.values, n, "row coefficient"), nameOf(j)]);
    // An empty row still constrains (0 against its bounds): write it on a column at 0 coefficient.
    const anyColumn = columns[0];
    if (terms.length === 0 && anyColumn !== undefined) terms.push([0, anyColumn.name]);
    if (terms.length === 0) continue;
    const { lower, upper } = row;
    if (lower === upper) out.push(...expression(` ${names.claim(base)}:`, terms, ` = ${number(lower)}`));
    else if (lower > -Infinity && upper < Infinity) {
      out.push(...expression(` ${names.claim(`${base}.min`)}:`, terms, ` >= ${number(lower)}`));
      out.push(...expression(` ${names.claim(`${base}.max`)}:`, terms, ` <= ${number(upper)}`));
    } else if (lower > -Infinity) out.push(...expression(` ${names.claim(base)}:`, terms, ` >= ${number(lower)}`));
    else if (upper < Infinity) out.push(...expression(` ${names.claim(base)}:`, terms, ` <= ${number(upper)}`));
  }

  out.push("Bounds");
  for (const { column, name } of columns) {
    const { lower, upper } = column;
    if (lower === upper) out.push(` ${name} = ${number(lower)}`);
    else if (lower === -Infinity && upper === Infinity) out.push(` ${name} free`);
    else if (upper === Infinity) out.push(` ${name} >= ${number(lower)}`);
    else out.push(` ${lower === -Infinity ? "-inf" : number(lower)} <= ${name} <= ${number(upper)}`);
  }

  if (integerColumns > 0) {
    out.push("General");
    out.push(...wrap(columns.flatMap(({ column, name }) => (column.integer ? [name] : []))));
  }
  out.push("End", "");
  return out.join("\n");
}

type Term = [coefficient: number, name: string];

function columnName(tag: ColumnTag, tokens: IdTokens): string {
  switch (tag.kind) {
    case "make":
    case "stock":
    case "unsold":
      return `${tag.kind}(${tokens.of(tag.plant)},${tokens.of(tag.product)},${tokens.of(tag.period)})`;
    case "sell":
      return `sell(${tokens.of(tag.plant)},${tokens.of(tag.product)},${tokens.of(tag.market)},${tokens.of(tag.period)})`;
    case "buy":
      return tag.plant === undefined
        ? `buy(${tokens.of(tag.part)},${tokens.of(tag.source)},${tokens.of(tag.period)})`
        : `buy(${tokens.of(tag.part)},${tokens.of(tag.source)},${tokens.of(tag.plant)},${tokens.of(tag.period)})`;
    case "build":
      return `build(${tokens.of(tag.investment)},${tokens.of(tag.period)})`;
  }
}

function rowName(tag: RowTag, tokens: IdTokens): string {
  switch (tag.family) {
    case "balance":
      return `balance(${tokens.of(tag.plant)},${tokens.of(tag.product)},${tokens.of(tag.period)})`;
    case "capacity":
      return `capacity(${tokens.of(tag.plant)},${tokens.of(tag.resource)},${tokens.of(tag.period)})`;
    case "parts":
      return tag.plant === undefined
        ? `parts(${tokens.of(tag.part)},${tokens.of(tag.period)})`
        : `parts(${tokens.of(tag.part)},${tokens.of(tag.plant)},${tokens.of(tag.period)})`;
    case "source_capacity":
      return `source_capacity(${tokens.of(tag.part)},${tokens.of(tag.source)},${tokens.of(tag.period)})`;
    case "lane_capacity":
      return `lane_capacity(${tokens.of(tag.part)},${tokens.of(tag.source)},${tokens.of(tag.plant)},${tokens.of(tag.period)})`;
    case "investment_once":
      return `investment_once(${tokens.of(tag.investment)})`;
    case "investment_group":
      return `investment_group(${tokens.of(tag.group)})`;
    case "shipping_capacity":
      return `shipping_capacity(${tokens.of(tag.plant)},${tokens.of(tag.product)},${tokens.of(tag.market)},${tokens.of(tag.period)})`;
    case "demand":
      return `demand(${tokens.of(tag.market)},${tokens.of(tag.product)},${tokens.of(tag.period)})`;
    case "units_target":
      return `units_target(${tokens.of(tag.target)},${tokens.of(tag.period)})`;
    case "export_share_target":
    case "local_parts_share_target":
      return `${tag.family}(${tokens.of(tag.target)},${tokens.of(tag.period)},${tag.bound})`;
  }
}

/** User id → LP-legal token, one-to-one. */
class IdTokens {
  private readonly byId = new Map<string, string>();
  private readonly taken = new Set<string>();

  of(id: string): string {
    let token = this.byId.get(id);
    if (token === undefined) {
      const base = id.replace(/[^A-Za-z0-9_.]/g, "_");
      token = base;
      for (let n = 2; this.taken.has(token); n++) token = `${base}~${n}`;
      this.byId.set(id, token);
      this.taken.add(token);
    }
    return token;
  }

  /** Ids written differently from how they read in the scenario. */
  renamed(): [string, string][] {
    return [...this.byId].filter(([id, token]) => id !== token);
  }
}

/**
 * Names as written: unique across the file. Tags are unique and tokens
 * one-to-one, so a clash can only come from shortening a name over the
 * format's 255-character limit; it gets a `~n` suffix.
 */
class UniqueNames {
  private readonly used = new Set<string>();
  private shortened = 0;

  claim(name: string): string {
    let claimed = name.length <= MAX_NAME ? name : `${name.slice(0, MAX_NAME - 12)}~${++this.shortened}`;
    while (this.used.has(claimed)) claimed = `${name.slice(0, MAX_NAME - 12)}~${++this.shortened}`;
    this.used.add(claimed);
    return claimed;
  }
}

/** `head term term … tail`, wrapped onto continuation lines. */
function expression(head: string, terms: readonly Term[], tail: string): string[] {
  const lines: string[] = [];
  let line = head;
  for (const [coefficient, name] of terms) {
    const sign = coefficient < 0 || Object.is(coefficient, -0) ? "-" : "+";
    const magnitude = Math.abs(coefficient);
    const term = ` ${sign} ${magnitude === 1 ? "" : `${number(magnitude)} `}${name}`;
    if (line.length + term.length > MAX_LINE && line.trim() !== "") {
      lines.push(line);
      line = "";
    }
    line += term;
  }
  line += tail;
  lines.push(line);
  return lines;
}

function wrap(names: readonly string[]): string[] {
  const lines: string[] = [];
  let line = "";
  for (const name of names) {
    if (line.length + name.length + 1 > MAX_LINE && line !== "") {
      lines.push(line);
      line = "";
    }
    line += ` ${name}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** Shortest text that reads back as the same double. */
function number(value: number): string {
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  return String(value);
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}
