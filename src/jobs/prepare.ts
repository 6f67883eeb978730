import { z } from "zod";
import type { ServiceConfig } from "../http/config.js";
import { readEnvelope } from "../http/envelope.js";
import { prepareMonteCarlo } from "../montecarlo/index.js";
import type { ResolvedPlanOptions } from "../plan/options.js";
import { fromZodIssues, isValidationError, ValidationError, type ValidationIssue } from "../scenario/parse.js";
import type { Scenario } from "../scenario/schema.js";
import { issuesOf, prefixed, readOptions, readScenario, withChanges } from "../tasks/request.js";
import { variantScenarios } from "../whatif/compare.js";
import { prepareSweep } from "../whatif/sweep.js";
import { prepareStochastic } from "../stochastic/outcomes.js";
import type { JobSettings } from "./settings.js";
import { jobKinds, type JobInput, type JobKind, type Unit } from "./types.js";

/** A job checked in full at submission: its input, its units in order, and the total its progress counts to. */
export interface PreparedJob {
  readonly input: JobInput;
  readonly units: readonly Unit[];
  readonly total: number;
}

export type Prepared =
  | { readonly kind: "ready"; readonly job: PreparedJob }
  | { readonly kind: "invalid"; readonly issues: readonly ValidationIssue[] }
  | { readonly kind: "unknown_scenario"; readonly id: string };

const kindSchema = z.object({ kind: z.enum(jobKinds, { error: `expected one of ${jobKinds.join(", ")}` }) });
const monteCarloEnvelope = z.strictObject({
  scenario: z.unknown().optional(),
  scenarioId: z.unknown().optional(),
  options: z.unknown().optional(),
  changes: z.unknown().optional(),
  samples: z.unknown(),
  seed: z.unknown(),
  uncertain: z.unknown(),
  notes: z.unknown().optional(),
});

const stochasticEnvelope = z.strictObject({
  scenario: z.unknown().optional(),
  scenarioId: z.unknown().optional(),
  options: z.unknown().optional(),
  changes: z.unknown().optional(),
  outcomes: z.unknown().optional(),
  sample: z.unknown().optional(),
  here_and_now: z.unknown().optional(),
  evaluate: z.unknown().optional(),
  method: z.unknown().optional(),
  decomposition: z.unknown().optional(),
  notes: z.unknown().optional(),
});

/**
 * Reads `POST /v1/jobs` at submission, in full: the envelope and the size
 * limits as the synchronous routes read them (without their limits on
 * variants and points), then the scenario, the options, the changes and the
 * work of the kind, with every issue and its path in the body — a job that is
 * accepted does not fail later on its input. The work is cut into units: a
 * grid's values and a Monte Carlo run's samples into chunks that threads or
 * workers share; the rest is one unit.
 */
export function prepareJob(body: unknown, config: ServiceConfig, jobs: JobSettings): Prepared {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return invalid([{ path: "", message: "expected a JSON object with kind and the body of that kind" }]);
  const head = kindSchema.safeParse(body, { reportInput: true });
  if (!head.success) return invalid(fromZodIssues(head.error.issues));
  const { kind: _kind, ...rest } = body as Record<string, unknown>;
  const kind = head.data.kind;

  // The envelope: the fields of the kind, scenario or scenarioId, the size limits on a posted scenario.
  let envelopeBody: Record<string, unknown> = rest;
  if (kind === "montecarlo") {
    const checked = monteCarloEnvelope.safeParse(rest, { reportInput: true });
    if (!checked.success) return invalid(fromZodIssues(checked.error.issues));
    const { samples: _samples, seed: _seed, uncertain: _uncertain, notes: _notes, ...source } = rest;
    envelopeBody = source;
  }
  if (kind === "stochastic") {
    const checked = stochasticEnvelope.safeParse(rest, { reportInput: true });
    if (!checked.success) return invalid(fromZodIssues(checked.error.issues));
    const {
      outcomes: _outcomes,
      sample: _sample,
      here_and_now: _hereAndNow,
      evaluate: _evaluate,
      method: _method,
      decomposition: _decomposition,
      notes: _notes,
      ...source
    } = rest;
    envelopeBody = source;
  }
  const envelope = readEnvelope(kind === "montecarlo" || kind === "stochastic" ? "plan" : kind, envelopeBody, config, Date.now(), true);
  if (envelope.kind !== "ready") return envelope;

  const input: JobInput = { kind, body: rest };
  const read = readJobInput(input, jobs.maxRunMs);
  if (!read.ok) return invalid(read.issues);
  try {
    return { kind: "ready", job: cut(kind, rest, read.value, jobs) };
  } catch (error) {
    if (isValidationError(error)) return invalid(error.subject === "request" ? error.issues : prefixed(error.subject, error.issues));
    throw error;
  }
}

