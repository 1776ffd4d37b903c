import type { Extension, Hocuspocus, afterLoadDocumentPayload, afterUnloadDocumentPayload, onDestroyPayload } from "@hocuspocus/server";
import { type Row, type RowId, type SheetId, isDueForPurge, isRowClosed, observeWorkbook, openWorkbook } from "@huzhu/schema";
import type { Logger } from "pino";
import { systemWrite } from "../history/attribution.ts";
import { withDocument } from "../history/documents.ts";
import { type LifecycleStore, PurgeScope } from "../storage/lifecycle-store.ts";
import { DueTimes } from "./due-times.ts";
import type { PurgeService } from "./purge.ts";
import { isPublicDocumentName } from "../collab/document-names.ts";

/** How long after a workbook loads its whole sheet is checked against the retention policy. */
const LOAD_CHECK_DELAY_MS = 2_000;

/** Configuration of the retention extension. */
export interface RetentionConfiguration {
  readonly store: LifecycleStore;
  readonly purge: PurgeService;
  readonly logger: Logger;
  /** Clock of closing stamps and due dates (tests move it forward). */
  readonly now?: () => Date;
  /** How often workbooks with rows due are looked for, in ms. Default 10 min. */
  readonly checkEveryMs?: number;
}

/** What the server writes as itself for retention. */
const RETENTION_WRITE = systemWrite("retention");

/**
 * Carries out each workbook's retention policy (`meta.retention`, e.g. private cells of requests
 * resolved or closed 7 days ago are purged):
 *
 * - stamps a row's `closedAt` when its status enters a closed option and clears it when the row
 *   is reopened (server writes, origin context actor "system", purpose "retention");
 * - purges the private cells of rows that are due, when the workbook is loaded and whenever a
 *   periodic sweep finds a workbook whose next due time (kept in the lifecycle store, so unloaded
 *   workbooks are found too) has come;
 * - when a row is removed from a workbook for good, erases it from every stored copy (scope "row").
 */
export class Retention implements Extension {
  readonly extensionName = "huzhu-retention";
  private readonly configuration: RetentionConfiguration;
  private readonly now: () => Date;
  private instance: Hocuspocus | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Rows waiting to be checked, per workbook ("all" after a load or a policy change). */
  private readonly queued = new Map<string, Set<RowId> | "all">();
  private readonly running = new Map<string, Promise<void>>();
  /** Rows waiting for a purge, per loaded workbook. */
  private readonly dueTimes = new Map<string, DueTimes>();
  private sweeping: Promise<void> | undefined;
  private stopped = false;

  constructor(configuration: RetentionConfiguration) {
    this.configuration = configuration;
    this.now = configuration.now ?? (() => new Date());
  }

  /** Starts the periodic sweep and finishes purges a crash interrupted. */
  start(instance: Hocuspocus): void {
    this.instance = instance;
    this.timer = setInterval(() => void this.sweep(), this.configuration.checkEveryMs ?? 10 * 60_000);
    this.timer.unref();
    this.sweeping = this.configuration.purge.resume().then(() => this.sweep());
  }

  async afterLoadDocument({ document, documentName, instance }: afterLoadDocumentPayload): Promise<void> {
    // A public projection drops rows as they stop being public; that is not a purge (audiences.md).
    if (isPublicDocumentName(documentName)) return;
    this.instance ??= instance;
    const workbook = openWorkbook(document);
    observeWorkbook(document, (changes) => {
      const policy = workbook.readMeta().retention;
      if (changes.metaChanged) {
        this.enqueue(documentName, "all");
        return;
      }
      for (const [sheetId, sheet] of changes.bySheet) {
        if (sheet.removed.size > 0) {
          const targets = [...sheet.removed].map((rowId) => ({ sheetId, rowId, scope: PurgeScope.row }));
          this.configuration.purge.purge(documentName, targets, RETENTION_WRITE).catch((error: unknown) => {
            this.configuration.logger.error({ err: error, documentName }, "erasing a removed row from storage failed");
          });
        }
        if (!policy || sheetId !== policy.sheetId) continue;
        const touched = [...sheet.added, ...[...sheet.updated].filter(([, keys]) => keys.has(policy.statusColumnId)).map(([id]) => id)];
        if (touched.length > 0) this.enqueue(documentName, touched);
      }
    });
    // Not awaited: the work opens a direct connection to this document, still loading. Deferred:
    // retention counts in days, and reading every row must not hold up the syncs of the people
    // who just opened the workbook.
    setTimeout(() => this.enqueue(documentName, "all"), LOAD_CHECK_DELAY_MS).unref();
  }

