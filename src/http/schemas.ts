import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { planOptionsSchema } from "../plan/options.js";
import type { Plan } from "../plan/types.js";
import { idRecordValueSchemas } from "../scenario/records.js";
import { periodNumberValueSchemas, scenarioShapeSchema } from "../scenario/schema.js";
import { backendNames } from "../solvers/types.js";
import type { Delta, SweepResult } from "../whatif/types.js";
import { changeSchema, sweepSpecSchema, variantsSchema } from "../whatif/schema.js";
import { jobKinds, jobStatuses } from "../jobs/types.js";
import { monteCarloSpecSchema, type MonteCarloResult } from "../montecarlo/index.js";
import { stochasticSpecSchema } from "../stochastic/schema.js";
import type { StochasticResult } from "../stochastic/types.js";
import type { ServiceConfig } from "./config.js";
import { MAX_NAME_LENGTH } from "../library/names.js";
import { MIME_XLSX } from "../workbook/mediaType.js";
import { PROBLEM_CONTENT_TYPE } from "./problems.js";

/**
 * JSON Schemas of the HTTP API, generated from the zod definitions the library
 * validates with (`scenarioShapeSchema`, `planOptionsSchema`) and from the
 * zod descriptions of the answers below, so the OpenAPI document is what the
 * server enforces and returns. They document; they do not validate: requests
 * are validated by the library (`validateScenario`, `planOptionsSchema`) so
 * that every face reports the same issues.
 */
export type JsonSchema = Record<string, unknown>;

/**
 * zod → JSON Schema of what a client sends (`io: "input"`). Id records and
 * PeriodNumbers are transforms (they keep keys such as `__proto__` safely), so
 * zod sees only `unknown`; the WeakMaps the scenario schema fills tell what they accept.
 */
export function toJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _, ...body } = z.toJSONSchema(schema, { io: "input", override: describeTransforms }) as JsonSchema;
  return body;
}

function describeTransforms(ctx: { zodSchema: unknown; jsonSchema: JsonSchema }): void {
  describeDefault(ctx.jsonSchema);
  const zodSchema = ctx.zodSchema as z.ZodType;
  const periodValue = periodNumberValueSchemas.get(zodSchema);
  const recordValue = idRecordValueSchemas.get(zodSchema);
  if (periodValue !== undefined) {
    const value = toJsonSchema(periodValue);
    replace(ctx.jsonSchema, {
      description: 'PeriodNumber: the same number in every period, or an object keyed by period label with "*" as the default for periods not listed.',
      anyOf: [value, { type: "object", additionalProperties: value }],
    });
  } else if (recordValue !== undefined) {
    replace(ctx.jsonSchema, { type: "object", description: "Keyed by id.", additionalProperties: toJsonSchema(recordValue) });
  }
}

/**
 * A default is said in the description, not as `default`: client generators
 * (openapi-typescript, by default) read `default` as "always present" and
 * would make `options.backend` or a route's `unit_cost` required, where the
 * server fills them in when they are absent.
 */
function describeDefault(schema: JsonSchema): void {
  if (!("default" in schema)) return;
  const said = `Default: ${JSON.stringify(schema["default"])}.`;
  schema["description"] = typeof schema["description"] === "string" ? `${schema["description"]} ${said}` : said;
  delete schema["default"];
}

function replace(target: JsonSchema, source: JsonSchema): void {
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- zod's JSON Schema object is edited in place: emptied, then filled
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, source);
}

const row = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape);
const quantity = z.number();
const minOrMax = z.enum(["min", "max"]);
const allowableRange = row({ from: z.number().nullable(), to: z.number().nullable() }).meta({
  description: "Bound values over which the shadow price holds; a null end is unbounded.",
});

/** A bound of the scenario (explanations, `src/explain/types.ts`), with the fields `extra` adds to it. */
function boundRefs<E extends z.ZodRawShape>(extra: E) {
  const at = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) => row({ kind: z.literal(kind), ...shape, ...extra });
  return z.discriminatedUnion("kind", [
    at("capacity", { plant: z.string(), resource: z.string(), period: z.string() }),
    at("source_capacity", { part: z.string(), source: z.string(), period: z.string() }),
    at("lane_capacity", { part: z.string(), source: z.string(), plant: z.string(), period: z.string() }),
    at("shipping_capacity", { plant: z.string(), product: z.string(), market: z.string(), period: z.string() }),
    at("target", { id: z.string(), period: z.string(), bound: minOrMax }),
    at("demand", { market: z.string(), product: z.string(), period: z.string(), bound: minOrMax }),
    at("route", { plant: z.string(), product: z.string(), period: z.string(), bound: minOrMax }),
    at("inventory", { plant: z.string(), product: z.string(), period: z.string(), bound: z.enum(["final", "max"]) }),
  ]);
}

