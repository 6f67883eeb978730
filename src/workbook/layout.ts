import { objectives, targetKinds } from "../scenario/schema.js";

/**
 * The scenario workbook, described once (docs/spreadsheets.md): which sheet
 * holds which records, which column holds which field, of what kind. Reading
 * (`readScenario.ts`), writing (`writeScenario.ts`), the drop-down lists, the
 * first sheet's instructions and the cell named in every error all come from
 * this description. A new field is a new column here; a new nested map is a
 * new `map` table.
 */

/**
 * How a cell holds its field:
 * - `id`, `text`: a string (a number typed in it is read as its text);
 * - `choice`: one of `options`, offered as a drop-down;
 * - `list`: strings in one cell, `a, b, c`, or a JSON array `["a,b", "c"]` when an item holds a comma, a quote or spaces at its ends;
 * - `boolean`: TRUE or FALSE (the texts true/false/yes/no are read too);
 * - `presence`: TRUE when the record has the object at `field` even with no field of it given (a route that keeps stock);
 * - `number`: a number;
 * - `periodNumber`: a PeriodNumber (docs/format.md §1.2) — a column for one value in every period (its second header
 *   row blank), a column per period label and one for `*`.
 */
export type CellKind = "id" | "text" | "choice" | "list" | "boolean" | "presence" | "number" | "periodNumber";

/** How numbers show (the stored value is never rounded). */
export type NumberFormat = "money" | "quantity";

/** Where a drop-down takes its values: the first column of a sheet's rows, or a fixed list. */
export type DropDown = { readonly sheet: string; readonly header: string } | { readonly options: readonly string[] };

export interface ColumnLayout {
  /** The column's header (row 1). */
  readonly header: string;
  /** The field's path inside the row's record; `[]` for the value of a map entry that is a plain value. */
  readonly field: readonly string[];
  readonly kind: CellKind;
  readonly format?: NumberFormat;
  readonly dropDown?: DropDown;
  /** What to write in it, for the first sheet. */
  readonly about: string;
}

/** The records a child table's rows belong to, named by the owner sheet's identity columns, in order. */
export interface OwnerLink {
  readonly sheet: string;
  /** What one owner is called in an error ("route"). */
  readonly noun: string;
  /** This sheet's columns holding the owner's identity (they fill no field). */
  readonly columns: readonly ColumnLayout[];
}

interface TableBase {
  readonly sheet: string;
  readonly about: string;
  /** A workbook without this sheet is refused; other sheets may be left out (no records of that kind). */
  readonly required: boolean;
  /** The columns holding fields of the row's record (or of the map entry's value). */
  readonly columns: readonly ColumnLayout[];
}

/** A row per record of the array at `array` (top level, or inside each owner record). */
export interface RecordTable extends TableBase {
  readonly kind: "records";
  readonly array: string;
  readonly owner?: OwnerLink;
  /** Headers of the columns (owner columns first) that name a record, for the tables that belong to it. */
  readonly identity: readonly string[];
}

/**
 * A row per entry of the id-keyed map at `map` in each owner record (a long
 * table). `optional` maps may be absent from a record: a row with the owner
 * given and the key and value left empty says the map is there but empty
 * (a route that ships to no market), where no row says it is absent.
 */
export interface MapTable extends TableBase {
  readonly kind: "map";
  readonly map: readonly string[];
  readonly owner: OwnerLink;
  readonly key: ColumnLayout;
  /** `value`: an entry is a plain value (the one column with field `[]`); `record`: an object of the columns' fields. */
  readonly entry: "value" | "record";
  readonly optional: boolean;
}

/** The top-level fields, a row each: field name, value. */
export interface FieldsSheet {
  readonly kind: "fields";
  readonly sheet: string;
  readonly about: string;
  readonly fields: readonly ColumnLayout[];
}

/** A top-level array of strings, a row each. Without the sheet the field is absent; with it and no rows, empty. */
export interface ListSheet {
  readonly kind: "strings";
  readonly sheet: string;
  readonly about: string;
  readonly field: string;
  readonly column: ColumnLayout;
}

export type TableLayout = RecordTable | MapTable;
export type SheetLayout = FieldsSheet | ListSheet | TableLayout;

/** The first sheet: how to fill in the others. Ignored when a workbook is read. */
export const INSTRUCTIONS_SHEET = "How to fill in";

/** Rows above the data in a table sheet: the header, and the period of a per-period column. */
export const TABLE_HEADER_ROWS = 2;

