import os from "node:os";
import { GeneratorPool, type PoolConnectReport } from "./generators.ts";
import { Histogram, type HistogramData, type LatencySummary, summarize } from "./histogram.ts";
import type { EditDeliveries, GeneratorResult, TargetKind } from "./messages.ts";
import { MachineSampler, ProcessSampler, type ProcessUsage, openFileLimit } from "./proc-stats.ts";
import { type PreparedWorkbook, TargetServer } from "./targets.ts";

/** One measured load: editors editing (and optionally viewers watching) one requests sheet. */
export interface LoadOptions {
  readonly target: TargetKind;
  readonly rows: number;
  readonly editors: number;
  readonly viewers: number;
  /** Edits per second per editor. */
  readonly rate: number;
  readonly durationMs: number;
  readonly drainMs: number;
  readonly generators: number;
  readonly connectTimeoutMs: number;
}

/** How one audience received the edits. */
export interface AudienceResult {
  readonly connect: PoolConnectReport;
  /** Edit → receive latency over every delivery. */
  readonly latency: LatencySummary;
  /** Per edit, the time until the slowest member of the audience had it: p99 over edits. */
  readonly allReceivedP99: number | null;
  /** Deliveries seen / deliveries expected (every edit to every member but its author); null when none were expected. */
  readonly deliveredRatio: number | null;
}

export interface GeneratorUsage {
  readonly cpuPercent: number;
  readonly loopDelayP99Ms: number;
  readonly rssBytes: number;
  readonly editsLate: number;
}

export interface LoadResult {
  readonly options: LoadOptions;
  readonly documentBytes: number;
  readonly editsSent: number;
  readonly editors: AudienceResult;
  readonly viewers: AudienceResult | null;
  /** Frames and bytes the server sent to all clients per second during the edit window. */
  readonly framesPerSecond: number;
  readonly bytesPerSecond: number;
  readonly server: ProcessUsage & {
    readonly rssBeforeLoadBytes: number;
    readonly rssWithEditorsBytes: number;
    readonly rssWithViewersBytes: number;
    /** Live heap (after a full GC) with the editors connected, and with the viewers too. */
    readonly heapWithEditorsBytes: number;
    readonly heapWithViewersBytes: number;
  };
  readonly generators: readonly GeneratorUsage[];
  /** The whole machine's CPU use during the edit window, % of all cores (other users' load included). */
  readonly machineCpuPercent: number;
  /** CPU used by processes outside this benchmark during the window, % of one core (the coordinator counts as outside). */
  readonly otherCpuPercent: number;
  readonly closedDuringRun: number;
  readonly refusedUpdates: number;
}

function mergeDeliveries(lists: readonly EditDeliveries[]): Map<number, [number, number]> {
  const merged = new Map<number, [number, number]>();
  for (const flat of lists) {
    for (let i = 0; i + 3 < flat.length; i += 4) {
      const key = (flat[i] as number) * 2 ** 20 + (flat[i + 1] as number);
      const count = flat[i + 2] as number;
      const maxUs = flat[i + 3] as number;
      const entry = merged.get(key);
      if (entry) {
        entry[0] += count;
        if (maxUs > entry[1]) entry[1] = maxUs;
      } else merged.set(key, [count, maxUs]);
    }
  }
  return merged;
}

function audience(
  connect: PoolConnectReport,
  results: readonly GeneratorResult[],
  pick: (r: GeneratorResult) => { latency: HistogramData; deliveries: EditDeliveries },
  editsSent: number,
  receiversPerEdit: number,
): AudienceResult {
  const latency = new Histogram();
  for (const r of results) latency.merge(pick(r).latency);
  const deliveries = mergeDeliveries(results.map((r) => pick(r).deliveries));
  // Edits nobody received never appear in `deliveries`; they count as never complete.
  const allReceived = new Histogram();
  for (const [count, maxUs] of deliveries.values()) if (count >= receiversPerEdit) allReceived.record(maxUs);
  const complete = allReceived.total;
  const expected = editsSent * receiversPerEdit;
  return {
    connect,
    latency: summarize(latency),
    // Over complete edits only, and only when (nearly) every edit completed; otherwise not meaningful.
    allReceivedP99: complete >= editsSent * 0.99 ? allReceived.quantileMs(0.99) : null,
    deliveredRatio: expected ? latency.total / expected : null,
  };
}

