import { z } from "zod";
import { idRecord, type IdRecord } from "./records.js";

/** Shapes of docs/format.md §1. Cross-references and per-period rules are checked in `references.ts`. */

const finite = z.number({ error: "expected a finite number" });
/** Money: prices and costs, any finite amount ≥ 0. */
const nonNegative = finite.min(0, { error: "must not be negative" });
/** Fast path for the common case: a finite number ≥ 0, which `nonNegative` returns unchanged. */
const isNonNegative = (value: unknown): value is number => typeof value === "number" && value >= 0 && value < Infinity;

/**
 * The smallest nonzero quantity (units, hours, parts per unit, part values,
 * bounds, shares) a scenario may hold. The solvers work to absolute
 * tolerances — HiGHS drops matrix coefficients below 1e-9 and meets bounds to
 * within 1e-7; javascript-lp-solver compares to 1e-9 — and the verification
 * to 1e-6: a smaller quantity cannot be told from zero, so a bound of 1e-9
 * would be "met" by nothing and a bill of materials of 1e-9 silently dropped.
 * Such a value is refused with its path; rescale the unit instead.
 */
export const SMALLEST_QUANTITY = 1e-5;
const tooSmall = `must be 0 or at least 1e-5: the solvers cannot tell a smaller quantity from zero (use a smaller unit)`;
/** Quantities: 0, or a finite number ≥ `SMALLEST_QUANTITY`. */
const quantity = nonNegative.refine((value) => value <= 0 || value >= SMALLEST_QUANTITY, { error: tooSmall }); // a negative one is named by `nonNegative`
const isQuantity = (value: unknown): value is number => typeof value === "number" && (value === 0 || (value >= SMALLEST_QUANTITY && value < Infinity));

const id = z.string({ error: "expected a non-empty string" }).min(1, { error: "must not be empty" });

/**
 * A number the same in every period, or an object keyed by period label with an
 * optional `"*"` default. Coverage of every period is checked against the
 * scenario's `periods` once they are known.
 */
export type PeriodNumber = number | IdRecord<number>;

export function periodNumber(value: z.ZodNumber, accepts: (value: unknown) => value is number) {
  const byPeriod = idRecord(value, accepts);
  const schema = z.unknown().transform((input, ctx): PeriodNumber => {
    if (accepts(input)) return input;
    if (typeof input === "number") {
      const parsed = value.safeParse(input, { reportInput: true });
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) ctx.issues.push(issue as never);
      return z.NEVER;
    }
    if (typeof input === "object" && input !== null && !Array.isArray(input)) {
      const parsed = byPeriod.safeParse(input, { reportInput: true });
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) ctx.issues.push(issue as never);
      return z.NEVER;
    }
    ctx.issues.push({
      code: "invalid_type",
      expected: "number",
      input,
      message: "expected a number or an object keyed by period label",
    });
    return z.NEVER;
  });
  periodNumberValueSchemas.set(schema, value);
  return schema;
}

/** The number schema behind each PeriodNumber, for JSON Schema generation. */
export const periodNumberValueSchemas = new WeakMap<z.ZodType, z.ZodNumber>();

const moneyPeriodNumber = () => periodNumber(nonNegative, isNonNegative);
const quantityPeriodNumber = () => periodNumber(quantity, isQuantity);

export const plantSchema = z.strictObject({
  id,
  name: z.string().optional(),
  country: z.string().optional(),
  resources: idRecord(quantityPeriodNumber()),
});

export const productSchema = z.strictObject({
  id,
  name: z.string().optional(),
  family: id,
  available_from: id.optional(),
  available_until: id.optional(),
  bom: idRecord(quantity, isQuantity).optional(),
});

export const inventorySchema = z.strictObject({
  max: quantityPeriodNumber().optional(),
  holding_cost: nonNegative.default(0),
  initial: quantity.default(0),
  final: quantity.optional(),
});

/**
 * A lane of the joint network (docs/format.md §1.6): freight per unit, an
 * ad-valorem duty rate and the most units per period. A delivery lane's duty
 * is on the source's unit cost, a shipping lane's on the market's price.
 */
export const laneSchema = z.strictObject({
  cost: nonNegative.default(0),
  duty: nonNegative.default(0),
  capacity: quantityPeriodNumber().optional(),
});

/**
 * Fast path for the common lane — a plain object with numbers only, each one
 * `laneSchema` takes — read as the schema reads it (`cost` and `duty` default
 * to 0); undefined for anything else (a period map, a wrong value, an unknown
 * field), which the schema reads and reports. A network file holds a lane per
 * source and plant, so this is most of what validating it costs.
 */
export function readLane(value: unknown): z.output<typeof laneSchema> | undefined {
  if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  let cost = 0;
  let duty = 0;
  let capacity: number | undefined;
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    if (key === "cost" && isNonNegative(field)) cost = field;
    else if (key === "duty" && isNonNegative(field)) duty = field;
    else if (key === "capacity" && isQuantity(field)) capacity = field;
    else return undefined;
  }
  return capacity === undefined ? { cost, duty } : { cost, duty, capacity };
}

