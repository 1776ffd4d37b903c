/**
 * When each workbook's public view last changed. The public projection itself is derived from the
 * workbook and never stored; only this one timestamp per workbook is, so "最后更新" on the public
 * page survives restarts and agrees between server instances. SQLite implementation:
 * sqlite-public-state-store.ts; a PostgreSQL one belongs beside postgres-store.ts.
 */
export interface PublicStateStore {
  /**
   * Records that the public projection of `workbookId` now hashes to `stateHash`. When that
   * differs from the stored hash, `at` becomes the change time; otherwise the stored time stays.
   * Returns the change time stored afterwards (ISO 8601). Atomic: instances computing the same
   * state at once agree on one time.
   */
  recordPublicState(workbookId: string, stateHash: string, at: Date): Promise<string>;
  /** No method may be called afterwards. */
  close(): Promise<void>;
}
