import type { Extension, LocalTransactionOrigin, onLoadDocumentPayload } from "@hocuspocus/server";
import { applyProjection } from "@huzhu/schema";
import { CollabCloseCode, CollabRefusal } from "../collab/context.ts";
import { DocumentKind, parseDocumentName } from "../collab/document-names.ts";
import { PROJECTION_ACTOR, type PublicProjections } from "../projection/public-projections.ts";

/** Configuration of the public projection extension. */
export interface PublicProjectionConfiguration {
  readonly projections: PublicProjections;
}

/**
 * Origin of the server's writes to a public document: local, and never stored (the persistence
 * extension does not track public documents either; this keeps Hocuspocus from even scheduling a
 * store).
 */
export const PROJECTION_ORIGIN: LocalTransactionOrigin = { source: "local", skipStoreHooks: true, context: PROJECTION_ACTOR };

/**
 * Fills each `<workbook id>.public` document with the workbook's public projection when it loads,
 * and applies every new version of it (batched by PublicProjections) while it is open. The
 * document is derived state: built from the workbook each time it loads, never stored, read-only
 * for every connection (auth), written only here with `applyProjection`, which is keyed by id and
 * idempotent, so instances computing it at once never duplicate or reorder rows.
 */
export class PublicProjection implements Extension {
  readonly extensionName = "huzhu-public-projection";
  private readonly projections: PublicProjections;

  constructor(configuration: PublicProjectionConfiguration) {
    this.projections = configuration.projections;
  }

  async onLoadDocument({ document, documentName }: onLoadDocumentPayload): Promise<void> {
    const parsed = parseDocumentName(documentName);
    if (parsed?.kind !== DocumentKind.public) return;
    let subscription: Awaited<ReturnType<PublicProjections["subscribe"]>>;
    try {
      subscription = await this.projections.subscribe(parsed.workbookId, (version) =>
        applyProjection(version.view, document, PROJECTION_ORIGIN),
      );
    } catch (error) {
      // The workbook's own refusal (storage-failed, document-missing …) says more than ours.
      if (error instanceof CollabRefusal) throw error;
      throw new CollabRefusal(CollabCloseCode.unavailable, "storage-failed");
    }
    applyProjection(subscription.version.view, document, PROJECTION_ORIGIN);
    document.on("destroy", subscription.unsubscribe);
  }
}
