import type { z } from "zod";
import { referenceIssuesDespiteShape } from "./lenient.js";
import { checkReferences, type IssuePath, type RawIssue } from "./references.js";
import { scenarioShapeSchema, type Scenario } from "./schema.js";

/** One validation problem: where (`routes[0].plant`) and what; read from a workbook, also the cell (`Routes!C2`). */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
  readonly cell?: string;
}

export type ValidationResult = { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Thrown for invalid input (a scenario, plan options, a plan to verify, or a
 * what-if request, whose issue paths are relative to the request body);
 * carries every issue found, not only the first.
 */
export class ValidationError extends Error {
  readonly subject: "scenario" | "options" | "plan" | "request";
  readonly issues: readonly ValidationIssue[];
  constructor(issues: readonly ValidationIssue[], subject: "scenario" | "options" | "plan" | "request" = "scenario") {
    const first = issues[0];
    const head = first === undefined ? "" : `: ${first.path === "" ? "" : `${first.path}: `}${first.message}`;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    super(`invalid ${subject}${head}${more}`);
    this.name = "ValidationError";
    this.subject = subject;
    this.issues = issues;
  }
}

export function isValidationError(error: unknown): error is ValidationError {
  return error instanceof ValidationError;
}

/**
 * Scenarios this module produced. A parsed scenario is deeply frozen (and its
 * type deeply readonly): passing it again skips re-validation, and derived
 * lookups and formulations are cached against it. To change one, edit a copy
 * of the document and parse that.
 */
const parsedScenarios = new WeakSet<object>();

/** Validates a `jointplan/v1` document against every rule of docs/format.md §1 and fills in defaults. */
export function validateScenario(input: unknown): ValidationResult {
  if (typeof input === "object" && input !== null && parsedScenarios.has(input)) {
    return { ok: true, scenario: input as Scenario };
  }
  const shape = scenarioShapeSchema.safeParse(input, { reportInput: true });
  if (!shape.success) {
    // Every error at once: the references are checked too, on a lenient reading of the document.
    const blamed = shape.error.issues.flatMap((issue) => {
      const path = issue.path.filter((key): key is string | number => typeof key !== "symbol");
      // An unknown field blames that field, not the object holding it.
      return issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...path, key]) : [path];
    });
    const references = referenceIssuesDespiteShape(input, blamed);
    return { ok: false, issues: [...fromZodIssues(shape.error.issues), ...references.map(toValidationIssue)] };
  }
  const references = checkReferences(shape.data);
  if (references.length > 0) return { ok: false, issues: references.map(toValidationIssue) };
  const scenario = deepFreeze(shape.data) as Scenario;
  parsedScenarios.add(scenario);
  return { ok: true, scenario };
}

/** Like `validateScenario`, but returns the scenario or throws `ValidationError`. */
export function parseScenario(input: unknown): Scenario {
  const result = validateScenario(input);
  if (!result.ok) throw new ValidationError(result.issues);
  return result.scenario;
}

export function fromZodIssues(issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  return issues.flatMap((issue): ValidationIssue[] => {
    const path = issue.path.filter((key): key is string | number => typeof key !== "symbol");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: formatPath([...path, key]), message: "unknown field" }));
    }
    if (issue.code === "invalid_type" && issue.input === undefined) {
      return [{ path: formatPath(path), message: "is required" }];
    }
    return [{ path: formatPath(path), message: issue.message }];
  });
}

function toValidationIssue(issue: RawIssue): ValidationIssue {
  return { path: formatPath(issue.path), message: issue.message };
}

const identifier = /^[A-Za-z_$][\w$]*$/;

/** `["routes", 0, "uses", "a b"]` → `routes[0].uses["a b"]`. */
export function formatPath(path: IssuePath): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else if (identifier.test(key)) text += text === "" ? key : `.${key}`;
    else text += `[${JSON.stringify(key)}]`;
  }
  return text;
}

/** Paths relative to a part of a request body: `routes[0].plant` → `scenario.routes[0].plant` (a cell, if any, kept). */
export function prefixed(prefix: string, issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.map(({ path, ...rest }) => ({
    ...rest,
    path: path === "" ? prefix : path.startsWith("[") ? `${prefix}${path}` : `${prefix}.${path}`,
  }));
}

/** The inverse of `formatPath`: `routes[0].uses["a b"]` → `["routes", 0, "uses", "a b"]`; undefined for text it does not write. */
export function parsePath(text: string): (string | number)[] | undefined {
  const segments: (string | number)[] = [];
  const token = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([A-Za-z_$][\w$]*)/y;
  while (token.lastIndex < text.length) {
    const start = token.lastIndex;
    const match = token.exec(text);
    if (match === null) return undefined;
    const [whole, index, quoted, word] = match;
    if (word !== undefined && whole.startsWith(".") === (start === 0)) return undefined; // a dot between segments, none at the start
    segments.push(index !== undefined ? Number(index) : quoted !== undefined ? (JSON.parse(quoted) as string) : (word ?? ""));
  }
  return segments;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}
