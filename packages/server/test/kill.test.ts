import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { type ColumnId, type RowId, type SheetId, type Workbook, openWorkbook } from "@huzhu/schema";
import * as decoding from "lib0/decoding";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import * as Y from "yjs";
import { recoverDocument } from "../src/storage/recover-document.ts";
import { readStoredDocument } from "../src/storage/sqlite-document-read.ts";
import { SQLITE_FILE } from "../src/storage/sqlite-store.ts";
import { createToken } from "../src/tokens.ts";
import { waitFor } from "./helpers.ts";

// SIGKILL at random moments while editors edit continuously and requesters submit the form.
// After each kill, before the restart, the database files must hold every edit whose sync message
// the server acknowledged, and every form submission answered 201 exactly once. At the end every
// edit, acknowledged or not, must be there: clients merge what the server never got.

const ROUNDS = Number(process.env["HUZHU_KILL_ROUNDS"] ?? 20);
const EDITORS = 3;
const EDIT_EVERY_MS = 40;
const requests = "requests" as SheetId;
const AGE = "age" as ColumnId;
const SERVER_SCRIPT = new URL("./kill-server.ts", import.meta.url).pathname;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The server as a child process on a fixed port and data directory. */
class ServerProcess {
  private child: ChildProcess | undefined;
  readonly restartsMs: number[] = [];

  private readonly env: Record<string, string>;

  constructor(env: Record<string, string>) {
    this.env = env;
  }

  async start(): Promise<void> {
    const started = performance.now();
    const child = spawn(process.execPath, [SERVER_SCRIPT], { env: { ...process.env, ...this.env }, stdio: ["ignore", "pipe", "inherit"] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`the server exited (${code}) before listening`)));
      child.stdout?.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("listening")) resolve();
      });
    });
    this.restartsMs.push(performance.now() - started);
  }

  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    await exited;
  }
}

interface Edit {
  readonly kind: "insert" | "age";
  readonly n: number;
  readonly rowId: RowId;
  /** The editor's own Yjs clock after the edit: identifies the update that carries it. */
  readonly end: number;
}

/** What a socket has sent that the server will answer with a SyncStatus, in order. */
type Pending = { kind: "step2"; upto: number } | { kind: "update"; end: number; early: boolean };

/**
 * One editor: a real provider whose WebSocket is watched, so each edit counts as acknowledged
 * exactly when the server acknowledged the sync message that carried it — its own update, or a
 * sync step 2 sent after it. Updates a connection sends before its step 2 are not counted by
 * their acknowledgement: the server may answer one that arrives ahead of what it builds on
 * without storing it (the step 2 then carries it), and the provider's own counter is reset on
 * every reconnect, so it can reach 0 early.
 */
class Editor {
  readonly edits: Edit[] = [];
  private readonly ackedEnds = new Set<number>();
  private watermark = 0;
  readonly provider: HocuspocusProvider;
  readonly socket: HocuspocusProviderWebsocket;
  readonly workbook: Workbook;
  private ownRow: RowId | undefined;
  /** Close codes and reasons of this editor's document, as the provider reported them. */
  private readonly closes: string[] = [];
  private n = 0;

  readonly index: number;

  constructor(index: number, url: string, documentName: string, token: string) {
    this.index = index;
    const editor = this;
    class WatchedWebSocket extends WebSocket {
      constructor(address: string | URL, protocols?: string | string[]) {
        super(address, protocols);
        // The provider drops its listeners before closing; closing a socket still connecting
        // then emits an error nobody listens to, which must not crash the test run.
        this.on("error", () => {});
        const sent: Pending[] = [];
        let step2Sent = false;
        const send = this.send.bind(this) as (data: Uint8Array) => void;
        this.send = ((data: Uint8Array) => {
          const message = editor.readSent(data, step2Sent);
          if (message) {
            sent.push(message);
            step2Sent ||= message.kind === "step2";
          }
          send(data);
        }) as never;
        this.on("message", (data: ArrayBuffer | Buffer) => {
          const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
          const applied = readSyncStatus(bytes);
          if (applied === undefined) return;
          const message = sent.shift();
          if (applied && message) editor.acknowledge(message);
        });
      }
    }
    this.socket = new HocuspocusProviderWebsocket({
      url,
      WebSocketPolyfill: WatchedWebSocket,
      delay: 30,
      minDelay: 30,
      maxDelay: 150,
      maxAttempts: 0,
    });
    this.provider = new HocuspocusProvider({ websocketProvider: this.socket, name: documentName, token, document: new Y.Doc() });
    this.provider.on("close", ({ event }: { event: { code: number; reason: string } }) =>
      this.closes.push(`${event.code} ${event.reason}`),
    );
    this.provider.on("authenticationFailed", ({ reason }: { reason: string }) => this.closes.push(`auth failed: ${reason}`));
    this.provider.attach();
    this.workbook = openWorkbook(this.provider.document, { origin: "editor" });
  }

