import type { Extension, onStatelessPayload } from "@hocuspocus/server";

/** The stateless message a client sends to keep an idle connection open (docs/api.md). */
export const KEEPALIVE_PING = "huzhu:ping";
/** The server's answer, to that connection only. */
export const KEEPALIVE_PONG = "huzhu:pong";

/**
 * Answers keepalive pings. A public viewer publishes no presence and sends no updates, so nothing
 * would cross its idle connection: Hocuspocus closes sockets silent for 60 s, and the provider
 * drops and resyncs a connection that received nothing for 30 s. (Awareness renewals do not help:
 * a read-only connection's presence is dropped, so nothing comes back; and Hocuspocus does not
 * answer a query-awareness message on a document connection.) A viewer sends `huzhu:ping` as a
 * stateless message every 20 s and gets `huzhu:pong` back: one tiny frame each way, no document
 * work, no broadcast. Any other stateless payload is left alone.
 */
export class Keepalive implements Extension {
  readonly extensionName = "huzhu-keepalive";

  async onStateless({ connection, payload }: onStatelessPayload): Promise<void> {
    if (payload === KEEPALIVE_PING) connection.sendStateless(KEEPALIVE_PONG);
  }
}
