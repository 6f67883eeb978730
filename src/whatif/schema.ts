import { z } from "zod";
import { periodNumber } from "../scenario/schema.js";

/**
 * What-if requests (docs/whatif.md): a Change edits one field of some
 * records of a scenario; a variant is a named list of changes; a sweep moves
 * one parameter (a Change without its operation) over a range of values.
 * The HTTP layer and the CLI read their bodies with these schemas.
 */

const finite = z.number({ error: "expected a finite number" });
const isFinite = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
const id = z.string({ error: "expected a non-empty string" }).min(1, { error: "must not be empty" });
const periods = z.array(id).min(1, { error: "must list at least one period (leave it out for every period)" });

const laneFields = ["cost", "duty", "capacity"] as const;
const laneFieldError = 'expected "cost", "duty" or "capacity"';

/** The records a change edits and the field, per kind of record. An omitted selector means "all". */
const selectors = {
  target: { on: z.literal("target"), id, field: z.enum(["min", "max"], { error: 'expected "min" or "max"' }) },
  capacity: { on: z.literal("capacity"), plant: id, resource: id, field: z.literal("capacity", { error: 'expected "capacity" (or leave it out)' }).optional() },
  demand: {
    on: z.literal("demand"),
    market: id.optional(),
    product: id.optional(),
    family: id.optional(),
    field: z.enum(["min", "max", "price"], { error: 'expected "min", "max" or "price"' }),
  },
  source: {
    on: z.literal("source"),
    part: id,
    source: id.optional(),
    field: z.enum(["capacity", "unit_cost"], { error: 'expected "capacity" or "unit_cost"' }),
  },
  route: {
    on: z.literal("route"),
    plant: id.optional(),
    product: id.optional(),
    field: z.enum(["min", "max", "unit_cost"], { error: 'expected "min", "max" or "unit_cost"' }),
  },
  /** Joint network: delivery lanes of sources to plants (docs/format.md §1.6). */
  delivery: {
    on: z.literal("delivery"),
    part: id.optional(),
    source: id.optional(),
    plant: id.optional(),
    field: z.enum(laneFields, { error: laneFieldError }),
  },
  /** Investments: an investment's costs, or its decision (`built`: set 1 builds it within its window, set 0 never). */
  investment: {
    on: z.literal("investment"),
    id,
    field: z.enum(["fixed_cost", "operating_cost", "built"], { error: 'expected "fixed_cost", "operating_cost" or "built"' }),
  },
  /** Joint network: shipping lanes of routes to markets. */
  shipping: {
    on: z.literal("shipping"),
    plant: id.optional(),
    product: id.optional(),
    market: id.optional(),
    field: z.enum(laneFields, { error: laneFieldError }),
  },
} as const;

const kinds = Object.keys(selectors) as (keyof typeof selectors)[];
const unknownKind = { error: `expected "on" to be one of ${kinds.map((kind) => JSON.stringify(kind)).join(", ")}` };

/** How a change moves each selected value: exactly one of these. */
const operation = {
  set: periodNumber(finite, isFinite).optional(),
  scale: finite.optional(),
  add: finite.optional(),
};
const OPERATIONS = ["set", "scale", "add"] as const;

export const changeSchema = z
  .discriminatedUnion(
    "on",
    [
      z.strictObject({ ...selectors.target, ...operation, periods: periods.optional() }),
      z.strictObject({ ...selectors.capacity, ...operation, periods: periods.optional() }),
      z.strictObject({ ...selectors.demand, ...operation, periods: periods.optional() }),
      z.strictObject({ ...selectors.source, ...operation, periods: periods.optional() }),
      z.strictObject({ ...selectors.route, ...operation, periods: periods.optional() }),
      z.strictObject({ ...selectors.delivery, ...operation, periods: periods.optional() }),
      z.strictObject({ ...selectors.shipping, ...operation, periods: periods.optional() }),
      z.strictObject({ ...selectors.investment, ...operation, periods: periods.optional() }),
    ],
    unknownKind,
  )
  .superRefine((change, ctx) => {
    const given = OPERATIONS.filter((name) => change[name] !== undefined);
    if (given.length === 1) return;
    ctx.addIssue({
      code: "custom",
      path: given.length === 0 ? [] : [given[1] as string],
      message: given.length === 0 ? 'needs one of "set", "scale" or "add"' : `takes exactly one of "set", "scale" or "add", not ${given.join(" and ")}`,
    });
  });