/** Descriptors kept free in each process for files, pipes and the IPC channel. */
const SPARE_FILES = 200;

/**
 * Every viewer holds a socket in the server and one in a generator. Node cannot raise its own
 * open-file limit, so when `ulimit -n` is too low the run is capped (and says so) instead of
 * failing half-way with EMFILE; raise the limit before `pnpm bench` to go further.
 */
function viewersWithinFileLimits(
  wanted: number,
  editors: number,
  serverPid: number,
  generatorLimits: readonly (number | null)[],
  log: (line: string) => void,
): number {
  const serverLimit = openFileLimit(serverPid) ?? Number.POSITIVE_INFINITY;
  const serverRoom = serverLimit - editors - SPARE_FILES;
  // Viewers are dealt evenly, so the tightest generator bounds them all.
  const perGenerator = Math.min(
    ...generatorLimits.map((l) => (l ?? Number.POSITIVE_INFINITY) - SPARE_FILES - editors / generatorLimits.length),
  );
  const allowed = Math.floor(Math.max(0, Math.min(wanted, serverRoom, perGenerator * generatorLimits.length)));
  if (allowed < wanted)
    log(
      `  capping viewers at ${allowed}: open-file limits (server ${serverLimit}, generators ${generatorLimits.join("/")}); raise ulimit -n`,
    );
  return allowed;
}