const plantIds: DropDown = { sheet: "Plants", header: "id" };
const productIds: DropDown = { sheet: "Products", header: "id" };
const partIds: DropDown = { sheet: "Parts", header: "id" };
const marketIds: DropDown = { sheet: "Markets", header: "id" };
const periodLabels: DropDown = { sheet: "Periods", header: "period" };
const resourceNames: DropDown = { sheet: "Resources", header: "resource" };

const id = (header: string, about: string, dropDown?: DropDown, field: readonly string[] = [header]): ColumnLayout => ({
  header,
  field,
  kind: "id",
  about,
  ...(dropDown === undefined ? {} : { dropDown }),
});
const text = (header: string, about: string): ColumnLayout => ({ header, field: [header], kind: "text", about });
const owner = (header: string, about: string, dropDown?: DropDown): ColumnLayout => id(header, about, dropDown, []);
const number = (header: string, format: NumberFormat, about: string, field: readonly string[] = [header]): ColumnLayout => ({
  header,
  field,
  kind: "number",
  format,
  about,
});
const perPeriod = (header: string, format: NumberFormat, about: string, field: readonly string[] = [header]): ColumnLayout => ({
  header,
  field,
  kind: "periodNumber",
  format,
  about,
});
const flag = (header: string, about: string): ColumnLayout => ({ header, field: [header], kind: "boolean", about });
const idList = (header: string, about: string): ColumnLayout => ({ header, field: [header], kind: "list", about });

const plantOwner: OwnerLink = { sheet: "Plants", noun: "plant", columns: [owner("plant", "the plant's id", plantIds)] };
const productOwner: OwnerLink = { sheet: "Products", noun: "product", columns: [owner("product", "the product's id", productIds)] };
const partOwner: OwnerLink = { sheet: "Parts", noun: "part", columns: [owner("part", "the part's id", partIds)] };
const routeOwner: OwnerLink = {
  sheet: "Routes",
  noun: "route",
  columns: [owner("plant", "the route's plant", plantIds), owner("product", "the route's product", productIds)],
};
const investmentOwner: OwnerLink = {
  sheet: "Investments",
  noun: "investment",
  columns: [owner("investment", "the investment's id", { sheet: "Investments", header: "id" })],
};
const sourceOwner: OwnerLink = {
  sheet: "Part sources",
  noun: "source",
  columns: [owner("part", "the part", partIds), owner("source", "the source of the part")],
};

/** A lane's cost, duty and capacity (docs/format.md §1.6): a delivery to a plant, a shipment to a market. */
const laneColumns = (per: string): ColumnLayout[] => [
  number("cost", "money", `freight and handling per unit ${per} (default 0)`),
  number("duty", "quantity", "ad-valorem duty rate, 0.15 for 15% (default 0)"),
  perPeriod("capacity", "quantity", `most units ${per} per period (empty: no limit)`),
];

