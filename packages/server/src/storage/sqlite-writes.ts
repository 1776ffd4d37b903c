import type { DatabaseSync } from "node:sqlite";
import type { NewAuditEntry } from "./audit-store.ts";
import type { NewFormSubmission } from "./form-store.ts";
import type { SubmissionRow } from "./sqlite-form-store.ts";
import { checksumOf } from "./integrity.ts";

/**
 * The pragmas of every connection to the server's database, the writer thread's included.
 * `secure_delete` is per connection: every connection that deletes or overwrites (compaction,
 * audit erasure, purges) must zero what it frees, or purged values stay in free pages.
 */
/** Forgets a document's stored previews (compaction replaces them, a rewrite drops them). */
export const DELETE_PREVIEWS_SQL = "DELETE FROM previews WHERE doc_name = ?";

export const SQLITE_PRAGMAS =
  "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA secure_delete = ON;";

/** A snapshot in; the one it replaces becomes the previous generation (recovery falls back to it). */
export const UPSERT_SNAPSHOT_SQL = `INSERT INTO snapshots (doc_name, state, upto_seq, checksum, created_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (doc_name) DO UPDATE SET previous_state = state, previous_upto_seq = upto_seq,
    previous_checksum = checksum, state = excluded.state, upto_seq = excluded.upto_seq,
    checksum = excluded.checksum, created_at = excluded.created_at`;

/**
 * The writes that go through the group commit, by name: they run on the writer thread's own
 * connection (sqlite-writer-worker.ts), so arguments and results are plain, cloneable data.
 * Everything on an editor's or a requester's path is here, and compaction (a snapshot of megabytes
 * and the deletion of thousands of log entries: on the main connection it held the event loop for
 * hundreds of ms, waiting for the write lock and its fsync); rarer writes (links, versions,
 * purges) stay on the main connection.
 */