export const routeSchema = z.strictObject({
  plant: id,
  product: id,
  uses: idRecord(quantity, isQuantity),
  unit_cost: nonNegative.default(0),
  min: quantityPeriodNumber().optional(),
  max: quantityPeriodNumber().optional(),
  inventory: inventorySchema.optional(),
  /** Joint network: the markets this route sells in, with freight, duty and capacity (absent: every market with a Demand row, at no extra cost). */
  ships_to: idRecord(laneSchema, undefined, readLane).optional(),
});

export const partSourceSchema = z.strictObject({
  id,
  local: z.boolean({ error: "expected true or false" }),
  capacity: quantityPeriodNumber().optional(),
  unit_cost: nonNegative.default(0),
  /** Joint network: the part is made at this plant, on its resources (`uses`), from sub-parts delivered to it (`bom`). */
  plant: id.optional(),
  uses: idRecord(quantity, isQuantity).optional(),
  bom: idRecord(quantity, isQuantity).optional(),
  /** Joint network: the plants this source delivers to (absent: every plant, no extra cost). */
  delivers_to: idRecord(laneSchema, undefined, readLane).optional(),
});

export const partSchema = z.strictObject({
  id,
  name: z.string().optional(),
  value: quantity.default(1),
  sources: z.array(partSourceSchema).min(1, { error: "a part needs at least one source" }),
});

export const marketSchema = z.strictObject({
  id,
  name: z.string().optional(),
  export: z.boolean({ error: "expected true or false" }).default(false),
  /** Joint network: the country of the market, so that what crosses a border can be named. */
  country: z.string().optional(),
});

export const demandSchema = z.strictObject({
  market: id,
  product: id,
  price: moneyPeriodNumber().default(0),
  min: quantityPeriodNumber().default(0),
  max: quantityPeriodNumber().optional(),
});

export const targetKinds = ["units", "export_share", "local_parts_share"] as const;

export const targetSchema = z.strictObject({
  id,
  kind: z.enum(targetKinds, { error: `expected one of ${targetKinds.join(", ")}` }),
  min: quantityPeriodNumber().optional(),
  max: quantityPeriodNumber().optional(),
  families: z.array(id).optional(),
  products: z.array(id).optional(),
  plants: z.array(id).optional(),
  periods: z.array(id).optional(),
});

/**
 * An investment (docs/format.md §1.7): capacity added to a plant's resources
 * from the period it is built, at a fixed cost then and an operating cost in
 * every period from then on, within a window, at most one of its group.
 */
export const investmentSchema = z.strictObject({
  id,
  name: z.string().optional(),
  plant: id,
  adds: idRecord(quantityPeriodNumber()),
  fixed_cost: nonNegative.default(0),
  operating_cost: moneyPeriodNumber().default(0),
  earliest: id.optional(),
  latest: id.optional(),
  group: id.optional(),
  required: z.boolean({ error: "expected true or false" }).default(false),
  /** A decision taken (what-if, docs/whatif.md): true builds it within its window, false never; absent, the plan decides. */
  built: z.boolean({ error: "expected true or false" }).optional(),
});

export const objectives = ["max_margin", "min_cost", "max_units"] as const;

export const scenarioShapeSchema = z.strictObject({
  format: z.literal("jointplan/v1", { error: 'expected "jointplan/v1"' }),
  id,
  title: z.string({ error: "expected a string" }),
  notes: z.string().optional(),
  sources: z.array(z.string()).optional(),
  currency: z.string().min(1).default("USD"),
  periods: z.array(id).min(1, { error: "needs at least one period" }).default(["base"]),
  integer: z.boolean({ error: "expected true or false" }).default(false),
  objective: z.enum(objectives, { error: `expected one of ${objectives.join(", ")}` }).default("max_margin"),
  plants: z.array(plantSchema).min(1, { error: "needs at least one plant" }),
  products: z.array(productSchema).min(1, { error: "needs at least one product" }),
  routes: z.array(routeSchema).min(1, { error: "needs at least one route" }),
  parts: z.array(partSchema).default([]),
  markets: z.array(marketSchema).min(1, { error: "needs at least one market" }),
  demand: z.array(demandSchema),
  targets: z.array(targetSchema).default([]),
  investments: z.array(investmentSchema).default([]),
  discount_rate: nonNegative.default(0),
});

/** Immutable all the way down: `parseScenario` freezes what it returns. */
export type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type Scenario = DeepReadonly<z.output<typeof scenarioShapeSchema>>;
export type ScenarioInput = z.input<typeof scenarioShapeSchema>;
export type Plant = Scenario["plants"][number];
export type Product = Scenario["products"][number];
export type Route = Scenario["routes"][number];
export type Inventory = NonNullable<Route["inventory"]>;
export type Part = Scenario["parts"][number];
export type PartSource = Part["sources"][number];
export type Lane = NonNullable<PartSource["delivers_to"]>[string];
export type Market = Scenario["markets"][number];
export type Demand = Scenario["demand"][number];
export type Target = Scenario["targets"][number];
export type Investment = Scenario["investments"][number];
export type TargetKind = Target["kind"];
export type Objective = Scenario["objective"];
