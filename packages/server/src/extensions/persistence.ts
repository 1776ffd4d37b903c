import type {
  Document,
  Extension,
  beforeSyncPayload,
  beforeUnloadDocumentPayload,
  onLoadDocumentPayload,
  onStoreDocumentPayload,
} from "@hocuspocus/server";
import type { Logger } from "pino";
import * as Y from "yjs";
import { CollabCloseCode, CollabRefusal } from "../collab/context.ts";
import { isPublicDocumentName } from "../collab/document-names.ts";
import { gateAcknowledgements } from "../collab/held-acks.ts";
import type { DocStore, StoredPreviews } from "../storage/doc-store.ts";
import { matchesChecksum } from "../storage/integrity.ts";
import { UnrecoverableDocumentError, recoverDocument } from "../storage/recover-document.ts";
import type { StateEncoder } from "../storage/state-encoder.ts";
import type { StorageHealth } from "../storage/storage-health.ts";

/** Configuration of the persistence extension. */
export interface PersistenceConfiguration {
  readonly store: DocStore;
  readonly logger: Logger;
  /** Compact (snapshot + truncate the log) once this many updates were appended since the last compaction. */
  readonly compactAfterUpdates?: number;
  /** Where documents that loaded with damaged entries left out are reported. */
  readonly health?: StorageHealth;
  /** Encodes compactions off the event loop; without one, the in-memory document is encoded. Closed on destroy. */
  readonly encoder?: StateEncoder;
  /** Makes the editor previews a compaction stores (preview/editor-preview.ts), if any. */
  readonly previews?: (document: Y.Doc) => Promise<StoredPreviews>;
}

interface DocState {
  /** The highest log sequence number this instance loaded or appended for the document. */
  lastSeq: number;
  /** Updates applied since the last compaction (appended, or not if the append failed). */
  sinceCompaction: number;
  /** An update is in memory that neither the log nor a snapshot holds (its append failed). */
  unstored: boolean;
  /** Appends that failed so far; a compaction clears `unstored` only if none failed after it began. */
  failures: number;
  /** Appends still under way; they never reject. */
  pending: Set<Promise<void>>;
  /** The compaction under way, if any. */
  compaction: Promise<void> | undefined;
}

/** What a compaction stores, captured at one moment. */
interface CapturedState {
  readonly state: Uint8Array;
  /** What `state` contains. */
  readonly contents: Y.Snapshot;
  /** The highest log sequence number `state` contains. */
  readonly uptoSeq: number;
  /** Updates this compaction accounts for (`DocState.sinceCompaction`). */
  readonly counted: number;
  /** `DocState.failures` when captured. */
  readonly failures: number;
}

/**
 * Updates after which a document being edited is compacted anyway. Compaction happens mostly when
 * edits settle (Hocuspocus' debounced store); this bounds the log under sustained editing. A
 * compaction rebuilds and encodes the whole workbook (in a worker, but on a 2-core machine it
 * still competes with the editors for CPU), so under a burst it should come rarely: 20,000 small
 * updates are a few MB of log and a fraction of a second of replay at load.
 */
const COMPACT_AFTER_UPDATES = 20_000;

/** y-protocols sync message types, as Hocuspocus passes them to beforeSync. */
const SyncType = { step1: 0, step2: 1, update: 2 } as const;

/** Origin of the transactions that replay storage into a document, so nothing re-appends them. */
const LOAD_ORIGIN = Symbol("huzhu-load");

/**
 * Runs `fn` with the document's `update` listeners set aside. Yjs encodes each transaction's update
 * for them: replaying storage, that is the whole workbook encoded once more (a quarter of a
 * second and 20 MB of garbage for 30,000 rows), for Hocuspocus to queue a broadcast to no one — a
 * loading document has no connection yet, and what loads is what every client syncs anyway.
 */
function withoutUpdateListeners<T>(document: Y.Doc, fn: () => T): T {
  const listeners = document._observers.get("update");
  document._observers.delete("update");
  try {
    return fn();
  } finally {
    if (listeners) document._observers.set("update", listeners);
  }
}