/** Every sheet of a scenario workbook after the first, in the order of the tabs (owners before the tables that belong to them). */
export const scenarioLayout: readonly SheetLayout[] = [
  {
    kind: "fields",
    sheet: "Scenario",
    about: "One row per top-level field: its name in column A, its value in column B.",
    fields: [
      text("format", 'always "jointplan/v1"'),
      id("id", "the scenario's id (a slug)"),
      text("title", "a human title"),
      text("notes", "provenance: which figures are public facts, which are assumptions"),
      text("currency", "money unit of every price and cost (default USD)"),
      flag("integer", "TRUE for whole units of production, sales, stock and parts (default FALSE)"),
      { header: "objective", field: ["objective"], kind: "choice", dropDown: { options: objectives }, about: `${objectives.join(", ")} (default max_margin)` },
      number("discount_rate", "quantity", "investments: yearly discount rate of money in later periods, 0.08 for 8% (default 0)"),
    ],
  },
  {
    kind: "strings",
    sheet: "Periods",
    about: "The period labels in order, one per row (without this sheet: the one period base).",
    field: "periods",
    column: text("period", "a period label (e.g. a year); * is reserved"),
  },
  {
    kind: "records",
    sheet: "Plants",
    about: "One row per plant.",
    required: true,
    array: "plants",
    identity: ["id"],
    columns: [id("id", "the plant's id"), text("name", "its name"), text("country", "its country")],
  },
  {
    kind: "map",
    sheet: "Resources",
    about: "One row per resource of a plant (assembly hours, paint-shop hours …) with its capacity per period.",
    required: false,
    map: ["resources"],
    owner: plantOwner,
    key: id("resource", "the resource's name, as routes' uses name it"),
    entry: "value",
    optional: false,
    columns: [perPeriod("capacity", "quantity", "capacity per period", [])],
  },
  {
    kind: "records",
    sheet: "Products",
    about: "One row per product.",
    required: true,
    array: "products",
    identity: ["id"],
    columns: [
      id("id", "the product's id"),
      text("name", "its name"),
      id("family", "its family (car, bus, agri …), which targets filter by"),
      id("available_from", "the first period it can be made (default: the first)", periodLabels),
      id("available_until", "the last period it can be made (default: the last)", periodLabels),
    ],
  },
  {
    kind: "map",
    sheet: "BOM",
    about: "One row per part in a product's bill of materials. A row with the part left empty: a bill of no parts.",
    required: false,
    map: ["bom"],
    owner: productOwner,
    key: id("part", "the part", partIds),
    entry: "value",
    optional: true,
    columns: [number("quantity", "quantity", "parts per unit of the product", [])],
  },
  {
    kind: "records",
    sheet: "Parts",
    about: "One row per part; its sources are on Part sources.",
    required: false,
    array: "parts",
    identity: ["id"],
    columns: [id("id", "the part's id"), text("name", "its name"), number("value", "quantity", "its weight in the local-parts share (default 1)")],
  },
  {
    kind: "records",
    sheet: "Part sources",
    about: "One row per source of a part, in order; every part needs at least one.",
    required: false,
    array: "sources",
    owner: partOwner,
    identity: ["part", "source"],
    columns: [
      id("source", "the source's id", undefined, ["id"]),
      flag("local", "TRUE for a local source, FALSE for an import"),
      number("unit_cost", "money", "cost per part (default 0)"),
      perPeriod("capacity", "quantity", "parts it can supply per period (empty: unlimited)"),
      id("plant", "joint network: the plant that makes the part in-house (its resources on Source uses, its parts on Source BOM)", plantIds),
    ],
  },
  {
    kind: "map",
    sheet: "Source uses",
    about: "Joint network: one row per resource of its plant that making one unit of an in-house part takes.",
    required: false,
    map: ["uses"],
    owner: sourceOwner,
    key: id("resource", "a resource of the source's plant", resourceNames),
    entry: "value",
    optional: true,
    columns: [number("amount", "quantity", "resource used per part made", [])],
  },
  {
    kind: "map",
    sheet: "Source BOM",
    about: "Joint network: one row per sub-part an in-house part is made from, delivered to the source's plant.",
    required: false,
    map: ["bom"],
    owner: sourceOwner,
    key: id("sub-part", "a part it is made from", partIds),
    entry: "value",
    optional: true,
    columns: [number("quantity", "quantity", "sub-parts per part made", [])],
  },
  {
    kind: "map",
    sheet: "Deliveries",
    about:
      "Joint network: one row per plant a source delivers to, with its lane's cost, duty and capacity. A source with no row delivers to every plant at no extra cost; a row with the plant left empty: it delivers nowhere.",
    required: false,
    map: ["delivers_to"],
    owner: sourceOwner,
    key: id("plant", "a plant it delivers to", plantIds),
    entry: "record",
    optional: true,
    columns: laneColumns("delivered"),
  },
  {
    kind: "records",
    sheet: "Routes",
    about: "One row per plant and product it can make.",
    required: true,
    array: "routes",
    identity: ["plant", "product"],
    columns: [
      id("plant", "the plant", plantIds),
      id("product", "the product", productIds),
      number("unit_cost", "money", "cost of making one unit (default 0)"),
      perPeriod("min", "quantity", "fewest units made per period"),
      perPeriod("max", "quantity", "most units made per period (empty: no limit)"),
      {
        header: "keeps stock",
        field: ["inventory"],
        kind: "presence",
        about: "TRUE when the plant may keep stock of the product (implied by any stock column)",
      },
      perPeriod("stock max", "quantity", "most units in stock at the end of a period", ["inventory", "max"]),
      number("holding_cost", "money", "cost per unit in stock at the end of a period (default 0)", ["inventory", "holding_cost"]),
      number("initial stock", "quantity", "stock before the first period (default 0)", ["inventory", "initial"]),
      number("final stock", "quantity", "stock required after the last period", ["inventory", "final"]),
    ],
  },
  {
    kind: "map",
    sheet: "Uses",
    about: "One row per resource a route uses: how much of the plant's resource one unit takes.",
    required: false,
    map: ["uses"],
    owner: routeOwner,
    key: id("resource", "a resource of the route's plant", resourceNames),
    entry: "value",
    optional: false,
    columns: [number("amount", "quantity", "resource used per unit", [])],
  },
  {
    kind: "map",
    sheet: "Shipping",
    about:
      "Joint network: one row per market a route ships to, with its lane's cost, duty (on the market's price) and capacity. A route with no row sells in every market with demand; a row with the market left empty: it ships nowhere.",
    required: false,
    map: ["ships_to"],
    owner: routeOwner,
    key: id("market", "a market it ships to", marketIds),
    entry: "record",
    optional: true,
    columns: laneColumns("shipped"),
  },
  {
    kind: "records",
    sheet: "Markets",
    about: "One row per market.",
    required: true,
    array: "markets",
    identity: ["id"],
    columns: [
      id("id", "the market's id"),
      text("name", "its name"),
      flag("export", "TRUE for an export market (default FALSE)"),
      text("country", "joint network: its country, so that what crosses a border is named"),
    ],
  },
  {
    kind: "records",
    sheet: "Demand",
    about: "One row per market and product sold there.",
    required: true,
    array: "demand",
    identity: ["market", "product"],
    columns: [
      id("market", "the market", marketIds),
      id("product", "the product", productIds),
      perPeriod("price", "money", "price per unit (default 0)"),
      perPeriod("min", "quantity", "units that must be sold (default 0)"),
      perPeriod("max", "quantity", "units that can be sold (empty: no limit)"),
    ],
  },
  {
    kind: "records",
    sheet: "Targets",
    about: "One row per policy target; the lists narrow what it counts (empty: everything).",
    required: false,
    array: "targets",
    identity: ["id"],
    columns: [
      id("id", "the target's id"),
      { header: "kind", field: ["kind"], kind: "choice", dropDown: { options: targetKinds }, about: targetKinds.join(", ") },
      perPeriod("min", "quantity", "lower bound (units, or a share from 0 to 1)"),
      perPeriod("max", "quantity", "upper bound"),
      idList("families", "families counted"),
      idList("products", "products counted"),
      idList("plants", "plants counted"),
      idList("periods", "periods it applies in (default: every one)"),
    ],
  },
  {
    kind: "records",
    sheet: "Investments",
    about: "Investments: one row per candidate line or site the plan may build; the capacity it adds is on Investment adds.",
    required: false,
    array: "investments",
    identity: ["id"],
    columns: [
      id("id", "the investment's id"),
      text("name", "its name"),
      id("plant", "the plant whose resources it adds to", plantIds),
      number("fixed_cost", "money", "cost in the period it is built (default 0)"),
      perPeriod("operating_cost", "money", "cost in every period from the one it is built (default 0)"),
      id("earliest", "the first period it may be built (default: the first)", periodLabels),
      id("latest", "the last period it may be built (default: the last)", periodLabels),
      id("group", "at most one investment of a group is built (empty: no group)"),
      flag("required", "TRUE when it must be built within its window (default FALSE)"),
      flag("built", "a decision taken: TRUE builds it, FALSE never (empty: the plan decides)"),
    ],
  },
  {
    kind: "map",
    sheet: "Investment adds",
    about: "Investments: one row per resource an investment adds to its plant, with the capacity it adds per period from the period it is built.",
    required: false,
    map: ["adds"],
    owner: investmentOwner,
    key: id("resource", "a resource of the investment's plant", resourceNames),
    entry: "value",
    optional: false,
    columns: [perPeriod("capacity", "quantity", "capacity added per period", [])],
  },
  {
    kind: "strings",
    sheet: "Provenance",
    about: "The scenario's sources of figures, one per row.",
    field: "sources",
    column: text("source", "where figures come from"),
  },
];

/** The layout of one sheet by name. */
export function sheetLayout(sheet: string): SheetLayout | undefined {
  return scenarioLayout.find((layout) => layout.sheet === sheet);
}

/** The columns of a table sheet, in order: owner columns, the map's key, the fields. */
export function tableColumns(table: TableLayout): readonly ColumnLayout[] {
  if (table.kind === "map") return [...table.owner.columns, table.key, ...table.columns];
  return [...(table.owner?.columns ?? []), ...table.columns];
}
