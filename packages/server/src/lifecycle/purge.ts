import type { Document, Hocuspocus } from "@hocuspocus/server";
import { type RowId, type SheetId, type Workbook, openWorkbook } from "@huzhu/schema";
import type { Logger } from "pino";
import * as Y from "yjs";
import { type ServerWriteContext, systemWrite } from "../history/attribution.ts";
import { withDocument } from "../history/documents.ts";
import { openWorkbookState } from "../history/workbook-state.ts";
import type { AuditStore } from "../storage/audit-store.ts";
import { type LifecycleStore, type PurgeJob, PurgeScope } from "../storage/lifecycle-store.ts";
import type { VersionStore } from "../storage/version-store.ts";

/** One row to purge. */
export interface PurgeTarget {
  readonly sheetId: SheetId;
  readonly rowId: RowId;
  readonly scope: PurgeScope;
}

/** What a purge did. */
export interface PurgeResult {
  readonly rows: number;
  /** Private cells deleted from the live workbook. */
  readonly cells: number;
  /** Stored versions re-encoded without the values. */
  readonly versionsRewritten: number;
  /** Audit entries whose values were erased. */
  readonly auditEntriesErased: number;
  /** Wall-clock time of the whole purge, scrubbing included. */
  readonly ms: number;
}

/** What a purge needs from the rest of the server. */
export interface PurgeDependencies {
  /** The Hocuspocus instance (created after the extensions that purge). */
  readonly hocuspocus: () => Hocuspocus;
  readonly lifecycleStore: LifecycleStore;
  readonly versionStore: VersionStore;
  readonly auditStore: AuditStore;
  /** The persistence extension: re-encodes a document into storage, dropping its log. */
  readonly persistence: { rewrite(document: Document): Promise<void> };
  /** Resolves once audit entries collected so far are written (they may hold the values). */
  readonly auditFlushed: () => Promise<void>;
  /** Resolves once automatic versions of the workbook being saved are written. */
  readonly versionsSettled: (workbookId: string) => Promise<void>;
  readonly logger: Logger;
  readonly now: () => Date;
  /** VACUUM the database after each purge (see docs/durability-and-privacy.md). Default true. */
  readonly vacuum?: boolean;
}

/** Ids of a sheet's private columns whose values a purge erases (server-written columns stay). */
function privateColumnIds(workbook: Workbook, sheetId: SheetId): string[] {
  const sheet = workbook.findSheet(sheetId);
  return sheet ? sheet.columns.filter((column) => column.private && column.system === null).map((column) => column.id) : [];
}

function hasPrivateValues(workbook: Workbook, target: PurgeTarget): boolean {
  const row = workbook.findSheet(target.sheetId) && workbook.findRow(target.sheetId, target.rowId);
  if (!row) return false;
  if (target.scope === PurgeScope.row) return true;
  return privateColumnIds(workbook, target.sheetId).some((id) => {
    const value = row.cells[id];
    return value !== null && value !== undefined && value !== "";
  });
}

/**
 * Applies the targets to a workbook; returns how many private cells were deleted. The live
 * workbook marks every existing target row purged (so retention considers it done); a stored
 * version is only touched where there is something to delete.
 */
function purgeIn(workbook: Workbook, targets: readonly PurgeTarget[], { live }: { live: boolean }): number {
  let cells = 0;
  workbook.transact(() => {
    for (const target of targets) {
      const exists = workbook.findSheet(target.sheetId) !== undefined && workbook.findRow(target.sheetId, target.rowId) !== undefined;
      if (live ? !exists : !hasPrivateValues(workbook, target)) continue;
      if (target.scope === PurgeScope.row) workbook.purgeRow(target.sheetId, target.rowId);
      else cells += workbook.purgePrivateCells(target.sheetId, target.rowId).length;
    }
  });
  return cells;
}

/**
 * Erases rows' private values (or whole removed rows) from everything the server stores:
 *
 * 1. the live document, through a direct connection (an ordinary Yjs change, so connected
 *    clients converge on it); Yjs garbage-collects the deleted values at once;
 * 2. storage: the document re-encoded from that garbage-collected state replaces the snapshot,
 *    its previous generation and the whole log (never merged: merging keeps deleted content);
 * 3. every stored version: loaded, purged the same way, re-encoded;
 * 4. the audit log: values erased, "changed by X at T" kept;
 * 5. the files: freed pages were zeroed as they were freed (`secure_delete`); VACUUM and a
 *    truncating WAL checkpoint remove the last copies.
 *
 * Each purge is recorded first and removed once all five are done; `resume` finishes any that a
 * crash interrupted. Every step can run again without harm.
 */
