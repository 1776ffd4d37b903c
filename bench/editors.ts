import { count, failedRow, mb, ms, percent, table } from "./lib/format.ts";
import { type ComparisonRow, type LoadResult, compareTargets } from "./lib/load.ts";
import type { TargetKind } from "./lib/messages.ts";

/**
 * Editors benchmark: N editors each make `rate` edits/s on a requests sheet; every edit's latency to
 * every other editor is measured from markers in the frames they receive.
 */
export interface EditorsOptions {
  readonly targets: readonly TargetKind[];
  /** Editor counts to measure, one run each per target. */
  readonly counts: readonly number[];
  readonly rows: number;
  readonly rate: number;
  readonly durationMs: number;
  readonly drainMs: number;
  readonly generators: number;
}

export const editorsDefaults: Omit<EditorsOptions, "targets"> = {
  counts: [100, 300, 500],
  rows: 5000,
  rate: 1,
  durationMs: 15_000,
  drainMs: 3_000,
  generators: 2,
};

export function runEditors(options: EditorsOptions, log: (line: string) => void): Promise<ComparisonRow[]> {
  return compareTargets(
    options.counts,
    options.targets,
    (editors, target) => ({
      target,
      rows: options.rows,
      editors,
      viewers: 0,
      rate: options.rate,
      durationMs: options.durationMs,
      drainMs: options.drainMs,
      generators: options.generators,
      connectTimeoutMs: 60_000,
    }),
    log,
  );
}

/** CPU of each generator, e.g. "31%+29%", their worst event-loop delay, the whole machine's CPU and others' share. */
export function generatorCells(result: LoadResult): [string, string, string, string] {
  return [
    result.generators.map((g) => percent(g.cpuPercent)).join("+"),
    ms(Math.max(...result.generators.map((g) => g.loopDelayP99Ms))),
    percent(result.machineCpuPercent),
    percent(result.otherCpuPercent),
  ];
}

const HEADERS = [
  "editors",
  "server",
  "conn",
  "p50 ms",
  "p95 ms",
  "p99 ms",
  "all p99",
  "delivered",
  "frames/s",
  "srv CPU",
  "srv RSS MB",
  "gen CPU",
  "gen lag p99",
  "machine",
  "others",
];

export function editorsTable(rows: readonly ComparisonRow[], markdown = false): string {
  const body = rows.map((row) => {
    const r = row.result;
    if (!r) return failedRow([String(row.clients), row.target], row.error, HEADERS.length);
    const e = r.editors;
    return [
      String(row.clients),
      row.target,
      String(e.connect.connected),
      ms(e.latency.p50),
      ms(e.latency.p95),
      ms(e.latency.p99),
      ms(e.allReceivedP99),
      percent(e.deliveredRatio === null ? null : e.deliveredRatio * 100, 1),
      count(r.framesPerSecond),
      percent(r.server.cpuPercent),
      mb(r.server.rssPeakBytes),
      ...generatorCells(r),
    ];
  });
  return table(HEADERS, body, markdown);
}
