import * as Y from "yjs";
import type { DocStore, LinkRecord, NewWorkbook, StoredDocument, StoredPreviews, WorkbookRecord } from "./doc-store.ts";
import { checksumOf, verifiesByChecksum } from "./integrity.ts";
import { PostgresStoreBase } from "./postgres-pool.ts";
import { LOCK_NAMESPACE_SQL, inTransaction } from "./postgres-schema.ts";
import { type LinkRow, toLink } from "./sqlite-store.ts";

interface SnapshotRow {
  state: Buffer;
  upto_seq: string;
  checksum: string | null;
}

/** BIGINT columns arrive as strings. */
function toChecksum(value: string | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}

const INSERT_LINK = `INSERT INTO links (id, workbook_id, role, token_hash, label, color, expires_at, revoked_at, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

function linkParams(link: LinkRecord): unknown[] {
  return [link.id, link.workbookId, link.role, link.tokenHash, link.label, link.color, link.expiresAt, link.revokedAt, link.createdAt];
}

/** Forgets a document's stored previews (compaction replaces them, a rewrite drops them). */
const DELETE_PREVIEWS_SQL = "DELETE FROM previews WHERE doc_name = $1";

/** pg sends Buffers as bytea; a Uint8Array view is wrapped without copying. */
export function toBytea(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * DocStore on PostgreSQL, shared by any number of server instances. Every write is its own
 * committed transaction (`synchronous_commit` as the server has it, `on` by default: the commit
 * waits for the WAL to reach disk), so a resolved `appendUpdate` is durable.
 *
 * Several instances may hold the same document, each appending what it applies. Compaction is
 * therefore guarded twice: one instance at a time per document (an advisory lock), and an
 * instance only replaces the snapshot and deletes log rows that its own state already contains.
 */
/** Registers a server client id as held (a new one, or one not from a claim). */
const HOLD_CLIENT_ID_SQL = "INSERT INTO server_client_ids (doc_name, client_id, held) VALUES ($1, $2, true) ON CONFLICT DO NOTHING";

export class PostgresDocStore extends PostgresStoreBase implements DocStore {
  /**
   * Snapshot version this instance last wrote, per document. While the stored snapshot is still
   * that one, a compaction need not check that the new state contains it (a costly decode of
   * the whole snapshot). Loads do not count: a caller may read a document without holding it.
   */
  private readonly knownSnapshotVersion = new Map<string, number>();

  async loadDocument(docName: string): Promise<StoredDocument | undefined> {
    // One snapshot of the database for both reads: a compaction committing in between cannot
    // make us see its deletions without its snapshot.
    return this.track(() =>
      inTransaction(
        this.pool,
        async (client) => {
          const snapshot = await client.query<SnapshotRow>("SELECT state, upto_seq, checksum FROM snapshots WHERE doc_name = $1", [
            docName,
          ]);
          const stored = snapshot.rows[0];
          // Only for a snapshot that does not verify: the previous generation is as large again.
          const older =
            stored && !verifiesByChecksum(stored.state, toChecksum(stored.checksum))
              ? await client.query<{ previous_state: Buffer | null; previous_checksum: string | null }>(
                  "SELECT previous_state, previous_checksum FROM snapshots WHERE doc_name = $1",
                  [docName],
                )
              : undefined;
          const previousRow = older?.rows[0];
          const rows = await client.query<{ seq: string; update: Buffer; checksum: string | null }>(
            'SELECT seq, "update", checksum FROM updates WHERE doc_name = $1 ORDER BY seq',
            [docName],
          );
          if (!stored && rows.rows.length === 0) return undefined;
          // Every remaining row is to be replayed, also those numbered below upto_seq: with several
          // instances appending, a row can commit after a compaction that could not prove it
          // contained (its number was drawn earlier). So the snapshot is reported as containing the
          // log only up to the first remaining row; replaying a row it already holds changes nothing.
          const first = rows.rows[0] ? Number(rows.rows[0].seq) : Number.POSITIVE_INFINITY;
          const snapshotSeq = Math.min(stored ? Number(stored.upto_seq) : 0, first - 1);
          return {
            snapshot: stored?.state ?? null,
            snapshotSeq,
            snapshotChecksum: toChecksum(stored?.checksum),
            previous: previousRow?.previous_state
              ? { state: previousRow.previous_state, seq: snapshotSeq, checksum: toChecksum(previousRow.previous_checksum) }
              : null,
            updates: rows.rows.map((row) => ({ seq: Number(row.seq), update: row.update, checksum: toChecksum(row.checksum) })),
          };
        },
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
      ),
    );
  }

  appendUpdate(docName: string, update: Uint8Array): Promise<number> {
    return this.track(() =>
      this.pool
        .query<{ seq: string }>('INSERT INTO updates (doc_name, "update", checksum, created_at) VALUES ($1, $2, $3, $4) RETURNING seq', [
          docName,
          toBytea(update),
          checksumOf(update),
          new Date().toISOString(),
        ])
        .then((result) => Number(result.rows[0]?.seq)),
    );
  }

  /**
   * Under `pg_try_advisory_xact_lock(schema, document)`: gives up (false) if another instance is
   * compacting this document, or if the stored snapshot holds something `contains` denies (this
   * instance has not caught up yet; it retries at its next compaction). Otherwise, in one
   * transaction: the stored snapshot becomes the previous generation and the log rows it
   * contains (marked by the compaction that wrote it) are deleted; `state` becomes the snapshot,
   * and the rows up to `uptoSeq` that `contains` confirms are marked as contained in it. Rows it
   * cannot confirm (appended by another instance and not yet relayed here) stay unmarked for
   * whoever holds them. The previews given replace the document's stored ones, under the new
   * snapshot's version.
   */
  compactDocument(
    docName: string,
    state: Uint8Array,
    uptoSeq: number,
    contains: (stored: Uint8Array) => boolean,
    previews: StoredPreviews = new Map(),
  ): Promise<boolean> {
    return this.track(() =>
      inTransaction(this.pool, async (client) => {
        const lock = await client.query<{ locked: boolean }>(
          `SELECT pg_try_advisory_xact_lock(${LOCK_NAMESPACE_SQL}, hashtext($1)) AS locked`,
          [docName],
        );
        if (!lock.rows[0]?.locked) return false;
        const current = await client.query<{ version: string }>("SELECT version FROM snapshots WHERE doc_name = $1", [docName]);
        const currentVersion = current.rows[0] ? Number(current.rows[0].version) : 0;
        if (currentVersion !== 0 && currentVersion !== this.knownSnapshotVersion.get(docName)) {
          // Written by another instance since we last looked: ours must contain all of it.
          const stored = await client.query<{ state: Buffer }>("SELECT state FROM snapshots WHERE doc_name = $1", [docName]);
          if (!contains(stored.rows[0]?.state as Buffer)) return false;
        }
        const version = currentVersion + 1;
        await client.query("DELETE FROM updates WHERE doc_name = $1 AND compacted_in <= $2", [docName, currentVersion]);
        const rows = await client.query<{ seq: string; update: Buffer }>(
          'SELECT seq, "update" FROM updates WHERE doc_name = $1 AND seq <= $2 AND compacted_in IS NULL ORDER BY seq',
          [docName, uptoSeq],
        );
        const contained = rows.rows.filter((row) => contains(row.update)).map((row) => row.seq);
        if (contained.length > 0) {
          await client.query("UPDATE updates SET compacted_in = $3 WHERE doc_name = $1 AND seq = ANY($2::bigint[])", [
            docName,
            contained,
            version,
          ]);
        }
        await client.query(
          `INSERT INTO snapshots (doc_name, state, upto_seq, version, checksum, created_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (doc_name) DO UPDATE SET previous_state = snapshots.state, previous_checksum = snapshots.checksum,
             state = excluded.state, checksum = excluded.checksum, upto_seq = GREATEST(snapshots.upto_seq, excluded.upto_seq),
             version = excluded.version, created_at = excluded.created_at`,
          [docName, toBytea(state), uptoSeq, version, checksumOf(state), new Date().toISOString()],
        );
        await client.query(DELETE_PREVIEWS_SQL, [docName]);
        for (const [sheetKey, gzipped] of previews) {
          await client.query("INSERT INTO previews (doc_name, sheet_key, snapshot_version, gzipped) VALUES ($1, $2, $3, $4)", [
            docName,
            sheetKey,
            version,
            toBytea(gzipped),
          ]);
        }
        this.knownSnapshotVersion.set(docName, version);
        return true;
      }),
    );
  }

  /**
   * Purge's rewrite, for several instances: waits for the document's advisory lock, refuses if
   * the stored snapshot holds content `state` lacks (another instance is ahead; purge retries),
   * then replaces the snapshot, drops the previous generation and deletes every log row `state`
   * contains, whatever its sequence number — so no row carrying a purged value survives, copies
   * other instances appended included — while rows `state` lacks (written elsewhere, not relayed
   * yet) stay.
   */
  rewriteDocument(docName: string, state: Uint8Array, uptoSeq: number): Promise<void> {
    const rebuilt = new Y.Doc();
    Y.applyUpdate(rebuilt, state);
    const contents = Y.snapshot(rebuilt);
    rebuilt.destroy();
    const contains = (stored: Uint8Array) => {
      try {
        return Y.snapshotContainsUpdate(contents, stored);
      } catch {
        return false;
      }
    };
    return this.track(() =>
      inTransaction(this.pool, async (client) => {
        await client.query(`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE_SQL}, hashtext($1))`, [docName]);
        const stored = await client.query<{ state: Buffer; version: string }>("SELECT state, version FROM snapshots WHERE doc_name = $1", [
          docName,
        ]);
        const current = stored.rows[0];
        if (!current) throw new Error(`no stored document "${docName}" to rewrite`);
        if (!contains(current.state)) throw new Error(`"${docName}" was stored with content this state lacks; retry once it caught up`);
        const rows = await client.query<{ seq: string; update: Buffer }>('SELECT seq, "update" FROM updates WHERE doc_name = $1', [
          docName,
        ]);
        const contained = rows.rows.filter((row) => contains(row.update)).map((row) => row.seq);
        if (contained.length > 0) {
          await client.query("DELETE FROM updates WHERE doc_name = $1 AND seq = ANY($2::bigint[])", [docName, contained]);
        }
        const version = Number(current.version) + 1;
        await client.query(
          `UPDATE snapshots SET state = $2, checksum = $3, upto_seq = GREATEST(upto_seq, $4), version = $5, created_at = $6,
             previous_state = NULL, previous_checksum = NULL
           WHERE doc_name = $1`,
          [docName, toBytea(state), checksumOf(state), uptoSeq, version, new Date().toISOString()],
        );
        // They may show purged values.
        await client.query(DELETE_PREVIEWS_SQL, [docName]);
        this.knownSnapshotVersion.set(docName, version);
      }),
    );
  }

  createWorkbook({ workbook, initialState, links }: NewWorkbook): Promise<void> {
    return this.track(() =>
      inTransaction(this.pool, async (client) => {
        await client.query("INSERT INTO workbooks (id, title, template, created_at) VALUES ($1, $2, $3, $4)", [
          workbook.id,
          workbook.title,
          workbook.template,
          workbook.createdAt,
        ]);
        await client.query(
          "INSERT INTO snapshots (doc_name, state, upto_seq, version, checksum, created_at) VALUES ($1, $2, 0, 1, $3, $4)",
          [workbook.id, toBytea(initialState), checksumOf(initialState), workbook.createdAt],
        );
        for (const link of links) await client.query(INSERT_LINK, linkParams(link));
      }),
    );
  }

  async findWorkbook(id: string): Promise<WorkbookRecord | undefined> {
    const { rows } = await this.track(() =>
      this.pool.query<{ id: string; title: string; template: string; created_at: string }>(
        "SELECT id, title, template, created_at FROM workbooks WHERE id = $1",
        [id],
      ),
    );
    const row = rows[0];
    return row && { id: row.id, title: row.title, template: row.template, createdAt: row.created_at };
  }

  async createLink(link: LinkRecord): Promise<void> {
    await this.track(() => this.pool.query(INSERT_LINK, linkParams(link)));
  }

  async findLinkByTokenHash(tokenHash: string): Promise<LinkRecord | undefined> {
    const { rows } = await this.track(() => this.pool.query<LinkRow>("SELECT * FROM links WHERE token_hash = $1", [tokenHash]));
    return rows[0] && toLink(rows[0]);
  }

  /**
   * Takes a released id under the row's lock (SKIP LOCKED: instances loading the same workbook at
   * once get different ids), else registers `fresh`.
   */
  async claimServerClientId(docName: string, fresh: number): Promise<number> {
    return this.track(async () => {
      const { rows } = await this.pool.query<{ client_id: string }>(
        `UPDATE server_client_ids SET held = true WHERE (doc_name, client_id) = (
           SELECT doc_name, client_id FROM server_client_ids WHERE doc_name = $1 AND NOT held LIMIT 1 FOR UPDATE SKIP LOCKED
         ) RETURNING client_id`,
        [docName],
      );
      if (rows[0]) return Number(rows[0].client_id);
      await this.pool.query(HOLD_CLIENT_ID_SQL, [docName, fresh]);
      return fresh;
    });
  }

  /**
   * Valid while the snapshot they were stored with is the stored one and every log row is
   * contained in it (marked by its compaction): a row left unmarked was appended after it, here
   * or on another instance.
   */
  async storedPreview(docName: string, sheetKey: string): Promise<Uint8Array | undefined> {
    const result = await this.pool.query<{ gzipped: Buffer }>(
      `SELECT p.gzipped FROM previews p JOIN snapshots s ON s.doc_name = p.doc_name AND s.version = p.snapshot_version
       WHERE p.doc_name = $1 AND p.sheet_key = $2
         AND NOT EXISTS (SELECT 1 FROM updates u WHERE u.doc_name = p.doc_name AND u.compacted_in IS NULL)`,
      [docName, sheetKey],
    );
    return result.rows[0]?.gzipped;
  }

  async releaseServerClientId(docName: string, clientId: number): Promise<void> {
    await this.track(() =>
      this.pool.query("UPDATE server_client_ids SET held = false WHERE doc_name = $1 AND client_id = $2", [docName, clientId]),
    );
  }

  async holdServerClientId(docName: string, clientId: number): Promise<void> {
    await this.track(() => this.pool.query(HOLD_CLIENT_ID_SQL, [docName, clientId]));
  }

  async heldServerClientIds(docName: string): Promise<ReadonlySet<number>> {
    const { rows } = await this.track(() =>
      this.pool.query<{ client_id: string }>("SELECT client_id FROM server_client_ids WHERE doc_name = $1 AND held", [docName]),
    );
    return new Set(rows.map((row) => Number(row.client_id)));
  }

  /** One row's case number; see `allocateCaseNumbers`. */
  async allocateCaseNumber(workbookId: string, rowId: string): Promise<number> {
    return (await this.allocateCaseNumbers(workbookId, [rowId]))[0] as number;
  }

  /**
   * Numbers rows once, for every instance, in one transaction: rows already numbered keep their
   * number; the others take the next block from the workbook's counter row, incremented once by
   * their count (its row lock serialises concurrent allocations), in the order given. The
   * (workbook, row) key admits one number, so when two instances race for the same row the first
   * commit wins and the loser's number is skipped, never reused.
   */
  allocateCaseNumbers(workbookId: string, rowIds: readonly string[]): Promise<number[]> {
    const wanted = [...new Set(rowIds)];
    if (wanted.length === 0) return Promise.resolve([]);
    return this.track(() =>
      inTransaction(this.pool, async (client) => {
        const numbered = async () => {
          const { rows } = await client.query<{ row_id: string; number: number }>(
            "SELECT row_id, number FROM case_numbers WHERE workbook_id = $1 AND row_id = ANY($2::text[])",
            [workbookId, wanted],
          );
          return new Map(rows.map((row) => [row.row_id, row.number]));
        };
        const existing = await numbered();
        const missing = wanted.filter((rowId) => !existing.has(rowId));
        if (missing.length === 0) return rowIds.map((rowId) => existing.get(rowId) as number);
        const counter = await client.query<{ last_number: number }>(
          `INSERT INTO case_counters (workbook_id, last_number) VALUES ($1, $2)
           ON CONFLICT (workbook_id) DO UPDATE SET last_number = case_counters.last_number + excluded.last_number RETURNING last_number`,
          [workbookId, missing.length],
        );
        const first = (counter.rows[0]?.last_number as number) - missing.length + 1;
        await client.query(
          `INSERT INTO case_numbers (workbook_id, row_id, number, created_at)
           SELECT $1, row_id, number, $4 FROM unnest($2::text[], $3::int[]) AS given(row_id, number)
           ON CONFLICT (workbook_id, row_id) DO NOTHING`,
          [workbookId, missing, missing.map((_, i) => first + i), new Date().toISOString()],
        );
        // READ COMMITTED: this read sees numbers another instance committed while we waited.
        const stored = await numbered();
        return rowIds.map((rowId) => stored.get(rowId) as number);
      }),
    );
  }
}
