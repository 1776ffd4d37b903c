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
      find: db.prepare("SELECT * FROM form_submissions WHERE submission_id = ?"),
      findByManage: db.prepare("SELECT * FROM form_submissions WHERE manage_token_hash = ?"),
    };
  }

  async claimSubmission(submission: NewFormSubmission): Promise<{ claimed: boolean; record: FormSubmissionRecord }> {
    const { claimed, row } = await this.writes.write("claimSubmission", submission);
    return { claimed, record: toRecord(row) };
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
    await this.writes.write("completeSubmission", submissionId, caseNumber, at.toISOString());
  }

  async markWithdrawn(submissionId: string, at: Date): Promise<void> {
    await this.writes.write("withdrawSubmission", submissionId, at.toISOString());
  }

  async close(): Promise<void> {}
}
