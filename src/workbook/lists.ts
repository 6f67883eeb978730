/**
 * A list of strings in one cell, both ways: `a, b, c` when every item is a
 * plain word (no comma, no quote, no space at either end, not starting with
 * `[`), else a JSON array (`["a, b", "c"]`); `[]` for the empty list.
 */

export function formatList(items: readonly string[]): string {
  const plain = items.length > 0 && items.every((item) => item !== "" && !/[,"]|^\s|\s$|^\[/.test(item));
  return plain ? items.join(", ") : JSON.stringify(items);
}

/** The items of a list cell, or a message saying why it is not one. */
export function parseList(text: string): { readonly items: string[] } | { readonly error: string } {
  if (text.trimStart().startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { error: 'a list that starts with "[" is a JSON array of texts, such as ["a, b", "c"]; this one does not parse' };
    }
    if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === "string")) return { error: "expected a JSON array of texts" };
    return { items: parsed };
  }
  return { items: text.split(",").map((item) => item.trim()) };
}
