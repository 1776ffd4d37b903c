import { monitorEventLoopDelay } from "node:perf_hooks";
import * as Y from "yjs";
import { type RowId, type Workbook, openWorkbook } from "@huzhu/schema";
import { Histogram } from "./histogram.ts";
import { serveRequests } from "./ipc.ts";
import { LightClient, encodeUpdateFrame } from "./light-client.ts";
import { createMarker, nowUs, scanMarkers } from "./marker.ts";
import type { ConnectReport, EditorAssignment, Endpoint, GeneratorRequest, GeneratorResult } from "./messages.ts";
import { openFileLimit } from "./proc-stats.ts";
import { EDITED_COLUMN, REQUESTS_SHEET } from "./requests-sheet.ts";

/**
 * A load-generator process: holds many light clients, makes the editors' edits on a small local
 * document (template + editor rows) and measures edit → receive latency from markers found in
 * received frames. Nothing received is ever applied.
 */
interface Editor {
  readonly assignment: EditorAssignment;
  readonly client: LightClient;
  clientId: number;
  seq: number;
}

const KEEPALIVE_MS = 20_000;
/** An edit sent this long after its slot counts as late: the generator could not keep up. */
const LATE_US = 100_000;
const LOOP_RESOLUTION_MS = 5;

const editors: Editor[] = [];
const viewers: LightClient[] = [];
let localDoc: Y.Doc | null = null;
let localWorkbook: Workbook | null = null;
let documentName = "";
let measuring = false;
let closedDuringRun = 0;
/** The current run's schedule: edit `seq` of editor `e` is due at startUs + seq·periodUs + offset(e). */
const schedule = { run: 0, startUs: 0, periodUs: 1e6, totalEditors: 1 };
const scheduledUs = (editor: number, seq: number) =>
  schedule.startUs + seq * schedule.periodUs + (editor / Math.max(1, schedule.totalEditors)) * schedule.periodUs;

/** What one audience (editors or viewers) of this generator received during a run. */
class AudienceStats {
  latency = new Histogram();
  /** (editor, seq) → [receivers reached, slowest µs]. */
  deliveries = new Map<number, [number, number]>();

  reset(): void {
    this.latency = new Histogram();
    this.deliveries = new Map();
  }

  private record(editor: number, seq: number, latencyUs: number): void {
    this.latency.record(latencyUs);
    const key = editor * 2 ** 20 + seq;
    const entry = this.deliveries.get(key);
    if (!entry) this.deliveries.set(key, [1, latencyUs]);
    else {
      entry[0]++;
      if (latencyUs > entry[1]) entry[1] = latencyUs;
    }
  }

  /**
   * A frame handler for one receiver that times every marker in received frames, except the
   * receiver's own edits. With `supersede`, a marker also delivers the same editor's earlier edits
   * this receiver never saw: a batched audience (Huzhu's public viewers) may skip a value that a
   * newer one replaced, and sees that edit when it sees the newer value. A skipped edit's send time
   * is its scheduled time (edits leave on schedule unless counted as late).
   */
  listener(self: number | null, supersede: boolean): (frame: Buffer) => void {
    let newest = new Int32Array(0);
    let run = -1;
    return (frame) => {
      if (!measuring) return;
      const now = nowUs();
      scanMarkers(frame, (editor, seq, sentUs) => {
        if (editor === self) return; // Hocuspocus echoes an edit to its sender too
        if (!supersede) return this.record(editor, seq, now - sentUs);
        if (run !== schedule.run) {
          newest = new Int32Array(schedule.totalEditors).fill(-1);
          run = schedule.run;
        }
        const from = (newest[editor] ?? -1) + 1;
        for (let skipped = from; skipped < seq; skipped++) this.record(editor, skipped, now - scheduledUs(editor, skipped));
        if (seq >= from) {
          this.record(editor, seq, now - sentUs);
          newest[editor] = seq;
        }
      });
    };
  }

  flatDeliveries(): number[] {
    const flat: number[] = [];
    for (const [key, [count, maxUs]] of this.deliveries) flat.push(Math.floor(key / 2 ** 20), key % 2 ** 20, count, maxUs);
    return flat;
  }
}

const editorStats = new AudienceStats();
const viewerStats = new AudienceStats();

