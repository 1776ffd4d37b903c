import { type GridTiming, ProviderPage, browserUnavailable, launchBrowser, timeHuzhuGrid } from "./lib/browser.ts";
import { failedRow, mb, ms, table } from "./lib/format.ts";
import { EMPTY_STATE_VECTOR, LightClient } from "./lib/light-client.ts";
import type { Endpoint, TargetKind } from "./lib/messages.ts";
import { processCpuUs, processRssBytes } from "./lib/proc-stats.ts";
import { REQUESTS_SHEET } from "./lib/requests-sheet.ts";
import { type PreparedWorkbook, TargetServer } from "./lib/targets.ts";

/**
 * Size benchmark: a large requests sheet on a freshly started server. Cold load is the time from a
 * client's connect to its first sync while the server loads the document from storage (bare
 * Hocuspocus: from an encoded state file; Huzhu: from its own store), plus the memory it takes.
 * Then, on a freshly restarted server again, Chromium: Huzhu's editor page, opened on the requests
 * tab, until its rows show (the preview), it has scrolled to the last row, and the live grid is
 * there; for bare Hocuspocus, `@hocuspocus/provider` in the same browser until the document synced
 * (no grid: the least any client must spend to hold the live document). Each twice: on
 * the cold server, then on the warm one (a sheet volunteers are working in stays loaded).
 */
export interface SizeOptions {
  readonly targets: readonly TargetKind[];
  readonly rows: number;
  /** Cold loads per target (each in a fresh server process); the median is reported. */
  readonly repeats: number;
}

export const sizeDefaults: Omit<SizeOptions, "targets"> = { rows: 30_000, repeats: 3 };

export interface SizeResult {
  readonly documentBytes: number;
  /** Connect → synced for a client that already holds the document (server load dominates): median and fastest. */
  readonly coldSyncMs: number;
  readonly coldSyncMinMs: number;
  /** Server CPU spent on that, ms (median). */
  readonly coldCpuMs: number;
  /** The host's own onLoadDocument → afterLoadDocument time (bare Hocuspocus only; median). */
  readonly serverLoadMs: number | null;
  readonly rssBeforeBytes: number;
  readonly rssLoadedBytes: number;
  /** Live heap with the document loaded, after a full GC. */
  readonly heapLoadedBytes: number;
  /** A second client with nothing: the whole document from a warm server. */
  readonly fullSyncMs: number;
  readonly fullSyncBytes: number;
  /** Chromium on a cold server, then again on the now warm one (Partial: bare Hocuspocus has no grid), or why not. */
  readonly browser: { readonly cold: Partial<GridTiming>; readonly warm: Partial<GridTiming> } | { readonly error: string };
}

export interface SizeRow {
  readonly target: TargetKind;
  readonly rows: number;
  readonly result: SizeResult | null;
  readonly error: string | null;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

/** One cold load on a just-restarted server; the client stays connected so the document stays loaded. */
async function coldLoad(server: TargetServer, endpoint: Endpoint) {
  await settle(500);
  const rssBeforeBytes = processRssBytes(server.pid);
  const cpuBefore = processCpuUs(server.pid);
  // The client claims the whole state, so its sync measures the load, not the transfer.
  const holder = new LightClient(endpoint);
  const timing = await holder.connect(120_000);
  const cpuMs = (processCpuUs(server.pid) - cpuBefore) / 1000;
  const loadMs = (await server.stats()).loads[0]?.ms ?? null;
  return { holder, syncMs: timing.syncedMs, cpuMs, loadMs, rssBeforeBytes };
}

async function measureSize(target: TargetKind, rows: number, repeats: number, log: (line: string) => void): Promise<SizeResult> {
  let server = await TargetServer.start(target);
  try {
    const workbook = await server.prepareRequestsSheet({ rows, editorRows: 0 });
    workbook.release();
    log(`  ${target}: ${rows} rows, ${mb(workbook.documentBytes)} MB encoded, prepared in ${ms(workbook.buildMs)} ms`);
    const loads: Awaited<ReturnType<typeof coldLoad>>[] = [];
    for (let i = 0; i < Math.max(1, repeats); i++) {
      loads.at(-1)?.holder.close();
      server = await server.restart();
      loads.push(await coldLoad(server, { ...workbook.editor, url: server.started.collabUrl }));
    }
    const last = loads.at(-1) as Awaited<ReturnType<typeof coldLoad>>;
    await settle(1000);
    const rssLoadedBytes = processRssBytes(server.pid);
    const { heapUsedBytes: heapLoadedBytes } = await server.stats(true);
    const full = new LightClient({ ...workbook.editor, url: server.started.collabUrl, stateVector: EMPTY_STATE_VECTOR });
    const fullSync = await full.connect(120_000);
    full.close();
    last.holder.close();
    server = await server.restart();
    const browser = await timeBrowser(target, server, workbook, rows, log).catch((error: unknown) => ({
      error: error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error),
    }));
    if ("error" in browser) log(`  ${target}: browser: ${browser.error}`);
    const hookTimes = loads.map((l) => l.loadMs).filter((v): v is number => v !== null);
    return {
      documentBytes: workbook.documentBytes,
      coldSyncMs: median(loads.map((l) => l.syncMs)),
      coldSyncMinMs: Math.min(...loads.map((l) => l.syncMs)),
      coldCpuMs: median(loads.map((l) => l.cpuMs)),
      serverLoadMs: hookTimes.length ? median(hookTimes) : null,
      rssBeforeBytes: last.rssBeforeBytes,
      rssLoadedBytes,
      heapLoadedBytes,
      fullSyncMs: fullSync.syncedMs,
      fullSyncBytes: fullSync.syncBytes,
      browser,
    };
  } finally {
    await server.close();
  }
}