export function prepareWrites(db: DatabaseSync) {
  const statements = {
    append: db.prepare('INSERT INTO updates (doc_name, "update", checksum, created_at) VALUES (?, ?, ?, ?)'),
    findCase: db.prepare("SELECT number FROM case_numbers WHERE workbook_id = ? AND row_id = ?"),
    nextCase: db.prepare(
      `INSERT INTO case_counters (workbook_id, last_number) VALUES (?, 1)
       ON CONFLICT (workbook_id) DO UPDATE SET last_number = last_number + 1 RETURNING last_number`,
    ),
    insertCase: db.prepare("INSERT INTO case_numbers (workbook_id, row_id, number, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"),
    insertSubmission: db.prepare(
      `INSERT INTO form_submissions
         (submission_id, workbook_id, link_id, sheet_id, row_id, fingerprint, manage_token_hash, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (submission_id) DO NOTHING`,
    ),
    findSubmission: db.prepare("SELECT * FROM form_submissions WHERE submission_id = ?"),
    completeSubmission: db.prepare(
      "UPDATE form_submissions SET case_number = ?, completed_at = coalesce(completed_at, ?) WHERE submission_id = ?",
    ),
    withdrawSubmission: db.prepare("UPDATE form_submissions SET withdrawn_at = coalesce(withdrawn_at, ?) WHERE submission_id = ?"),
    insertAudit: db.prepare(
      `INSERT INTO audit_entries (workbook_id, sheet_id, row_id, key, actor, via, at, before_value, after_value)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    eraseAuditRow: db.prepare(
      `UPDATE audit_entries SET before_value = NULL, after_value = NULL, values_erased = 1
       WHERE workbook_id = ? AND sheet_id = ? AND row_id = ? AND values_erased = 0`,
    ),
    eraseAuditKey: db.prepare(
      `UPDATE audit_entries SET before_value = NULL, after_value = NULL, values_erased = 1
       WHERE workbook_id = ? AND sheet_id = ? AND row_id = ? AND key = ? AND values_erased = 0`,
    ),
    upsertPublicState: db.prepare(
      `INSERT INTO public_states (workbook_id, state_hash, changed_at) VALUES (?, ?, ?)
       ON CONFLICT (workbook_id) DO UPDATE SET state_hash = excluded.state_hash, changed_at = excluded.changed_at
       WHERE public_states.state_hash <> excluded.state_hash`,
    ),
    readPublicState: db.prepare("SELECT changed_at FROM public_states WHERE workbook_id = ?"),
    upsertSnapshot: db.prepare(UPSERT_SNAPSHOT_SQL),
    previousSeq: db.prepare("SELECT previous_upto_seq AS seq FROM snapshots WHERE doc_name = ?"),
    deleteUpdatesUpTo: db.prepare("DELETE FROM updates WHERE doc_name = ? AND seq <= ?"),
    deletePreviews: db.prepare(DELETE_PREVIEWS_SQL),
    insertPreview: db.prepare("INSERT INTO previews (doc_name, sheet_key, upto_seq, gzipped) VALUES (?, ?, ?, ?)"),
    releasedClientId: db.prepare("SELECT client_id FROM server_client_ids WHERE doc_name = ? AND held = 0 LIMIT 1"),
    holdClientId: db.prepare("UPDATE server_client_ids SET held = 1 WHERE doc_name = ? AND client_id = ?"),
    registerClientId: db.prepare("INSERT INTO server_client_ids (doc_name, client_id, held) VALUES (?, ?, 1) ON CONFLICT DO NOTHING"),
    releaseClientId: db.prepare("UPDATE server_client_ids SET held = 0 WHERE doc_name = ? AND client_id = ?"),
  };

  function caseNumberOf(workbookId: string, rowId: string): number {
    const existing = statements.findCase.get(workbookId, rowId) as { number: number } | undefined;
    if (existing) return existing.number;
    const { last_number: number } = statements.nextCase.get(workbookId) as { last_number: number };
    statements.insertCase.run(workbookId, rowId, number, new Date().toISOString());
    // Another instance may have numbered the row between our read and insert (not possible
    // under SQLite's write lock, but the pattern is what a shared PostgreSQL store needs): the
    // stored number wins and ours is skipped, never reused.
    return (statements.findCase.get(workbookId, rowId) as { number: number }).number;
  }

  return {
    /** A document update into the log; its sequence number. */
    appendUpdate(docName: string, update: Uint8Array): number {
      return Number(statements.append.run(docName, update, checksumOf(update), new Date().toISOString()).lastInsertRowid);
    },
    /**
     * A compacted snapshot holding every entry up to `uptoSeq`. The replaced snapshot is kept as
     * the previous generation, with the log entries after it: only entries it holds are deleted.
     */
    compactDocument(docName: string, state: Uint8Array, uptoSeq: number, previews: readonly (readonly [string, Uint8Array])[]): void {
      statements.upsertSnapshot.run(docName, state, uptoSeq, checksumOf(state), new Date().toISOString());
      const previous = statements.previousSeq.get(docName) as { seq: number | null } | undefined;
      statements.deleteUpdatesUpTo.run(docName, Math.min(previous?.seq ?? 0, uptoSeq));
      statements.deletePreviews.run(docName);
      for (const [sheetKey, gzipped] of previews) statements.insertPreview.run(docName, sheetKey, uptoSeq, gzipped);
    },
    /** Case numbers of rows, allocated once per row and never reused. */
    caseNumbers(workbookId: string, rowIds: readonly string[]): number[] {
      return rowIds.map((rowId) => caseNumberOf(workbookId, rowId));
    },
    /** Records a submission unless its id exists; the stored row either way. */
    claimSubmission(s: NewFormSubmission): { claimed: boolean; row: SubmissionRow } {
      const { changes } = statements.insertSubmission.run(
        s.submissionId,
        s.workbookId,
        s.linkId,
        s.sheetId,
        s.rowId,
        s.fingerprint,
        s.manageTokenHash,
        s.createdAt,
      );
      const row = statements.findSubmission.get(s.submissionId) as SubmissionRow | undefined;
      if (!row) throw new Error("a claimed form submission is missing");
      return { claimed: Number(changes) === 1, row: { ...row } };
    },
    completeSubmission(submissionId: string, caseNumber: string, at: string): void {
      statements.completeSubmission.run(caseNumber, at, submissionId);
    },
    withdrawSubmission(submissionId: string, at: string): void {
      statements.withdrawSubmission.run(at, submissionId);
    },
    appendAuditEntries(entries: readonly NewAuditEntry[]): void {
      for (const e of entries) statements.insertAudit.run(e.workbookId, e.sheetId, e.rowId, e.key, e.actor, e.via, e.at, e.before, e.after);
    },
    /** Erases the values of a row's audit entries (all keys when `keys` is null); how many. */
    eraseAuditValues(workbookId: string, sheetId: string, rowId: string, keys: readonly string[] | null): number {
      if (keys === null) return Number(statements.eraseAuditRow.run(workbookId, sheetId, rowId).changes);
      let erased = 0;
      for (const key of keys) erased += Number(statements.eraseAuditKey.run(workbookId, sheetId, rowId, key).changes);
      return erased;
    },
    /** A released client id for the server's writes to a document, held again; else `fresh`, registered as held. */
    claimServerClientId(docName: string, fresh: number): number {
      const released = statements.releasedClientId.get(docName) as { client_id: number } | undefined;
      if (released) {
        statements.holdClientId.run(docName, released.client_id);
        return released.client_id;
      }
      statements.registerClientId.run(docName, fresh);
      return fresh;
    },
    releaseServerClientId(docName: string, clientId: number): void {
      statements.releaseClientId.run(docName, clientId);
    },
    holdServerClientId(docName: string, clientId: number): void {
      statements.registerClientId.run(docName, clientId);
    },
    /** The public view's hash; when it last changed (unchanged when the hash is the same). */
    recordPublicState(workbookId: string, stateHash: string, at: string): string {
      statements.upsertPublicState.run(workbookId, stateHash, at);
      return (statements.readPublicState.get(workbookId) as { changed_at: string }).changed_at;
    },
  };
}

export type SqliteWrites = ReturnType<typeof prepareWrites>;
export type WriteName = keyof SqliteWrites;

/** One write as it travels to the writer thread. */
export interface QueuedWriteMessage {
  readonly name: WriteName;
  readonly args: readonly unknown[];
}

/** The outcome of one write of a batch. */
export type WriteOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: WriteFailure };

/** An error as it crosses the thread boundary: SQLite's code survives, so callers can tell "busy" from the rest. */
export interface WriteFailure {
  readonly message: string;
  readonly code?: string;
}

export function toWriteFailure(error: unknown): WriteFailure {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? { message: error.message, code } : { message: error.message };
}

export function fromWriteFailure(failure: WriteFailure): Error {
  return Object.assign(new Error(failure.message), failure.code ? { code: failure.code } : {});
}
