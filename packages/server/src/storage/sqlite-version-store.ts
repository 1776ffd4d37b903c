import type { DatabaseSync } from "node:sqlite";
import { checksumOf, matchesChecksum } from "./integrity.ts";
import { sqliteTransaction } from "./sqlite-transaction.ts";
import { type NewVersion, type StoredVersion, type VersionInfo, VersionKind, type VersionStore } from "./version-store.ts";

interface VersionRow {
  id: number;
  workbook_id: string;
  kind: string;
  name: string | null;
  created_by: string;
  created_at: string;
  byte_size: number;
}

function toInfo(row: VersionRow): VersionInfo {
  return {
    id: row.id,
    workbookId: row.workbook_id,
    kind: row.kind as VersionKind,
    name: row.name,
    createdBy: row.created_by,
    createdAt: row.created_at,
    byteSize: row.byte_size,
  };
}

const INFO = "id, workbook_id, kind, name, created_by, created_at, length(state) AS byte_size";

/** Versions in the server's SQLite database (table `versions`). */
export class SqliteVersionStore implements VersionStore {
  private readonly db: DatabaseSync;
  private readonly statements;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.statements = {
      insert: db.prepare(
        `INSERT INTO versions (workbook_id, kind, name, created_by, created_at, state, checksum)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${INFO}`,
      ),
      pruneAuto: db.prepare(
        `DELETE FROM versions WHERE workbook_id = ? AND kind = 'auto' AND id NOT IN
         (SELECT id FROM versions WHERE workbook_id = ? AND kind = 'auto' ORDER BY id DESC LIMIT ?)`,
      ),
      list: db.prepare(`SELECT ${INFO} FROM versions WHERE workbook_id = ? ORDER BY id DESC`),
      load: db.prepare(`SELECT ${INFO}, state, checksum FROM versions WHERE workbook_id = ? AND id = ?`),
      ids: db.prepare("SELECT id FROM versions WHERE workbook_id = ? ORDER BY id"),
      state: db.prepare("SELECT state, checksum FROM versions WHERE id = ?"),
      replace: db.prepare("UPDATE versions SET state = ?, checksum = ? WHERE id = ?"),
      remove: db.prepare("DELETE FROM versions WHERE id = ?"),
    };
  }

  async saveVersion(version: NewVersion, keepAuto?: number): Promise<VersionInfo> {
    return sqliteTransaction(this.db, () => {
      const { workbookId, kind, name, createdBy, createdAt, state } = version;
      const row = this.statements.insert.get(
        workbookId,
        kind,
        name,
        createdBy,
        createdAt,
        state,
        checksumOf(state),
      ) as unknown as VersionRow;
      if (keepAuto !== undefined && kind === VersionKind.auto) this.statements.pruneAuto.run(workbookId, workbookId, keepAuto);
      return toInfo(row);
    });
  }

  async listVersions(workbookId: string): Promise<VersionInfo[]> {
    return (this.statements.list.all(workbookId) as unknown as VersionRow[]).map(toInfo);
  }

  async loadVersion(workbookId: string, versionId: number): Promise<StoredVersion | undefined> {
    const row = this.statements.load.get(workbookId, versionId) as unknown as
      | (VersionRow & { state: Uint8Array; checksum: number })
      | undefined;
    if (!row) return undefined;
    if (!matchesChecksum(row.state, row.checksum))
      throw new Error(`version ${versionId} of "${workbookId}" is damaged (checksum mismatch)`);
    return { ...toInfo(row), state: row.state, checksum: row.checksum };
  }

  /**
   * Version by version, each in its own transaction, yielding to the event loop in between: a
   * version is decoded and re-encoded whole (~130 ms for 2,000 rows here), and the server must
   * keep answering editors while a purge goes through dozens of them.
   */
  async rewriteVersions(workbookId: string, rewrite: (state: Uint8Array) => Uint8Array | null): Promise<number> {
    let rewritten = 0;
    for (const { id } of this.statements.ids.all(workbookId) as { id: number }[]) {
      const changed = sqliteTransaction(this.db, () => {
        const row = this.statements.state.get(id) as { state: Uint8Array; checksum: number } | undefined;
        if (!row) return false;
        if (!matchesChecksum(row.state, row.checksum)) {
          this.statements.remove.run(id);
          return true;
        }
        const next = rewrite(row.state);
        if (next === null) return false;
        this.statements.replace.run(next, checksumOf(next), id);
        return true;
      });
      if (changed) rewritten += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return rewritten;
  }
}
