import type { Connection } from "@hocuspocus/server";
import * as encoding from "lib0/encoding";

/** Hocuspocus' SyncStatus message type: the acknowledgement of a sync step 2 or an update. */
const SYNC_STATUS = 8;

/**
 * Decides when a connection's acknowledgement may go out: `undefined` to send it now, else a
 * promise of whether to send it at all (false: storage failed, and the connection is being closed).
 */
export type AckGate = () => Promise<boolean> | undefined;

const gated = new WeakSet<Connection>();

/**
 * Holds a connection's acknowledgements (SyncStatus messages) until `gate` allows them; every
 * other message goes out as before. Hocuspocus applies an update and sends its acknowledgement in
 * one synchronous step after the beforeSync hooks, so this is the one place where "acknowledged
 * only once stored" can be kept without applying the update a second time in a hook (the
 * transaction that second apply cost was ~3 % of the event loop at 300 editors, bench/README.md).
 * An acknowledgement is recognised by its shape: the connection's address, then SyncStatus and one
 * byte — a broadcast frame is never that short. Applied once per connection.
 */
export function gateAcknowledgements(connection: Connection, gate: AckGate): void {
  if (gated.has(connection)) return;
  gated.add(connection);
  const ackLength = encoding.encode((encoder) => encoding.writeVarString(encoder, connection.messageAddress)).length + 2;
  const send = connection.send.bind(connection);
  connection.send = (message: Uint8Array) => {
    const held = message.length === ackLength && message[ackLength - 2] === SYNC_STATUS ? gate() : undefined;
    if (!held) {
      send(message);
      return;
    }
    // One that cannot be vouched for is not sent: the client keeps the edit and resends it.
    held.then(
      (allowed) => {
        if (allowed) send(message);
      },
      () => {},
    );
  };
}
