import type { ChatGroupLink, RowId, SheetId } from "@huzhu/schema";
import type { Peer } from "../collab/presence.ts";
import type { ReadableStore } from "../lib/store.ts";

/** What SheetGrid hands its renderers and editors through AG Grid's `context`. */
export interface GridContext {
  readonly sheetId: SheetId;
  readonly readOnly: boolean;
  /** Remote cursors on this sheet by `cellKey(rowId, columnId)`. */
  readonly cursors: ReadableStore<ReadonlyMap<string, readonly Peer[]>>;
  /** Writes one cell through the schema; a refusal is shown to the user and nothing changes. */
  write(rowId: RowId, columnId: string, input: unknown): void;
  /** Opens the enlarged QR code of a chat-group link. */
  showChatGroup(link: ChatGroupLink, title: string): void;
}