const sensitivityFields = {
  basis: z.enum(["lp", "lp_integer_fixed", "lp_relaxation", "lp_builds_fixed"]),
  objective_unit: z.string(),
  bounds: z.array(
    boundRefs({
      value: z.number(),
      activity: z.number(),
      shadow_price: z.number(),
      per: z.enum(["resource", "part", "unit", "percentage_point"]),
      range: allowableRange.nullable(),
    }),
  ),
  unused_routes: z.array(row({ plant: z.string(), product: z.string(), period: z.string(), reduced_cost: z.number() })),
  unused_sales: z.array(row({ plant: z.string(), product: z.string(), market: z.string(), period: z.string(), reduced_cost: z.number() })),
  notes: z.array(z.string()),
};

const sensitivitySchema = row({
  ...sensitivityFields,
  lp_relaxation: row(sensitivityFields)
    .optional()
    .meta({ description: "Integer plans: the LP relaxation's prices, at its own optimum (docs/explanations.md)." }),
}).meta({ description: "With options.explain on an optimal plan: shadow prices, ranges and reduced costs (docs/explanations.md)." });

const relaxation = boundRefs({ by: z.number(), value: z.number(), to: z.number() });
const weightKeys = [
  "capacity",
  "source_capacity",
  "lane_capacity",
  "shipping_capacity",
  "target",
  "demand_min",
  "demand_max",
  "route_min",
  "route_max",
  "inventory_max",
  "inventory_final",
] as const;

const diagnosisSchema = row({
  conflict: z.array(boundRefs({ value: z.number() })),
  relaxations: z.array(relaxation),
  max_achievable: z.array(row({ id: z.string(), period: z.string(), bound: minOrMax, value: z.number().nullable() })),
  relaxations_keeping_targets: z.array(relaxation).nullable(),
  weights: row(Object.fromEntries(weightKeys.map((key) => [key, z.number()])) as Record<(typeof weightKeys)[number], z.ZodNumber>),
  notes: z.array(z.string()),
}).meta({ description: "On an infeasible plan (unless options.explain is false): the conflict and the relaxations that fix it (docs/explanations.md)." });

const flowMoney = { units: z.number(), value: z.number(), freight: z.number(), duty: z.number() };
const flowsSchema = row({
  borders: z.array(row({ period: z.string(), from: z.string(), to: z.string(), goods: z.enum(["parts", "products"]), ...flowMoney })),
  between_plants: z.array(row({ period: z.string(), from: z.string(), to: z.string(), part: z.string(), source: z.string(), ...flowMoney })),
}).meta({ description: "Joint network (docs/format.md §3.4): what crossed a border, by country pair, and what plants sent each other." });

