/**
 * `jointplan/workbook`: scenarios and plans as Excel workbooks (docs/spreadsheets.md), an
 * entry point of its own so that the workbook library loads only where workbooks are used.
 * An explicit list, as the package's main entry.
 */
export { scenarioWorkbook } from "./writeScenario.js";
export { readScenarioWorkbook, validateScenarioWorkbook, workbookIssues } from "./readScenario.js";
export type { WorkbookDocument, WorkbookValidation } from "./readScenario.js";
export { planWorkbook, comparisonWorkbook, sweepWorkbook } from "./planWorkbook.js";
export { inspectWorkbookArchive, defaultWorkbookLimits, WorkbookError, isWorkbookError } from "./archive.js";
export type { WorkbookLimits, WorkbookFault } from "./archive.js";
export { CellIndex, cellReference } from "./cells.js";
export type { CellPlace } from "./cells.js";
export { scenarioLayout } from "./layout.js";
export type { SheetLayout, TableLayout, ColumnLayout, CellKind } from "./layout.js";
export { csvField } from "./text.js";
export { MIME_XLSX } from "./mediaType.js";