  /** Checks every workbook whose next due time has come (and is run periodically). */
  async sweep(): Promise<void> {
    try {
      for (const workbookId of await this.configuration.store.dueRetentionChecks(this.now().toISOString())) {
        this.enqueue(workbookId, "all");
      }
    } catch (error) {
      this.configuration.logger.error({ err: error }, "looking for rows due for purge failed");
    }
    await this.idle();
  }

  /** Resolves once no check is running. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /** Starts nothing new; resolves once the checks and purges under way are done. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.queued.clear();
    await this.sweeping;
    await this.idle();
    await this.configuration.purge.idle();
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    // Another instance may change the workbook while this one does not hold it.
    this.dueTimes.delete(documentName);
  }

  async onDestroy(_payload: onDestroyPayload): Promise<void> {
    await this.stop();
  }

  private enqueue(workbookId: string, rows: readonly RowId[] | "all"): void {
    if (this.stopped) return;
    const queued = this.queued.get(workbookId);
    if (rows === "all" || queued === "all") this.queued.set(workbookId, "all");
    else this.queued.set(workbookId, new Set([...(queued ?? []), ...rows]));
    if (this.running.has(workbookId) || !this.instance) return;
    const job = this.drain(this.instance, workbookId).finally(() => this.running.delete(workbookId));
    this.running.set(workbookId, job);
  }

  private async drain(instance: Hocuspocus, workbookId: string): Promise<void> {
    for (let rows = this.queued.get(workbookId); rows; rows = this.queued.get(workbookId)) {
      this.queued.delete(workbookId);
      try {
        await this.check(instance, workbookId, rows);
      } catch (error) {
        // Retried at the next change, load or sweep.
        this.configuration.logger.error({ err: error, workbookId }, "applying the retention policy failed");
      }
    }
  }

  private async check(instance: Hocuspocus, workbookId: string, rowIds: ReadonlySet<RowId> | "all"): Promise<void> {
    const due = await withDocument(instance, workbookId, RETENTION_WRITE, async (connection, document) => {
      const workbook = openWorkbook(document);
      const policy = workbook.readMeta().retention;
      if (!policy || !workbook.findSheet(policy.sheetId)) {
        this.dueTimes.delete(workbookId);
        return [];
      }
      const sheetId = policy.sheetId as SheetId;
      const known = rowIds === "all" ? undefined : this.dueTimes.get(workbookId);
      // Without due times from an earlier full check (after a load), the whole sheet is read.
      const ids = known && rowIds !== "all" ? [...rowIds] : undefined;
      const read = () =>
        ids ? ids.flatMap((rowId) => workbook.findRow(sheetId, rowId) ?? []) : workbook.listRows(sheetId, { includeDeleted: true });
      const now = this.now();
      const stamps = read().flatMap((row): { rowId: RowId; at: Date | null }[] => {
        const closed = isRowClosed(policy, row);
        if (closed && row.closedAt === null) return [{ rowId: row.id, at: now }];
        if (!closed && row.closedAt !== null) return [{ rowId: row.id, at: null }];
        return [];
      });
      if (stamps.length > 0) {
        await connection.transact((doc) => {
          const writer = openWorkbook(doc);
          for (const { rowId, at } of stamps) writer.stampClosed(sheetId, rowId, at);
        });
      }
      const dueTimes = known ?? new DueTimes();
      const rows = read();
      dueTimes.update(
        policy,
        rows,
        ids?.filter((rowId) => !rows.some((row) => row.id === rowId)),
      );
      this.dueTimes.set(workbookId, dueTimes);
      const next = rowIds === "all" ? { at: dueTimes.next() } : dueTimes.unstoredNext();
      if (next) {
        await this.configuration.store.setNextRetentionCheck(workbookId, next.at === null ? null : new Date(next.at).toISOString());
        dueTimes.markStored(next.at);
      }
      // A row purged before (e.g. with a clock set back since) is only purged again if it holds private values.
      const privateIds = workbook
        .readSheet(sheetId)
        .columns.filter((column) => column.private && column.system === null)
        .map((column) => column.id);
      const holdsPrivate = (row: Row) => privateIds.some((id) => row.cells[id] !== null && row.cells[id] !== "");
      return dueTimes
        .dueBy(now)
        .flatMap((rowId) => workbook.findRow(sheetId, rowId) ?? [])
        .filter((row) => isDueForPurge(policy, row, now) && (row.purgedAt === null || holdsPrivate(row)))
        .map((row) => ({ sheetId, rowId: row.id, scope: PurgeScope.privateCells }));
    });
    if (due.length === 0) return;
    await this.configuration.purge.purge(workbookId, due, RETENTION_WRITE);
    // Purged rows are no longer due; the next check time follows from what is left.
    this.enqueue(
      workbookId,
      due.map((target) => target.rowId),
    );
  }
}