/** The plan of docs/format.md §3, as the library returns it (`src/plan/types.ts`); the checks below and the tests hold the two together. */
export const planSchema = z
  .strictObject({
    scenario: z.string(),
    status: z.enum(["optimal", "infeasible", "unbounded", "time_limit", "undecided"]).meta({
      description: "undecided: the solver ended without a solution or a proof that none exists (solver.detail says what it reported).",
    }),
    objective: z.number().nullable(),
    production: z.array(row({ period: z.string(), plant: z.string(), product: z.string(), units: quantity })),
    sales: z.array(
      row({
        period: z.string(),
        plant: z.string(),
        product: z.string(),
        market: z.string(),
        units: quantity,
        revenue: z.number(),
        shipping: z.number().optional().meta({ description: "Joint network, on a shipping lane: its cost × units." }),
        duty: z.number().optional().meta({ description: "Joint network, on a shipping lane: its duty rate × revenue." }),
      }),
    ),
    inventory: z.array(row({ period: z.string(), plant: z.string(), product: z.string(), units: quantity })),
    procurement: z.array(
      row({
        period: z.string(),
        part: z.string(),
        source: z.string(),
        local: z.boolean(),
        units: quantity,
        cost: z.number().meta({ description: "The source's unit cost × units." }),
        plant: z.string().optional().meta({ description: "Joint network, parts balanced per plant: the plant delivered to." }),
        freight: z.number().optional().meta({ description: "Joint network: the delivery lane's cost × units (0 without a lane)." }),
        duty: z.number().optional().meta({ description: "Joint network: the delivery lane's duty rate × cost (0 without a lane)." }),
      }),
    ),
    capacity: z.array(
      row({
        period: z.string(),
        plant: z.string(),
        resource: z.string(),
        used: z.number(),
        available: z.number(),
        utilization: z.number().nullable(),
        used_for_parts: z.number().optional().meta({ description: "Joint network, at a plant that makes parts: the part of used that making them took." }),
        shadow_price: z.number().optional(),
        range: allowableRange.nullable().optional(),
      }),
    ),
    targets: z.array(
      row({
        id: z.string(),
        period: z.string(),
        value: z.number().nullable(),
        min: z.number().nullable(),
        max: z.number().nullable(),
        met: z.boolean(),
        shadow_price: z.number().optional(),
        binding: minOrMax.nullable().optional(),
        range: allowableRange.nullable().optional(),
      }),
    ),
    verification: row({
      feasible: z.boolean(),
      max_violation: z.number(),
      checked: z.number().int(),
      violations: z.array(z.string()).meta({ description: "The worst violated constraints, in words (at most 10)." }),
    }),
    solver: row({
      backend: z.enum(backendNames),
      ms: z.number(),
      integer: z.boolean(),
      gap: z
        .number()
        .optional()
        .meta({ description: "Whole-unit plans solved by HiGHS: relative gap between the plan and the best bound when the search stopped." }),
      detail: z.string().optional().meta({ description: "What the solver reported beyond the status (an undecided solve's own status)." }),
      fallback: row({ from: z.enum(backendNames), reason: z.string() })
        .optional()
        .meta({ description: "auto only: the backend tried first, and why its answer was not kept (HiGHS solved again)." }),
    }),
    flows: flowsSchema.optional(),
    investments: z
      .array(
        row({
          id: z.string(),
          plant: z.string(),
          built: z.boolean(),
          period: z.string().nullable(),
          fixed_cost: z.number(),
          operating_cost: z.number(),
        }),
      )
      .optional()
      .meta({ description: "A scenario with investments (docs/format.md §3.5): each investment's decision, with its costs undiscounted." }),
    periods: z
      .array(
        row({
          period: z.string(),
          discount_factor: z.number(),
          revenue: z.number(),
          operating_costs: z.number(),
          investment_costs: z.number(),
          net: z.number(),
          present_value: z.number(),
        }),
      )
      .optional()
      .meta({ description: "A scenario with investments or a discount rate: each period's money, undiscounted and at its present value." }),
    sensitivity: sensitivitySchema.optional(),
    diagnosis: diagnosisSchema.optional(),
  })
  .meta({ description: "A plan (docs/format.md §3): quantities in the scenario's terms, verified against the scenario." });

// Compile-time checks that the schema documents the library's Plan: every field it describes has
// the library's type, and every field of a Plan is described (a new one fails here).
type Mutable<T> = T extends readonly (infer U)[] ? Mutable<U>[] : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;
type Holds<T extends true> = T;
type Undocumented = Exclude<keyof Plan, keyof z.output<typeof planSchema>>;
export type PlanSchemaChecks = [Holds<z.output<typeof planSchema> extends Mutable<Plan> ? true : false>, Holds<[Undocumented] extends [never] ? true : false>];

export const problemSchema = z
  .strictObject({
    type: z.string().meta({ description: "A URN naming the kind of problem." }),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    errors: z.array(
      z.strictObject({
        path: z.string().meta({ description: 'Where in the request body, e.g. "scenario.routes[0].plant"; "" for the body itself.' }),
        message: z.string(),
        cell: z
          .string()
          .optional()
          .meta({ description: 'For a scenario posted as a workbook: the sheet and cell (or range) the issue is about, e.g. "Routes!C7".' }),
      }),
    ),
  })
  .meta({ description: "RFC 9457 problem details (application/problem+json)." });

export const scenarioSummarySchema = z
  .strictObject({ id: z.string(), title: z.string(), periods: z.array(z.string()) })
  .meta({ description: "A bundled scenario, as GET /v1/scenarios lists it." });

export const healthSchema = z.strictObject({ status: z.literal("ok") });

/** What-if answers (docs/whatif.md), as the library returns them (`src/whatif/types.ts`); the checks below hold the two together. */
const boundRef = boundRefs({});
const planStatus = z.enum(["optimal", "infeasible", "unbounded", "time_limit", "undecided"]);

const deltaSchema = row({
  objective: z.number().nullable().meta({ description: "variant − baseline objective; null when either has none." }),
  production: z.array(
    row({
      period: z.string(),
      plant: z.string(),
      product: z.string(),
      baseline: z.number().nullable(),
      variant: z.number().nullable(),
      change: z.number().nullable(),
    }),
  ),
  targets: z.array(row({ id: z.string(), period: z.string(), baseline: z.number().nullable(), variant: z.number().nullable(), met: z.boolean() })),
  binding: row({ became: z.array(boundRef), released: z.array(boundRef) }).meta({
    description: "Bounds that bind in the variant and not in the baseline, and the reverse.",
  }),
});