/** Connects `count` clients with at most `concurrency` handshakes in flight, until `timeoutMs`. */
async function connectMany(
  count: number,
  concurrency: number,
  timeoutMs: number,
  create: (i: number) => LightClient,
  keep: (client: LightClient, i: number) => void,
): Promise<ConnectReport> {
  const startedAt = performance.now();
  const deadline = startedAt + timeoutMs;
  const syncMs: number[] = [];
  const errors: string[] = [];
  let next = 0;
  let failed = 0;
  let aborted = false;
  let syncBytes = 0;
  let readOnly = 0;
  const worker = async () => {
    while (next < count && !aborted) {
      const i = next++;
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        failed++;
        continue;
      }
      const client = create(i);
      try {
        const timing = await client.connect(Math.min(remaining, 30_000));
        syncMs.push(timing.syncedMs);
        syncBytes += timing.syncBytes;
        if (timing.readOnly) readOnly++;
        keep(client, i);
      } catch (error) {
        failed++;
        if (errors.length < 5) errors.push(error instanceof Error ? error.message : String(error));
        // A server that refuses the first batch outright will refuse the rest: stop asking.
        if (syncMs.length === 0 && failed >= Math.min(concurrency, count)) aborted = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (aborted) failed = count - syncMs.length;
  syncMs.sort((a, b) => a - b);
  return {
    connected: syncMs.length,
    failed,
    errors,
    syncMsP50: syncMs.length ? (syncMs[Math.floor(syncMs.length / 2)] as number) : null,
    syncMsMax: syncMs.length ? (syncMs[syncMs.length - 1] as number) : null,
    syncBytes,
    readOnly,
    elapsedMs: performance.now() - startedAt,
    fileLimit: openFileLimit(),
  };
}

function onClose(): void {
  if (measuring) closedDuringRun++;
}

function connectEditors(
  endpoint: Endpoint,
  base: Uint8Array,
  assignments: readonly EditorAssignment[],
  concurrency: number,
  timeoutMs: number,
) {
  documentName = endpoint.documentName;
  localDoc = new Y.Doc();
  Y.applyUpdate(localDoc, base);
  localWorkbook = openWorkbook(localDoc);
  return connectMany(
    assignments.length,
    concurrency,
    timeoutMs,
    (i) => new LightClient({ ...endpoint, onClose, onUpdate: editorStats.listener((assignments[i] as EditorAssignment).index, false) }),
    (client, i) => editors.push({ assignment: assignments[i] as EditorAssignment, client, clientId: 0, seq: 0 }),
  );
}

function connectViewers(endpoint: Endpoint, count: number, concurrency: number, timeoutMs: number) {
  return connectMany(
    count,
    concurrency,
    timeoutMs,
    () => new LightClient({ ...endpoint, onClose, onUpdate: viewerStats.listener(null, true) }),
    (client) => viewers.push(client),
  );
}

/** A fresh Yjs client id per editor per run, never one already in the local document. */
function assignClientIds(doc: Y.Doc): void {
  const taken = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const editor of editors) {
    let id = 0;
    while (id === 0 || taken.has(id)) id = Math.floor(Math.random() * 2 ** 31);
    taken.set(id, 0);
    editor.clientId = id;
  }
}

/** Makes one edit on the local document and returns its update (the doc acts as that editor). */
function makeEdit(doc: Y.Doc, workbook: Workbook, editor: Editor, sentUs: number): Uint8Array {
  let update: Uint8Array | null = null;
  const capture = (u: Uint8Array) => {
    update = u;
  };
  doc.on("update", capture);
  doc.clientID = editor.clientId;
  const value = `（基准）${createMarker(editor.assignment.index, editor.seq, sentUs)}`;
  workbook.setCell(REQUESTS_SHEET, editor.assignment.rowId as RowId, EDITED_COLUMN, value);
  doc.off("update", capture);
  if (!update) throw new Error("the edit produced no update");
  return update;
}

const totalFrames = () => editors.reduce((n, e) => n + e.client.framesReceived, 0) + viewers.reduce((n, v) => n + v.framesReceived, 0);
const totalBytes = () => editors.reduce((n, e) => n + e.client.bytesReceived, 0) + viewers.reduce((n, v) => n + v.bytesReceived, 0);
const sleepUntilUs = (us: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, (us - nowUs()) / 1000)));

