import type { Document, Hocuspocus } from "@hocuspocus/server";
import { type PublicViewTracker, openWorkbook, trackPublicView } from "@huzhu/schema";
import type { Logger } from "pino";
import type { PublicStateStore } from "../storage/public-state-store.ts";
import { type PublicVersion, createVersion, projected } from "./public-version.ts";

/** A server-side connection to a document (the class Hocuspocus' openDirectConnection returns). */
type DirectConnection = Awaited<ReturnType<Hocuspocus["openDirectConnection"]>>;

/** Context of the server's direct connections to workbooks it projects (it only reads them). */
export const PROJECTION_ACTOR = { actor: "system", purpose: "public-projection" } as const;

/** Configuration of the public projections. */
export interface PublicProjectionsConfiguration {
  /** Opens a server-side connection to a workbook document (Hocuspocus' openDirectConnection). */
  readonly openWorkbook: (workbookId: string) => Promise<DirectConnection>;
  readonly states: PublicStateStore;
  readonly logger: Logger;
  /** Shortest time between two recomputations of one workbook's projection. Default 250 ms. */
  readonly batchMs?: number;
  /** How long a projection nobody subscribes to stays open after its last HTTP read. Default 30 s. */
  readonly idleMs?: number;
}

type Listener = (version: PublicVersion) => void;

interface Entry {
  readonly workbookId: string;
  readonly connection: DirectConnection;
  readonly document: Document;
  /** Rebuilds the view from the rows changed since the last recomputation. */
  readonly tracker: PublicViewTracker;
  version: PublicVersion;
  readonly listeners: Set<Listener>;
  lastRead: number;
  /** The workbook changed since the last recomputation. */
  dirty: boolean;
  /** How long the last recomputation took; the batch window grows with it. */
  computeMs: number;
  timer: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  stop: () => void;
}

/**
 * The window stretches for big workbooks, so a recomputation takes at most a fifth of the time,
 * but never past 750 ms: a public edit must still reach viewers within a second.
 */
const MAX_CPU_SHARE = 5;
const MAX_BATCH_MS = 750;

/**
 * The public view of each workbook that someone is looking at, kept current.
 *
 * For each workbook with a public subscriber (a `.public` document) or a recent HTTP read, the
 * workbook document is held open through a direct connection and observed. Changes are batched:
 * the projection is recomputed at most once per window (250 ms; up to 750 ms when a recomputation
 * is slow), so a burst of keystrokes becomes one new version, which subscribers apply and HTTP
 * serves. A version is derived state only: the projection is pure (`publicProjection`) and its
 * hash is stored with the time it changed, nothing else.
 */
export class PublicProjections {
  private readonly configuration: Required<PublicProjectionsConfiguration>;
  private readonly entries = new Map<string, Entry>();
  private readonly opening = new Map<string, Promise<Entry>>();
  private closed = false;

  constructor(configuration: PublicProjectionsConfiguration) {
    this.configuration = { ...configuration, batchMs: configuration.batchMs ?? 250, idleMs: configuration.idleMs ?? 30_000 };
  }

  /** The current version of a workbook's public view (opening it if needed), for an HTTP read. */
  async read(workbookId: string): Promise<PublicVersion> {
    const entry = await this.open(workbookId);
    entry.lastRead = Date.now();
    this.scheduleIdleCheck(entry);
    return entry.version;
  }

  /**
   * Calls `listener` with every new version of a workbook's public view until `unsubscribe`;
   * resolves with the current version. The workbook stays open while anyone subscribes.
   */
  async subscribe(workbookId: string, listener: Listener): Promise<{ version: PublicVersion; unsubscribe: () => void }> {
    const entry = await this.open(workbookId);
    entry.listeners.add(listener);
    return {
      version: entry.version,
      unsubscribe: () => {
        entry.listeners.delete(listener);
        entry.lastRead = Math.max(entry.lastRead, Date.now());
        this.scheduleIdleCheck(entry);
      },
    };
  }

