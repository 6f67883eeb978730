import yauzl from "yauzl";

/**
 * A workbook file is a zip archive of XML parts. Before a workbook library
 * expands one in memory, this module looks at it with limits: that it is a zip
 * at all, that it is a spreadsheet workbook, and that it expands to no more
 * than `expandedBytes` with no sheet of more than `rows` rows — counted while
 * inflating (on the thread pool, by zlib), whatever the archive's directory
 * declares, so neither a zip bomb nor a lying header gets past it.
 */

export interface WorkbookLimits {
  /** Largest file, in bytes. */
  readonly bytes: number;
  /** Most bytes the archive's parts may expand to, together. */
  readonly expandedBytes: number;
  /** Most rows in any one sheet. */
  readonly rows: number;
  /** Most parts in the archive. */
  readonly entries: number;
}

export const defaultWorkbookLimits: WorkbookLimits = {
  bytes: 32 * 1024 * 1024,
  expandedBytes: 128 * 1024 * 1024,
  rows: 100_000,
  entries: 2_000,
};

/** Why a file is not a workbook that can be read at all. `too_large` is the file's size or what it expands to. */
export type WorkbookFault = "not_zip" | "not_workbook" | "too_large" | "too_many_rows";

/** A file refused as a whole, before any of its cells are read. */
export class WorkbookError extends Error {
  constructor(
    readonly fault: WorkbookFault,
    message: string,
  ) {
    super(message);
    this.name = "WorkbookError";
  }
}

export function isWorkbookError(error: unknown): error is WorkbookError {
  return error instanceof WorkbookError;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const COMPOUND_FILE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const WORKSHEET_PART = /^xl\/worksheets\/[^/]+\.xml$/;
/** A row element, with or without a namespace prefix. */
const ROW_TAG = /<(?:[A-Za-z_][\w.-]*:)?row[\s/>]/g;
const ROW_START = /^<(?:[A-Za-z_][\w.-]*:)?row[\s/>]/;

/** Checks a workbook file against `limits` without expanding it in memory; throws `WorkbookError`. */
export async function inspectWorkbookArchive(bytes: Uint8Array, limits: WorkbookLimits = defaultWorkbookLimits): Promise<void> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length > limits.bytes) throw new WorkbookError("too_large", `the file has ${buffer.length} bytes; a workbook may have at most ${limits.bytes}`);
  if (buffer.subarray(0, 8).equals(COMPOUND_FILE_MAGIC)) {
    throw new WorkbookError(
      "not_workbook",
      "this is an .xls file (Excel 97–2003) or a password-protected workbook: save it as an Excel workbook (.xlsx) without a password",
    );
  }
  if (!buffer.subarray(0, 4).equals(ZIP_MAGIC) && !buffer.subarray(0, 4).equals(EMPTY_ZIP_MAGIC)) {
    throw new WorkbookError("not_zip", "not an Excel workbook: an .xlsx file is a zip archive, and this file is not one");
  }
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false });
  } catch (error) {
    throw new WorkbookError("not_zip", `not an Excel workbook: a damaged zip archive (${messageOf(error)})`);
  }
  if (zip.entryCount > limits.entries) {
    zip.close();
    throw new WorkbookError("too_large", `the archive has ${zip.entryCount} parts; a workbook may have at most ${limits.entries}`);
  }
  const names = new Set<string>();
  let expanded = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      names.add(entry.fileName);
      if (entry.fileName.endsWith("/")) continue;
      if (entry.isEncrypted()) throw new WorkbookError("not_workbook", `not an Excel workbook: the part ${entry.fileName} is encrypted`);
      if (expanded + entry.uncompressedSize > limits.expandedBytes) throw tooLarge(limits);
      const rows = await expand(zip, entry, limits, WORKSHEET_PART.test(entry.fileName), (size) => {
        expanded += size;
        if (expanded > limits.expandedBytes) throw tooLarge(limits);
      });
      if (rows > limits.rows) {
        throw new WorkbookError("too_many_rows", `a sheet (${entry.fileName}) has more than ${limits.rows} rows, the most a scenario workbook may have`);
      }
    }
  } catch (error) {
    if (isWorkbookError(error)) throw error;
    throw new WorkbookError("not_zip", `not an Excel workbook: a damaged zip archive (${messageOf(error)})`);
  } finally {
    zip.close();
  }
  if (!names.has("xl/workbook.xml") || !names.has("[Content_Types].xml")) {
    const hint = names.has("mimetype") || names.has("content.xml") ? " (it looks like an OpenDocument spreadsheet: save it as .xlsx)" : "";
    throw new WorkbookError("not_workbook", `not an Excel workbook: a zip archive without the parts of one (no xl/workbook.xml)${hint}`);
  }
}

/** Inflates one part, reporting its size as it grows; counts row elements in a worksheet (a tag split across chunks included). */
async function expand(zip: yauzl.ZipFile, entry: yauzl.Entry, limits: WorkbookLimits, countRows: boolean, grew: (bytes: number) => void): Promise<number> {
  const stream = await zip.openReadStreamPromise(entry);
  let rows = 0;
  let tail = "";
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      grew(chunk.length);
      if (!countRows) continue;
      const text = tail + chunk.toString("latin1");
      rows += text.match(ROW_TAG)?.length ?? 0;
      // Keep what could be the start of a tag cut by the chunk's end (and not yet counted).
      const open = text.lastIndexOf("<");
      const cut = open >= 0 && text.length - open < 64 && !text.includes(">", open) ? text.slice(open) : "";
      tail = ROW_START.test(cut) ? "" : cut;
      if (rows > limits.rows) break;
    }
  } finally {
    stream.destroy();
  }
  return rows;
}

function tooLarge(limits: WorkbookLimits): WorkbookError {
  return new WorkbookError("too_large", `the workbook expands to more than ${limits.expandedBytes} bytes, the most a scenario workbook may (a zip bomb?)`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
