import type { AuditEntry, AuditStore, NewAuditEntry } from "./audit-store.ts";
import type { SqliteGroupCommit } from "./sqlite-group-commit.ts";
import type { SqliteDocStore } from "./sqlite-store.ts";

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

/**
 * The audit log in the server's SQLite database (table `audit_entries`), through the doc store's
 * connection for reads; entries and erasures go through its group commit, in order, so an
 * erasure never overtakes the entries written before it.
 */
export class SqliteAuditStore implements AuditStore {
  private readonly writes: SqliteGroupCommit;
  private readonly statements;

  constructor(docs: Pick<SqliteDocStore, "database" | "writes">) {
    const db = docs.database;
    this.writes = docs.writes;
    this.statements = {
      history: db.prepare(
        `SELECT * FROM audit_entries WHERE workbook_id = ? AND sheet_id = ? AND row_id = ? AND id < ?
         ORDER BY id DESC LIMIT ?`,
      ),
    };
  }

  async appendAuditEntries(entries: readonly NewAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.writes.write("appendAuditEntries", entries);
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
    return this.writes.write("eraseAuditValues", workbookId, sheetId, rowId, keys);
  }
}