/**
 * Chromium against a just-restarted server (see the file's comment): first cold, then warm — with
 * the document held loaded by a client that stays connected, as when volunteers are working in it.
 */
async function timeBrowser(
  target: TargetKind,
  server: TargetServer,
  workbook: PreparedWorkbook,
  rows: number,
  log: (line: string) => void,
): Promise<SizeResult["browser"]> {
  const unavailable = browserUnavailable();
  if (unavailable) return { error: unavailable };
  const browser = await launchBrowser();
  const anchorPage = target === "huzhu" ? null : await ProviderPage.start();
  const open = async (): Promise<Partial<GridTiming>> => {
    if (!anchorPage) {
      const link = workbook.links?.["editor"];
      if (!link) throw new Error("the workbook has no editor link");
      const url = new URL(link.url);
      url.host = `127.0.0.1:${server.started.port}`;
      // The page remembers the open tab in its link: a volunteer working on requests reopens there.
      const hash = new URLSearchParams(url.hash.slice(1));
      hash.set("sheet", REQUESTS_SHEET);
      url.hash = hash.toString();
      return timeHuzhuGrid(browser, url.href, REQUESTS_SHEET, rows);
    }
    const { documentName, token } = workbook.editor;
    return { liveMs: await anchorPage.timeSync(browser, server.started.collabUrl, documentName, token) };
  };
  let holder: LightClient | null = null;
  try {
    const cold = await open();
    holder = new LightClient({ ...workbook.editor, url: server.started.collabUrl });
    await holder.connect(120_000);
    const warm = await open();
    for (const [when, timing] of [
      ["cold", cold],
      ["warm", warm],
    ] as const) {
      if (timing.previewMs !== undefined)
        log(`  ${target}: browser ${when}: preview received at ${timing.previewMs} ms, rows shown at ${timing.rowsMs} ms`);
    }
    return { cold, warm };
  } finally {
    holder?.close();
    await anchorPage?.close();
    await browser.close();
  }
}

export async function runSize(options: SizeOptions, log: (line: string) => void): Promise<SizeRow[]> {
  const rows: SizeRow[] = [];
  for (const target of options.targets) {
    log(`size: ${options.rows}-row requests sheet, ${options.repeats} cold loads on ${target}`);
    try {
      rows.push({ target, rows: options.rows, result: await measureSize(target, options.rows, options.repeats, log), error: null });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`  ${target} failed: ${message}`);
      rows.push({ target, rows: options.rows, result: null, error: message });
    }
  }
  return rows;
}

const HEADERS = [
  "rows",
  "server",
  "doc MB",
  "cold sync ms",
  "fastest",
  "srv CPU ms",
  "load hook ms",
  "RSS before MB",
  "RSS loaded MB",
  "heap MB",
  "full sync ms",
  "full sync MB",
  "browser rows ms",
  "scrolled ms",
  "live ms",
  "warm rows ms",
  "warm scrolled ms",
  "warm live ms",
];

export function sizeTable(rows: readonly SizeRow[], markdown = false): string {
  const body = rows.map((row) => {
    const r = row.result;
    if (!r) return failedRow([String(row.rows), row.target], row.error, HEADERS.length);
    return [
      String(row.rows),
      row.target,
      mb(r.documentBytes),
      ms(r.coldSyncMs),
      ms(r.coldSyncMinMs),
      ms(r.coldCpuMs),
      ms(r.serverLoadMs),
      mb(r.rssBeforeBytes),
      mb(r.rssLoadedBytes),
      mb(r.heapLoadedBytes),
      ms(r.fullSyncMs),
      (r.fullSyncBytes / 2 ** 20).toFixed(1),
      ...("error" in r.browser
        ? ["—", "—", "—", "—", "—", "—"]
        : [
            ms(r.browser.cold.rowsMs),
            ms(r.browser.cold.scrolledMs),
            ms(r.browser.cold.liveMs),
            ms(r.browser.warm.rowsMs),
            ms(r.browser.warm.scrolledMs),
            ms(r.browser.warm.liveMs),
          ]),
    ];
  });
  return table(HEADERS, body, markdown);
}
