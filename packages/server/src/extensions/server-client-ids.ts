import type { Document, Extension, afterUnloadDocumentPayload, onLoadDocumentPayload } from "@hocuspocus/server";
import type { Logger } from "pino";
import * as Y from "yjs";
import { CollabCloseCode, CollabRefusal } from "../collab/context.ts";
import { isPublicDocumentName } from "../collab/document-names.ts";
import type { DocStore } from "../storage/doc-store.ts";

/** Configuration of the server client-id extension. */
export interface ServerClientIdsConfiguration {
  readonly store: DocStore;
  readonly logger: Logger;
}

/**
 * The server writes to a workbook (case numbers, form answers, imports, retention) under a Yjs
 * client id it reuses from one load of the workbook to the next. Every load used to write under a
 * new random id, and a workbook keeps every id that ever wrote to it: a quiet workbook loaded for
 * each form answer at night gained one per answer, and Yjs walks them all at the start and end of
 * every transaction (`pnpm bench client-ids`: 1.6 ms per edit with 5,000 ids).
 *
 * An id is claimed from storage once the stored document is loaded, before anything writes, and
 * released when the workbook unloads — which persistence lets happen only once everything in it
 * is stored. An id a crash left held is never handed out again: an edit the server broadcast and
 * then lost may live on in a volunteer's page, and a new edit at the same clock under the same id
 * would make the two copies differ for good. Instances sharing a database hold different ids.
 * Every id the server writes under is held in storage first; if that fails, the document is not
 * served.
 * Public projections are rebuilt on every load and never stored; they keep Yjs' random ids.
 */
export class ServerClientIds implements Extension {
  readonly extensionName = "huzhu-server-client-ids";
  // After persistence's onLoadDocument (900) has loaded the document, before any afterLoadDocument
  // hook may write to it (case numbers). Failing here, the load fails as persistence's would.
  readonly priority = 890;
  private readonly configuration: ServerClientIdsConfiguration;
  /** The id each loaded document writes under, by name (a name is loaded at most once at a time). */
  private readonly held = new Map<string, number>();

  constructor(configuration: ServerClientIdsConfiguration) {
    this.configuration = configuration;
  }

  async onLoadDocument({ document, documentName }: onLoadDocumentPayload): Promise<void> {
    if (isPublicDocumentName(documentName)) return;
    const { store, logger } = this.configuration;
    try {
      let claimed = await store.claimServerClientId(documentName, document.clientID);
      // `claimed` is either the document's own id (new, now registered) or a released one to adopt.
      if (claimed !== document.clientID && !this.adopt(document, claimed)) {
        await this.release(documentName, claimed);
        claimed = document.clientID;
        await store.holdServerClientId(documentName, claimed);
      }
      this.held.set(documentName, claimed);
    } catch (error) {
      // The write guard tells the server's writes, relayed after a crash, by the ids storage holds
      // (write-guard.ts): the server must not write under an id storage does not know.
      logger.error({ err: error, documentName }, "registering the server's client id failed; not serving the document");
      throw new CollabRefusal(CollabCloseCode.unavailable, "storage-failed");
    }
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    const clientId = this.held.get(documentName);
    if (clientId === undefined) return;
    this.held.delete(documentName);
    await this.release(documentName, clientId);
  }

  /**
   * Writes under `clientId` from now on, if nothing has been written under the random id yet (then
   * the document holds everything stored under `clientId`, and new writes continue its clock).
   */
  private adopt(document: Document, clientId: number): boolean {
    if (document.isDestroyed || Y.getState(document.store, document.clientID) > 0) return false;
    document.clientID = clientId;
    return true;
  }

  private async release(documentName: string, clientId: number): Promise<void> {
    try {
      await this.configuration.store.releaseServerClientId(documentName, clientId);
    } catch (error) {
      // Left held: never reused, which is safe.
      this.configuration.logger.warn({ err: error, documentName }, "could not release the server's client id");
    }
  }
}
