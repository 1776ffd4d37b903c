/**
 * Edit markers: every benchmark edit writes a cell value containing `~hzb:<editor>:<seq>:<sentUs>;`.
 * Receivers find markers in raw frames by byte search, so they never decode or apply an update.
 * `sentUs` is CLOCK_MONOTONIC in microseconds, which every process on the machine shares.
 */
const PREFIX = "~hzb:";
const PREFIX_BYTES = Buffer.from(PREFIX, "latin1");
const COLON = 0x3a;
const SEMICOLON = 0x3b;
const DIGIT_0 = 0x30;

/** Monotonic time in microseconds, comparable across processes on one machine. */
export function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export function createMarker(editor: number, seq: number, sentUs: number): string {
  return `${PREFIX}${editor}:${seq}:${sentUs};`;
}

/** Calls `visit` for each marker in the frame; returns how many it found. */
export function scanMarkers(frame: Buffer, visit: (editor: number, seq: number, sentUs: number) => void): number {
  let found = 0;
  let at = frame.indexOf(PREFIX_BYTES);
  while (at !== -1) {
    let position = at + PREFIX_BYTES.length;
    const fields = [0, 0, 0];
    let field = 0;
    let valid = false;
    for (; position < frame.length && position - at < 48; position++) {
      const byte = frame[position] as number;
      if (byte === COLON && field < 2) field++;
      else if (byte === SEMICOLON && field === 2) {
        valid = true;
        break;
      } else if (byte >= DIGIT_0 && byte <= DIGIT_0 + 9) fields[field] = (fields[field] as number) * 10 + (byte - DIGIT_0);
      else break;
    }
    if (valid) {
      found++;
      visit(fields[0] as number, fields[1] as number, fields[2] as number);
    }
    at = frame.indexOf(PREFIX_BYTES, position);
  }
  return found;
}
