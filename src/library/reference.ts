import { z } from "zod";
import { fromZodIssues, type ValidationIssue } from "../scenario/parse.js";
import { nameIssue } from "./names.js";
import type { LibraryStore } from "./store.js";

/** A body's `{ "library": { "name", "version"? } }`, resolved to the version it names. */
export interface LibraryRef {
  readonly name: string;
  readonly version: number;
}

export type ResolvedBody =
  /** The body as the task reads it: `library` replaced by the saved scenario, `save` taken out. */
  | { readonly kind: "ready"; readonly body: unknown; readonly ref?: LibraryRef; readonly save: boolean }
  | { readonly kind: "invalid"; readonly issues: readonly ValidationIssue[] }
  | { readonly kind: "not_found"; readonly detail: string; readonly issues: readonly ValidationIssue[] };

const referenceSchema = z.strictObject({
  name: z.string({ error: "expected the name of a saved scenario" }),
  version: z
    .number({ error: "expected a version number" })
    .int({ error: "expected a whole version number" })
    .min(1, { error: "versions start at 1" })
    .optional(),
});

/**
 * Reads the two fields every body that takes a scenario may carry
 * (docs/scenario-library.md): `library` in place of `scenario` or
 * `scenarioId` (the latest version when `version` is left out), and `save`,
 * which asks to store the result with that version. The store is opened only
 * when the body names the library.
 */
export async function resolveLibraryBody(body: unknown, store: () => Promise<LibraryStore>): Promise<ResolvedBody> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { kind: "ready", body, save: false };
  const fields = body as Readonly<Record<string, unknown>>;
  if (!Object.hasOwn(fields, "library") && !Object.hasOwn(fields, "save")) return { kind: "ready", body, save: false };
  const { library, save, ...rest } = fields;
  if (save !== undefined && typeof save !== "boolean") return { kind: "invalid", issues: [{ path: "save", message: "expected true or false" }] };
  if (library === undefined) {
    if (save === true) {
      return {
        kind: "invalid",
        issues: [{ path: "save", message: 'a result is saved with a version of the library: give the scenario as "library": { "name", "version"? }' }],
      };
    }
    return { kind: "ready", body: rest, save: false };
  }
  const reference = referenceSchema.safeParse(library, { reportInput: true });
  if (!reference.success) return { kind: "invalid", issues: fromZodIssues(reference.error.issues).map((issue) => prefix(issue)) };
  const issue = nameIssue(reference.data.name);
  if (issue !== undefined) return { kind: "invalid", issues: [{ path: "library.name", message: issue }] };
  const others = ["scenario", "scenarioId"].filter((field) => Object.hasOwn(rest, field));
  if (others.length > 0)
    return { kind: "invalid", issues: [{ path: "library", message: `give one of scenario, scenarioId or library, not library and ${others.join(" and ")}` }] };

  const { name, version } = reference.data;
  const found = await (await store()).version(name, version);
  if (found === undefined) {
    const detail =
      version === undefined
        ? `No scenario is saved in the library as ${JSON.stringify(name)}; GET /v1/library lists them.`
        : `The library has no version ${version} of ${JSON.stringify(name)}.`;
    return { kind: "not_found", detail, issues: [{ path: version === undefined ? "library.name" : "library.version", message: detail }] };
  }
  return { kind: "ready", body: { ...rest, scenario: JSON.parse(found.content) as unknown }, ref: { name, version: found.info.version }, save: save === true };
}

function prefix(issue: ValidationIssue): ValidationIssue {
  return { path: issue.path === "" ? "library" : issue.path.startsWith("[") ? `library${issue.path}` : `library.${issue.path}`, message: issue.message };
}
