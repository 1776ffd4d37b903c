import { readFileSync } from "node:fs";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { type Workbook, createFromTemplate } from "@huzhu/schema";
import * as Y from "yjs";

/** A committed fixture file's bytes. */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
}

/** The Shanghai medical template with its fictitious sample rows. */
export function sampleWorkbook(): Workbook {
  return createFromTemplate(new Y.Doc(), "shanghai-medical", { sampleData: true });
}

/** The same template without rows, to import into. */
export function emptyWorkbook(): Workbook {
  return createFromTemplate(new Y.Doc(), "shanghai-medical");
}

/** Every entry of a zip file (an XLSX), inflated, by name: what a byte scan of the file's content must cover. */
export function unzipEntries(bytes: Uint8Array): Map<string, string> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buffer.readUInt16LE(end + 10);
  const entries = new Map<string, string>();
  let at = buffer.readUInt32LE(end + 16);
  for (let n = 0; n < count; n++) {
    const method = buffer.readUInt16LE(at + 10);
    const size = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.toString("utf8", at + 46, at + 46 + nameLength);
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(start, start + size);
    entries.set(name, (method === 8 ? inflateRawSync(data) : data).toString("utf8"));
    at += 46 + nameLength + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
  }
  return entries;
}

/** A document's full state, to prove an operation changed nothing. */
export function docState(workbook: Workbook): { stateVector: Uint8Array; update: Uint8Array } {
  return { stateVector: Y.encodeStateVector(workbook.ydoc), update: Y.encodeStateAsUpdate(workbook.ydoc) };
}

/**
 * A zip file of deflated entries whose directory may lie about unpacked sizes (`declaredSize`),
 * as a zip bomb's does.
 */
export function makeZip(entries: readonly { name: string; content: Uint8Array; declaredSize?: number }[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, content, declaredSize } of entries) {
    const nameBytes = Buffer.from(name, "utf8");
    const data = deflateRawSync(content);
    const size = declaredSize ?? content.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}