/**
 * Stores every update before it is acknowledged, and compacts in the background.
 *
 * Every change to a loaded document — from a client, a server-side write, or another instance
 * through Redis — is appended to the log from the document's `update` event. Hocuspocus applies
 * an incoming client update once every `beforeSync` hook has passed it and acknowledges it at
 * once; that acknowledgement is held (collab/held-acks.ts, set up by `storeBeforeAck`, the last
 * hook) until every append the document has under way has landed. So at each ack the whole
 * in-memory document is stored, whether the store groups appends per event-loop turn (SQLite) or
 * sends each over the network (PostgreSQL). If an append fails, the document's sockets are
 * closed and the ack never goes out.
 *
 * What is appended is the update Yjs encodes from the applied transaction, never the client's
 * bytes. Loading replays snapshot then log with the V1 decoder; any failure refuses the document
 * instead of serving (and later storing) an empty one over a good one.
 */
export class Persistence implements Extension {
  readonly extensionName = "huzhu-persistence";
  // Loads before other extensions' afterLoadDocument look at the content.
  readonly priority = 900;
  private readonly configuration: Required<Omit<PersistenceConfiguration, "health" | "encoder" | "previews">> &
    Pick<PersistenceConfiguration, "health" | "previews">;
  private readonly encoder: StateEncoder | undefined;
  private readonly docs = new WeakMap<Document, DocState>();
  /** Register this one too, after every other extension: it holds each acknowledgement until stored. */
  readonly storeBeforeAck: Extension;

  constructor(configuration: PersistenceConfiguration) {
    this.configuration = { ...configuration, compactAfterUpdates: configuration.compactAfterUpdates ?? COMPACT_AFTER_UPDATES };
    this.encoder = configuration.encoder;
    this.storeBeforeAck = new StoreBeforeAck((payload) => this.beforeApply(payload));
  }

  async onLoadDocument({ document, documentName }: onLoadDocumentPayload): Promise<void> {
    // Public projections are derived from their workbook and never stored (public-projection.ts).
    if (isPublicDocumentName(documentName)) return;
    const { store, logger } = this.configuration;
    let stored: Awaited<ReturnType<DocStore["loadDocument"]>>;
    try {
      stored = await store.loadDocument(documentName);
    } catch (error) {
      logger.error({ err: error, documentName }, "reading a document from storage failed");
      throw new CollabRefusal(CollabCloseCode.unavailable, "storage-failed");
    }
    // Auth only admits names of registered workbooks, which always have a snapshot; nothing
    // stored means the database lost it, and serving an empty document would overwrite it later.
    if (!stored) {
      logger.error({ documentName }, "a registered workbook has no stored document");
      throw new CollabRefusal(CollabCloseCode.unavailable, "document-missing");
    }
    // From the last good state: entries whose checksum fails (damaged, truncated) are left out
    // and reported; a document with no verifying snapshot is refused, never served empty.
    let report: ReturnType<typeof recoverDocument>;
    try {
      report = withoutUpdateListeners(document, () => recoverDocument(document, stored, LOAD_ORIGIN));
    } catch (error) {
      const damage = error instanceof UnrecoverableDocumentError ? error.damage : [];
      this.configuration.health?.record(documentName, { base: "refused", applied: 0, damage });
      logger.error({ err: error, documentName, damage }, "a stored document could not be decoded");
      throw new CollabRefusal(CollabCloseCode.unavailable, "document-unreadable");
    }
    if (report.damage.length > 0) {
      this.configuration.health?.record(documentName, report);
      logger.error(
        { documentName, base: report.base, applied: report.applied, damage: report.damage },
        "a stored document had damaged entries; loaded from the last good state without them",
      );
    }
    const { lastSeq } = report;
    const state: DocState = {
      lastSeq,
      sinceCompaction: report.applied + (report.base === "snapshot" ? 0 : 1),
      unstored: false,
      failures: 0,
      pending: new Set(),
      compaction: undefined,
    };
    this.docs.set(document, state);
    // Registered only now: the replay above is already on disk.
    document.on("update", (update: Uint8Array, origin: unknown) => this.append(document, state, update, origin));
  }

