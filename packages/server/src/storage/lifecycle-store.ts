/**
 * Bookkeeping of the data lifecycle: when each workbook next has rows due for purge, and purges
 * under way (a purge is recorded before it starts and removed once every copy is erased, so one
 * interrupted by a crash is finished at the next start).
 */

/** What a purge erases of one row. */
export const PurgeScope = {
  /** The row's private cells (retention, admin purge). */
  privateCells: "private",
  /** The whole row (it was removed from the document for good). */
  row: "row",
} as const;
export type PurgeScope = (typeof PurgeScope)[keyof typeof PurgeScope];

/** One row's purge that has to reach every stored copy. */
export interface PurgeJob {
  readonly id: number;
  readonly workbookId: string;
  readonly sheetId: string;
  readonly rowId: string;
  readonly scope: PurgeScope;
  readonly createdAt: string;
}

/** Storage of lifecycle bookkeeping (SQLite now; PostgreSQL for scale-out). */
export interface LifecycleStore {
  /** Sets (or, with null, clears) when a workbook next has a row due for purge. */
  setNextRetentionCheck(workbookId: string, at: string | null): Promise<void>;
  /** Workbooks with a retention check due at `now` (ISO 8601). */
  dueRetentionChecks(now: string): Promise<string[]>;

  /** Records purges about to run; returns them with their ids. */
  addPurgeJobs(jobs: readonly Omit<PurgeJob, "id">[]): Promise<PurgeJob[]>;
  /** Purges recorded and not finished, oldest first. */
  pendingPurgeJobs(): Promise<PurgeJob[]>;
  /** Marks purges finished. */
  finishPurgeJobs(ids: readonly number[]): Promise<void>;

  /**
   * Makes erased bytes unrecoverable from the files: on SQLite, VACUUM (when asked) and a WAL
   * checkpoint that truncates the log file. Deletes already overwrite freed content
   * (`secure_delete`), so this removes the last copies (old WAL frames, free pages).
   */
  scrubFreedSpace(options: { vacuum: boolean }): Promise<void>;
}