export const sweepResultSchema = z
  .strictObject({
    parameter: z.unknown().meta({ description: "The swept parameter, as asked." }),
    mode: z.enum(["grid", "exact"]),
    solves: z.number().int(),
    points: z.array(
      row({
        value: z.number(),
        status: planStatus,
        objective: z.number().nullable(),
        slope: z.number().nullable().meta({ description: "d objective / d value from the duals; null where undefined." }),
        binding: z.array(boundRef),
        ms: z.number(),
      }),
    ),
    segments: z
      .array(row({ from: z.number(), to: z.number(), objective_from: z.number(), objective_to: z.number(), slope: z.number(), binding: z.array(boundRef) }))
      .optional()
      .meta({ description: "Exact mode: every piece of the optimal objective between the ends of the feasible range." }),
    feasible_range: row({ from: z.number(), to: z.number() }).nullable(),
    stopped: z.enum(["cancelled", "deadline"]).optional().meta({ description: "The run stopped before it finished: the points are those it finished." }),
    notes: z.array(z.string()),
  })
  .meta({ description: "A sweep of one parameter (docs/whatif.md): each point's status, objective, slope and what binds; in exact mode the segments." });

type WhatIfSchemaChecks = [
  Holds<Omit<z.output<typeof monteCarloResultSchema>, "statuses"> extends Mutable<Omit<MonteCarloResult, "statuses">> ? true : false>,
  Holds<z.output<typeof deltaSchema> extends Mutable<Delta> ? true : false>,
  Holds<Omit<z.output<typeof sweepResultSchema>, "parameter"> extends Mutable<Omit<SweepResult, "parameter">> ? true : false>,
];
export type { WhatIfSchemaChecks };

/** The answer of `POST /v1/comparisons`, its plans by reference to the shared Plan schema. */
function comparisonJsonSchema(): JsonSchema {
  const binding = { type: "array", items: toJsonSchema(boundRef), description: "The bounds that bind in this plan." };
  return {
    type: "object",
    description: "A baseline plan and each variant's plan, with how each differs from the baseline (docs/whatif.md).",
    properties: {
      baseline: schemaRef("Plan"),
      binding,
      variants: {
        type: "array",
        items: {
          type: "object",
          properties: { name: { type: "string" }, plan: schemaRef("Plan"), binding, delta: toJsonSchema(deltaSchema) },
          required: ["name", "plan", "binding", "delta"],
          additionalProperties: false,
        },
      },
    },
    required: ["baseline", "binding", "variants"],
    additionalProperties: false,
  };
}

const quantiles = { p5: z.number(), p50: z.number(), p95: z.number() };

export const monteCarloResultSchema = z
  .strictObject({
    samples: z.number().int().meta({ description: "Samples counted: as many as asked, unless the run was cancelled." }),
    requested: z.number().int().meta({ description: "Samples asked for." }),
    seed: z.number().int(),
    feasible: z.number().int().meta({ description: "Samples that have a verified plan." }),
    statuses: z
      .strictObject(Object.fromEntries(planStatus.options.map((status) => [status, z.number().int().optional()])))
      .meta({ description: "Samples counted by status (only the statuses that occur)." }),
    solves: z.number().int().meta({ description: "Solves made for the samples." }),
    objective: row({ mean: z.number(), ...quantiles, min: z.number(), max: z.number() })
      .nullable()
      .meta({ description: "Statistics of the objective over the samples that have a plan; null when none has." }),
    targets: z.array(
      row({
        id: z.string(),
        period: z.string(),
        met_share: z
          .number()
          .nullable()
          .meta({ description: "Share of the counted samples whose plan meets it (a sample without a plan meets none); null when none was counted." }),
      }),
    ),
    production: z.array(row({ period: z.string(), plant: z.string(), product: z.string(), ...quantiles })),
    stopped: z
      .enum(["cancelled", "deadline"])
      .optional()
      .meta({ description: "The run stopped before it finished: the statistics are of the samples it finished." }),
    notes: z.array(z.string()),
  })
  .meta({ description: "A Monte Carlo run (docs/montecarlo.md): statistics over sampled scenarios, the same for a seed however the samples were shared out." });

const hereAndNowSchema = row({
  decided: z.array(z.enum(["investments", "production", "procurement"])).meta({ description: "What is decided before the outcome is known." }),
  production: planSchema.shape.production,
  procurement: planSchema.shape.procurement,
  investments: planSchema.shape.investments.unwrap(),
});

