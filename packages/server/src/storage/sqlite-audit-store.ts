import type { DatabaseSync } from "node:sqlite";
import type { AuditEntry, AuditStore, NewAuditEntry } from "./audit-store.ts";
import { sqliteTransaction } from "./sqlite-transaction.ts";

interface AuditRow {
  id: number;
  workbook_id: string;
  sheet_id: string;
  row_id: string;
  key: string;
  actor: string;
  via: string;
  at: string;
  before_value: string | null;
  after_value: string | null;
  values_erased: number;
}

/** The audit log in the server's SQLite database (table `audit_entries`). */
export class SqliteAuditStore implements AuditStore {
  private readonly db: DatabaseSync;
  private readonly statements;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.statements = {
      insert: db.prepare(
        `INSERT INTO audit_entries (workbook_id, sheet_id, row_id, key, actor, via, at, before_value, after_value)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      history: db.prepare(
        `SELECT * FROM audit_entries WHERE workbook_id = ? AND sheet_id = ? AND row_id = ? AND id < ?
         ORDER BY id DESC LIMIT ?`,
      ),
      eraseAll: db.prepare(
        `UPDATE audit_entries SET before_value = NULL, after_value = NULL, values_erased = 1
         WHERE workbook_id = ? AND sheet_id = ? AND row_id = ? AND values_erased = 0`,
      ),
      eraseKey: db.prepare(
        `UPDATE audit_entries SET before_value = NULL, after_value = NULL, values_erased = 1
         WHERE workbook_id = ? AND sheet_id = ? AND row_id = ? AND key = ? AND values_erased = 0`,
      ),
    };
  }

  async appendAuditEntries(entries: readonly NewAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    sqliteTransaction(this.db, () => {
      for (const e of entries) {
        this.statements.insert.run(e.workbookId, e.sheetId, e.rowId, e.key, e.actor, e.via, e.at, e.before, e.after);
      }
    });
  }

  async listRowHistory(
    workbookId: string,
    sheetId: string,
    rowId: string,
    { limit, beforeId }: { limit: number; beforeId?: number },
  ): Promise<AuditEntry[]> {
    const rows = this.statements.history.all(
      workbookId,
      sheetId,
      rowId,
      beforeId ?? Number.MAX_SAFE_INTEGER,
      limit,
    ) as unknown as AuditRow[];
    return rows.map((row) => ({
      id: row.id,
      workbookId: row.workbook_id,
      sheetId: row.sheet_id,
      rowId: row.row_id,
      key: row.key,
      actor: row.actor,
      via: row.via,
      at: row.at,
      before: row.before_value,
      after: row.after_value,
      valuesErased: row.values_erased === 1,
    }));
  }

  async eraseRowValues(workbookId: string, sheetId: string, rowId: string, keys: readonly string[] | null): Promise<number> {
    return sqliteTransaction(this.db, () => {
      if (keys === null) return Number(this.statements.eraseAll.run(workbookId, sheetId, rowId).changes);
      let erased = 0;
      for (const key of keys) erased += Number(this.statements.eraseKey.run(workbookId, sheetId, rowId, key).changes);
      return erased;
    });
  }
}
