import type { Extension, beforeSyncPayload } from "@hocuspocus/server";
import * as Y from "yjs";
import { CollabCloseCode, CollabRefusal } from "../collab/context.ts";
import { decodeIncomingUpdate } from "../collab/incoming-update.ts";

/** Configuration of the limits extension. */
export interface LimitsConfiguration {
  /** Largest document update accepted in one sync message, in bytes. */
  readonly maxUpdateBytes?: number;
}

/** y-protocols sync message types, as Hocuspocus passes them to beforeSync. */
const SyncType = { step1: 0, step2: 1, update: 2 } as const;

/** 1 MiB, the same bound the WebSocket layer puts on a whole frame. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * Refuses sync messages that are too large or do not decode, before Hocuspocus applies them. A
 * malformed update could otherwise be half applied (Yjs integrates structs before it reads the
 * delete set). Decoding is V1 only and never merges: the V2 decoder and Y.mergeUpdates on
 * untrusted bytes are known to hang (yjs #687).
 */
export class Limits implements Extension {
  readonly extensionName = "huzhu-limits";
  readonly priority = 950;
  private readonly maxUpdateBytes: number;

  constructor(configuration: LimitsConfiguration = {}) {
    this.maxUpdateBytes = configuration.maxUpdateBytes ?? MAX_MESSAGE_BYTES;
  }

  async beforeSync({ type, payload }: beforeSyncPayload): Promise<void> {
    if (type === SyncType.step1) {
      this.decodes(() => Y.decodeStateVector(payload), "malformed-state-vector");
      return;
    }
    if (type !== SyncType.step2 && type !== SyncType.update) {
      throw new CollabRefusal(CollabCloseCode.badRequest, "unknown-sync-message");
    }
    if (payload.byteLength > this.maxUpdateBytes) {
      throw new CollabRefusal(CollabCloseCode.tooLarge, "update-too-large", `updates are limited to ${this.maxUpdateBytes} bytes`);
    }
    this.decodes(() => decodeIncomingUpdate(payload), "malformed-update");
  }

  private decodes(decode: () => unknown, reason: string): void {
    try {
      decode();
    } catch {
      throw new CollabRefusal(CollabCloseCode.badRequest, reason);
    }
  }
}