  /**
   * Resolves once the appends under way for a loaded document have finished: true when
   * everything applied to it is in storage (the log or a snapshot). A server-side writer awaits
   * this after its transaction before telling anyone the write is durable. After a failed append
   * it tries a compaction (as an incoming sync does), so a retried write succeeds once storage
   * is back; false while that fails.
   */
  async whenStored(document: Document): Promise<boolean> {
    const state = this.docs.get(document);
    if (!state) return false;
    if (state.pending.size > 0) await Promise.all(state.pending);
    return this.storedAgain(document, state);
  }

  /** True while everything a loaded document holds is in storage: no append under way, none lost. */
  holdsOnlyStored(document: Document): boolean {
    const state = this.docs.get(document);
    return state !== undefined && state.pending.size === 0 && !state.unstored;
  }

  /**
   * Replaces everything stored for a loaded document with its state re-encoded now (snapshot,
   * previous generation and the whole log), after any compaction under way. Purge calls this
   * right after deleting values: the live document has garbage-collected them, so the new
   * snapshot holds no trace of them, and no log entry that carried them survives.
   */
  async rewrite(document: Document): Promise<void> {
    const state = this.docs.get(document);
    if (!state || document.isDestroyed) throw new Error(`"${document.name}" is not loaded here`);
    while (state.compaction) await state.compaction.catch(() => {});
    if (state.pending.size > 0) await Promise.all(state.pending);
    const uptoSeq = state.lastSeq;
    const counted = state.sinceCompaction;
    const failures = state.failures;
    await this.configuration.store.rewriteDocument(document.name, Y.encodeStateAsUpdate(document), uptoSeq);
    state.sinceCompaction -= counted;
    if (state.failures === failures) state.unstored = false;
  }

  /**
   * Appends what a transaction changed. Updates relayed by another instance (Redis) are appended
   * too, although their origin stores them: a client reconnecting here may resend one, and it
   * must not be acknowledged before it is stored somewhere this instance can vouch for.
   */
  private append(document: Document, state: DocState, update: Uint8Array, origin: unknown): void {
    if (origin === LOAD_ORIGIN) return;
    // Counted even when the append fails: the update is in memory now, and a client resending it
    // would not change the document again, so only a compaction can still store it.
    state.sinceCompaction += 1;
    const write: Promise<void> = this.configuration.store
      .appendUpdate(document.name, update)
      .then(
        (seq) => {
          state.lastSeq = Math.max(state.lastSeq, seq);
        },
        (error: unknown) => this.appendFailed(document, state, error),
      )
      .finally(() => state.pending.delete(write));
    state.pending.add(write);
    if (state.sinceCompaction >= this.configuration.compactAfterUpdates) {
      // Not inside the update event: encoding the whole state there would stall this message.
      setImmediate(() => void this.compact(document).catch(() => {}));
    }
  }

  private appendFailed(document: Document, state: DocState, error: unknown): void {
    this.configuration.logger.error({ err: error, documentName: document.name }, "appending an update failed; closing its connections");
    state.failures += 1;
    state.unstored = true;
    this.refuseUnstored(document);
  }

  /**
   * Closes every socket on a document whose update could not be stored. Closing is synchronous in
   * `ws` (readyState becomes CLOSING), and Hocuspocus sends nothing on a closing socket, so the
   * sender never receives the ack and keeps the edit to resend after reconnecting. Throwing
   * instead would unwind through Yjs' transaction cleanup and leave the document inconsistent.
   */
  private refuseUnstored(document: Document): void {
    for (const connection of document.getConnections()) {
      connection.webSocket.close(CollabCloseCode.unavailable, "storage-failed");
    }
  }

