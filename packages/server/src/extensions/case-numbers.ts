import type { Extension, Hocuspocus, afterLoadDocumentPayload } from "@hocuspocus/server";
import { type RowId, observeWorkbook, openWorkbook } from "@huzhu/schema";
import type { Logger } from "pino";
import { caseNumberSheet, fillSystemFields, rowsLackingSystemFields, rowsToCheckForSystemFields } from "../case-numbers.ts";
import type { DocStore } from "../storage/doc-store.ts";

/** Configuration of the case-number extension. */
export interface CaseNumbersConfiguration {
  readonly store: DocStore;
  readonly logger: Logger;
}

/** Context of the server's own writes: who made them, for the history that comes later. */
export const CASE_NUMBER_ACTOR = { actor: "system", purpose: "case-numbers" } as const;

/**
 * Gives every row of a workbook's form sheet a case number (e.g. SH-0001) and a submission time
 * when they are empty. Numbers come from storage, keyed by (workbook, row), so every server
 * instance writes the same number for a row and a number is never given twice. The write goes
 * through a direct connection, like any other server-side change.
 */
export class CaseNumbers implements Extension {
  readonly extensionName = "huzhu-case-numbers";
  private readonly configuration: CaseNumbersConfiguration;
  /** Rows waiting for a number, per document. */
  private readonly queued = new Map<string, Set<RowId>>();
  /** The running job per document; at most one, so numbers are written in allocation order. */
  private readonly running = new Map<string, Promise<void>>();

  constructor(configuration: CaseNumbersConfiguration) {
    this.configuration = configuration;
  }

  async afterLoadDocument({ document, documentName, instance }: afterLoadDocumentPayload): Promise<void> {
    const workbook = openWorkbook(document);
    observeWorkbook(document, (changes) => {
      const sheetId = caseNumberSheet(workbook);
      const sheet = sheetId && changes.bySheet.get(sheetId);
      if (!sheet || (sheet.added.size === 0 && sheet.updated.size === 0)) return;
      this.enqueue(instance, documentName, rowsLackingSystemFields(workbook, rowsToCheckForSystemFields(workbook, sheetId, sheet)));
    });
    // Rows stored without a number (e.g. the server stopped before writing it) get one now.
    this.enqueue(instance, documentName, rowsLackingSystemFields(workbook));
  }

  /** Resolves once no numbering job is running (called before shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  private enqueue(instance: Hocuspocus, documentName: string, rowIds: readonly RowId[]): void {
    if (rowIds.length === 0) return;
    const queue = this.queued.get(documentName) ?? new Set<RowId>();
    for (const rowId of rowIds) queue.add(rowId);
    this.queued.set(documentName, queue);
    if (this.running.has(documentName)) return;
    // Never awaited by the hook that enqueued: afterLoadDocument awaiting a direct connection to
    // the document still loading would deadlock.
    const job = this.drain(instance, documentName).finally(() => this.running.delete(documentName));
    this.running.set(documentName, job);
  }

  private async drain(instance: Hocuspocus, documentName: string): Promise<void> {
    for (let queue = this.queued.get(documentName); queue && queue.size > 0; queue = this.queued.get(documentName)) {
      this.queued.delete(documentName);
      try {
        await this.number(instance, documentName, [...queue]);
      } catch (error) {
        // The rows stay unnumbered until they are touched again or the document is next loaded.
        this.configuration.logger.error({ err: error, documentName, rows: queue.size }, "assigning case numbers failed");
      }
    }
  }

  private async number(instance: Hocuspocus, documentName: string, rowIds: readonly RowId[]): Promise<void> {
    const allocated = await this.configuration.store.allocateCaseNumbers(documentName, rowIds);
    const numbers = new Map<RowId, number>(rowIds.map((rowId, i) => [rowId, allocated[i] as number]));
    const connection = await instance.openDirectConnection(documentName, CASE_NUMBER_ACTOR);
    try {
      await connection.transact((document) => {
        const workbook = openWorkbook(document);
        for (const [rowId, number] of numbers) fillSystemFields(workbook, rowId, number);
      });
    } finally {
      // Keep the document warm; its store is debounced like any edit's.
      await connection.disconnect({ unloadImmediately: false });
    }
  }
}
