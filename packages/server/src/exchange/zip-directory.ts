import { inflateRawSync } from "node:zlib";
import { ExchangeError, ExchangeErrorCode } from "./errors.ts";
import { formatBytes } from "./limits.ts";

/** A zip file's entry names and what they unpack to. */
export interface ZipDirectory {
  readonly names: readonly string[];
  /** Sum of the entries' unpacked sizes, measured. */
  readonly unzippedBytes: number;
}

const END_SIGNATURE = 0x06054b50;
const ENTRY_SIGNATURE = 0x02014b50;
const END_SIZE = 22;
const LOCAL_SIZE = 30;
const STORED = 0;
const DEFLATED = 8;
const MAX_COMMENT = 0xffff;

/** Whether bytes start like a zip file (XLSX, ODS and DOCX all are). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function malformed(): never {
  throw new ExchangeError(
    ExchangeErrorCode.malformedXlsx,
    "The file looks like XLSX but is damaged or incomplete; open it in Excel or LibreOffice and save it again",
    "文件看起来是 XLSX，但已损坏或不完整；请用 Excel 或 WPS 打开后重新保存",
  );
}

/**
 * Lists a zip file's entries and checks what they unpack to before anything else inflates them:
 * each entry is inflated here with a cap on its output, so a zip bomb is refused whatever sizes
 * its directory declares. Zip64 archives are refused: no spreadsheet this small needs one.
 */
export function readZipDirectory(bytes: Uint8Array, maxUnzippedBytes: number): ZipDirectory {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - END_SIZE; i >= Math.max(0, bytes.length - END_SIZE - MAX_COMMENT); i--) {
    if (view.getUint32(i, true) === END_SIGNATURE) {
      end = i;
      break;
    }
  }
  if (end < 0) malformed();
  const count = view.getUint16(end + 10, true);
  const offset = view.getUint32(end + 16, true);
  if (count === 0xffff || offset === 0xffffffff) malformed();
  const names: string[] = [];
  const decoder = new TextDecoder();
  let unzippedBytes = 0;
  let at = offset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== ENTRY_SIGNATURE) malformed();
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    if (at + 46 + nameLength > bytes.length || local + LOCAL_SIZE > bytes.length) malformed();
    names.push(decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)));
    const start = local + LOCAL_SIZE + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, start + compressedSize);
    unzippedBytes += inflatedSize(method, data, maxUnzippedBytes - unzippedBytes, maxUnzippedBytes);
    at += 46 + nameLength + skip;
  }
  return { names, unzippedBytes };
}

function tooLarge(maxUnzippedBytes: number): never {
  throw new ExchangeError(
    ExchangeErrorCode.fileTooLarge,
    `The spreadsheet unpacks to more than ${formatBytes(maxUnzippedBytes)}; split it into smaller files`,
    `表格文件解压后超过 ${formatBytes(maxUnzippedBytes)}，请拆分成几个较小的文件`,
  );
}

function inflatedSize(method: number, data: Uint8Array, budget: number, maxUnzippedBytes: number): number {
  if (method === STORED) return data.length <= budget ? data.length : tooLarge(maxUnzippedBytes);
  if (method !== DEFLATED) malformed();
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, budget) }).length;
  } catch (error) {
    if (error instanceof RangeError) tooLarge(maxUnzippedBytes);
    return malformed();
  }
}