  /**
   * Runs last among the beforeSync hooks (StoreBeforeAck), once every check has passed. Hocuspocus
   * then applies the message (with the V1 decoder, under the connection's origin) and sends its
   * acknowledgement, which waits until everything the document holds is stored
   * (`acknowledgeable`). A document already holding an update whose append failed takes nothing
   * more until a compaction has stored it: the connection is refused instead.
   */
  private async beforeApply({ document, connection, type }: beforeSyncPayload): Promise<void> {
    const state = this.docs.get(document);
    if (!state) return;
    gateAcknowledgements(connection, () => this.acknowledgeable(document));
    if (!state.unstored || !(type === SyncType.step2 || type === SyncType.update) || connection.readOnly) return;
    if (await this.storedAgain(document, state)) return;
    // Closing the sockets, not just this document, makes providers retry with backoff.
    this.refuseUnstored(document);
    throw new CollabRefusal(CollabCloseCode.unavailable, "storage-failed");
  }

  /**
   * When an acknowledgement may go out (gateAcknowledgements): at once while nothing is under way,
   * else once every append under way has landed, or not at all while an update stays unstored —
   * a client resending it would not change the document (so nothing would be appended), yet
   * would be acknowledged; its sockets are closed (appendFailed) and it keeps the edit to resend.
   */
  private acknowledgeable(document: Document): Promise<boolean> | undefined {
    if (this.holdsOnlyStored(document)) return undefined;
    return this.whenStored(document).then((stored) => {
      if (!stored) this.refuseUnstored(document);
      return stored;
    });
  }

  /** True when nothing in memory is missing from storage, after a compaction if one was. */
  private async storedAgain(document: Document, state: DocState): Promise<boolean> {
    if (!state.unstored) return true;
    await this.compact(document).catch(() => {});
    return !state.unstored;
  }

  /**
   * Snapshots a loaded document and truncates its log, if anything was applied since the last
   * time. Hocuspocus calls it debounced after changes and when the last client leaves.
   */
  async onStoreDocument({ document }: onStoreDocumentPayload): Promise<void> {
    await this.compact(document);
  }

  /** Runs after every document unloaded (shutdown.ts). */
  async onDestroy(): Promise<void> {
    await this.encoder?.close();
  }

  /**
   * Lets appends under way finish, then compacts if needed. A document holding an update that is
   * neither logged nor in a snapshot stays in memory (throwing makes Hocuspocus skip the unload).
   */
  async beforeUnloadDocument({ document }: beforeUnloadDocumentPayload): Promise<void> {
    const state = this.docs.get(document);
    if (state && state.pending.size > 0) await Promise.all(state.pending);
    await this.compact(document);
    if (state?.unstored) throw new Error(`"${document.name}" holds an update that is not stored; keeping it in memory`);
  }

  /**
   * The document's whole state as stored (or, see capture, as in memory), for a version: encoded
   * off the event loop like a compaction's.
   */
  async storedState(document: Document): Promise<Uint8Array> {
    const state = this.docs.get(document);
    if (!state) return Y.encodeStateAsUpdate(document);
    if (state.pending.size > 0) await Promise.allSettled(state.pending);
    if (state.compaction) await state.compaction.catch(() => {});
    if (this.encoder && !state.unstored && state.sinceCompaction === 0) {
      // Right after a compaction (as when a workbook unloads) the stored snapshot is the whole
      // state: no need to rebuild it.
      const stored = await this.configuration.store.loadDocument(document.name);
      const snapshot = stored?.snapshot;
      const logAfter = stored?.updates.some(({ seq }) => seq > stored.snapshotSeq);
      if (stored && snapshot && !logAfter && matchesChecksum(snapshot, stored.snapshotChecksum)) return snapshot;
    }
    return (await this.capture(document, state)).state;
  }