  /** Releases every workbook (before shutdown waits for documents to unload). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.opening.values()]);
    await Promise.all([...this.entries.values()].map((entry) => this.release(entry)));
  }

  private open(workbookId: string): Promise<Entry> {
    if (this.closed) return Promise.reject(new Error("public projections are closed"));
    const open = this.entries.get(workbookId);
    if (open) return Promise.resolve(open);
    let opening = this.opening.get(workbookId);
    if (!opening) {
      opening = this.create(workbookId).finally(() => this.opening.delete(workbookId));
      this.opening.set(workbookId, opening);
    }
    return opening;
  }

  private async create(workbookId: string): Promise<Entry> {
    const connection = await this.configuration.openWorkbook(workbookId);
    const document = connection.document;
    if (!document) throw new Error(`workbook ${workbookId} closed while opening`);
    // Listening before the first projection, so a change made while it is recorded is not missed.
    let entry: Entry | undefined;
    let changedEarly = false;
    const onUpdate = () => {
      if (entry) this.changed(entry);
      else changedEarly = true;
    };
    document.on("update", onUpdate);
    const tracker = trackPublicView(openWorkbook(document));
    try {
      const first = projected(tracker.view());
      const updatedAt = await this.configuration.states.recordPublicState(workbookId, first.stateHash, new Date());
      if (this.closed) throw new Error("public projections are closed");
      entry = {
        workbookId,
        connection,
        document,
        tracker,
        version: createVersion(first, new Date(updatedAt)),
        listeners: new Set(),
        lastRead: Date.now(),
        dirty: false,
        computeMs: 0,
        timer: undefined,
        running: undefined,
        idleTimer: undefined,
        stop: () => {
          document.off("update", onUpdate);
          tracker.stop();
        },
      };
      this.entries.set(workbookId, entry);
      if (changedEarly) this.changed(entry);
      return entry;
    } catch (error) {
      document.off("update", onUpdate);
      tracker.stop();
      await connection.disconnect({ unloadImmediately: false });
      throw error;
    }
  }

  /** Coalesces changes: the first one opens a window; the projection is recomputed when it closes. */
  private changed(entry: Entry): void {
    entry.dirty = true;
    if (entry.timer || entry.running) return;
    const window = Math.min(MAX_BATCH_MS, Math.max(this.configuration.batchMs, entry.computeMs * MAX_CPU_SHARE));
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      entry.running = this.recompute(entry).finally(() => {
        entry.running = undefined;
        if (entry.dirty && this.entries.get(entry.workbookId) === entry) this.changed(entry);
      });
    }, window);
  }

  private async recompute(entry: Entry): Promise<void> {
    if (!entry.dirty) return;
    entry.dirty = false;
    const started = performance.now();
    const current = projected(entry.tracker.view());
    const { stateHash } = current;
    entry.computeMs = performance.now() - started;
    if (stateHash === entry.version.stateHash) return;
    let updatedAt: Date;
    try {
      updatedAt = new Date(await this.configuration.states.recordPublicState(entry.workbookId, stateHash, new Date()));
    } catch (error) {
      // The view must still go out; only "最后更新" may be off until the next change.
      this.configuration.logger.error({ err: error, workbookId: entry.workbookId }, "recording a public view change failed");
      updatedAt = new Date();
    }
    entry.version = createVersion(current, updatedAt);
    for (const listener of entry.listeners) {
      try {
        listener(entry.version);
      } catch (error) {
        this.configuration.logger.error({ err: error, workbookId: entry.workbookId }, "applying a public view failed");
      }
    }
  }

  private scheduleIdleCheck(entry: Entry): void {
    if (entry.idleTimer || this.closed) return;
    const check = () => {
      entry.idleTimer = undefined;
      if (this.entries.get(entry.workbookId) !== entry || entry.listeners.size > 0) return;
      const idleFor = Date.now() - entry.lastRead;
      if (idleFor >= this.configuration.idleMs) void this.release(entry);
      else entry.idleTimer = setTimeout(check, this.configuration.idleMs - idleFor).unref();
    };
    entry.idleTimer = setTimeout(check, this.configuration.idleMs).unref();
  }

  private async release(entry: Entry): Promise<void> {
    if (this.entries.get(entry.workbookId) !== entry) return;
    this.entries.delete(entry.workbookId);
    entry.stop();
    clearTimeout(entry.timer);
    clearTimeout(entry.idleTimer);
    await entry.running?.catch(() => {});
    await entry.connection.disconnect({ unloadImmediately: false });
  }
}
