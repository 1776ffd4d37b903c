import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as Y from "yjs";
import { TemplateId } from "@huzhu/schema";
import { ChildChannel } from "./ipc.ts";
import { EMPTY_STATE_VECTOR, LightClient, encodeUpdateFrame } from "./light-client.ts";
import {
  BareToken,
  type Endpoint,
  type HuzhuWorkbook,
  type ServerRequest,
  type ServerStarted,
  type ServerStats,
  type TargetKind,
} from "./messages.ts";
import { type RequestsSheetPlan, buildRequestsSheet } from "./requests-sheet.ts";

const SERVER_SCRIPT = new URL("./server-host.ts", import.meta.url);
const scratchRoot = mkdtempSync(path.join(os.tmpdir(), "huzhu-bench-"));
process.on("exit", () => rmSync(scratchRoot, { recursive: true, force: true }));

/** A requests sheet loaded on a server and how to reach it. */
export interface PreparedWorkbook {
  readonly editor: Endpoint;
  /** Read-only audience; null when the target offers none the bench can join (`viewerUnavailable` says why). */
  readonly viewer: Endpoint | null;
  readonly viewerUnavailable: string | null;
  /** Lets go of anything the preparation kept open (e.g. the client holding a derived document loaded). */
  readonly release: () => void;
  /** Template plus editor rows (what generators load to make edits). */
  readonly editorBase: Uint8Array;
  readonly editorRowIds: readonly string[];
  /** Encoded size of the whole document, bytes. */
  readonly documentBytes: number;
  readonly buildMs: number;
  /** Huzhu: the workbook's capability links by role (form, public …); bare Hocuspocus has none. */
  readonly links: HuzhuWorkbook["links"] | null;
}

let nextDocument = 1;

/**
 * Extra Node flags for server processes, from BENCH_SERVER_NODE_FLAGS (space-separated), e.g.
 * `--experimental-transform-types` to run a work-in-progress server that is not erasable TypeScript.
 */
export function serverNodeFlags(): string[] {
  return (process.env["BENCH_SERVER_NODE_FLAGS"] ?? "").split(" ").filter(Boolean);
}

/**
 * A server under test in its own process. The seam between benchmarks and servers: everything a
 * benchmark needs from a target goes through `prepareRequestsSheet`, `restart` and the process id.
 */
export class TargetServer {
  readonly kind: TargetKind;
  readonly started: ServerStarted;
  readonly dataDir: string;
  private readonly channel: ChildChannel;
  /** Documents a bare server loads from files (replayed on restart). */
  private readonly seeds: { documentName: string; path: string }[] = [];

  private constructor(kind: TargetKind, channel: ChildChannel, started: ServerStarted, dataDir: string) {
    this.kind = kind;
    this.channel = channel;
    this.started = started;
    this.dataDir = dataDir;
  }

