import type { RetentionPolicy, Row, RowId } from "@huzhu/schema";
import { isRowClosed } from "@huzhu/schema";

const DAY_MS = 86_400_000;

/** When a closed row becomes due, or undefined when it is not waiting for a purge. */
function dueAt(policy: RetentionPolicy, row: Row): number | undefined {
  if (row.closedAt === null || !isRowClosed(policy, row)) return undefined;
  if (row.purgedAt !== null && Date.parse(row.purgedAt) >= Date.parse(row.closedAt)) return undefined;
  return Date.parse(row.closedAt) + policy.days * DAY_MS;
}

/**
 * The due times of one loaded workbook's rows that wait for a purge, so a change to a few rows
 * (a form submission, a status edit) is checked by reading those rows only, not the whole sheet.
 * Built by a full check; kept current by every check after it.
 */
export class DueTimes {
  private readonly byRow = new Map<RowId, number>();
  /** The next due time last written to the store (undefined: never written). */
  private stored: number | null | undefined;

  /** Records what `rows` are now; `missing` are rows that no longer exist. */
  update(policy: RetentionPolicy, rows: readonly Row[], missing: readonly RowId[] = []): void {
    for (const row of rows) {
      const due = dueAt(policy, row);
      if (due === undefined) this.byRow.delete(row.id);
      else this.byRow.set(row.id, due);
    }
    for (const rowId of missing) this.byRow.delete(rowId);
  }

  /** Rows whose due time has come by `now`. */
  dueBy(now: Date): RowId[] {
    const limit = now.getTime();
    return [...this.byRow].filter(([, due]) => due <= limit).map(([rowId]) => rowId);
  }

  /** The earliest due time, or null when no row waits. */
  next(): number | null {
    let next = Number.POSITIVE_INFINITY;
    for (const due of this.byRow.values()) if (due < next) next = due;
    return Number.isFinite(next) ? next : null;
  }

  /** The next due time when it differs from the one last stored, else undefined. */
  unstoredNext(): { at: number | null } | undefined {
    const next = this.next();
    return next === this.stored ? undefined : { at: next };
  }

  /** Notes that the store now holds `at` as the workbook's next due time. */
  markStored(at: number | null): void {
    this.stored = at;
  }
}