/** Generators start editing this long after the run request, all at once. */
const START_DELAY_MS = 500;
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one load against a fresh server process and fresh generators; closes both afterwards. */
export async function runLoad(options: LoadOptions, log: (line: string) => void): Promise<LoadResult> {
  const server = await TargetServer.start(options.target);
  let pool: GeneratorPool | null = null;
  let workbook: PreparedWorkbook | null = null;
  try {
    workbook = await server.prepareRequestsSheet({ rows: options.rows, editorRows: options.editors });
    const rssBeforeLoadBytes = (await server.stats()).rssBytes;
    const viewerEndpoint = workbook.viewer;
    if (options.viewers > 0 && !viewerEndpoint) throw new Error(`no read-only audience: ${workbook.viewerUnavailable}`);
    pool = GeneratorPool.start(options.generators);
    const editorConnect = await pool.connectEditors(
      workbook.editor,
      workbook.editorBase,
      workbook.editorRowIds.map((rowId, index) => ({ index, rowId })),
      options.connectTimeoutMs,
    );
    log(
      `  ${options.target}: ${editorConnect.connected}/${options.editors} editors connected in ${(editorConnect.elapsedMs / 1000).toFixed(1)} s`,
    );
    if (editorConnect.errors.length) log(`    first errors: ${editorConnect.errors.join(" | ")}`);
    await settle(500);
    const withEditors = await server.stats(true);
    let viewerConnect: PoolConnectReport | null = null;
    let withViewers = withEditors;
    if (options.viewers > 0 && viewerEndpoint) {
      const viewers = viewersWithinFileLimits(options.viewers, options.editors, server.pid, editorConnect.fileLimits, log);
      viewerConnect = await pool.connectViewers(viewerEndpoint, viewers, options.connectTimeoutMs);
      log(
        `  ${options.target}: ${viewerConnect.connected}/${options.viewers} viewers connected in ${(viewerConnect.elapsedMs / 1000).toFixed(1)} s`,
      );
      if (viewerConnect.errors.length) log(`    first errors: ${viewerConnect.errors.join(" | ")}`);
      await settle(1000);
      withViewers = await server.stats(true);
    }

    // Server CPU is measured over the edit window only, the same window the generators use.
    const window: { sampler: ProcessSampler | null; machine: MachineSampler | null; usage: ProcessUsage | null; machineCpu: number } = {
      sampler: null,
      machine: null,
      usage: null,
      machineCpu: 0,
    };
    const serverPid = server.pid;
    const startTimer = setTimeout(() => {
      window.sampler = new ProcessSampler(serverPid);
      window.machine = new MachineSampler();
    }, START_DELAY_MS);
    const stopTimer = setTimeout(() => {
      window.usage = window.sampler?.stop() ?? null;
      window.machineCpu = window.machine?.stop() ?? 0;
    }, START_DELAY_MS + options.durationMs);
    const results = await pool.run({
      durationMs: options.durationMs,
      rate: options.rate,
      totalEditors: options.editors,
      drainMs: options.drainMs,
      startDelayMs: START_DELAY_MS,
    });
    clearTimeout(startTimer);
    clearTimeout(stopTimer);
    const serverUsage = window.usage ?? window.sampler?.stop() ?? { cpuPercent: 0, rssStartBytes: 0, rssPeakBytes: 0, rssEndBytes: 0 };

    const editsSent = results.reduce((n, r) => n + r.editsSent, 0);
    const windowS = results.reduce((n, r) => n + r.windowMs, 0) / results.length / 1000;
    return {
      options,
      documentBytes: workbook.documentBytes,
      editsSent,
      editors: audience(
        editorConnect,
        results,
        (r) => ({ latency: r.editorLatency, deliveries: r.editorDeliveries }),
        editsSent,
        Math.max(0, editorConnect.connected - 1),
      ),
      viewers: viewerConnect
        ? audience(
            viewerConnect,
            results,
            (r) => ({ latency: r.viewerLatency, deliveries: r.viewerDeliveries }),
            editsSent,
            viewerConnect.connected,
          )
        : null,
      framesPerSecond: results.reduce((n, r) => n + r.framesInWindow, 0) / windowS,
      bytesPerSecond: results.reduce((n, r) => n + r.bytesInWindow, 0) / windowS,
      server: {
        ...serverUsage,
        rssBeforeLoadBytes,
        rssWithEditorsBytes: withEditors.rssBytes,
        rssWithViewersBytes: withViewers.rssBytes,
        heapWithEditorsBytes: withEditors.heapUsedBytes,
        heapWithViewersBytes: withViewers.heapUsedBytes,
      },
      generators: results.map((r) => ({
        cpuPercent: (r.cpuUs / (r.windowMs * 1000)) * 100,
        loopDelayP99Ms: r.loopDelayP99Ms,
        rssBytes: r.rssBytes,
        editsLate: r.editsLate,
      })),
      machineCpuPercent: window.machineCpu,
      otherCpuPercent: Math.max(
        0,
        window.machineCpu * os.availableParallelism() -
          serverUsage.cpuPercent -
          results.reduce((n, r) => n + (r.cpuUs / (r.windowMs * 1000)) * 100, 0),
      ),
      closedDuringRun: results.reduce((n, r) => n + r.closedDuringRun, 0),
      refusedUpdates: results.reduce((n, r) => n + r.refusedUpdates, 0),
    };
  } finally {
    workbook?.release();
    await pool?.close();
    await server.close();
  }
}

/** One load on one target within a comparison, or why it failed. */
export interface ComparisonRow {
  readonly target: TargetKind;
  /** The count being varied (editors in the editors benchmark, viewers in the viewers one). */
  readonly clients: number;
  readonly result: LoadResult | null;
  readonly error: string | null;
}

/**
 * Runs one load per count and target; the targets run back to back for each count so that their
 * figures come from the same conditions. A failed load becomes a row with its error.
 */
export async function compareTargets(
  counts: readonly number[],
  targets: readonly TargetKind[],
  optionsFor: (clients: number, target: TargetKind) => LoadOptions,
  log: (line: string) => void,
): Promise<ComparisonRow[]> {
  const rows: ComparisonRow[] = [];
  for (const clients of counts) {
    for (const target of targets) {
      const options = optionsFor(clients, target);
      log(
        `${options.viewers ? `${options.viewers} viewers, ` : ""}${options.editors} editors × ${options.rate} edit/s for ${options.durationMs / 1000} s on ${target}`,
      );
      try {
        rows.push({ target, clients, result: await runLoad(options, log), error: null });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`  ${target} failed: ${message}`);
        rows.push({ target, clients, result: null, error: message });
      }
    }
  }
  return rows;
}
