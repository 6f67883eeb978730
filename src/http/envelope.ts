import { z } from "zod";
import { formulationsOf } from "../plan/formulationCache.js";
import { bundledScenario } from "../scenario/bundled.js";
import { fromZodIssues, type ValidationIssue } from "../scenario/parse.js";
import { backendNames } from "../solvers/types.js";
import { modelSize, type BackendChoice, type ModelSize } from "../solvers/index.js";
import { scenarioSize, sizeIssues } from "../tasks/size.js";
import type { Task, TaskKind } from "../tasks/task.js";
import { DEFAULT_SWEEP_STEPS } from "../whatif/schema.js";
import type { ServiceConfig } from "./config.js";
import type { PlacementInput } from "./placement.js";

/**
 * The first look at a request body, on the request's thread and without
 * validating the scenario: the envelope (`scenario` or `scenarioId`, plus
 * `options` and the fields of its kind), the server's size limits, and what
 * placement needs to know. The scenario and the options are validated where
 * the task runs (`tasks/`).
 */
export type Envelope =
  | { readonly kind: "invalid"; readonly issues: readonly ValidationIssue[] }
  | { readonly kind: "unknown_scenario"; readonly id: string }
  | { readonly kind: "ready"; readonly task: Task; readonly placement: PlacementInput };

const source = {
  scenario: z.unknown().optional(),
  scenarioId: z.string({ error: "expected the id of a bundled scenario" }).optional(),
  options: z.unknown().optional(),
};

/** Each kind's envelope: the fields it takes, their contents checked where the task runs. */
const envelopeSchemas = {
  plan: z.strictObject({ ...source, changes: z.unknown().optional() }),
  compare: z.strictObject({ ...source, changes: z.unknown().optional(), variants: z.unknown() }),
  sweep: z.strictObject({ ...source, changes: z.unknown().optional(), sweep: z.unknown() }),
} satisfies Readonly<Record<TaskKind, z.ZodType<{ scenario?: unknown; scenarioId?: string | undefined; options?: unknown }>>>;

/**
 * `asJob`: the body is the work of a job (`POST /v1/jobs`), which is not
 * bounded by what one request may ask for (`workIssues`), only by the size
 * limits on the scenario.
 */
export function readEnvelope(kind: TaskKind, body: unknown, config: ServiceConfig, receivedAt: number, asJob = false): Envelope {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return invalid([{ path: "", message: "expected a JSON object with scenario or scenarioId" }]);
  }
  const envelope = envelopeSchemas[kind].safeParse(body, { reportInput: true });
  if (!envelope.success) return invalid(fromZodIssues(envelope.error.issues));
  const { scenario, scenarioId, options } = envelope.data;
  const given = (scenario === undefined ? 0 : 1) + (scenarioId === undefined ? 0 : 1);
  if (given !== 1) {
    return invalid([{ path: "", message: given === 0 ? "scenario or scenarioId is required" : "give either scenario or scenarioId, not both" }]);
  }
  const asked = record(options);
  const explain = asked?.["explain"] !== undefined && asked["explain"] !== false;
  const integerOption = asked?.["integer"];

  let size: ModelSize;
  if (scenarioId !== undefined) {
    const bundled = bundledScenario(scenarioId);
    if (bundled === undefined) return { kind: "unknown_scenario", id: scenarioId };
    size = bundledSize(scenarioId, typeof integerOption === "boolean" ? integerOption : bundled.integer);
  } else {
    const issues = sizeIssues(scenario, config.limits, ["scenario"], explain);
    if (issues.length > 0) return invalid(issues);
    const estimate = scenarioSize(scenario, explain);
    // Investments' builds are whole in every plan: a scenario with any is a mixed-integer model.
    const investments = record(scenario)?.["investments"];
    const integer =
      (typeof integerOption === "boolean" ? integerOption : record(scenario)?.["integer"] === true) || (Array.isArray(investments) && investments.length > 0);
    size = { columns: estimate.columns, rows: estimate.rows, nonZeros: estimate.nonZeros, integer };
  }

  const work = asJob ? [] : workIssues(kind, body as Readonly<Record<string, unknown>>, config);
  if (work.length > 0) return invalid(work);

  const task: Task = {
    kind,
    ...(scenarioId === undefined ? {} : { scenarioId }),
    body: body as Readonly<Record<string, unknown>>,
    receivedAt,
    deadline: receivedAt + timeLimitOf(options, config),
    maxTimeLimitMs: config.maxTimeLimitMs,
  };
  const backend = asked?.["backend"];
  const choice: BackendChoice = typeof backend === "string" && (backendNames as readonly string[]).includes(backend) ? (backend as BackendChoice) : "auto";
  return { kind: "ready", task, placement: { kind, size, backend: choice, explain } };
}

/**
 * A comparison or a sweep answered while the client waits is bounded: at most
 * `maxVariants` variants, at most `maxSweepPoints` grid points. Beyond, the
 * work is a job (`POST /v1/jobs`), which runs apart and reports progress.
 */
function workIssues(kind: TaskKind, body: Readonly<Record<string, unknown>>, config: ServiceConfig): ValidationIssue[] {
  const toJobs = "; a larger one runs as a job: POST /v1/jobs";
  if (kind === "compare") {
    const variants = body["variants"];
    if (Array.isArray(variants) && variants.length > config.maxVariants) {
      return [{ path: "variants", message: `has ${variants.length} variants; this server compares at most ${config.maxVariants} in one request${toJobs}` }];
    }
  }
  if (kind === "sweep") {
    const sweep = record(body["sweep"]);
    const values = sweep?.["values"];
    const steps = sweep?.["steps"];
    const points = Array.isArray(values) ? values.length : sweep?.["mode"] === "exact" ? 0 : typeof steps === "number" ? steps : DEFAULT_SWEEP_STEPS;
    if (points > config.maxSweepPoints) {
      const path = Array.isArray(values) ? "sweep.values" : "sweep.steps";
      return [{ path, message: `asks for ${points} points; this server sweeps at most ${config.maxSweepPoints} in one request${toJobs}` }];
    }
  }
  return [];
}

const bundledSizes = new Map<string, ModelSize>();

/** The model size of a bundled scenario, counted on its formulation (once per thread). */
function bundledSize(id: string, integer: boolean): ModelSize {
  const key = JSON.stringify([id, integer]);
  let size = bundledSizes.get(key);
  if (size === undefined) {
    const formulation = formulationsOf(bundledScenario(id)).formulation(integer);
    size = modelSize(formulation.lp, formulation.mixedInteger);
    bundledSizes.set(key, size);
  }
  return size;
}

/** The request's time limit: its own when it asks for a valid one, else the server's default. */
function timeLimitOf(options: unknown, config: ServiceConfig): number {
  const asked = record(options)?.["timeLimitMs"];
  const valid = typeof asked === "number" && Number.isInteger(asked) && asked > 0 && asked <= config.maxTimeLimitMs;
  return valid ? asked : config.defaultTimeLimitMs;
}

const invalid = (issues: readonly ValidationIssue[]): Envelope => ({ kind: "invalid", issues });

function record(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