/** A job's scenario (its changes applied) and options, read as the synchronous routes read them. */
export interface JobContext {
  readonly scenario: Scenario;
  readonly settings: ResolvedPlanOptions;
}

export function readJobInput(input: JobInput, maxTimeLimitMs: number): { ok: true; value: JobContext } | { ok: false; issues: readonly ValidationIssue[] } {
  const { body } = input;
  const scenarioId = typeof body["scenarioId"] === "string" ? body["scenarioId"] : undefined;
  const options = readOptions(body["options"], maxTimeLimitMs);
  const posted = readScenario({ kind: "plan", body, receivedAt: 0, deadline: 0, maxTimeLimitMs, ...(scenarioId === undefined ? {} : { scenarioId }) });
  const scenario = posted.ok ? withChanges(posted.value, body["changes"]) : posted;
  if (!options.ok || !scenario.ok) return { ok: false, issues: issuesOf(options, scenario) };
  return { ok: true, value: { scenario: scenario.value, settings: options.value } };
}

/** The work of the kind checked against the scenario (throws `ValidationError`), cut into units. */
function cut(kind: JobKind, body: Readonly<Record<string, unknown>>, { scenario, settings }: JobContext, jobs: JobSettings): PreparedJob {
  const input: JobInput = { kind, body };
  switch (kind) {
    case "plan":
      return { input, units: [{ type: "whole" }], total: 1 };
    case "compare": {
      const variants = body["variants"];
      if (Array.isArray(variants) && variants.length > jobs.maxVariants) {
        throw new ValidationError([{ path: "variants", message: `has ${variants.length} variants; a job compares at most ${jobs.maxVariants}` }], "request");
      }
      variantScenarios(scenario, variants);
      return { input, units: [{ type: "whole" }], total: 1 };
    }
    case "sweep": {
      const prepared = prepareSweep(scenario, body["sweep"], settings);
      if (prepared.mode === "exact") return { input, units: [{ type: "whole" }], total: 1 };
      const units: Unit[] = [];
      for (let i = 0; i < prepared.values.length; i += jobs.chunkPoints) units.push({ type: "grid", values: prepared.values.slice(i, i + jobs.chunkPoints) });
      return { input, units, total: prepared.values.length };
    }
    case "montecarlo": {
      const { spec } = prepareMonteCarlo(scenario, monteCarloRequest(body), settings);
      const units: Unit[] = [];
      for (let from = 0; from < spec.samples; from += jobs.chunkSamples)
        units.push({ type: "samples", from, to: Math.min(spec.samples, from + jobs.chunkSamples) });
      return { input, units, total: spec.samples };
    }
    case "stochastic": {
      // Checked in full now (every outcome's changes, the mean outcome); the plan runs as one unit.
      prepareStochastic(scenario, stochasticRequest(body), settings);
      return { input, units: [{ type: "whole" }], total: 1 };
    }
  }
}

const invalid = (issues: readonly ValidationIssue[]): Prepared => ({ kind: "invalid", issues });

/** A Monte Carlo job's request (what `jointplan montecarlo` reads from its file): the body's own fields, without the scenario and options. */
export function monteCarloRequest(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { samples, seed, uncertain, notes } = body;
  return { samples, seed, uncertain, ...(notes === undefined ? {} : { notes }) };
}

/** A stochastic job's request (what `jointplan stochastic` reads from its file): the body's own fields, without the scenario and options. */
export function stochasticRequest(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { outcomes, sample, here_and_now, evaluate, method, decomposition, notes } = body;
  const present = Object.entries({ outcomes, sample, here_and_now, evaluate, method, decomposition, notes }).filter(([, value]) => value !== undefined);
  return Object.fromEntries(present);
}
