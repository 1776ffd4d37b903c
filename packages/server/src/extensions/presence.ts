import type { Extension, beforeHandleAwarenessPayload } from "@hocuspocus/server";
import { readCollabContext } from "../collab/context.ts";

/**
 * Stamps every presence (awareness) state a client sends with its link's identity: `user` is
 * replaced by `{ name: label, color }`, whatever the client wrote there, so nobody can appear as
 * someone else. This holds for every role that may show presence (admin and editor links on the
 * workbook). Read-only connections (public viewers) cannot broadcast presence at all: their
 * states are dropped, so thousands of viewers renewing every 15 s fan out nothing (the renewals
 * still count as the traffic that keeps their sockets open). Which client ids a connection may
 * speak for is the client-id extension's concern.
 */
export class Presence implements Extension {
  readonly extensionName = "huzhu-presence";

  async beforeHandleAwareness({ states, context, connection }: beforeHandleAwarenessPayload): Promise<void> {
    if (!connection) return;
    const identity = readCollabContext(context);
    if (!identity || connection.readOnly) {
      states.clear();
      return;
    }
    for (const state of states.values()) state["user"] = { name: identity.label, color: identity.color };
  }
}