  private clock(): number {
    return Y.decodeStateVector(Y.encodeStateVector(this.provider.document)).get(this.provider.document.clientID) ?? 0;
  }

  readSent(data: Uint8Array, step2Sent: boolean): Pending | undefined {
    const decoder = decoding.createDecoder(data);
    decoding.readVarString(decoder);
    if (decoding.readVarUint(decoder) !== 0) return undefined;
    const syncType = decoding.readVarUint(decoder);
    if (syncType === 1) return { kind: "step2", upto: this.clock() };
    if (syncType !== 2) return undefined;
    const end = Y.parseUpdateMeta(decoding.readVarUint8Array(decoder)).to.get(this.provider.document.clientID) ?? 0;
    return { kind: "update", end, early: !step2Sent };
  }

  acknowledge(message: Pending): void {
    if (message.kind === "step2") this.watermark = Math.max(this.watermark, message.upto);
    else if (!message.early) this.ackedEnds.add(message.end);
  }

  /** Where this editor stands, for a failure message. */
  describe(): string {
    const unacknowledged = this.edits.filter((edit) => !this.isAcknowledged(edit)).length;
    return `editor ${this.index}: socket ${this.socket.status}, authenticated ${this.provider.isAuthenticated}, synced ${this.provider.isSynced}, ${unacknowledged} edits unacknowledged, last closes [${this.closes.slice(-3).join("; ")}]`;
  }

  isAcknowledged(edit: Edit): boolean {
    return edit.end <= this.watermark || this.ackedEnds.has(edit.end);
  }

  /** One edit: a new row (15 %) or the editor's own row's age set to the next number. */
  edit(): void {
    this.n += 1;
    const n = this.n;
    if (!this.ownRow || Math.random() < 0.15) {
      const rowId = this.workbook.insertRow(requests, { description: `editor${this.index}-row${n}`, age: n });
      this.ownRow ??= rowId;
      this.edits.push({ kind: "insert", n, rowId, end: this.clock() });
      return;
    }
    this.workbook.setCell(requests, this.ownRow, AGE, n);
    this.edits.push({ kind: "age", n, rowId: this.ownRow, end: this.clock() });
  }

  destroy(): void {
    this.provider.destroy();
    this.socket.destroy();
  }
}

/** Waits until every editor meets `condition`; on a timeout, says where those that did not stand. */
async function waitForEditors(editors: readonly Editor[], condition: (editor: Editor) => boolean, what: string, timeoutMs: number) {
  try {
    await waitFor(() => editors.every(condition), what, timeoutMs);
  } catch (error) {
    const behind = editors.filter((editor) => !condition(editor)).map((editor) => editor.describe());
    throw new Error(`${(error as Error).message}: ${behind.join(" | ")}`);
  }
}

/** The applied flag of a SyncStatus frame, or undefined for any other frame. */
function readSyncStatus(bytes: Uint8Array): boolean | undefined {
  const decoder = decoding.createDecoder(bytes);
  decoding.readVarString(decoder);
  if (decoding.readVarUint(decoder) !== 8) return undefined;
  return decoding.readVarInt(decoder) === 1;
}

