/** Where a person is: the cell they have focused (or just the sheet, on a notice page). */
export interface Cursor {
  readonly sheetId: string;
  readonly rowId: string | null;
  readonly columnId: string | null;
}

/** Someone else in the workbook, as their awareness state says (stamped by the server). */
export interface Peer {
  readonly clientId: number;
  readonly name: string;
  readonly color: string;
  readonly cursor: Cursor | null;
}

const COLOR_PATTERN = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const FALLBACK_COLORS = ["#1a73e8", "#d93025", "#188038", "#e37400", "#9334e6", "#c5221f", "#007b83", "#b06000"];

/** A colour safe to put in a style: a hex colour from the state, else one derived from the client id. */
export function peerColor(value: unknown, clientId: number): string {
  return typeof value === "string" && COLOR_PATTERN.test(value) ? value : (FALLBACK_COLORS[clientId % FALLBACK_COLORS.length] as string);
}

function readCursor(value: unknown): Cursor | null {
  if (typeof value !== "object" || value === null) return null;
  const { sheetId, rowId, columnId } = value as Record<string, unknown>;
  if (typeof sheetId !== "string") return null;
  return { sheetId, rowId: typeof rowId === "string" ? rowId : null, columnId: typeof columnId === "string" ? columnId : null };
}

/**
 * Everyone but us, from raw awareness states. Any peer can publish anything, so malformed states
 * get defaults; states without a server-stamped `user` are skipped (not a real participant yet).
 */
export function readPeers(states: ReadonlyMap<number, Record<string, unknown>>, selfId: number): Peer[] {
  const peers: Peer[] = [];
  for (const [clientId, state] of states) {
    if (clientId === selfId || typeof state.user !== "object" || state.user === null) continue;
    const user = state.user as Record<string, unknown>;
    const name = typeof user.name === "string" && user.name.trim() !== "" ? user.name.slice(0, 40) : "匿名志愿者";
    peers.push({ clientId, name, color: peerColor(user.color, clientId), cursor: readCursor(state.cursor) });
  }
  return peers.sort((a, b) => a.clientId - b.clientId);
}

/** Whether two peer lists draw the same, so stores can keep the old array and skip re-renders. */
export function samePeers(a: readonly Peer[], b: readonly Peer[]): boolean {
  return a.length === b.length && a.every((peer, i) => JSON.stringify(peer) === JSON.stringify(b[i]));
}

/** The peers whose cursor is on each cell of a sheet, keyed by `cellKey`. */
export function indexCursors(peers: readonly Peer[], sheetId: string): Map<string, Peer[]> {
  const index = new Map<string, Peer[]>();
  for (const peer of peers) {
    const cursor = peer.cursor;
    if (!cursor || cursor.sheetId !== sheetId || cursor.rowId === null || cursor.columnId === null) continue;
    const key = cellKey(cursor.rowId, cursor.columnId);
    index.set(key, [...(index.get(key) ?? []), peer]);
  }
  return index;
}

export function cellKey(rowId: string, columnId: string): string {
  return `${rowId}\u0000${columnId}`;
}

// Labels that name a role, not a person ("编辑者", "核实员"): their first two characters read better.
const ROLE_SUFFIX = /[者员组长]$/u;

/**
 * What an avatar shows: the given name after any team prefix ("核实组 · 小王" → "小王"); of a
 * Chinese name its last two characters (how people are addressed: 张三丰 → 三丰), of a role label its
 * first two (编辑者 → 编辑); otherwise the first letter.
 */
export function initialsOf(name: string): string {
  const last =
    name
      .split(/[·・|/]/)
      .pop()
      ?.trim() || name.trim();
  const chars = [...last];
  if (chars.length === 0) return "?";
  if (!/\p{Script=Han}/u.test(last)) return (chars[0] as string).toUpperCase();
  return (ROLE_SUFFIX.test(last) ? chars.slice(0, 2) : chars.slice(-2)).join("");
}
