import { HocuspocusProvider } from "@hocuspocus/provider";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { KEEPALIVE_PING, KEEPALIVE_PONG } from "../src/extensions/keepalive.ts";
import { useHarness, waitFor } from "./helpers.ts";

// A public viewer without presence keeps its idle connection open by pinging; the server answers
// that connection alone.

describe("keepalive", () => {
  const harness = useHarness();

  it("answers a viewer's ping on the public document with a pong to that viewer only", async () => {
    const server = await harness.start();
    const created = await server.createWorkbook({ template: "shanghai-medical" });
    const viewers = [0, 1].map(() => {
      const provider = new HocuspocusProvider({
        url: server.collabUrl,
        name: created.collab.publicDocumentName,
        token: created.links.public.token,
        document: new Y.Doc(),
        awareness: null,
      });
      const heard: string[] = [];
      provider.on("stateless", ({ payload }: { payload: string }) => heard.push(payload));
      return { provider, heard, destroy: () => provider.destroy() };
    });
    try {
      await waitFor(() => viewers.every((v) => v.provider.isSynced), "both viewers' first sync");
      const [pinging, quiet] = viewers as [(typeof viewers)[0], (typeof viewers)[0]];
      pinging.provider.sendStateless(KEEPALIVE_PING);
      pinging.provider.sendStateless("something else");
      await waitFor(() => pinging.heard.length > 0, "the pong");
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(pinging.heard).toEqual([KEEPALIVE_PONG]);
      expect(quiet.heard).toEqual([]);
      expect(pinging.provider.unsyncedChanges).toBe(0);
    } finally {
      for (const viewer of viewers) viewer.destroy();
    }
  });
});
