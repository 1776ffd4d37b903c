import type { FormStore, FormSubmissionRecord, NewFormSubmission } from "./form-store.ts";
import { PostgresStoreBase } from "./postgres-pool.ts";
import { type SubmissionRow, toRecord } from "./sqlite-form-store.ts";

/**
 * FormStore on PostgreSQL (DATABASE_URL). The submission id is the primary key, so two instances
 * receiving the same retried POST at once claim it once: the second insert does nothing and both
 * read the one stored record.
 */
export class PostgresFormStore extends PostgresStoreBase implements FormStore {
  async claimSubmission(submission: NewFormSubmission): Promise<{ claimed: boolean; record: FormSubmissionRecord }> {
    const s = submission;
    return this.track(async () => {
      const inserted = await this.pool.query(
        `INSERT INTO form_submissions
           (submission_id, workbook_id, link_id, sheet_id, row_id, fingerprint, manage_token_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (submission_id) DO NOTHING`,
        [s.submissionId, s.workbookId, s.linkId, s.sheetId, s.rowId, s.fingerprint, s.manageTokenHash, s.createdAt],
      );
      const { rows } = await this.pool.query<SubmissionRow>("SELECT * FROM form_submissions WHERE submission_id = $1", [s.submissionId]);
      if (!rows[0]) throw new Error("a claimed form submission is missing");
      return { claimed: inserted.rowCount === 1, record: toRecord(rows[0]) };
    });
  }

  async findSubmission(submissionId: string): Promise<FormSubmissionRecord | undefined> {
    const { rows } = await this.track(() =>
      this.pool.query<SubmissionRow>("SELECT * FROM form_submissions WHERE submission_id = $1", [submissionId]),
    );
    return rows[0] && toRecord(rows[0]);
  }

  async findSubmissionByManageTokenHash(tokenHash: string): Promise<FormSubmissionRecord | undefined> {
    const { rows } = await this.track(() =>
      this.pool.query<SubmissionRow>("SELECT * FROM form_submissions WHERE manage_token_hash = $1", [tokenHash]),
    );
    return rows[0] && toRecord(rows[0]);
  }

  async completeSubmission(submissionId: string, caseNumber: string, at: Date): Promise<void> {
    await this.track(() =>
      this.pool.query("UPDATE form_submissions SET case_number = $1, completed_at = coalesce(completed_at, $2) WHERE submission_id = $3", [
        caseNumber,
        at.toISOString(),
        submissionId,
      ]),
    );
  }

  async markWithdrawn(submissionId: string, at: Date): Promise<void> {
    await this.track(() =>
      this.pool.query("UPDATE form_submissions SET withdrawn_at = coalesce(withdrawn_at, $1) WHERE submission_id = $2", [
        at.toISOString(),
        submissionId,
      ]),
    );
  }
}
