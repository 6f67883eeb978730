import { z } from "zod";

/**
 * An object keyed by user ids (resources, bom parts, period labels).
 *
 * zod's own `z.record` builds its output into a plain `{}` and silently drops a
 * `__proto__` key, so a resource or period named `__proto__` would vanish. This
 * schema keeps every own key of the input, stores the values in a
 * null-prototype object (lookups never reach `Object.prototype`, so a part named
 * `constructor` or `toString` is only ever the user's own entry), and prefixes
 * value issues with the key so paths read `plants[0].resources.assembly`.
 * `accepts` is an optional fast check for values the schema takes unchanged;
 * `read`, an optional fast reading of values the schema takes and changes
 * (defaults filled in): it returns what the schema would, or undefined to
 * leave the value to the schema.
 */
export type IdRecord<T> = Readonly<Record<string, T>>;

/** The value schema behind each id record, for JSON Schema generation. */
export const idRecordValueSchemas = new WeakMap<z.ZodType, z.ZodType>();

export function idRecord<S extends z.ZodType>(
  valueSchema: S,
  accepts?: (value: unknown) => value is z.output<S>,
  read?: (value: unknown) => z.output<S> | undefined,
) {
  const schema = z.unknown().transform((input, ctx): IdRecord<z.output<S>> => {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      ctx.issues.push({
        code: "invalid_type",
        expected: "record",
        input,
        message: "expected an object keyed by id",
      });
      return z.NEVER;
    }
    // On a null-prototype object, assigning "__proto__" creates an own property like any other key.
    const record = Object.create(null) as Record<string, z.output<S>>;
    for (const key of Object.keys(input)) {
      if (key === "") {
        ctx.issues.push({ code: "custom", input, path: [key], message: "an id must not be empty" });
        continue;
      }
      const value = (input as Record<string, unknown>)[key];
      if (accepts?.(value) === true) {
        record[key] = value;
        continue;
      }
      const quick = read?.(value);
      if (quick !== undefined) {
        record[key] = quick;
        continue;
      }
      const parsed = valueSchema.safeParse(value, { reportInput: true });
      if (parsed.success) {
        record[key] = parsed.data;
      } else {
        for (const issue of parsed.error.issues) {
          ctx.issues.push({ ...issue, path: [key, ...issue.path] } as never);
        }
      }
    }
    return record;
  });
  idRecordValueSchemas.set(schema, valueSchema);
  return schema;
}

/** Own-key lookup that cannot reach the prototype chain. */
export function own<T>(record: IdRecord<T> | undefined, key: string): T | undefined {
  if (record === undefined || !Object.prototype.hasOwnProperty.call(record, key)) return undefined;
  return record[key];
}

export function ownKeys(record: IdRecord<unknown> | undefined): string[] {
  return record === undefined ? [] : Object.keys(record);
}