/** The workbook as the files on disk hold it right now (no server running), and what loading it found. */
function readFromDisk(dataDir: string, documentName: string) {
  const db = new DatabaseSync(join(dataDir, SQLITE_FILE));
  try {
    // As a load reads it (the previous generation only if the snapshot does not verify).
    const stored = readStoredDocument(db, documentName);
    if (!stored) throw new Error(`nothing stored for ${documentName}`);
    const ydoc = new Y.Doc();
    const report = recoverDocument(ydoc, stored, null);
    return { workbook: openWorkbook(ydoc), damage: report.damage };
  } finally {
    db.close();
  }
}

interface Submission {
  readonly marker: string;
  readonly caseNumber: string;
}

/** Submits the request form over and over, each submission retried with its ticket until answered 201. */
function startRequester(url: string, formToken: string) {
  const answered: Submission[] = [];
  let running = true;
  let aborted = false;
  let attempts = 0;
  const loop = async () => {
    for (let i = 1; running; i += 1) {
      const marker = `form-${i}`;
      let ticket: string | undefined;
      while (running && !ticket) {
        try {
          const response = await fetch(`${url}/api/forms/${formToken}`);
          if (response.ok) ticket = ((await response.json()) as { ticket: string }).ticket;
        } catch {
          await sleep(30);
        }
      }
      // Stopped before a ticket came (the server was restarting): nothing was sent, nothing to retry.
      if (!ticket) break;
      const body = JSON.stringify({
        ticket,
        answers: {
          urgency: "urgent",
          category: "medicine",
          district: "xuhui",
          description: marker,
          patientName: "测试",
          phone: "13800000000",
        },
      });
      // Once sent, a submission is retried until answered, even after `running` is cleared.
      while (!aborted) {
        attempts += 1;
        try {
          const response = await fetch(`${url}/api/forms/${formToken}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body,
          });
          if (response.status === 201) {
            answered.push({ marker, caseNumber: ((await response.json()) as { caseNumber: string }).caseNumber });
            break;
          }
          if (response.status < 500) throw new Error(`form submission refused: ${response.status} ${await response.text()}`);
        } catch (error) {
          if (error instanceof Error && error.message.startsWith("form submission refused")) throw error;
        }
        await sleep(30);
      }
    }
  };
  const done = loop();
  return {
    answered,
    attempts: () => attempts,
    async stop() {
      running = false;
      await done;
    },
    /** Gives up at once (the test failed; nobody will answer). */
    abort() {
      running = false;
      aborted = true;
    },
  };
}

/** What must hold: every acknowledged edit and answered submission is in `workbook`, submissions once. */
function checkDurable(
  workbook: Workbook,
  editors: readonly { editor: Editor; edits: readonly Edit[] }[],
  submissions: readonly Submission[],
) {
  const rows = workbook.listRows(requests, { includeDeleted: true });
  const problems: string[] = [];
  for (const { editor, edits } of editors) {
    for (const edit of edits) {
      const row = workbook.findRow(requests, edit.rowId);
      if (!row) problems.push(`editor ${editor.index}: row of edit ${edit.n} missing`);
      else if (edit.kind === "insert" && row.cells["description"] !== `editor${editor.index}-row${edit.n}`) {
        problems.push(`editor ${editor.index}: row ${edit.n} has ${String(row.cells["description"])}`);
      } else if (edit.kind === "age" && Number(row.cells["age"]) < edit.n) {
        problems.push(`editor ${editor.index}: age ${edit.n} acknowledged, ${String(row.cells["age"])} stored`);
      }
    }
  }
  for (const { marker, caseNumber } of submissions) {
    const found = rows.filter((row) => row.cells["description"] === marker);
    if (found.length !== 1) problems.push(`submission ${marker} stored ${found.length} times`);
    else if (found[0]?.cells["caseNumber"] !== caseNumber)
      problems.push(`submission ${marker}: case number ${String(found[0]?.cells["caseNumber"])}, answered ${caseNumber}`);
  }
  return problems;
}

describe("SIGKILL", () => {
  it(`loses no acknowledged edit or answered form submission over ${ROUNDS} kills at random moments`, { timeout: 240_000 }, async () => {
    const started = performance.now();
    const dataDir = mkdtempSync(join(tmpdir(), "huzhu-kill-"));
    const port = await freePort();
    const adminToken = createToken();
    const url = `http://127.0.0.1:${port}`;
    const server = new ServerProcess({ HUZHU_KILL_DATA_DIR: dataDir, HUZHU_KILL_PORT: String(port), HUZHU_KILL_ADMIN_TOKEN: adminToken });
    await server.start();
    const post = async (path: string, body: unknown) =>
      (await fetch(`${url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then((response) => response.json())) as unknown;
    const created = (await post("/api/workbooks", { template: "shanghai-medical", title: "断电测试" })) as {
      id: string;
      links: { editor: { token: string } };
    };
    const formToken = ((await post(`/api/workbooks/${created.id}/links`, { role: "form", label: "求助表单" })) as { token: string }).token;

    const editors = Array.from(
      { length: EDITORS },
      (_, i) => new Editor(i, `ws://127.0.0.1:${port}/collab`, created.id, created.links.editor.token),
    );
    const requester = startRequester(url, formToken);
    try {
      await waitFor(() => editors.every((editor) => editor.provider.isSynced), "the editors' first sync");
      const timer = setInterval(() => {
        for (const editor of editors) editor.edit();
      }, EDIT_EVERY_MS);
      const ackedPerLife: number[] = [];
      let ackedBefore = 0;
      try {
        for (let round = 1; round <= ROUNDS; round += 1) {
          // Half the kills land while everyone is connected and editing, half at any moment after a
          // restart (editors reconnecting, documents loading, handshakes under way).
          if (round % 2 === 0) await waitForEditors(editors, (editor) => editor.provider.isSynced, "the editors back", 20_000);
          await sleep(100 + Math.random() * 500);
          await server.kill();
          await sleep(20); // acknowledgements already on the wire
          const acknowledged = editors.map((editor) => ({ editor, edits: editor.edits.filter((edit) => editor.isAcknowledged(edit)) }));
          const answered = [...requester.answered];
          const { workbook, damage } = readFromDisk(dataDir, created.id);
          expect(damage, `round ${round}: damaged entries after a SIGKILL`).toEqual([]);
          const problems = checkDurable(workbook, acknowledged, answered);
          // The first few only: a diff of thousands of lines would take the reporter minutes.
          expect(problems.slice(0, 5), `round ${round}: ${problems.length} acknowledged edits or submissions missing`).toEqual([]);
          const acked = acknowledged.reduce((sum, { edits }) => sum + edits.length, 0);
          ackedPerLife.push(acked - ackedBefore);
          ackedBefore = acked;
          await server.start();
        }
      } finally {
        clearInterval(timer);
      }
      await requester.stop();

      // Everyone reconnects and merges what the server never acknowledged.
      await waitForEditors(
        editors,
        (editor) => editor.provider.isSynced && editor.edits.every((edit) => editor.isAcknowledged(edit)),
        "every edit of every editor to be acknowledged",
        30_000,
      );
      await server.kill("SIGTERM");
      const { workbook, damage } = readFromDisk(dataDir, created.id);
      expect(damage).toEqual([]);
      const everything = editors.map((editor) => ({ editor, edits: editor.edits }));
      const problems = checkDurable(workbook, everything, requester.answered);
      expect(problems.slice(0, 5), `${problems.length} edits or submissions missing at the end`).toEqual([]);
      const finalAges = editors.map((editor) => editor.edits.filter((edit) => edit.kind === "age").at(-1));
      for (const last of finalAges) if (last) expect(workbook.findRow(requests, last.rowId)?.cells["age"]).toBe(last.n);

      const edits = editors.reduce((sum, editor) => sum + editor.edits.length, 0);
      const median = (values: number[]) => Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0);
      console.info(
        `SIGKILL test: ${ROUNDS} kills in ${Math.round((performance.now() - started) / 1000)} s; ${edits} edits by ${EDITORS} editors, ` +
          `${ackedBefore} acknowledged before a kill and checked in the files (per server life: median ${median(ackedPerLife)}, ` +
          `min ${Math.min(...ackedPerLife)}, max ${Math.max(...ackedPerLife)}); ${requester.answered.length} form submissions ` +
          `(${requester.attempts()} requests); restart to listening: median ${median(server.restartsMs.slice(1))} ms`,
      );
    } finally {
      for (const editor of editors) editor.destroy();
      requester.abort();
      await server.kill();
    }
  });
});
