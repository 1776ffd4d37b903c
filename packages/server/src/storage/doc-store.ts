/**
 * What the server keeps on disk, behind one interface so the embedded SQLite store and the
 * PostgreSQL store are interchangeable. Methods are Promise-based.
 */

/** The roles a capability link can carry. Issue 2 issues editor links only. */
export const LinkRole = { admin: "admin", editor: "editor", form: "form", public: "public" } as const;
export type LinkRole = (typeof LinkRole)[keyof typeof LinkRole];

/** A workbook's registry entry; its content lives in the document of the same name. */
export interface WorkbookRecord {
  readonly id: string;
  readonly title: string;
  readonly template: string;
  readonly createdAt: string;
}

/** A capability link. Only the SHA-256 of its token is stored, never the token. */
export interface LinkRecord {
  readonly id: string;
  readonly workbookId: string;
  readonly role: LinkRole;
  /** SHA-256 of the token, lowercase hex. */
  readonly tokenHash: string;
  /** Shown as the presence name and attributes edits, e.g. "编辑者" or "核实组 · 小王". */
  readonly label: string;
  /** Presence colour, a CSS hex colour. */
  readonly color: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly createdAt: string;
}

/**
 * A document as stored: the last compacted state plus the updates appended since, in order.
 * Checksums are CRC-32 (`checksumOf`) of the bytes as written, so loading can tell damaged or
 * truncated entries from good ones (`recoverDocument`); null or absent means "not recorded"
 * (rows written before checksums existed), which loading accepts after a decode check.
 */
export interface StoredDocument {
  /** Y.encodeStateAsUpdate (V1) of the document at compaction, or null before the first one. */
  readonly snapshot: Uint8Array | null;
  /** The highest log sequence number the snapshot contains (0 when none). */
  readonly snapshotSeq: number;
  readonly snapshotChecksum?: number | null;
  /**
   * The snapshot the last compaction replaced, when the store keeps it and read only when the
   * current snapshot does not verify by its checksum; `updates` then start after `previous.seq`,
   * so a damaged snapshot can be rebuilt from this one and the log.
   */
  readonly previous?: { readonly state: Uint8Array; readonly seq: number; readonly checksum: number | null } | null;
  /** V1 updates appended after the snapshot (or after `previous`, when given), ascending by `seq`. */
  readonly updates: readonly { readonly seq: number; readonly update: Uint8Array; readonly checksum?: number | null }[];
}

/** Everything a new workbook needs, written in one transaction. */
export interface NewWorkbook {
  readonly workbook: WorkbookRecord;
  /** The initial document state (V1), stored as the document's first snapshot. */
  readonly initialState: Uint8Array;
  readonly links: readonly LinkRecord[];
}

/**
 * The server's storage. Document names are validated (WORKBOOK_ID_PATTERN) before any method is
 * called with one.
 */
/**
 * Editor previews of a compacted document's tabs (gzipped JSON, preview/editor-preview.ts) by
 * sheet id, `""` for the first tab: what the page of a workbook not loaded yet is shown while
 * the server loads it.
 */
export type StoredPreviews = ReadonlyMap<string, Uint8Array>;

export interface DocStore {
  /** The stored state of a document, or undefined if nothing was ever stored under that name. */
  loadDocument(docName: string): Promise<StoredDocument | undefined>;

  /**
   * Appends one update (V1, as Yjs encoded it from a transaction) to the document's log and
   * resolves to its sequence number, which only grows. Rejects if the write failed; the caller
   * must then not acknowledge.
   *
   * Called inside the document's `update` event, so it must not block: SQLite groups the appends
   * of one event-loop turn into one commit, PostgreSQL sends each over the network. The persistence
   * extension holds Hocuspocus' acknowledgement of an incoming update until every append the
   * document has under way has landed (collab/held-acks.ts), so the guarantee stays "on disk
   * before ack".
   */
  appendUpdate(docName: string, update: Uint8Array): Promise<number>;

  /**
   * Replaces the document's snapshot with `state` and deletes the log entries it contains,
   * atomically: a crash leaves either the old snapshot and log or the new. Resolves false when
   * it did nothing (another instance is compacting, or the stored snapshot has content `state`
   * lacks); the caller keeps its log and tries again later.
   *
   * `uptoSeq` is the highest sequence number the caller loaded or appended; `contains(update)`
   * says whether `state` already holds a stored update (a log entry or a snapshot). A store used
   * by one process may delete every entry up to `uptoSeq`; a store shared by several instances
   * must only delete (and only overwrite) what `contains` confirms.
   */
  compactDocument(
    docName: string,
    state: Uint8Array,
    uptoSeq: number,
    contains: (stored: Uint8Array) => boolean,
    previews?: StoredPreviews,
  ): Promise<boolean>;

  /**
   * The gzipped editor preview of a tab (`""`: the first tab) that the last compaction stored,
   * if it still shows the whole stored document: nothing appended or rewritten since. A store
   * that keeps no previews answers undefined.
   */
  storedPreview(docName: string, sheetKey: string): Promise<Uint8Array | undefined>;

  /**
   * Replaces the stored document with `state` and forgets everything it was made from: the
   * snapshot, its previous generation and every log entry up to `uptoSeq`, atomically. Purge uses
   * it, with `state` re-encoded from the live garbage-collected document, so purged values are
   * gone from storage (never merge stored updates: merging keeps deleted content). Stored
   * previews of the document go with it.
   */
  rewriteDocument(docName: string, state: Uint8Array, uptoSeq: number): Promise<void>;

  /** Registers a workbook with its first snapshot and its links, atomically. */
  createWorkbook(input: NewWorkbook): Promise<void>;
  findWorkbook(id: string): Promise<WorkbookRecord | undefined>;

  createLink(link: LinkRecord): Promise<void>;
  findLinkByTokenHash(tokenHash: string): Promise<LinkRecord | undefined>;

  /**
   * The case number of a row: allocated from the workbook's counter the first time a row is asked
   * for, the same number on every later call, from any server instance sharing this store.
   * Numbers never repeat within a workbook (a race between instances may skip one, never reuse one).
   */
  allocateCaseNumber(workbookId: string, rowId: string): Promise<number>;

  /**
   * `allocateCaseNumber` for several rows, numbers in the order of `rowIds`. One transaction where
   * the store can (an import of thousands of rows must not wait for thousands of commits).
   */
  allocateCaseNumbers(workbookId: string, rowIds: readonly string[]): Promise<number[]>;

  /**
   * A Yjs client id for this instance's own writes to a document it has loaded: one a previous
   * load released (held again, by this instance alone), else `fresh`, registered as held. An id
   * stays held until released, so one left by a crash is never handed out again.
   */
  claimServerClientId(docName: string, fresh: number): Promise<number>;

  /** Makes a claimed id reusable: everything written under it is stored. */
  releaseServerClientId(docName: string, clientId: number): Promise<void>;

  /** Registers `clientId` as held: an id the server writes under that it did not get from a claim. */
  holdServerClientId(docName: string, clientId: number): Promise<void>;

  /**
   * The ids held for a document: the ones instances write under now, and the ones a crash left
   * held. Only under these can the server have written something it has not stored.
   */
  heldServerClientIds(docName: string): Promise<ReadonlySet<number>>;

  /** Flushes and closes. No method may be called afterwards. */
  close(): Promise<void>;
}
