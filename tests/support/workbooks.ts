import { crc32, deflateRawSync } from "node:zlib";
import ExcelJS from "exceljs";
import yauzl from "yauzl";
import * as XLSX from "xlsx";

/**
 * Workbooks for the tests: edited through exceljs as a planner would edit
 * them, read by an independent reader (SheetJS), taken apart into their XML
 * parts, and zip archives written by hand — the only way to make a zip whose
 * directory lies about its sizes.
 */

/** Opens a workbook, lets `edit` change it as a planner would, and saves it. */
export async function editWorkbook(bytes: Uint8Array, edit: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  edit(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** A sheet as SheetJS reads it: rows of raw cell values (numbers, texts, booleans; null where empty). */
export function sheetRows(bytes: Uint8Array, sheet: string): unknown[][] {
  const workbook = XLSX.read(bytes, { type: "array" });
  const found = workbook.Sheets[sheet];
  if (found === undefined) throw new Error(`no sheet ${sheet} (sheets: ${workbook.SheetNames.join(", ")})`);
  return XLSX.utils.sheet_to_json<unknown[]>(found, { header: 1, raw: true, defval: null, blankrows: true });
}

/** Every cell SheetJS reads from a workbook that holds a formula, as `Sheet!A1`. */
export function formulaCells(bytes: Uint8Array): string[] {
  const workbook = XLSX.read(bytes, { type: "array", cellFormula: true });
  return workbook.SheetNames.flatMap((name) => {
    const sheet = workbook.Sheets[name] ?? {};
    return Object.entries(sheet).flatMap(([address, cell]) =>
      !address.startsWith("!") && (cell as XLSX.CellObject).f !== undefined ? [`${name}!${address}`] : [],
    );
  });
}

export function sheetNames(bytes: Uint8Array): string[] {
  return XLSX.read(bytes, { type: "array", bookSheets: true }).SheetNames;
}

/** The archive's parts by name, inflated. */
export async function zipParts(bytes: Uint8Array): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(Buffer.from(bytes), { lazyEntries: true });
  const parts = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName.endsWith("/")) continue;
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    parts.set(entry.fileName, Buffer.concat(chunks));
  }
  zip.close();
  return parts;
}

export interface ZipPart {
  readonly name: string;
  readonly data: Buffer;
  /** The uncompressed size the archive claims (a lie when it differs from the data's). */
  readonly declaredSize?: number;
}

/** A zip archive of deflated parts (docs: APPNOTE.TXT 4.3), with the sizes each part claims. */
export function writeZip(parts: readonly ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, "utf8");
    const compressed = deflateRawSync(part.data, { level: 9 });
    const size = part.declaredSize ?? part.data.length;
    const crc = crc32(part.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, compressed);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(compressed.length, 20);
    entry.writeUInt32LE(size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A workbook with one part replaced (or added), re-zipped. */
export async function withPart(bytes: Uint8Array, name: string, data: Buffer, declaredSize?: number): Promise<Buffer> {
  const parts = await zipParts(bytes);
  parts.set(name, data);
  return writeZip(
    [...parts].map(([partName, partData]) => ({
      name: partName,
      data: partData,
      ...(partName === name && declaredSize !== undefined ? { declaredSize } : {}),
    })),
  );
}