const iterationSchema = row({
  iteration: z.number().int(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  gap: z.number().nullable(),
  optimality_cuts: z.number().int(),
  feasibility_cuts: z.number().int(),
});

const decompositionSchema = row({
  method: z.literal("decomposition"),
  stopped: z.enum(["gap", "iterations", "infeasible", "unsolved"]),
  iterations: z.number().int(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  gap: z.number().nullable(),
  tolerance: z.number(),
  max_iterations: z.number().int(),
  optimality_cuts: z.number().int(),
  feasibility_cuts: z.number().int(),
  retried_chunks: z.number().int(),
  unanswered_subproblems: z.number().int(),
  chunk_outcomes: z.number().int(),
  workers: z.number().int(),
  history: z.array(iterationSchema),
});

export const stochasticResultSchema = z
  .strictObject({
    scenario: z.string(),
    status: planStatus.meta({ description: "The extensive form's status: optimal, or why there is no two-stage plan." }),
    here_and_now: hereAndNowSchema,
    expected: z.number().nullable().meta({ description: "Σ probability · objective over the outcomes; null without a plan." }),
    outcomes: z.array(
      row({
        name: z.string(),
        probability: z.number(),
        objective: z.number().nullable(),
        alone: z.number().nullable().meta({ description: "The objective had this outcome been known before deciding." }),
        targets: planSchema.shape.targets,
        sales: planSchema.shape.sales,
        unsold: z.array(row({ period: z.string(), plant: z.string(), product: z.string(), units: quantity })),
        production: planSchema.shape.production.optional().meta({ description: "When production waits for the outcome." }),
        verification: planSchema.shape.verification,
      }),
    ),
    wait_and_see: z.number().nullable(),
    evpi: z.number().nullable().meta({ description: "|wait_and_see − expected|: what knowing the outcome first is worth." }),
    mean_value: row({ status: planStatus, objective: z.number().nullable(), here_and_now: hereAndNowSchema, verification: planSchema.shape.verification }),
    eev: z
      .number()
      .nullable()
      .meta({ description: "The mean-value plan's decisions fixed in each outcome, in expectation; null when some outcome then has no plan." }),
    eev_without_plan: z.number().int(),
    vss: z.number().nullable().meta({ description: "|expected − eev|: what planning for the outcomes rather than their mean is worth." }),
    vss_unbounded: z.boolean(),
    evaluation: row({
      samples: z.number().int(),
      seed: z.number().int(),
      mean: z.number().nullable(),
      ci95: z.tuple([z.number(), z.number()]).nullable(),
      infeasible: z.number().int(),
    }).optional(),
    decomposition: decompositionSchema.optional().meta({ description: "Present when solved by decomposition: how it stopped, its bounds and gap." }),
    solver: row({ backend: z.enum(backendNames), ms: z.number(), columns: z.number().int(), rows: z.number().int(), solves: z.number().int() }),
    currency: z.string(),
    objective_sense: z.enum(["max", "min"]),
    notes: z.array(z.string()),
  })
  .meta({ description: "A two-stage stochastic plan (docs/stochastic.md): here-and-now decisions, each outcome's part, wait-and-see, EVPI, EEV and VSS." });

export type StochasticSchemaCheck = Holds<z.output<typeof stochasticResultSchema> extends Mutable<StochasticResult> ? true : false>;

/** A job as GET /v1/jobs/{id} answers it (docs/jobs.md). */
function jobJsonSchema(): JsonSchema {
  const time = (description: string) => ({ type: "string", format: "date-time", description });
  return {
    type: "object",
    description: "A job: long work that runs apart from the request that submitted it (docs/jobs.md).",
    properties: {
      id: { type: "string", description: "Unguessable: whoever knows it can read and cancel the job." },
      kind: { type: "string", enum: [...jobKinds] },
      status: { type: "string", enum: [...jobStatuses] },
      progress: {
        type: "object",
        description:
          "Samples (montecarlo), grid points (sweep) or solves done, of the total; for a stochastic job solved by decomposition, its latest iteration's bounds and relative gap.",
        properties: {
          done: { type: "integer" },
          total: { type: "integer" },
          bounds: {
            type: "object",
            properties: {
              iteration: { type: "integer" },
              lower: { type: ["number", "null"] },
              upper: { type: ["number", "null"] },
              gap: { type: ["number", "null"] },
            },
            required: ["iteration", "lower", "upper", "gap"],
            additionalProperties: false,
          },
        },
        required: ["done", "total"],
        additionalProperties: false,
      },
      created_at: time("When it was submitted."),
      started_at: time("When its first part started."),
      finished_at: time("When it succeeded, failed or was cancelled."),
      result: {
        description:
          "What the synchronous route answers (Plan, Comparison, SweepResult), a MonteCarloResult or a StochasticResult; a cancelled sweep or Monte Carlo job keeps what it finished.",
        anyOf: [schemaRef("Plan"), schemaRef("Comparison"), schemaRef("SweepResult"), schemaRef("MonteCarloResult"), schemaRef("StochasticResult")],
      },
      error: { ...schemaRef("Problem"), description: "Why it failed." },
    },
    required: ["id", "kind", "status", "progress", "created_at"],
    additionalProperties: false,
  };
}

/** The body of POST /v1/jobs: a kind, and the body of that kind. */
function jobRequestJsonSchema(config: ServiceConfig): JsonSchema {
  const kind = (name: string) => ({ kind: { type: "string", const: name } });
  const monteCarlo = toJsonSchema(monteCarloSpecSchema) as { properties?: Record<string, JsonSchema> };
  const stochastic = toJsonSchema(stochasticSpecSchema) as { properties?: Record<string, JsonSchema> };
  const variants = toJsonSchema(variantsSchema);
  const sweep = toJsonSchema(sweepSpecSchema);
  const changes = changesJsonSchema("applied first.");
  const bodies = [
    requestJsonSchema({ ...kind("plan"), changes }, ["kind"]),
    requestJsonSchema({ ...kind("compare"), changes, variants: { ...variants, maxItems: config.jobs.maxVariants } }, ["kind", "variants"]),
    requestJsonSchema({ ...kind("sweep"), changes, sweep }, ["kind", "sweep"]),
    requestJsonSchema({ ...kind("montecarlo"), changes, ...monteCarlo.properties }, ["kind", "samples", "seed", "uncertain"]),
    requestJsonSchema({ ...kind("stochastic"), changes, ...stochastic.properties }, ["kind"]),
  ];
  return {
    description:
      "kind, and the body of that kind: what POST /v1/plans, /v1/comparisons or /v1/sweeps take, a Monte Carlo run, or a two-stage stochastic plan (outcomes or sample; docs/jobs.md, docs/stochastic.md).",
    anyOf: bodies.flatMap((body) => (body["anyOf"] as JsonSchema[] | undefined) ?? [body]),
  };
}

/** Plan options as this server accepts them: the library's, with the server's largest time limit. */
function serverPlanOptionsSchema(config: ServiceConfig) {
  return planOptionsSchema.extend({ timeLimitMs: planOptionsSchema.shape.timeLimitMs.unwrap().max(config.maxTimeLimitMs).optional() }).meta({
    description: `Plan options (docs/format.md §4). timeLimitMs bounds the whole request, waiting for a worker included (default ${config.defaultTimeLimitMs}).`,
  });
}

/**
 * The schemas the OpenAPI document names in `components.schemas`, so that a
 * client generated from it has a `Plan`, a `Problem`, a `Scenario`: fastify
 * shared schemas, which routes reference as `schemaRef("Plan")`.
 */
export type SharedSchemaId =
  | "Plan"
  | "PlanOptions"
  | "Problem"
  | "Scenario"
  | "ScenarioSummary"
  | "Change"
  | "Comparison"
  | "SweepResult"
  | "MonteCarloResult"
  | "StochasticResult"
  | "Job"
  | "JobRequest"
  | LibrarySchemaId;

export function sharedSchemas(config: ServiceConfig): Readonly<Record<SharedSchemaId, JsonSchema>> {
  return {
    Plan: toJsonSchema(planSchema),
    PlanOptions: toJsonSchema(serverPlanOptionsSchema(config)),
    Problem: toJsonSchema(problemSchema),
    Scenario: { ...toJsonSchema(scenarioShapeSchema), description: "A scenario document (docs/format.md §1)." },
    ScenarioSummary: toJsonSchema(scenarioSummarySchema),
    Change: {
      ...toJsonSchema(changeSchema),
      description: "One edit of a scenario in its own terms (docs/whatif.md): a selector, a field, and exactly one of set, scale, add.",
    },
    Comparison: comparisonJsonSchema(),
    SweepResult: toJsonSchema(sweepResultSchema),
    MonteCarloResult: toJsonSchema(monteCarloResultSchema),
    StochasticResult: toJsonSchema(stochasticResultSchema),
    Job: jobJsonSchema(),
    JobRequest: jobRequestJsonSchema(config),
    ...librarySchemas(),
  };
}

type LibrarySchemaId = "LibraryReference" | "LibraryEntry" | "LibraryVersion" | "LibraryHistory" | "LibraryResultSummary" | "LibraryDiff" | "SavedResult";

/** The scenario library's answers (docs/scenario-library.md), as `src/library/store.ts` and `diff.ts` shape them. */
function librarySchemas(): Readonly<Record<LibrarySchemaId, JsonSchema>> {
  const text = (description: string): JsonSchema => ({ type: "string", description });
  const time = (description: string): JsonSchema => ({ type: "string", format: "date-time", description });
  const name = text(`The name it is saved under, exactly as given (1 to ${MAX_NAME_LENGTH} characters; no NUL).`);
  const hash = text("SHA-256 (hex) of the scenario's canonical JSON.");
  const object = (description: string, properties: Readonly<Record<string, JsonSchema>>, optional: readonly string[] = []): JsonSchema => ({
    type: "object",
    description,
    properties,
    required: Object.keys(properties).filter((key) => !optional.includes(key)),
    additionalProperties: false,
  });
  const key: JsonSchema = {
    type: "object",
    additionalProperties: { type: "string" },
    description: "What identifies the record: id, or plant and product, or market and product.",
  };
  const records: JsonSchema = { type: "string", enum: ["plants", "products", "routes", "parts", "markets", "demand", "targets", "investments"] };
  const recordRef = object("A record one version has and the other has not.", { records, key, record: { description: "The record." } });
  const resultSummary = object(
    "A result saved with a version.",
    {
      id: text("GET /v1/library/results/{id}."),
      name,
      version: { type: "integer", minimum: 1 },
      kind: { type: "string", enum: ["plan", "compare", "sweep", "montecarlo"] },
      status: {
        type: "string",
        enum: ["done", "pending", "failed"],
        description: "pending: the job making it still runs; failed: it failed or was cancelled.",
      },
      author: text("Who saved it: the calling key's label, or anonymous."),
      created_at: time("When it was saved."),
      job_id: text("The job that makes it (results of jobs)."),
    },
    ["job_id"],
  );
  const version = object("A saved version, without its scenario.", {
    name,
    version: { type: "integer", minimum: 1 },
    hash,
    title: text("The scenario's title."),
    message: text("What the save said about itself."),
    author: text("The calling key's label (key:1a2b3c4d, never the key), or anonymous."),
    created_at: time("When it was saved."),
  });
  return {
    LibraryReference: object(
      "A scenario saved in the library, in place of scenario or scenarioId.",
      { name, version: { type: "integer", minimum: 1, description: "Default: the latest." } },
      ["version"],
    ),
    LibraryEntry: object("A name and its latest version.", {
      name,
      latest: { type: "integer", minimum: 1 },
      title: text("The latest version's title."),
      hash,
      updated_at: time("When the latest version was saved."),
    }),
    LibraryVersion: version,
    LibraryResultSummary: resultSummary,
    LibraryHistory: object("A name's versions and results, newest first.", {
      name,
      latest: { type: "integer", minimum: 1 },
      versions: { type: "array", items: schemaRef("LibraryVersion") },
      results: { type: "array", items: schemaRef("LibraryResultSummary") },
    }),
    LibraryDiff: object("What changed from one version to another (docs/scenario-library.md).", {
      name,
      from: { type: "integer", minimum: 1 },
      to: { type: "integer", minimum: 1 },
      fields: {
        type: "array",
        description: "Top-level fields changed; to is absent where the later version leaves the field out.",
        items: { type: "object", properties: { field: { type: "string" }, from: {}, to: {} }, required: ["field"], additionalProperties: false },
      },
      changes: { type: "array", items: schemaRef("Change"), description: "Edits of records both versions have, as Changes (set), period by period." },
      added: { type: "array", items: recordRef },
      removed: { type: "array", items: recordRef },
      edited: {
        type: "array",
        description: "Fields of records both have that no Change can say; to is absent where the later version leaves the field out.",
        items: {
          type: "object",
          properties: { records, key, field: { type: "string" }, from: {}, to: {} },
          required: ["records", "key", "field"],
          additionalProperties: false,
        },
      },
    }),
    SavedResult: {
      ...object(
        "A saved result: the version and request that made it, the software, and the answer.",
        {
          ...(resultSummary["properties"] as Record<string, JsonSchema>),
          request: { type: "object", description: "The request without its scenario: options, changes, variants, sweep, …" },
          software: {
            type: "object",
            properties: { jointplan: { type: "string" }, solvers: { type: "object", additionalProperties: { type: "string" } } },
            required: ["jointplan", "solvers"],
          },
          result: { description: "What the route answered (Plan, Comparison, SweepResult, MonteCarloResult); absent while pending." },
        },
        ["job_id", "result"],
      ),
    },
  };
}

export function registerSharedSchemas(app: FastifyInstance, config: ServiceConfig): void {
  for (const [id, schema] of Object.entries(sharedSchemas(config))) app.addSchema({ $id: id, ...schema });
}

export const schemaRef = (id: SharedSchemaId): JsonSchema => ({ $ref: `${id}#` });

/** An error answer in the OpenAPI document: a problem body, and the headers it carries. */
export function problemResponse(description: string, headers: Readonly<Record<string, JsonSchema>> = {}): JsonSchema {
  return {
    description,
    ...(Object.keys(headers).length === 0 ? {} : { headers }),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: schemaRef("Problem") } },
  };
}

