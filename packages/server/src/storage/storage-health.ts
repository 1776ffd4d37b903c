import type { RecoveryReport, StorageDamage } from "./recover-document.ts";

/** A document that loaded from less than everything stored for it. */
export interface DamagedDocument {
  readonly documentName: string;
  /** When it was loaded (ISO 8601). */
  readonly at: string;
  /** What it was rebuilt from; "refused" when nothing verified and the document was not served. */
  readonly base: RecoveryReport["base"] | "refused";
  /** Log entries replayed on top of the base. */
  readonly applied: number;
  readonly damage: readonly StorageDamage[];
}

/** How many damaged documents are remembered (the oldest are forgotten first). */
const MAX_REPORTS = 200;

/**
 * What the server found wrong in storage since it started: every document that loaded with
 * damaged or truncated entries left out, or was refused. Reported by `GET /api/status`; the log
 * carries the same as error lines. Kept until restart on purpose: data may have been lost, and
 * an operator should see that even after a later load came out clean.
 */
export class StorageHealth {
  private readonly reports = new Map<string, DamagedDocument>();

  /** Records a load that left something out (does nothing for a clean load). */
  record(documentName: string, report: Pick<DamagedDocument, "base" | "applied" | "damage">, at = new Date()): void {
    if (report.damage.length === 0 && report.base !== "refused") return;
    this.reports.delete(documentName);
    this.reports.set(documentName, { documentName, at: at.toISOString(), ...report });
    if (this.reports.size > MAX_REPORTS) this.reports.delete(this.reports.keys().next().value as string);
  }

  /** "ok", or "degraded" once any document loaded from less than everything stored. */
  get status(): "ok" | "degraded" {
    return this.reports.size === 0 ? "ok" : "degraded";
  }

  /** Damaged documents, most recent last. */
  list(): DamagedDocument[] {
    return [...this.reports.values()];
  }
}
