import type { Document, Hocuspocus } from "@hocuspocus/server";
import { openWorkbook } from "@huzhu/schema";
import * as Y from "yjs";
import { type VersionInfo, VersionKind, type VersionStore } from "../storage/version-store.ts";
import type { ServerWriteContext } from "./attribution.ts";
import { withDocument } from "./documents.ts";
import { type RestoreScope, type RestoreSummary, restoreFromVersion } from "./restore.ts";
import { type WorkbookView, openWorkbookState, viewWorkbook } from "./workbook-state.ts";

/** What the version routes need. */
export interface VersionServiceDependencies {
  readonly hocuspocus: Hocuspocus;
  readonly store: VersionStore;
  /** Whether a document's writes reached storage (the persistence extension). */
  readonly whenStored: (document: Document) => Promise<boolean>;
  readonly now: () => Date;
}

/** A past version as a client renders it read-only. */
export interface VersionView {
  readonly version: VersionInfo;
  readonly workbook: WorkbookView;
}

/** Answer of a restore. */
export interface RestoreResult extends RestoreSummary {
  /** The version saved just before the restore, to undo it. */
  readonly beforeRestore: VersionInfo;
}

/** A stored write failed to reach storage; the caller answers 503. */
export class NotStoredError extends Error {
  override readonly name = "NotStoredError";
}

/** Named versions, views of past versions and restores, over the live documents and the version store. */
export class VersionService {
  private readonly deps: VersionServiceDependencies;

  constructor(deps: VersionServiceDependencies) {
    this.deps = deps;
  }

  /** Saves the workbook as it is now under `name`. */
  saveNamed(workbookId: string, name: string, createdBy: string): Promise<VersionInfo> {
    return withDocument(this.deps.hocuspocus, workbookId, { actor: createdBy, purpose: "version" }, (_connection, document) =>
      this.deps.store.saveVersion({
        workbookId,
        kind: VersionKind.named,
        name,
        createdBy,
        createdAt: this.deps.now().toISOString(),
        state: Y.encodeStateAsUpdate(document),
      }),
    );
  }

  list(workbookId: string): Promise<VersionInfo[]> {
    return this.deps.store.listVersions(workbookId);
  }

  /** A past version as plain data, or undefined when the workbook has no such version. */
  async view(workbookId: string, versionId: number): Promise<VersionView | undefined> {
    const stored = await this.deps.store.loadVersion(workbookId, versionId);
    if (!stored) return undefined;
    const { state: _state, checksum: _checksum, ...version } = stored;
    const workbook = openWorkbookState(stored.state);
    try {
      return { version, workbook: viewWorkbook(workbook) };
    } finally {
      workbook.ydoc.destroy();
    }
  }

  /**
   * Restores the whole workbook, a sheet or a row from a version, as new changes made through a
   * direct connection (origin context: actor `system:restore`, requested by `requestedBy`), after
   * saving the current state as a `before-restore` version. Undefined when there is no such version.
   */
  async restore(workbookId: string, versionId: number, scope: RestoreScope, requestedBy: string): Promise<RestoreResult | undefined> {
    const stored = await this.deps.store.loadVersion(workbookId, versionId);
    if (!stored) return undefined;
    const past = openWorkbookState(stored.state);
    const context: ServerWriteContext = { actor: "system:restore", purpose: "restore", requestedBy };
    try {
      return await withDocument(this.deps.hocuspocus, workbookId, context, async (connection, document) => {
        const beforeRestore = await this.deps.store.saveVersion({
          workbookId,
          kind: VersionKind.beforeRestore,
          name: `v${versionId}`,
          createdBy: requestedBy,
          createdAt: this.deps.now().toISOString(),
          state: Y.encodeStateAsUpdate(document),
        });
        let summary: RestoreSummary | undefined;
        await connection.transact((doc) => {
          summary = restoreFromVersion(openWorkbook(doc, { now: this.deps.now }), past, scope);
        });
        if (!(await this.deps.whenStored(document))) throw new NotStoredError("the restore could not be stored");
        return { ...(summary as RestoreSummary), beforeRestore };
      });
    } finally {
      past.ydoc.destroy();
    }
  }
}
