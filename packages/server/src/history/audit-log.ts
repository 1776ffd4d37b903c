import type { Extension, afterLoadDocumentPayload, onDestroyPayload } from "@hocuspocus/server";
import { observeCellChanges } from "@huzhu/schema";
import type { Logger } from "pino";
import * as Y from "yjs";
import type { AuditStore, NewAuditEntry } from "../storage/audit-store.ts";
import { attributeOrigin } from "./attribution.ts";
import { isPublicDocumentName } from "../collab/document-names.ts";

/** Configuration of the audit log extension. */
export interface AuditLogConfiguration {
  readonly store: AuditStore;
  readonly logger: Logger;
  /** Clock for the entries' times. */
  readonly now?: () => Date;
}

/** How long entries wait to be written with the ones that follow. */
const FLUSH_MS = 200;

/** Row keys not worth a history line: moving a row rewrites only its order key. */
const UNRECORDED_KEYS: ReadonlySet<string> = new Set(["$order"]);

/** JSON text of a value as the audit log keeps it; null when there is none. */
export function auditValue(value: unknown): string | null {
  if (value === undefined) return null;
  return JSON.stringify(value instanceof Y.AbstractType ? value.toJSON() : value) ?? null;
}

/**
 * Records every change to a row — by whom (the link's label, or the server write's actor), when,
 * which sheet, row and key, old and new value — in the audit store. Entries are collected
 * synchronously as transactions happen and written together every FLUSH_MS, off the path that
 * stores and acknowledges the update itself: one commit (one fsync) for everything a busy sheet
 * changed in that time, instead of one per event-loop turn. Readers of the history flush first.
 */
export class AuditLog implements Extension {
  readonly extensionName = "huzhu-audit";
  private readonly configuration: AuditLogConfiguration;
  private readonly now: () => Date;
  private buffer: NewAuditEntry[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private scheduled = false;

  constructor(configuration: AuditLogConfiguration) {
    this.configuration = configuration;
    this.now = configuration.now ?? (() => new Date());
  }

  async afterLoadDocument({ document, documentName }: afterLoadDocumentPayload): Promise<void> {
    // A public projection is derived from its workbook, whose changes are recorded (audiences.md).
    if (isPublicDocumentName(documentName)) return;
    observeCellChanges(document, (changes, transaction) => {
      const who = attributeOrigin(transaction.origin);
      if (!who) return;
      const at = this.now().toISOString();
      for (const { sheetId, rowId, key, before, after } of changes) {
        if (UNRECORDED_KEYS.has(key)) continue;
        this.buffer.push({
          workbookId: documentName,
          sheetId,
          rowId,
          key,
          ...who,
          at,
          before: auditValue(before),
          after: auditValue(after),
        });
      }
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      void this.flush();
    }, FLUSH_MS);
  }

  /** Writes everything collected so far; resolves when it is stored. */
  flush(): Promise<void> {
    const entries = this.buffer;
    this.buffer = [];
    this.flushing = this.flushing.then(async () => {
      if (entries.length === 0) return;
      try {
        await this.configuration.store.appendAuditEntries(entries);
      } catch (error) {
        this.configuration.logger.error({ err: error, entries: entries.length }, "writing audit entries failed; they are lost");
      }
    });
    return this.flushing;
  }

  async onDestroy(_payload: onDestroyPayload): Promise<void> {
    await this.flush();
  }
}
