/**
 * What the request form keeps outside the workbook document: one record per submission, keyed by
 * the submission id its ticket carried. It makes a retried POST return the first answer instead
 * of storing a second row, and maps a requester's manage token (stored as a hash) to the row.
 * SQLite implementation: sqlite-form-store.ts; a PostgreSQL one belongs beside postgres-store.ts.
 */

/** A submission as stored. */
export interface FormSubmissionRecord {
  /** From the form ticket: random, 128 bits, base64url. */
  readonly submissionId: string;
  readonly workbookId: string;
  /** The form link it came through. */
  readonly linkId: string;
  readonly sheetId: string;
  /** Chosen before the row is written, so a retry after a crash finds (or writes) the same row. */
  readonly rowId: string;
  /** SHA-256 of the canonical answers: a retry must send the same ones. */
  readonly fingerprint: string;
  /** SHA-256 of the manage token, lowercase hex. */
  readonly manageTokenHash: string;
  /** Formatted case number (e.g. SH-0012), set once the row is stored. */
  readonly caseNumber: string | null;
  readonly createdAt: string;
  /** When the row was durably written; null while the submission is being stored. */
  readonly completedAt: string | null;
  /** When the requester withdrew the request through the manage link. */
  readonly withdrawnAt: string | null;
}

/** What a submission starts as, before its row is written. */
export type NewFormSubmission = Omit<FormSubmissionRecord, "caseNumber" | "completedAt" | "withdrawnAt">;

/** Storage of form submissions. All methods are safe to call from several server instances. */
export interface FormStore {
  /**
   * Records a submission about to be written, unless one with this id exists: then nothing is
   * written and the existing record is returned (`claimed: false`). Atomic.
   */
  claimSubmission(submission: NewFormSubmission): Promise<{ readonly claimed: boolean; readonly record: FormSubmissionRecord }>;
  findSubmission(submissionId: string): Promise<FormSubmissionRecord | undefined>;
  findSubmissionByManageTokenHash(tokenHash: string): Promise<FormSubmissionRecord | undefined>;
  /** Marks the row as durably written with its case number (idempotent). */
  completeSubmission(submissionId: string, caseNumber: string, at: Date): Promise<void>;
  /** Records the withdrawal; an earlier one stays (idempotent). */
  markWithdrawn(submissionId: string, at: Date): Promise<void>;
  /** No method may be called afterwards. */
  close(): Promise<void>;
}
