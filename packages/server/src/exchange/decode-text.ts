import { ExchangeError, ExchangeErrorCode } from "./errors.ts";
import { TextEncoding } from "./import-table.ts";

/** Decoded text and the encoding it was found in. */
export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncoding;
}

const SAMPLE = 4096;

// UTF-16 without a byte-order mark (rare, but some exporters write it): ASCII-heavy text then has
// a zero byte in every other position.
function guessUtf16(bytes: Uint8Array): TextEncoding | null {
  const length = Math.min(bytes.length, SAMPLE) & ~1;
  if (length < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < length; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = length / 2;
  if (oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05) return TextEncoding.utf16le;
  if (evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05) return TextEncoding.utf16be;
  return null;
}

function tryDecode(label: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function detect(bytes: Uint8Array): { label: string; encoding: TextEncoding } | null {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { label: "utf-8", encoding: TextEncoding.utf8Bom };
  if (a === 0xff && b === 0xfe) return { label: "utf-16le", encoding: TextEncoding.utf16le };
  if (a === 0xfe && b === 0xff) return { label: "utf-16be", encoding: TextEncoding.utf16be };
  const utf16 = guessUtf16(bytes);
  return utf16 ? { label: utf16, encoding: utf16 } : null;
}

/**
 * Decodes a text file: a byte-order mark decides (UTF-8, UTF-16 LE/BE); without one, UTF-16 is
 * recognised by its zero bytes, then valid UTF-8 is UTF-8 and anything else is tried as GB18030
 * (a superset of GBK and GB2312, what Excel on Chinese Windows saves "CSV" as). The mark is removed.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  const marked = detect(bytes);
  const candidates = marked
    ? [marked]
    : [
        { label: "utf-8", encoding: TextEncoding.utf8 },
        { label: "gb18030", encoding: TextEncoding.gb18030 },
      ];
  for (const { label, encoding } of candidates) {
    const text = tryDecode(label, bytes);
    if (text !== null) {
      if (text.includes("\0")) break;
      return { text, encoding };
    }
  }
  throw new ExchangeError(
    ExchangeErrorCode.unknownEncoding,
    "The file is neither a spreadsheet nor text in UTF-8, UTF-16 or GB18030/GBK; save it as CSV (UTF-8) or XLSX",
    "无法识别文件内容（不是表格文件，也不是 UTF-8、UTF-16 或 GB18030/GBK 编码的文本），请另存为 CSV（UTF-8）或 XLSX",
  );
}
