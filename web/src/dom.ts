import { formatMoney, formatUnits } from "../../src/explain/words.js";

/** A few DOM helpers: elements from a tag, attributes and children; tables from rows; numbers in words. */

export type Child = Node | string | number | null | undefined | false;
export type Attributes = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** `h("p", { class: "note" }, "text", child)`; `false`/`null` attributes are left out, `true` ones set empty. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === "number" ? String(child) : child);
  }
}

export interface TableColumn {
  readonly header: string;
  /** Numbers right-aligned. */
  readonly numeric?: boolean;
}

/**
 * A table with a caption, a header row, body rows and an optional footer row;
 * the first cell of each row is its header. On a phone each row stacks into a
 * block, every cell labelled with its column (`data-label`, see page.css).
 */
export function table(caption: string, columns: readonly TableColumn[], rows: readonly (readonly Child[])[], footer?: readonly Child[]): HTMLElement {
  const cellClass = (c: number) => (columns[c]?.numeric === true ? "num" : undefined);
  const row = (cells: readonly Child[]) =>
    h(
      "tr",
      {},
      ...cells.map((cell, c) =>
        c === 0 ? h("th", { scope: "row", class: cellClass(c) }, cell) : h("td", { class: cellClass(c), "data-label": columns[c]?.header }, cell),
      ),
    );
  return h(
    "div",
    { class: "table-wrap", role: "region", "aria-label": caption, tabindex: 0 },
    h(
      "table",
      { class: "stack" },
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, ...columns.map((column, c) => h("th", { scope: "col", class: cellClass(c) }, column.header)))),
      h("tbody", {}, ...rows.map(row)),
      footer === undefined ? null : h("tfoot", {}, row(footer)),
    ),
  );
}

/** Money in whole currency units: "93,250,386 USD". */
export function money(value: number, currency: string): string {
  return `${formatMoney(value)} ${currency}`;
}

/** "—" for zero, else units with thousands separators. */
export function unitsOrDash(value: number): string {
  return Math.abs(value) < 1e-9 ? "—" : formatUnits(value);
}
