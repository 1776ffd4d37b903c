import type { Connection, Extension, Hocuspocus, onConfigurePayload } from "@hocuspocus/server";
import type { Logger } from "pino";
import { CollabCloseCode, readCollabContext } from "../collab/context.ts";
import { linkRefusal } from "../links.ts";
import type { LinkStore } from "../storage/link-store.ts";

/** Configuration of the link watch. */
export interface LinkWatchConfiguration {
  readonly links: LinkStore;
  readonly logger: Logger;
  /** How often open connections' links are checked again (revoked elsewhere, expired). Default 1000 ms. */
  readonly intervalMs?: number;
  /** Clock for expiry, replaceable in tests. */
  readonly now?: () => Date;
}

/**
 * Ends the connections of links that stop working. `closeLink` closes a link's connections on
 * every document (editable and public) at once; the admin API calls it right after revoking. A
 * sweep every second re-reads the links of open connections, so a link revoked through another
 * server instance, or one that expires, loses its connections within about a second too. A closed
 * connection gets the reason (`link-revoked`, `link-expired`); reconnecting is refused by auth.
 */
export class LinkWatch implements Extension {
  readonly extensionName = "huzhu-link-watch";
  private readonly configuration: Required<LinkWatchConfiguration>;
  private instance: Hocuspocus | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(configuration: LinkWatchConfiguration) {
    this.configuration = { intervalMs: 1_000, now: () => new Date(), ...configuration };
  }

  async onConfigure({ instance }: onConfigurePayload): Promise<void> {
    this.instance = instance;
    this.timer = setInterval(() => void this.sweep(), this.configuration.intervalMs).unref();
  }

  async onDestroy(): Promise<void> {
    clearInterval(this.timer);
  }

  /** Closes every open connection of `linkId` with `reason`; returns how many. */
  closeLink(linkId: string, reason: string): number {
    const connections = this.connectionsByLink().get(linkId) ?? [];
    for (const connection of connections) connection.close({ code: CollabCloseCode.unauthorized, reason });
    return connections.length;
  }

  private connectionsByLink(): Map<string, Connection[]> {
    const byLink = new Map<string, Connection[]>();
    for (const document of this.instance?.documents.values() ?? []) {
      for (const connection of document.getConnections()) {
        const linkId = readCollabContext(connection.context)?.linkId;
        if (!linkId) continue;
        const list = byLink.get(linkId);
        if (list) list.push(connection);
        else byLink.set(linkId, [connection]);
      }
    }
    return byLink;
  }

  private async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      for (const linkId of this.connectionsByLink().keys()) {
        const link = await this.configuration.links.findLinkById(linkId);
        const refusal = link ? linkRefusal(link, this.configuration.now()) : "invalid-token";
        if (refusal) this.closeLink(linkId, refusal);
      }
    } catch (error) {
      this.configuration.logger.error({ err: error }, "checking the links of open connections failed");
    } finally {
      this.sweeping = false;
    }
  }
}
