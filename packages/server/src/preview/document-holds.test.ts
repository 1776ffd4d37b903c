import { describe, expect, it } from "vitest";
import type { DirectConnection } from "../history/documents.ts";
import { DocumentHolds } from "./document-holds.ts";

/** Stands in for Hocuspocus' direct connection: a document by name, and whether it let go. */
function connectionTo(document: { name: string }) {
  const connection = {
    document,
    disconnected: 0,
    async disconnect() {
      connection.disconnected += 1;
    },
  };
  return connection;
}
const asDirect = (connection: ReturnType<typeof connectionTo>) => connection as unknown as DirectConnection;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("DocumentHolds", () => {
  it("holds each document once: later reads of it let their own connection go", async () => {
    const holds = new DocumentHolds();
    const document = { name: "wb1" };
    const first = connectionTo(document);
    const second = connectionTo(document);
    holds.hold(asDirect(first), 60_000);
    holds.hold(asDirect(second), 60_000);
    await settle();
    expect([first.disconnected, second.disconnected]).toEqual([0, 1]);
    await holds.releaseAll();
    expect(first.disconnected).toBe(1);
  });

  it("lets go of a hold on a copy that was unloaded since, for the document now loaded", async () => {
    const holds = new DocumentHolds();
    const old = connectionTo({ name: "wb1" });
    const reloaded = connectionTo({ name: "wb1" });
    holds.hold(asDirect(old), 60_000);
    holds.hold(asDirect(reloaded), 60_000);
    await settle();
    expect([old.disconnected, reloaded.disconnected]).toEqual([1, 0]);
    await holds.releaseAll();
    expect(reloaded.disconnected).toBe(1);
  });

  it("lets go when the time is up", async () => {
    const holds = new DocumentHolds();
    const connection = connectionTo({ name: "wb1" });
    holds.hold(asDirect(connection), 5);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(connection.disconnected).toBe(1);
    await holds.releaseAll();
    expect(connection.disconnected).toBe(1);
  });
});