  /** Starts a server child; `dataDir` is reused when given (a restart over the same data). */
  static async start(kind: TargetKind, dataDir?: string): Promise<TargetServer> {
    const dir = dataDir ?? mkdtempSync(path.join(scratchRoot, `${kind}-`));
    // BENCH_PROFILE_DIR=dir writes a V8 CPU profile of every server process (open it in Chrome DevTools).
    const profileDir = process.env["BENCH_PROFILE_DIR"];
    const execArgv = ["--expose-gc", ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), ...serverNodeFlags()];
    const channel = ChildChannel.fork(SERVER_SCRIPT, `${kind} server`, execArgv);
    try {
      const started = await channel.request<ServerStarted>({ kind: "start", target: kind, dataDir: dir } satisfies ServerRequest, 60_000);
      return new TargetServer(kind, channel, started, dir);
    } catch (error) {
      await channel.stop({ kind: "close" } satisfies ServerRequest, 5_000);
      throw error;
    }
  }

  get pid(): number {
    return this.channel.pid;
  }

  /** Bare Hocuspocus: the body its HTTP anchor serves as `/bench/snapshot.json`. */
  async setAnchorSnapshot(body: string): Promise<void> {
    await this.channel.request({ kind: "anchorSnapshot", body } satisfies ServerRequest, 30_000);
  }

  /** The server's memory; with `gc`, after a full collection (heapUsed is then live data). */
  stats(gc = false): Promise<ServerStats> {
    return this.channel.request<ServerStats>({ kind: "stats", gc } satisfies ServerRequest, 30_000);
  }

  /** Loads a requests sheet of `plan.rows` rows on the server. */
  prepareRequestsSheet(plan: Omit<RequestsSheetPlan, "caseNumbers">): Promise<PreparedWorkbook> {
    return this.kind === "hocuspocus" ? this.prepareBare(plan) : this.prepareHuzhu(plan);
  }

  /** Bare Hocuspocus: the sheet is built here and the server loads it from an encoded state. */
  private async prepareBare(plan: Omit<RequestsSheetPlan, "caseNumbers">): Promise<PreparedWorkbook> {
    const sheet = buildRequestsSheet({ ...plan, caseNumbers: true }, null);
    const state = Y.encodeStateAsUpdate(sheet.ydoc);
    const documentName = `bench-${process.pid}-${nextDocument++}`;
    const file = path.join(this.dataDir, `${documentName}.yjs`);
    writeFileSync(file, state);
    await this.seed(documentName, file);
    const endpoint = (token: string): Endpoint => ({ url: this.started.collabUrl, documentName, token, stateVector: sheet.stateVector });
    sheet.ydoc.destroy();
    return {
      editor: endpoint(BareToken.editor),
      viewer: endpoint(BareToken.viewer),
      viewerUnavailable: null,
      release: () => {},
      editorBase: sheet.editorBase,
      editorRowIds: sheet.editorRowIds,
      documentBytes: state.length,
      buildMs: sheet.buildMs,
      links: null,
    };
  }

  /**
   * Huzhu: the server creates the workbook from its template; the bench fetches that state, builds
   * the rows on top of it and pushes them as an editor would, in bounded updates, waiting for acks.
   */
  private async prepareHuzhu(plan: Omit<RequestsSheetPlan, "caseNumbers">): Promise<PreparedWorkbook> {
    const workbook = await this.channel.request<HuzhuWorkbook>(
      { kind: "createWorkbook", template: TemplateId.shanghaiMedical, title: "bench", sampleData: false } satisfies ServerRequest,
      30_000,
    );
    const editorLink = workbook.links["editor"];
    if (!editorLink) throw new Error("Huzhu's createWorkbook returned no editor link");
    const { url, documentName } = workbook.collab;
    let templateState: Uint8Array | null = null;
    const client = new LightClient({
      url,
      documentName,
      token: editorLink.token,
      stateVector: EMPTY_STATE_VECTOR,
      onSyncStep2: (update) => {
        templateState = new Uint8Array(update);
      },
    });
    await client.connect(30_000);
    const sheet = buildRequestsSheet({ ...plan, caseNumbers: false }, templateState);
    const pushStarted = performance.now();
    for (const update of sheet.updates) {
      client.sendFrame(encodeUpdateFrame(documentName, update));
      if (!(await client.whenAcknowledged(120_000))) {
        client.close();
        throw new Error(`Huzhu did not acknowledge the seed rows: ${client.closeReason || "no answer within 120 s"}`);
      }
    }
    if (client.refused) throw new Error(`Huzhu refused ${client.refused} seed updates`);
    client.close();
    (await catchUp({ url, documentName, token: editorLink.token }, sheet.ydoc)).close();
    const pushMs = performance.now() - pushStarted;
    const state = Y.encodeStateAsUpdate(sheet.ydoc);
    const editor: Endpoint = { url, documentName, token: editorLink.token, stateVector: Y.encodeStateVector(sheet.ydoc) };
    sheet.ydoc.destroy();
    const viewer = await huzhuViewerEndpoint(workbook);
    return {
      editor,
      viewer: viewer.endpoint,
      viewerUnavailable: viewer.unavailable,
      release: () => viewer.holder?.close(),
      editorBase: sheet.editorBase,
      editorRowIds: sheet.editorRowIds,
      documentBytes: state.length,
      buildMs: sheet.buildMs + pushMs,
      links: workbook.links,
    };
  }

  private async seed(documentName: string, file: string): Promise<void> {
    await this.channel.request({ kind: "seed", documentName, path: file } satisfies ServerRequest, 10_000);
    this.seeds.push({ documentName, path: file });
  }

  /** Stops this server and starts a new process over the same data: every document is cold again. */
  async restart(): Promise<TargetServer> {
    await this.close();
    const next = await TargetServer.start(this.kind, this.dataDir);
    for (const { documentName, path: file } of this.seeds) await next.seed(documentName, file);
    return next;
  }

  async close(): Promise<void> {
    await this.channel.stop({ kind: "close" } satisfies ServerRequest, 15_000);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Brings `ydoc` up to the server's state: Huzhu writes case numbers into new rows a little after
 * they arrive, and builds public projections when they load. A holder client keeps the document
 * loaded (Hocuspocus unloads it with its last client, and a derived document is rebuilt with new
 * ids when it loads again); fresh clients then poll until a sync brings no new structs (bounded).
 * Returns the holder, still connected: close it when the document may unload.
 */
async function catchUp(endpoint: Omit<Endpoint, "stateVector">, ydoc: Y.Doc): Promise<LightClient> {
  const syncInto = async (keep: boolean) => {
    let diff: Uint8Array = new Uint8Array([0, 0]);
    const client = new LightClient({
      ...endpoint,
      stateVector: Y.encodeStateVector(ydoc),
      onSyncStep2: (update) => {
        diff = new Uint8Array(update);
      },
    });
    await client.connect(30_000);
    if (!keep) client.close();
    const fresh = Y.decodeUpdate(diff).structs.length > 0;
    if (fresh) Y.applyUpdate(ydoc, diff);
    return { client, fresh };
  };
  const { client: holder } = await syncInto(true);
  try {
    for (let attempt = 0; attempt < 40; attempt++) {
      await sleep(250);
      if (!(await syncInto(false)).fresh) return holder;
    }
  } catch (error) {
    holder.close();
    throw error;
  }
  holder.close();
  throw new Error("Huzhu kept changing the document for 10 s after the bench's last write");
}

/**
 * How a public viewer joins a Huzhu workbook: the public link's token on the public projection
 * document. The bench fetches the projection once so viewers can claim its state, like the bare
 * server's viewers claim the sheet's; if the server refuses, the reason is kept for the report.
 */
async function huzhuViewerEndpoint(
  workbook: HuzhuWorkbook,
): Promise<{ endpoint: Endpoint | null; unavailable: string | null; holder: LightClient | null }> {
  const link = workbook.links["public"];
  const documentName = workbook.collab.publicDocumentName;
  if (!link || !documentName) {
    return { endpoint: null, unavailable: "createWorkbook returned no public link and projection document", holder: null };
  }
  const projection = new Y.Doc();
  try {
    const holder = await catchUp({ url: workbook.collab.url, documentName, token: link.token }, projection);
    return {
      endpoint: { url: workbook.collab.url, documentName, token: link.token, stateVector: Y.encodeStateVector(projection) },
      unavailable: null,
      holder,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { endpoint: null, unavailable: `the public projection cannot be joined (${reason})`, holder: null };
  } finally {
    projection.destroy();
  }
}