export const retryAfterHeader: JsonSchema = { type: "integer", minimum: 1, description: "Seconds to wait before retrying." };
export const savedResultHeader: JsonSchema = { type: "string", description: "With save: /v1/library/results/{id}, where the saved result is read." };

/**
 * The body of `POST /v1/plans`, for the documentation: a posted scenario or
 * a bundled one's id, with options. The server checks the same rules, in
 * `envelope.ts` and the library.
 */
const changesJsonSchema = (what: string): JsonSchema => ({
  type: "array",
  items: schemaRef("Change"),
  description: `Changes applied to the scenario first, in order (docs/whatif.md): ${what}`,
});

export const planRequestJsonSchema: JsonSchema = requestJsonSchema({
  changes: changesJsonSchema("the plan is of the changed scenario. The planner's page sends its levers this way."),
});

/** The body of `POST /v1/comparisons`: the scenario, named variants of it, options. */
export function compareRequestJsonSchema(config: ServiceConfig): JsonSchema {
  const variants = toJsonSchema(variantsSchema);
  return requestJsonSchema(
    {
      changes: changesJsonSchema("the changed scenario is the baseline, and each variant's changes apply to it."),
      variants: { ...variants, maxItems: config.maxVariants, description: `At most ${config.maxVariants} here; more as a job.` },
    },
    ["variants"],
  );
}