/** A sweep's parameter: a Change without its operation (the sweep sets each value in turn). */
export const sweepParameterSchema = z.discriminatedUnion(
  "on",
  [
    z.strictObject({ ...selectors.target, periods: periods.optional() }),
    z.strictObject({ ...selectors.capacity, periods: periods.optional() }),
    z.strictObject({ ...selectors.demand, periods: periods.optional() }),
    z.strictObject({ ...selectors.source, periods: periods.optional() }),
    z.strictObject({ ...selectors.route, periods: periods.optional() }),
    z.strictObject({ ...selectors.delivery, periods: periods.optional() }),
    z.strictObject({ ...selectors.shipping, periods: periods.optional() }),
    z.strictObject({ ...selectors.investment, periods: periods.optional() }),
  ],
  unknownKind,
);

export const variantSchema = z.strictObject({
  name: z.string({ error: "expected a non-empty string" }).min(1, { error: "must not be empty" }),
  changes: z.array(changeSchema, { error: "expected a list of changes" }),
});

export const variantsSchema = z
  .array(variantSchema, { error: "expected a list of variants" })
  .min(1, { error: "needs at least one variant" })
  .superRefine((variants, ctx) => {
    const seen = new Map<string, number>();
    variants.forEach((variant, v) => {
      const first = seen.get(variant.name);
      if (first === undefined) seen.set(variant.name, v);
      else ctx.addIssue({ code: "custom", path: [v, "name"], message: `duplicate variant name ${JSON.stringify(variant.name)} (also variants[${first}])` });
    });
  });

/** Most points one sweep takes (a service sets its own, lower limit). */
export const MAX_SWEEP_POINTS = 100_000;
export const DEFAULT_SWEEP_STEPS = 21;
export const sweepModes = ["grid", "exact"] as const;

export const sweepSpecSchema = z
  .strictObject({
    parameter: sweepParameterSchema,
    values: z
      .array(finite, { error: "expected a list of numbers" })
      .min(1, { error: "needs at least one value" })
      .max(MAX_SWEEP_POINTS, { error: `at most ${MAX_SWEEP_POINTS} values` })
      .optional(),
    from: finite.optional(),
    to: finite.optional(),
    steps: z
      .number({ error: "expected a whole number" })
      .int({ error: "expected a whole number" })
      .min(2, { error: "must be at least 2" })
      .max(MAX_SWEEP_POINTS, { error: `must be at most ${MAX_SWEEP_POINTS}` })
      .optional(),
    mode: z.enum(sweepModes, { error: 'expected "grid" or "exact"' }).optional(),
  })
  .superRefine((spec, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (spec.values !== undefined) {
      if (spec.from !== undefined) issue("from", 'give either "values" or "from" and "to", not both');
      if (spec.to !== undefined) issue("to", 'give either "values" or "from" and "to", not both');
      if (spec.steps !== undefined) issue("steps", 'is for a "from"–"to" range; "values" lists the points');
      if (spec.mode === "exact") issue("mode", 'exact mode takes "from" and "to": it finds the points itself');
      return;
    }
    if (spec.from === undefined) issue("from", 'is required (or list the points in "values")');
    if (spec.to === undefined) issue("to", 'is required (or list the points in "values")');
    if (spec.from !== undefined && spec.to !== undefined && !(spec.from < spec.to)) issue("to", `must be greater than from (${spec.from})`);
    if (spec.mode === "exact" && spec.steps !== undefined) issue("steps", "is for grid mode; exact mode finds the breakpoints itself");
  });

/** A compare request without its scenario: the file `jointplan compare` reads, the body the service adds the scenario to. */
export const compareBodySchema = z.strictObject({ variants: variantsSchema });
/** A sweep request without its scenario: the file `jointplan sweep` reads, the body the service adds the scenario to. */
export const sweepBodySchema = z.strictObject({ sweep: sweepSpecSchema });

export type Change = z.output<typeof changeSchema>;
export type ChangeInput = z.input<typeof changeSchema>;
export type SweepParameter = z.output<typeof sweepParameterSchema>;
export type Variant = z.output<typeof variantSchema>;
export type VariantInput = z.input<typeof variantSchema>;
export type SweepSpec = z.output<typeof sweepSpecSchema>;
export type SweepSpecInput = z.input<typeof sweepSpecSchema>;
export type SweepMode = (typeof sweepModes)[number];
