import type { SqliteGroupCommit } from "./sqlite-group-commit.ts";
import type { SqliteDocStore } from "./sqlite-store.ts";
import type { FormStore, FormSubmissionRecord, NewFormSubmission } from "./form-store.ts";

/** A `form_submissions` row as both SQL stores read it. */
export interface SubmissionRow {
  submission_id: string;
  workbook_id: string;
  link_id: string;
  sheet_id: string;
  row_id: string;
  fingerprint: string;
  manage_token_hash: string;
  case_number: string | null;
  created_at: string;
  completed_at: string | null;
  withdrawn_at: string | null;
}

/** A `form_submissions` row as a FormSubmissionRecord. */
export function toRecord(row: SubmissionRow): FormSubmissionRecord {
  return {
    submissionId: row.submission_id,
    workbookId: row.workbook_id,
    linkId: row.link_id,
    sheetId: row.sheet_id,
    rowId: row.row_id,
    fingerprint: row.fingerprint,
    manageTokenHash: row.manage_token_hash,
    caseNumber: row.case_number,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    withdrawnAt: row.withdrawn_at,
  };
}

/**
 * FormStore on the server's SQLite database, through the doc store's connection
 * (`SqliteDocStore.database`), whose migrations create its table. Its writes join the doc
 * store's group commit, so the submissions of one turn share a commit with the rows' appends.
 * The doc store owns the connection: closing this store closes nothing.
 */
export class SqliteFormStore implements FormStore {
  private readonly statements;
  private readonly writes: SqliteGroupCommit;

  constructor(docs: Pick<SqliteDocStore, "database" | "writes">) {
    const db = docs.database;
    this.writes = docs.writes;
    this.statements = {
      insert: db.prepare(
        `INSERT INTO form_submissions
           (submission_id, workbook_id, link_id, sheet_id, row_id, fingerprint, manage_token_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (submission_id) DO NOTHING`,
      ),
      find: db.prepare("SELECT * FROM form_submissions WHERE submission_id = ?"),
      findByManage: db.prepare("SELECT * FROM form_submissions WHERE manage_token_hash = ?"),
      complete: db.prepare("UPDATE form_submissions SET case_number = ?, completed_at = coalesce(completed_at, ?) WHERE submission_id = ?"),
      withdraw: db.prepare("UPDATE form_submissions SET withdrawn_at = coalesce(withdrawn_at, ?) WHERE submission_id = ?"),
    };
  }

  claimSubmission(submission: NewFormSubmission): Promise<{ claimed: boolean; record: FormSubmissionRecord }> {
    return this.writes.write(() => this.claim(submission));
  }

  private claim(submission: NewFormSubmission): { claimed: boolean; record: FormSubmissionRecord } {
    const s = submission;
    const { changes } = this.statements.insert.run(
      s.submissionId,
      s.workbookId,
      s.linkId,
      s.sheetId,
      s.rowId,
      s.fingerprint,
      s.manageTokenHash,
      s.createdAt,
    );
    const row = this.statements.find.get(s.submissionId) as SubmissionRow | undefined;
    if (!row) throw new Error("a claimed form submission is missing");
    return { claimed: Number(changes) === 1, record: toRecord(row) };
  }

  async findSubmission(submissionId: string): Promise<FormSubmissionRecord | undefined> {
    const row = this.statements.find.get(submissionId) as SubmissionRow | undefined;
    return row && toRecord(row);
  }

  async findSubmissionByManageTokenHash(tokenHash: string): Promise<FormSubmissionRecord | undefined> {
    const row = this.statements.findByManage.get(tokenHash) as SubmissionRow | undefined;
    return row && toRecord(row);
  }

  async completeSubmission(submissionId: string, caseNumber: string, at: Date): Promise<void> {
    await this.writes.write(() => this.statements.complete.run(caseNumber, at.toISOString(), submissionId));
  }

  async markWithdrawn(submissionId: string, at: Date): Promise<void> {
    await this.writes.write(() => this.statements.withdraw.run(at.toISOString(), submissionId));
  }

  async close(): Promise<void> {}
}