/** The body of `POST /v1/sweeps`: the scenario, the sweep, options. */
export function sweepRequestJsonSchema(config: ServiceConfig): JsonSchema {
  const sweep = toJsonSchema(sweepSpecSchema);
  return requestJsonSchema(
    {
      changes: changesJsonSchema("the sweep moves one parameter of the changed scenario."),
      sweep: {
        ...sweep,
        description: `A parameter and its values, or a range (docs/whatif.md). At most ${config.maxSweepPoints} grid points here; more as a job.`,
      },
    },
    ["sweep"],
  );
}

/** A request body: a posted scenario, a bundled one's id or a saved one, the options, and the fields of its kind. */
function requestJsonSchema(fields: Readonly<Record<string, JsonSchema>>, required: readonly string[] = []): JsonSchema {
  const save: JsonSchema = {
    type: "boolean",
    description: "With library: store the result with the version it was made from (docs/scenario-library.md); the answer's Saved-Result header names it.",
  };
  const common = { options: schemaRef("PlanOptions"), save, ...fields };
  return {
    anyOf: [
      { type: "object", properties: { scenario: schemaRef("Scenario"), ...common }, required: ["scenario", ...required], additionalProperties: false },
      {
        type: "object",
        properties: { scenarioId: { type: "string", description: "The id of a bundled scenario (GET /v1/scenarios)." }, ...common },
        required: ["scenarioId", ...required],
        additionalProperties: false,
      },
      { type: "object", properties: { library: schemaRef("LibraryReference"), ...common }, required: ["library", ...required], additionalProperties: false },
    ],
  };
}