async function run(request: Extract<GeneratorRequest, { kind: "run" }>): Promise<GeneratorResult> {
  const { startUs, durationMs, rate, totalEditors, drainMs } = request;
  editorStats.reset();
  viewerStats.reset();
  Object.assign(schedule, { run: schedule.run + 1, startUs, periodUs: 1e6 / rate, totalEditors });
  closedDuringRun = 0;
  const doc = localDoc;
  const workbook = localWorkbook;
  if (doc) assignClientIds(doc);
  const rounds = Math.max(0, Math.floor((durationMs / 1000) * rate));
  // Phases grow with the editor index, so this is the order of due times within every round.
  const order = [...editors].sort((a, b) => a.assignment.index - b.assignment.index);
  const endUs = startUs + durationMs * 1000;
  const hardStopUs = endUs + 5e6;

  await sleepUntilUs(startUs);
  measuring = true;
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loopDelay.enable();
  const cpuStart = process.cpuUsage();
  const framesStart = totalFrames();
  const bytesStart = totalBytes();
  let editsSent = 0;
  let editsLate = 0;
  let refusedStart = 0;
  for (const e of editors) refusedStart += e.client.refused;

  // Every editor edits once per period at its own phase; bounded by rounds and by a hard stop.
  await new Promise<void>((resolve) => {
    if (!doc || !workbook || order.length === 0 || rounds === 0) return void resolve();
    let round = 0;
    let position = 0;
    const dueUs = () => scheduledUs((order[position] as Editor).assignment.index, round);
    const tick = () => {
      const now = nowUs();
      let budget = 200; // yield regularly so received frames are timed promptly
      while (round < rounds && budget-- > 0 && dueUs() <= now) {
        const editor = order[position] as Editor;
        if (now - dueUs() > LATE_US) editsLate++;
        if (!editor.client.closed && now < hardStopUs) {
          const sentUs = nowUs();
          editor.client.sendFrame(encodeUpdateFrame(documentName, makeEdit(doc, workbook, editor, sentUs)));
          editor.seq++;
          editsSent++;
        }
        position++;
        if (position === order.length) {
          position = 0;
          round++;
        }
      }
      if (round >= rounds || now >= hardStopUs) return void resolve();
      setTimeout(tick, Math.max(0, (dueUs() - nowUs()) / 1000));
    };
    tick();
  });

  await sleepUntilUs(endUs);
  const cpu = process.cpuUsage(cpuStart);
  const windowMs = (nowUs() - startUs) / 1000;
  const framesInWindow = totalFrames() - framesStart;
  const bytesInWindow = totalBytes() - bytesStart;
  loopDelay.disable();
  await sleepUntilUs(nowUs() + drainMs * 1000);
  measuring = false;
  let refused = -refusedStart;
  for (const e of editors) refused += e.client.refused;
  return {
    editsSent,
    editsLate,
    editorLatency: editorStats.latency.toData(),
    viewerLatency: viewerStats.latency.toData(),
    editorDeliveries: editorStats.flatDeliveries(),
    viewerDeliveries: viewerStats.flatDeliveries(),
    framesInWindow,
    bytesInWindow,
    cpuUs: cpu.user + cpu.system,
    windowMs,
    // The monitor records whole timer intervals; what exceeds its resolution is delay.
    loopDelayP99Ms: Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS),
    rssBytes: process.memoryUsage().rss,
    closedDuringRun,
    refusedUpdates: refused,
  };
}

const keepalive = setInterval(() => {
  for (const e of editors) e.client.keepAlive();
  for (const v of viewers) v.keepAlive();
}, KEEPALIVE_MS);
keepalive.unref();

async function handle(raw: unknown): Promise<unknown> {
  const request = raw as GeneratorRequest;
  switch (request.kind) {
    case "connectEditors":
      return connectEditors(request.endpoint, request.editorBase, request.editors, request.concurrency, request.timeoutMs);
    case "connectViewers":
      return connectViewers(request.endpoint, request.count, request.concurrency, request.timeoutMs);
    case "run":
      return run(request);
    case "close":
      for (const e of editors) e.client.close();
      for (const v of viewers) v.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

serveRequests(handle);
