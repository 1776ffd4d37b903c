import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { StoredDocument } from "./doc-store.ts";
import { verifiesByChecksum } from "./integrity.ts";
import { sqliteTransaction } from "./sqlite-transaction.ts";

/** A row of the `snapshots` table, without its previous generation. */
interface SnapshotRow {
  state: Uint8Array;
  upto_seq: number;
  checksum: number | null;
}

/** The previous generation of a `snapshots` row. */
interface PreviousRow {
  previous_state: Uint8Array | null;
  previous_upto_seq: number | null;
  previous_checksum: number | null;
}

interface UpdateRow {
  seq: number;
  update: Uint8Array;
  checksum: number | null;
}

interface DocumentReads {
  readonly snapshot: StatementSync;
  readonly previous: StatementSync;
  readonly updatesAfter: StatementSync;
}

const prepared = new WeakMap<DatabaseSync, DocumentReads>();

function readsOf(db: DatabaseSync): DocumentReads {
  let reads = prepared.get(db);
  if (!reads) {
    reads = {
      snapshot: db.prepare("SELECT state, upto_seq, checksum FROM snapshots WHERE doc_name = ?"),
      previous: db.prepare("SELECT previous_state, previous_upto_seq, previous_checksum FROM snapshots WHERE doc_name = ?"),
      updatesAfter: db.prepare('SELECT seq, "update", checksum FROM updates WHERE doc_name = ? AND seq > ? ORDER BY seq'),
    };
    prepared.set(db, reads);
  }
  return reads;
}

/**
 * A stored document as one read transaction sees it, so a compaction committed meanwhile can't
 * slip between the snapshot and the log. The store's loads and the state encoder's worker (its
 * own connection, off the event loop) read with this one function.
 */
export function readStoredDocument(db: DatabaseSync, docName: string): StoredDocument | undefined {
  const reads = readsOf(db);
  return sqliteTransaction(
    db,
    () => {
      const snapshot = reads.snapshot.get(docName) as SnapshotRow | undefined;
      const snapshotSeq = snapshot?.upto_seq ?? 0;
      // Only for a snapshot that does not verify: reading the previous generation (as large again)
      // and the log since it doubled what a 30,000-row load read.
      const older =
        snapshot && !verifiesByChecksum(snapshot.state, snapshot.checksum)
          ? (reads.previous.get(docName) as PreviousRow | undefined)
          : undefined;
      const previous =
        older?.previous_state && older.previous_upto_seq !== null
          ? { state: older.previous_state, seq: older.previous_upto_seq, checksum: older.previous_checksum }
          : null;
      // From the previous generation on, so a damaged snapshot can be rebuilt from it.
      const rows = reads.updatesAfter.all(docName, previous?.seq ?? snapshotSeq) as unknown as UpdateRow[];
      if (!snapshot && rows.length === 0) return undefined;
      return {
        snapshot: snapshot?.state ?? null,
        snapshotSeq,
        snapshotChecksum: snapshot?.checksum ?? null,
        previous,
        updates: rows.map((row) => ({ seq: row.seq, update: row.update, checksum: row.checksum })),
      };
    },
    "DEFERRED",
  );
}
