import type { Document, Extension, afterLoadDocumentPayload, beforeUnloadDocumentPayload, onDestroyPayload } from "@hocuspocus/server";
import type { Logger } from "pino";
import * as Y from "yjs";
import { VersionKind, type VersionStore } from "../storage/version-store.ts";
import { isPublicDocumentName } from "../collab/document-names.ts";

/** When automatic versions are saved, and how many are kept. */
export interface VersionPolicy {
  /** Save a version this long after the first change since the last one (while edited). Default 10 min. */
  readonly everyMs: number;
  /** Save a version once this many changes were made since the last one. Default 5,000. */
  readonly everyUpdates: number;
  /**
   * Never save automatic versions closer together than this, however busy the sheet: with
   * hundreds of editors, `everyUpdates` alone would fill the kept versions within minutes.
   * Default 1 min.
   */
  readonly minIntervalMs: number;
  /** Automatic versions kept per workbook (the oldest go first; named ones are always kept). Default 50. */
  readonly keepAuto: number;
}

/** Defaults of `VersionPolicy`. */
export const DEFAULT_VERSION_POLICY: VersionPolicy = { everyMs: 10 * 60_000, everyUpdates: 5000, minIntervalMs: 60_000, keepAuto: 50 };

/** Configuration of the automatic versions extension. */
export interface AutoVersionsConfiguration {
  readonly store: VersionStore;
  readonly logger: Logger;
  readonly policy?: Partial<VersionPolicy>;
  /** Clock for the versions' times. */
  readonly now?: () => Date;
  /** The state a version keeps; default the in-memory document, encoded on the event loop. */
  readonly stateOf?: (document: Document) => Promise<Uint8Array>;
}

interface DocVersions {
  /** Changes since the last version. */
  changes: number;
  timer: NodeJS.Timeout | undefined;
  /** When the timer fires (ms since the epoch). */
  timerAt: number;
  /** When the last automatic version was started, or the workbook loaded (ms since the epoch). */
  savedAt: number;
}

/**
 * Saves automatic versions of every loaded workbook: `everyMs` after the first change that
 * follows a version, as soon as `everyUpdates` changes piled up, and when the document is
 * unloaded with changes not yet in a version (the end of an editing session). A version is the
 * whole state as stored when the save runs (`stateOf`: the persistence extension encodes it off
 * the event loop); a purge waits for saves under way (`settled`) before it rewrites the stored
 * versions, so none escapes it.
 */
export class AutoVersions implements Extension {
  readonly extensionName = "huzhu-versions";
  private readonly configuration: AutoVersionsConfiguration;
  private readonly policy: VersionPolicy;
  private readonly now: () => Date;
  private readonly docs = new Map<Document, DocVersions>();
  /** Saves under way, per workbook; purge waits for them. */
  private readonly saving = new Map<string, Promise<void>>();

  constructor(configuration: AutoVersionsConfiguration) {
    this.configuration = configuration;
    this.policy = { ...DEFAULT_VERSION_POLICY, ...configuration.policy };
    this.now = configuration.now ?? (() => new Date());
  }

  async afterLoadDocument({ document }: afterLoadDocumentPayload): Promise<void> {
    // A public projection is derived and never stored, in versions neither (audiences.md).
    if (isPublicDocumentName(document.name)) return;
    // Counted from the load: a workbook opened into a burst of edits is not versioned at once.
    const state: DocVersions = { changes: 0, timer: undefined, timerAt: 0, savedAt: Date.now() };
    this.docs.set(document, state);
    // Registered after loading: the replay from storage is not a change.
    document.on("update", () => {
      state.changes += 1;
      const now = Date.now();
      const due =
        state.changes >= this.policy.everyUpdates ? Math.max(now, state.savedAt + this.policy.minIntervalMs) : now + this.policy.everyMs;
      if (state.timer && state.timerAt <= due) return;
      clearTimeout(state.timer);
      state.timerAt = due;
      state.timer = setTimeout(() => void this.save(document), due - now);
      state.timer.unref();
    });
  }

  async beforeUnloadDocument({ document }: beforeUnloadDocumentPayload): Promise<void> {
    await this.save(document);
    const state = this.docs.get(document);
    if (state?.timer) clearTimeout(state.timer);
    this.docs.delete(document);
  }

  /** Resolves once no automatic version of the workbook is being saved. */
  async settled(workbookId: string): Promise<void> {
    await this.saving.get(workbookId);
  }

  async onDestroy(_payload: onDestroyPayload): Promise<void> {
    for (const state of this.docs.values()) if (state.timer) clearTimeout(state.timer);
    await Promise.allSettled([...this.saving.values()]);
  }

  private save(document: Document): Promise<void> {
    const state = this.docs.get(document);
    if (!state || state.changes === 0 || document.isDestroyed) return Promise.resolve();
    if (state.timer) clearTimeout(state.timer);
    state.timer = undefined;
    state.savedAt = Date.now();
    const changes = state.changes;
    state.changes = 0;
    const createdAt = this.now().toISOString();
    const stateOf = this.configuration.stateOf ?? (async (doc: Document) => Y.encodeStateAsUpdate(doc));
    const previous = this.saving.get(document.name) ?? Promise.resolve();
    const job = previous
      .then(async () => {
        const version = { workbookId: document.name, kind: VersionKind.auto, name: null, createdBy: "system", createdAt };
        await this.configuration.store.saveVersion({ ...version, state: await stateOf(document) }, this.policy.keepAuto);
      })
      .then(
        () => undefined,
        (error: unknown) => {
          // The changes count again, so the next trigger tries once more.
          state.changes += changes;
          this.configuration.logger.error({ err: error, documentName: document.name }, "saving an automatic version failed");
        },
      )
      .finally(() => {
        if (this.saving.get(document.name) === job) this.saving.delete(document.name);
      });
    this.saving.set(document.name, job);
    return job;
  }
}