const workbookFile: JsonSchema = {
  type: "string",
  format: "binary",
  description: "A scenario workbook (docs/spreadsheets.md); the other fields of the JSON body go in the query string.",
};

/** A request body as JSON, or as a scenario workbook with the rest of the request in the query string. */
export function bodyWithWorkbook(json: JsonSchema): JsonSchema {
  return { content: { "application/json": { schema: json }, [MIME_XLSX]: { schema: workbookFile } } };
}

/** The query string of a request whose body is a workbook: each other field of the JSON body as JSON text. */
export function workbookQuery(fields: readonly string[]): JsonSchema {
  return {
    type: "object",
    properties: Object.fromEntries(
      fields.map((field) => [
        field,
        { type: "string", description: `With a workbook body only: the request's ${JSON.stringify(field)} field as JSON (a plain text is taken as a string).` },
      ]),
    ),
  };
}

/** A 200 answer as JSON, or as a workbook for `Accept: ${MIME_XLSX}`. */
export function answerWithWorkbook(description: string, ref: SharedSchemaId): JsonSchema {
  return {
    description: `${description} With Accept: ${MIME_XLSX}, the same as an Excel workbook (docs/spreadsheets.md).`,
    content: { "application/json": { schema: schemaRef(ref) }, [MIME_XLSX]: { schema: { type: "string", format: "binary" } } },
  };
}
