import { formulate, type Formulation } from "../formulate/index.js";
import type { Column, ColumnTag, LinearProgram, Row } from "../formulate/lp.js";
import type { Scenario } from "../scenario/schema.js";
import { defined } from "../util/invariant.js";
import { sampleMultipliers } from "../montecarlo/distributions.js";
import { ScaledLp } from "../montecarlo/scaledLp.js";
import type { PreparedStochastic } from "./outcomes.js";
import type { HereAndNowKind } from "./schema.js";

/** The kind of column each here-and-now decision is. */
const columnKinds: Record<HereAndNowKind, ColumnTag["kind"]> = { production: "make", procurement: "buy", investments: "build" };

/** Which columns are decided before the outcome is known. */
export function hereAndNowColumns(kinds: readonly HereAndNowKind[]): (tag: ColumnTag) => boolean {
  const chosen = new Set(kinds.map((kind) => columnKinds[kind]));
  return (tag) => chosen.has(tag.kind);
}

/** A here-and-now column's key: its tag, which names it in the scenario's terms and is the same in every outcome's model. */
export function columnKey(tag: ColumnTag): string {
  return JSON.stringify(tag);
}

/**
 * One outcome's model: the one formulation of the scenario (formulate/), with
 * unsold units allowed, for the outcome's scenario. Every solve of the
 * two-stage plan — the extensive form, each outcome alone, the mean outcome,
 * an outcome with the here-and-now decisions fixed — is on such a model.
 */
export function outcomeFormulation(scenario: Scenario, integer: boolean): Formulation {
  return formulate(scenario, { integer, unsold: true });
}

/**
 * Every outcome's model, in order. Sampled outcomes are one formulation
 * whose numbers are moved to each draw's (`ScaledLp`, as Monte Carlo moves
 * them: the same LP as the drawn scenario's, to the bit); listed outcomes,
 * whose changes may set what the scenario leaves unset, are each formulated.
 */
export function outcomeModels(prepared: PreparedStochastic, integer: boolean): { readonly probability: number; readonly formulation: Formulation }[] {
  const { monteCarlo, outcomes } = prepared;
  if (monteCarlo === undefined) {
    return outcomes.map((outcome) => ({ probability: outcome.probability, formulation: outcomeFormulation(outcome.scenario, integer) }));
  }
  const scaled = new ScaledLp(prepared.base, monteCarlo.selections, integer, true);
  return outcomes.map((outcome, i) => ({
    probability: outcome.probability,
    formulation: { ...scaled.formulation, scenario: outcome.scenario, lp: scaled.lpAt(sampleMultipliers(monteCarlo.spec, i)) },
  }));
}

/** The extensive form and where each outcome's columns sit in it. */
export interface ExtensiveForm {
  readonly lp: LinearProgram;
  /** Per outcome, per column of its model: the column of the extensive form. */
  readonly columnsOf: readonly Int32Array[];
  /** Here-and-now decisions: key → column of the extensive form. */
  readonly shared: ReadonlyMap<string, number>;
  readonly mixedInteger: boolean;
}

/**
 * The extensive form (deterministic equivalent) of the two-stage plan: one
 * copy of each outcome's model, the here-and-now columns shared by all
 * copies and every other column the outcome's own. Rows are each copy's,
 * unchanged. The objective is Σ_ω probability_ω · objective_ω: a copy's own
 * column costs probability × its cost; a shared column costs the
 * probability-weighted sum of its cost in every outcome. A shared column
 * takes the tightest bounds any outcome gives it; one some outcome's model
 * does not have (a product not made there, a build outside its window) is 0.
 */
export function extensiveForm(
  models: readonly { readonly probability: number; readonly formulation: Formulation }[],
  isHereAndNow: (tag: ColumnTag) => boolean,
): ExtensiveForm {
  const columns: Column[] = [];
  const rows: Row[] = [];
  const shared = new Map<string, number>();
  const appearances: number[] = [];
  const columnsOf: Int32Array[] = [];
  const first = models[0]?.formulation.lp;
  if (first === undefined) throw new Error("an extensive form needs at least one outcome");

  for (const { probability, formulation } of models) {
    const { lp } = formulation;
    const map = new Int32Array(lp.columns.length);
    lp.columns.forEach((column, j) => {
      if (!isHereAndNow(column.tag)) {
        map[j] = columns.push({ ...column, cost: probability * column.cost }) - 1;
        return;
      }
      const key = columnKey(column.tag);
      const at = shared.get(key);
      if (at === undefined) {
        const index = columns.push({ ...column, cost: probability * column.cost }) - 1;
        shared.set(key, index);
        appearances[index] = 1;
        map[j] = index;
        return;
      }
      const before = defined(columns[at], "a shared column");
      columns[at] = {
        tag: before.tag,
        lower: Math.max(before.lower, column.lower),
        upper: Math.min(before.upper, column.upper),
        cost: before.cost + probability * column.cost,
        integer: before.integer || column.integer,
      };
      appearances[at] = (appearances[at] ?? 0) + 1;
      map[j] = at;
    });
    for (const row of lp.rows) rows.push({ ...row, columns: row.columns.map((column) => map[column] ?? -1) });
    columnsOf.push(map);
  }
  for (const index of shared.values()) {
    if ((appearances[index] ?? 0) === models.length) continue;
    const column = defined(columns[index], "a shared column");
    columns[index] = { ...column, lower: Math.max(column.lower, 0), upper: Math.min(column.upper, 0) };
  }
  return { lp: { sense: first.sense, columns, rows }, columnsOf, shared, mixedInteger: columns.some((column) => column.integer) };
}

/** An outcome's values, read out of the extensive form's. */
export function outcomeValues(form: ExtensiveForm, outcome: number, values: Float64Array): Float64Array {
  const map = form.columnsOf[outcome] ?? new Int32Array(0);
  const own = new Float64Array(map.length);
  map.forEach((column, j) => (own[j] = values[column] ?? 0));
  return own;
}
