/** The longest name a scenario may be saved under, in characters (Unicode code points). */
export const MAX_NAME_LENGTH = 200;
/** The longest save message, in characters. */
export const MAX_MESSAGE_LENGTH = 2000;

/**
 * Why `name` cannot name a scenario, or undefined when it can. Any non-empty
 * text up to 200 characters is a name, kept and returned exactly as given
 * (spaces, `../x`, `__proto__`, any script), but for the NUL character, which
 * PostgreSQL text cannot hold, and unpaired surrogates, which are no text.
 */
export function nameIssue(name: unknown): string | undefined {
  if (typeof name !== "string") return "expected a string";
  if (name.length === 0) return "must not be empty";
  if (codePoints(name) > MAX_NAME_LENGTH) return `must be at most ${MAX_NAME_LENGTH} characters`;
  return textIssue(name);
}

/** Why a message cannot be saved, or undefined. */
export function messageIssue(message: unknown): string | undefined {
  if (typeof message !== "string") return "expected a string";
  if (codePoints(message) > MAX_MESSAGE_LENGTH) return `must be at most ${MAX_MESSAGE_LENGTH} characters`;
  return textIssue(message);
}

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textIssue(text: string): string | undefined {
  if (text.includes("\u0000")) return "must not contain the NUL character";
  if (UNPAIRED_SURROGATE.test(text)) return "must be well-formed Unicode (an unpaired surrogate is no character)";
  return undefined;
}

/** Characters as a reader counts them, near enough: Unicode code points, not UTF-16 units. */
function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
