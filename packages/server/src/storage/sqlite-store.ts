import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import type { DocStore, LinkRecord, LinkRole, NewWorkbook, StoredDocument, StoredPreviews, WorkbookRecord } from "./doc-store.ts";
import { checksumOf } from "./integrity.ts";
import { readStoredDocument } from "./sqlite-document-read.ts";
import { SqliteGroupCommit } from "./sqlite-group-commit.ts";
import { DELETE_PREVIEWS_SQL, SQLITE_PRAGMAS, UPSERT_SNAPSHOT_SQL } from "./sqlite-writes.ts";
import { sqliteTransaction } from "./sqlite-transaction.ts";
import { migrate } from "./sqlite-schema.ts";

/** The database file's name inside DATA_DIR. */
export const SQLITE_FILE = "huzhu.sqlite";

/** A `links` row as both SQL stores read it. */
export interface LinkRow {
  id: string;
  workbook_id: string;
  role: string;
  token_hash: string;
  label: string;
  color: string;
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

/** A `links` row as a LinkRecord. */
export function toLink(row: LinkRow): LinkRecord {
  return {
    id: row.id,
    workbookId: row.workbook_id,
    role: row.role as LinkRole,
    tokenHash: row.token_hash,
    label: row.label,
    color: row.color,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    createdAt: row.created_at,
  };
}

function linkParams(link: LinkRecord): SQLInputValue[] {
  return [link.id, link.workbookId, link.role, link.tokenHash, link.label, link.color, link.expiresAt, link.revokedAt, link.createdAt];
}

/**
 * DocStore on the SQLite built into Node (`node:sqlite`). WAL journal with `synchronous = FULL`:
 * every committed append is fsynced, so an acknowledged update survives a crash or power loss,
 * not only a killed process. Appends and case numbers go through the group commit on the writer
 * thread (SqliteGroupCommit); the other calls are synchronous underneath, and their Promises just
 * satisfy the interface.
 */
export class SqliteDocStore implements DocStore {
  /** The database file, for connections of other threads (the writer, the state encoder). */
  readonly file: string;
  private readonly db: DatabaseSync;
  private readonly statements;
  private readonly groupCommit: SqliteGroupCommit;
  private closing: Promise<void> | undefined;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = join(dataDir, SQLITE_FILE);
    // Create the file ourselves with owner-only permissions; SQLite gives its -wal and -shm
    // files the same mode. The database holds phone numbers and addresses.
    closeSync(openSync(file, "a", 0o600));
    this.file = file;
    this.db = new DatabaseSync(file);
    this.db.exec(SQLITE_PRAGMAS);
    migrate(this.db);
    // Opens its own connection at the first write, once the tables exist.
    this.groupCommit = new SqliteGroupCommit({ file });
    const db = this.db;
    this.statements = {
      upsertSnapshot: db.prepare(UPSERT_SNAPSHOT_SQL),
      replaceSnapshot: db.prepare(
        `UPDATE snapshots SET state = ?, upto_seq = ?, checksum = ?, created_at = ?,
           previous_state = NULL, previous_upto_seq = NULL, previous_checksum = NULL WHERE doc_name = ?`,
      ),
      deleteUpdatesUpTo: db.prepare("DELETE FROM updates WHERE doc_name = ? AND seq <= ?"),
      insertWorkbook: db.prepare("INSERT INTO workbooks (id, title, template, created_at) VALUES (?, ?, ?, ?)"),
      findWorkbook: db.prepare("SELECT id, title, template, created_at FROM workbooks WHERE id = ?"),
      insertLink: db.prepare(
        `INSERT INTO links (id, workbook_id, role, token_hash, label, color, expires_at, revoked_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      findLink: db.prepare("SELECT * FROM links WHERE token_hash = ?"),
      deletePreviews: db.prepare(DELETE_PREVIEWS_SQL),
      // Valid while its snapshot is the stored one and nothing was appended after it.
      storedPreview: db.prepare(
        `SELECT p.gzipped FROM previews p JOIN snapshots s ON s.doc_name = p.doc_name AND s.upto_seq = p.upto_seq
         WHERE p.doc_name = ? AND p.sheet_key = ?
           AND NOT EXISTS (SELECT 1 FROM updates u WHERE u.doc_name = p.doc_name AND u.seq > p.upto_seq)`,
      ),
      heldClientIds: db.prepare("SELECT client_id FROM server_client_ids WHERE doc_name = ? AND held = 1"),
    };
  }

  /** Runs `fn` in one transaction; `IMMEDIATE` takes the write lock up front for writers. */
  private transaction<T>(fn: () => T, mode: "IMMEDIATE" | "DEFERRED" = "IMMEDIATE"): T {
    return sqliteTransaction(this.db, fn, mode);
  }

  /** The open database, for the stores of other concerns that share it (audit, versions, lifecycle). */
  get database(): DatabaseSync {
    return this.db;
  }

  /** The database's group commit, for those stores' writes on a request's path. */
  get writes(): SqliteGroupCommit {
    return this.groupCommit;
  }

  async loadDocument(docName: string): Promise<StoredDocument | undefined> {
    return readStoredDocument(this.db, docName);
  }

  /** Appends share a transaction and its fsync with the other writes of their turn (SqliteGroupCommit). */
  appendUpdate(docName: string, update: Uint8Array): Promise<number> {
    return this.groupCommit.write("appendUpdate", docName, update);
  }

  /**
   * One process owns the file, so every entry up to `uptoSeq` is in `state`; `contains` is not
   * needed. Written on the writer thread, in order with the appends (SqliteWrites.compactDocument).
   */
  async compactDocument(
    docName: string,
    state: Uint8Array,
    uptoSeq: number,
    _contains?: unknown,
    previews: StoredPreviews = new Map(),
  ): Promise<boolean> {
    await this.groupCommit.write("compactDocument", docName, state, uptoSeq, [...previews]);
    return true;
  }

  async storedPreview(docName: string, sheetKey: string): Promise<Uint8Array | undefined> {
    const row = this.statements.storedPreview.get(docName, sheetKey) as { gzipped: Uint8Array } | undefined;
    return row?.gzipped;
  }

  async rewriteDocument(docName: string, state: Uint8Array, uptoSeq: number): Promise<void> {
    this.transaction(() => {
      const { changes } = this.statements.replaceSnapshot.run(state, uptoSeq, checksumOf(state), new Date().toISOString(), docName);
      if (changes === 0) throw new Error(`no stored document "${docName}" to rewrite`);
      this.statements.deleteUpdatesUpTo.run(docName, uptoSeq);
      this.statements.deletePreviews.run(docName);
    });
  }

  async createWorkbook({ workbook, initialState, links }: NewWorkbook): Promise<void> {
    this.transaction(() => {
      this.statements.insertWorkbook.run(workbook.id, workbook.title, workbook.template, workbook.createdAt);
      this.statements.upsertSnapshot.run(workbook.id, initialState, 0, checksumOf(initialState), workbook.createdAt);
      for (const link of links) this.statements.insertLink.run(...linkParams(link));
    });
  }

  async findWorkbook(id: string): Promise<WorkbookRecord | undefined> {
    const row = this.statements.findWorkbook.get(id) as { id: string; title: string; template: string; created_at: string } | undefined;
    return row && { id: row.id, title: row.title, template: row.template, createdAt: row.created_at };
  }

  async createLink(link: LinkRecord): Promise<void> {
    this.statements.insertLink.run(...linkParams(link));
  }

  async findLinkByTokenHash(tokenHash: string): Promise<LinkRecord | undefined> {
    const row = this.statements.findLink.get(tokenHash) as LinkRow | undefined;
    return row && toLink(row);
  }

  async allocateCaseNumber(workbookId: string, rowId: string): Promise<number> {
    const [number] = await this.groupCommit.write("caseNumbers", workbookId, [rowId]);
    if (number === undefined) throw new Error("no case number was allocated");
    return number;
  }

  allocateCaseNumbers(workbookId: string, rowIds: readonly string[]): Promise<number[]> {
    return this.groupCommit.write("caseNumbers", workbookId, rowIds);
  }

  claimServerClientId(docName: string, fresh: number): Promise<number> {
    return this.groupCommit.write("claimServerClientId", docName, fresh);
  }

  async releaseServerClientId(docName: string, clientId: number): Promise<void> {
    await this.groupCommit.write("releaseServerClientId", docName, clientId);
  }

  async holdServerClientId(docName: string, clientId: number): Promise<void> {
    await this.groupCommit.write("holdServerClientId", docName, clientId);
  }

  async heldServerClientIds(docName: string): Promise<ReadonlySet<number>> {
    const rows = this.statements.heldClientIds.all(docName) as { client_id: number }[];
    return new Set(rows.map((row) => Number(row.client_id)));
  }

  /** Commits what the writer thread was asked for, then closes; calls after the first share its outcome. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.groupCommit.close();
      if (!this.db.isOpen) return;
      this.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      this.db.close();
    })();
    return this.closing;
  }
}
