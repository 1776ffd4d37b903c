import type { Workbook } from "@huzhu/schema";
import type { ReadableStore } from "../lib/store.ts";
import type { ConnectionState } from "./connection.ts";
import type { Cursor, Peer } from "./presence.ts";
import type { UndoHistory } from "./undo.ts";

/** Who this browser is in the workbook (from the link, stamped by the server). */
export interface SelfIdentity {
  readonly name: string;
  readonly color: string;
  readonly role: string;
}

/**
 * A live workbook as the UI sees it: the typed schema API plus connection, presence and undo.
 * The rest of the client never touches Yjs or the provider directly.
 */
export interface Collab {
  readonly workbook: Workbook;
  readonly self: SelfIdentity;
  /** Editing is off for roles that may only read (issue 3's public view). */
  readonly readOnly: boolean;
  readonly connection: ReadableStore<ConnectionState>;
  readonly peers: ReadableStore<readonly Peer[]>;
  readonly history: UndoHistory;
  /** Publishes where this user is; null when the grid has no focused cell. */
  setCursor(cursor: Cursor | null): void;
  destroy(): void;
}