export class PurgeService {
  private readonly deps: PurgeDependencies;
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(deps: PurgeDependencies) {
    this.deps = deps;
  }

  /** Purges rows of one workbook; purges of the same workbook run one after another. */
  purge(workbookId: string, targets: readonly PurgeTarget[], context: ServerWriteContext = systemWrite("purge")): Promise<PurgeResult> {
    const createdAt = this.deps.now().toISOString();
    return this.serialized(workbookId, async () => {
      const jobs = await this.deps.lifecycleStore.addPurgeJobs(targets.map((target) => ({ workbookId, ...target, createdAt })));
      return this.run(workbookId, jobs, context);
    });
  }

  /** Finishes purges a crash interrupted (called at start). */
  async resume(): Promise<void> {
    const byWorkbook = new Map<string, PurgeJob[]>();
    for (const job of await this.deps.lifecycleStore.pendingPurgeJobs()) {
      byWorkbook.set(job.workbookId, [...(byWorkbook.get(job.workbookId) ?? []), job]);
    }
    for (const [workbookId, jobs] of byWorkbook) {
      try {
        await this.serialized(workbookId, () => this.run(workbookId, jobs, systemWrite("purge")));
        this.deps.logger.info({ workbookId, rows: jobs.length }, "finished purges interrupted by a restart");
      } catch (error) {
        this.deps.logger.error({ err: error, workbookId }, "finishing interrupted purges failed; retried at the next start");
      }
    }
  }

  /** Resolves once no purge is running. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  private serialized<T>(workbookId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.running.get(workbookId) ?? Promise.resolve();
    const job = previous.then(fn);
    const settled: Promise<unknown> = job
      .catch(() => {})
      .finally(() => {
        if (this.running.get(workbookId) === settled) this.running.delete(workbookId);
      });
    this.running.set(workbookId, settled);
    return job;
  }

  private async run(workbookId: string, jobs: readonly PurgeJob[], context: ServerWriteContext): Promise<PurgeResult> {
    const started = performance.now();
    const { persistence, versionStore, auditStore, lifecycleStore } = this.deps;
    const targets: PurgeTarget[] = jobs.map((job) => ({ sheetId: job.sheetId as SheetId, rowId: job.rowId as RowId, scope: job.scope }));
    let privateKeys = new Map<string, string[]>();
    const cells = await withDocument(this.deps.hocuspocus(), workbookId, context, async (connection, document) => {
      let deleted = 0;
      await connection.transact((doc) => {
        const workbook = openWorkbook(doc, { now: this.deps.now });
        privateKeys = new Map(targets.map((target) => [target.sheetId, privateColumnIds(workbook, target.sheetId)]));
        deleted = purgeIn(workbook, targets, { live: true });
      });
      await persistence.rewrite(document);
      return deleted;
    });

    await this.deps.versionsSettled(workbookId);
    const versionsRewritten = await versionStore.rewriteVersions(workbookId, (state) => {
      const workbook = openWorkbookState(state, { now: this.deps.now });
      try {
        if (!targets.some((target) => hasPrivateValues(workbook, target))) return null;
        purgeIn(workbook, targets, { live: false });
        return Y.encodeStateAsUpdate(workbook.ydoc);
      } finally {
        workbook.ydoc.destroy();
      }
    });

    // The purge's own transaction produced entries holding the old values: write them, then erase.
    await this.deps.auditFlushed();
    let auditEntriesErased = 0;
    for (const job of jobs) {
      const keys = job.scope === PurgeScope.row ? null : (privateKeys.get(job.sheetId) ?? []);
      auditEntriesErased += await auditStore.eraseRowValues(workbookId, job.sheetId, job.rowId, keys);
    }

    await lifecycleStore.scrubFreedSpace({ vacuum: this.deps.vacuum ?? true });
    await lifecycleStore.finishPurgeJobs(jobs.map((job) => job.id));
    const result = { rows: jobs.length, cells, versionsRewritten, auditEntriesErased, ms: Math.round(performance.now() - started) };
    this.deps.logger.info({ workbookId, ...result }, "purged private data");
    return result;
  }
}
