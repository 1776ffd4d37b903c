import type { Row } from "./doc/read.ts";

/**
 * How long personal data stays after a case is done. Volunteers in 2022 deleted phone numbers and
 * addresses once a case closed; this makes that the default instead of a chore.
 */
export interface RetentionPolicy {
  /** The sheet whose rows carry personal data (the requests sheet). */
  readonly sheetId: string;
  /** The status column whose closed options start the clock. */
  readonly statusColumnId: string;
  /** Options of that column that mean "done" (resolved, closed). */
  readonly closedOptionIds: readonly string[];
  /** Days after closing before private cells are purged. */
  readonly days: number;
}

/** The default: private cells of resolved or closed requests are purged 7 days after closing. */
export const DEFAULT_RETENTION_DAYS = 7;

/** A stored policy with malformed fields replaced, or null when none is set. */
export function readRetentionPolicy(value: unknown): RetentionPolicy | null {
  if (typeof value !== "object" || value === null) return null;
  const { sheetId, statusColumnId, closedOptionIds, days } = value as Record<string, unknown>;
  if (typeof sheetId !== "string" || typeof statusColumnId !== "string" || !Array.isArray(closedOptionIds)) return null;
  return {
    sheetId,
    statusColumnId,
    closedOptionIds: closedOptionIds.filter((id): id is string => typeof id === "string"),
    days: typeof days === "number" && Number.isFinite(days) && days >= 0 && days <= 3650 ? days : DEFAULT_RETENTION_DAYS,
  };
}

/** Whether a row's status counts as done under the policy. */
export function isRowClosed(policy: RetentionPolicy, row: Row): boolean {
  const status = row.cells[policy.statusColumnId];
  return typeof status === "string" && policy.closedOptionIds.includes(status);
}

/** Whether a row's private cells are due to be purged at `now`. */
export function isDueForPurge(policy: RetentionPolicy, row: Row, now: Date): boolean {
  if (row.closedAt === null || !isRowClosed(policy, row)) return false;
  if (row.purgedAt !== null && Date.parse(row.purgedAt) >= Date.parse(row.closedAt)) return false;
  return now.getTime() - Date.parse(row.closedAt) >= policy.days * 86_400_000;
}