  /**
   * The state a compaction stores, with what it contains and up to which log entry. Normally
   * rebuilt from storage in a worker thread (StateEncoder), which also reads it when storage is
   * an SQLite file. From the in-memory document when that holds an update storage lacks (a failed append),
   * when the stored entries do not all verify, or without a worker.
   */
  private async capture(document: Document, state: DocState): Promise<CapturedState> {
    if (this.encoder && !state.unstored) {
      // Appends still pending are not counted as compacted: the read may not see them.
      const counted = state.sinceCompaction - state.pending.size;
      const failures = state.failures;
      try {
        const encoded = await this.encoder.encodeStored(document.name, () => this.configuration.store.loadDocument(document.name));
        if (encoded) return { state: encoded.state, contents: encoded.snapshot, uptoSeq: encoded.lastSeq, counted, failures };
      } catch (error) {
        this.configuration.logger.warn({ err: error, documentName: document.name }, "encoding from storage failed; compacting from memory");
      }
    }
    // Captured together, synchronously: the encoded state contains the log up to lastSeq (a store
    // shared by several instances checks row by row through `contains`) and every update whose
    // append failed. Appends still pending are not counted as compacted: their rows may land after
    // the store has marked the ones it saw.
    return {
      state: Y.encodeStateAsUpdate(document),
      contents: Y.snapshot(document),
      uptoSeq: state.lastSeq,
      counted: state.sinceCompaction - state.pending.size,
      failures: state.failures,
    };
  }

  /**
   * The tabs' previews to store with a compaction, for a page opened before the workbook is
   * loaded again: made from the in-memory document, only while it holds exactly what the
   * captured state holds (nothing appended after it, nothing under way or lost, and — with
   * several instances, whose appends may commit out of sequence order — the same content), else
   * none. Made on the event loop (~0.25 s for 30,000 rows), and compactions come when edits
   * settle; the encoder's worker made them at first, and two runs of the test suite then crashed
   * in V8's WebAssembly code GC across worker threads (the worker loaded the schema's code as well).
   */
  private async previewsOf(document: Document, state: DocState, captured: CapturedState): Promise<StoredPreviews | undefined> {
    const { previews } = this.configuration;
    if (!previews || !this.holdsOnlyStored(document) || state.lastSeq !== captured.uptoSeq || document.isDestroyed) return undefined;
    if (!Y.equalSnapshots(captured.contents, Y.snapshot(document))) return undefined;
    return previews(document).catch((error: unknown) => {
      this.configuration.logger.warn({ err: error, documentName: document.name }, "making the stored previews failed");
      return undefined;
    });
  }

  private async compact(document: Document): Promise<void> {
    const state = this.docs.get(document);
    if (!state) return;
    // An append still under way may not be visible to the compaction's transaction, which could
    // then not mark its row as contained in the snapshot: let it land first.
    if (state.pending.size > 0) await Promise.allSettled(state.pending);
    // A compaction under way may have captured the state before the latest appends; wait for it,
    // then compact what it left over.
    if (state.compaction) await state.compaction;
    if (state.compaction) return state.compaction;
    if (document.isDestroyed || state.sinceCompaction === 0) return;
    const run = async () => {
      try {
        const captured = await this.capture(document, state);
        const previews = await this.previewsOf(document, state, captured);
        const contains = (stored: Uint8Array) => {
          try {
            return Y.snapshotContainsUpdate(captured.contents, stored);
          } catch {
            return false;
          }
        };
        if (!(await this.configuration.store.compactDocument(document.name, captured.state, captured.uptoSeq, contains, previews))) {
          this.configuration.logger.debug({ documentName: document.name }, "compaction deferred: another instance is compacting or ahead");
          return;
        }
        state.sinceCompaction -= captured.counted;
        if (state.failures === captured.failures) state.unstored = false;
      } catch (error) {
        // The log still holds every appended update; compaction is retried next time.
        this.configuration.logger.error({ err: error, documentName: document.name }, "compacting a document failed");
        throw error;
      } finally {
        state.compaction = undefined;
      }
    };
    state.compaction = run();
    return state.compaction;
  }
}

/**
 * The part of Persistence that must run after every other extension's beforeSync (lowest
 * priority): its acknowledgement is held only once nothing refused an update.
 */
class StoreBeforeAck implements Extension {
  readonly extensionName = "huzhu-store-before-ack";
  readonly priority = -1000;
  private readonly beforeApply: (payload: beforeSyncPayload) => Promise<void>;

  constructor(beforeApply: (payload: beforeSyncPayload) => Promise<void>) {
    this.beforeApply = beforeApply;
  }

  beforeSync(payload: beforeSyncPayload): Promise<void> {
    return this.beforeApply(payload);
  }
}
