import { editorsDefaults, generatorCells } from "./editors.ts";
import { count, failedRow, kb, mb, ms, percent, table } from "./lib/format.ts";
import { type ComparisonRow, type LoadResult, compareTargets } from "./lib/load.ts";
import type { TargetKind } from "./lib/messages.ts";

/**
 * Viewers benchmark: V read-only viewers watch a requests sheet while E editors each make `rate`
 * edits/s; measures edit → viewer latency (per delivery and until every viewer had the edit) and
 * the server's memory per viewer.
 */
export interface ViewersOptions {
  readonly targets: readonly TargetKind[];
  /** Viewer counts to measure, one run each per target. */
  readonly counts: readonly number[];
  readonly editors: number;
  readonly rows: number;
  readonly rate: number;
  readonly durationMs: number;
  readonly drainMs: number;
  readonly generators: number;
}

export const viewersDefaults: Omit<ViewersOptions, "targets"> = {
  counts: [1000, 10_000],
  editors: 50,
  rows: editorsDefaults.rows,
  rate: 1,
  durationMs: 15_000,
  drainMs: 5_000,
  generators: 2,
};

export function runViewers(options: ViewersOptions, log: (line: string) => void): Promise<ComparisonRow[]> {
  return compareTargets(
    options.counts,
    options.targets,
    (viewers, target) => ({
      target,
      rows: options.rows,
      editors: options.editors,
      viewers,
      rate: options.rate,
      durationMs: options.durationMs,
      drainMs: options.drainMs,
      generators: options.generators,
      connectTimeoutMs: 180_000,
    }),
    log,
  );
}

/** Server memory added per connected viewer, bytes: resident, and live heap after a full GC. */
export function memoryPerViewer(result: LoadResult): { rss: number; heap: number } | null {
  const connected = result.viewers?.connect.connected ?? 0;
  if (!connected) return null;
  const { rssWithViewersBytes, rssWithEditorsBytes, heapWithViewersBytes, heapWithEditorsBytes } = result.server;
  return { rss: (rssWithViewersBytes - rssWithEditorsBytes) / connected, heap: (heapWithViewersBytes - heapWithEditorsBytes) / connected };
}

const HEADERS = [
  "viewers",
  "server",
  "conn",
  "p50 ms",
  "p99 ms",
  "all-viewers p99",
  "delivered",
  "editors p99",
  "frames/s",
  "srv CPU",
  "srv RSS MB",
  "RSS KB/viewer",
  "heap KB/viewer",
  "gen CPU",
  "gen lag p99",
  "machine",
  "others",
];

export function viewersTable(rows: readonly ComparisonRow[], markdown = false): string {
  const body = rows.map((row) => {
    const r = row.result;
    if (!r?.viewers) return failedRow([String(row.clients), row.target], row.error, HEADERS.length);
    const v = r.viewers;
    return [
      String(row.clients),
      row.target,
      String(v.connect.connected),
      ms(v.latency.p50),
      ms(v.latency.p99),
      ms(v.allReceivedP99),
      percent(v.deliveredRatio === null ? null : v.deliveredRatio * 100, 1),
      ms(r.editors.latency.p99),
      count(r.framesPerSecond),
      percent(r.server.cpuPercent),
      mb(r.server.rssPeakBytes),
      kb(memoryPerViewer(r)?.rss),
      kb(memoryPerViewer(r)?.heap),
      ...generatorCells(r),
    ];
  });
  return table(HEADERS, body, markdown);
}
