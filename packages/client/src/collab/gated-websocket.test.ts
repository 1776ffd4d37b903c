import { describe, expect, it } from "vitest";
import { gatedWebSocket } from "./gated-websocket.ts";

/** Stands in for the browser's socket: the test dispatches its events. */
class SocketEvents extends EventTarget {
  readonly url: string;
  constructor(url: string) {
    super();
    this.url = url;
  }
}

function deferred() {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const message = (data: string) => new MessageEvent("message", { data });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("gatedWebSocket", () => {
  it("holds messages and the close until the gate opens, then delivers them in order; open passes at once", async () => {
    const gate = deferred();
    const Gated = gatedWebSocket(gate.promise, SocketEvents as unknown as typeof WebSocket);
    const socket = new Gated("ws://example.invalid/collab");
    const seen: string[] = [];
    socket.addEventListener("open", () => seen.push("open"));
    socket.addEventListener("message", (event) => seen.push(`message ${(event as MessageEvent).data}`));
    socket.addEventListener("close", () => seen.push("close"));

    socket.dispatchEvent(new Event("open"));
    socket.dispatchEvent(message("a"));
    socket.dispatchEvent(message("b"));
    socket.dispatchEvent(new Event("close"));
    await settle();
    expect(seen).toEqual(["open"]);

    gate.resolve();
    await settle();
    expect(seen).toEqual(["open", "message a", "message b", "close"]);

    socket.dispatchEvent(message("c"));
    expect(seen.at(-1)).toBe("message c");
  });

  it("gives nothing to a listener removed while its events were held", async () => {
    const gate = deferred();
    const Gated = gatedWebSocket(gate.promise, SocketEvents as unknown as typeof WebSocket);
    const socket = new Gated("ws://example.invalid/collab");
    const seen: string[] = [];
    const listener = { handleEvent: (event: Event) => seen.push((event as MessageEvent).data) };
    socket.addEventListener("message", listener);
    socket.dispatchEvent(message("held"));
    socket.removeEventListener("message", listener);
    gate.resolve();
    await settle();
    socket.dispatchEvent(message("after"));
    expect(seen).toEqual([]);
  });
});
