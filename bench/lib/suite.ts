import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type ClientIdsRow, clientIdsDefaults, clientIdsTable, runClientIds } from "../client-ids.ts";
import { editorsDefaults, editorsTable, runEditors } from "../editors.ts";
import { HTTP_LOADS, type HttpLoad, type HttpRow, httpDefaults, httpTable, runHttp } from "../http.ts";
import { type SizeRow, runSize, sizeDefaults, sizeTable } from "../size.ts";
import { runViewers, viewersDefaults, viewersTable } from "../viewers.ts";
import type { ComparisonRow } from "./load.ts";
import type { TargetKind } from "./messages.ts";
import { type MachineInfo, machineInfo } from "./proc-stats.ts";
import { TargetServer } from "./targets.ts";

const BENCHMARKS = ["editors", "viewers", "size", "http", "client-ids"] as const;
type BenchmarkName = (typeof BENCHMARKS)[number];
const RESULTS_DIR = new URL("../results/", import.meta.url);

const USAGE = `Usage: node bench/run.ts [editors] [viewers] [size] [http] [client-ids] [options]   (no names: all five)
  --targets hocuspocus,huzhu   servers to compare (Huzhu is skipped, with the reason, until it loads)
  --editors 100,300,500        editor counts (editors benchmark)
  --viewers 1000               viewer counts (viewers benchmark)
  --viewer-editors 50          editors making edits during the viewers benchmark
  --duration 15                seconds of editing per run
  --rows 5000                  rows of the requests sheet (editors, viewers)
  --size-rows 30000            rows of the size benchmark's sheet
  --generators 2               load-generator processes
  --http-concurrency 32        HTTP requests in flight (http benchmark: form, public snapshot)
  --http-loads form,snapshot   which HTTP loads to run (default form,snapshot,snapshot-etag)
  --save                       write bench/results/latest.{json,md} even for a partial run`;

/** Everything one `pnpm bench` produced. */
export interface SuiteResults {
  readonly date: string;
  readonly machine: MachineInfo;
  readonly machineAfter: { readonly loadAverage: readonly number[] };
  readonly versions: Readonly<Record<string, string>>;
  readonly command: string;
  readonly durationS: number;
  readonly targets: Readonly<Record<TargetKind, { readonly available: boolean; readonly reason: string | null }>>;
  readonly notes: readonly string[];
  readonly editors: readonly ComparisonRow[];
  readonly viewers: readonly ComparisonRow[];
  readonly size: readonly SizeRow[];
  readonly http: readonly HttpRow[];
  readonly clientIds?: readonly ClientIdsRow[];
}

const NOTES = [
  "Loopback only (127.0.0.1). Every server runs in its own process; load comes from light clients (wire protocol, no Y.Doc applied) in separate generator processes, so server and generators compete for the same 2 cores.",
  "hocuspocus = bare @hocuspocus/server (no extensions): an onAuthenticate token check (viewers read-only) and onLoadDocument from an encoded Yjs state. It is the anchor each Huzhu figure is compared with, in the same run.",
  "Latency = edit made in a generator → marker seen in a frame by a receiver (CLOCK_MONOTONIC, shared by all processes). 'all p99' = p99 over edits of the time until every other client had that edit.",
  "Viewers: an edit counts as seen when a viewer receives it or a later value of the same cell (a batched public projection may skip a superseded value); a skipped edit is timed from its scheduled send time.",
  "Clients sync claiming the server's state vector (reconnecting clients that hold the sheet), so the handshake moves a diff, not the whole sheet.",
  "srv CPU / gen CPU = % of one core during the edit window (200% = both cores). machine = the whole machine's busy share of all cores in that window: near 100% means the box, not the server alone, set the limit; others = CPU of processes outside the bench (other engineers' tests, the bench's coordinator) in % of one core. A generator near 100% or with a large loop lag is the bottleneck, not the server.",
  "Browser (size): Debian's Chromium, headless, 1280×860, times from navigation by the page's own clock, on a freshly restarted server, then again while another client keeps the document loaded (warm). Huzhu: the editor page opened on the requests tab until its first rows show (the server's read-only preview, or the live grid), the last row drawn after scrolling to the end (usable: a volunteer can read and search it all), and the live, editable grid (live). Bare Hocuspocus has no grid: @hocuspocus/provider in a blank page until synced, the least any client spends.",
  "Indicative only: other engineers run tests on this machine at the same time (see load average).",
];

/** Processes outside the bench using more than this share of a core during a window taint its figures. */
const OTHERS_LIMIT_PERCENT = 30;

function contaminationNotes(rows: readonly ComparisonRow[]): string[] {
  const tainted = rows.filter((r) => (r.result?.otherCpuPercent ?? 0) > OTHERS_LIMIT_PERCENT);
  if (!tainted.length) return [];
  const list = tainted.map((r) => `${r.clients} ${r.target} (${r.result?.otherCpuPercent.toFixed(0)}%)`).join(", ");
  return [
    `CONTAMINATED rows: other processes used more than ${OTHERS_LIMIT_PERCENT}% of a core during ${list}; compare within a row only, and rerun on a quiet machine.`,
  ];
}

function list(value: string | undefined, fallback: readonly number[]): number[] {
  return value
    ? value
        .split(",")
        .map((v) => Number(v.trim()))
        .filter((n) => Number.isFinite(n) && n > 0)
    : [...fallback];
}

function httpLoads(value: string): HttpLoad[] {
  const names = value.split(",").map((v) => v.trim());
  const unknown = names.filter((name) => !(HTTP_LOADS as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`unknown HTTP load ${unknown.join(", ")}; known: ${HTTP_LOADS.join(", ")}`);
  return names as HttpLoad[];
}

function versions(): Record<string, string> {
  const read = (file: string) => {
    try {
      return (JSON.parse(readFileSync(new URL(file, import.meta.url), "utf8")) as { version?: string }).version ?? "?";
    } catch {
      return "?";
    }
  };
  return {
    "@hocuspocus/server": read("../../packages/server/node_modules/@hocuspocus/server/package.json"),
    yjs: read("../../packages/server/node_modules/yjs/package.json"),
    ws: read("../../packages/server/node_modules/ws/package.json"),
    "@huzhu/server": read("../../packages/server/package.json"),
  };
}

/** Starts and stops a target once; the reason it cannot run, or null. */
async function probe(kind: TargetKind): Promise<string | null> {
  try {
    const server = await TargetServer.start(kind);
    await server.close();
    return null;
  } catch (error) {
    return error instanceof Error ? (error.message.split("\n")[0] ?? "failed") : String(error);
  }
}

function markdownReport(results: SuiteResults): string {
  const m = results.machine;
  const unavailable = Object.entries(results.targets)
    .filter(([, t]) => !t.available)
    .map(([name, t]) => `- ${name}: not run (${t.reason})`);
  return [
    "# Huzhu benchmarks — latest run",
    "",
    `${results.date} · ${m.cpuModel} · ${m.cores} cores · ${m.memoryGiB} GiB · Node ${m.node} · ${m.os}`,
    `Load average at start ${m.loadAverage.join(" / ")}, at end ${results.machineAfter.loadAverage.join(" / ")} · open-file limit ${m.fileLimit ?? "?"}`,
    `Versions: ${Object.entries(results.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")} · \`${results.command}\` · ${results.durationS.toFixed(0)} s`,
    ...(unavailable.length ? ["", ...unavailable] : []),
    "",
    "## Editors (edit → other editors)",
    "",
    results.editors.length ? editorsTable(results.editors, true) : "not run",
    "",
    "## Viewers (edit → read-only viewers)",
    "",
    results.viewers.length ? viewersTable(results.viewers, true) : "not run",
    "",
    "## Size (cold load)",
    "",
    results.size.length ? sizeTable(results.size, true) : "not run",
    "",
    "## HTTP (form submissions, public snapshot)",
    "",
    results.http?.length ? httpTable(results.http, true) : "not run",
    "",
    "## Client ids (cost of applying an edit, by client ids in the document)",
    "",
    results.clientIds?.length ? clientIdsTable(results.clientIds, true) : "not run",
    "",
    "## Notes",
    "",
    ...results.notes.map((n) => `- ${n}`),
    "",
  ].join("\n");
}

/** Runs the selected benchmarks, prints their tables and (for a full run) writes bench/results. */
export async function main(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      targets: { type: "string" },
      editors: { type: "string" },
      viewers: { type: "string" },
      "viewer-editors": { type: "string" },
      duration: { type: "string" },
      rows: { type: "string" },
      "size-rows": { type: "string" },
      generators: { type: "string" },
      "http-concurrency": { type: "string" },
      "http-loads": { type: "string" },
      save: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return void console.log(USAGE);
  const unknown = positionals.filter((p) => !(BENCHMARKS as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`Unknown benchmark ${unknown.join(", ")}; expected ${BENCHMARKS.join(", ")}\n${USAGE}`);
  const selected = (positionals.length ? positionals : BENCHMARKS) as readonly BenchmarkName[];
  const requestedTargets = (values.targets ?? "hocuspocus,huzhu").split(",").map((t) => t.trim()) as TargetKind[];
  const startedAt = performance.now();
  const machine = machineInfo();
  const log = (line: string) => console.log(line);
  if ((machine.loadAverage[0] ?? 0) > machine.cores)
    log(`Warning: the machine is busy (load ${machine.loadAverage[0]} on ${machine.cores} cores); figures will be contaminated.`);

  const targets = {} as Record<TargetKind, { available: boolean; reason: string | null }>;
  for (const kind of ["hocuspocus", "huzhu"] as const) {
    const reason = requestedTargets.includes(kind) ? await probe(kind) : "not requested";
    targets[kind] = { available: reason === null, reason };
    if (reason && reason !== "not requested") log(`${kind} is not available: ${reason}`);
  }
  const available = requestedTargets.filter((t) => targets[t]?.available);
  if (!available.length) throw new Error("No target server could start");

  // Options given on the command line override both benchmarks' defaults.
  const common = {
    targets: available,
    ...(values.duration ? { durationMs: Number(values.duration) * 1000 } : {}),
    ...(values.generators ? { generators: Number(values.generators) } : {}),
    ...(values.rows ? { rows: Number(values.rows) } : {}),
  };
  const editors = selected.includes("editors")
    ? await runEditors({ ...editorsDefaults, ...common, counts: list(values.editors, editorsDefaults.counts) }, log)
    : [];
  if (editors.length) log(`\n${editorsTable(editors)}\n`);
  const viewers = selected.includes("viewers")
    ? await runViewers(
        {
          ...viewersDefaults,
          ...common,
          counts: list(values.viewers, viewersDefaults.counts),
          ...(values["viewer-editors"] ? { editors: Number(values["viewer-editors"]) } : {}),
        },
        log,
      )
    : [];
  if (viewers.length) log(`\n${viewersTable(viewers)}\n`);
  const size = selected.includes("size")
    ? await runSize({ ...sizeDefaults, targets: available, ...(values["size-rows"] ? { rows: Number(values["size-rows"]) } : {}) }, log)
    : [];
  if (size.length) log(`\n${sizeTable(size)}\n`);
  const http = selected.includes("http")
    ? await runHttp(
        {
          ...httpDefaults,
          targets: available,
          ...(values.duration ? { durationMs: Number(values.duration) * 1000 } : {}),
          ...(values.rows ? { rows: Number(values.rows) } : {}),
          ...(values["http-concurrency"] ? { concurrency: Number(values["http-concurrency"]) } : {}),
          ...(values["http-loads"] ? { loads: httpLoads(values["http-loads"]) } : {}),
        },
        log,
      )
    : [];
  if (http.length) log(`\n${httpTable(http)}\n`);
  const clientIds = selected.includes("client-ids") ? runClientIds(clientIdsDefaults, log) : [];
  if (clientIds.length) log(`\n${clientIdsTable(clientIds)}\n`);

  const results: SuiteResults = {
    date: new Date().toISOString(),
    machine,
    machineAfter: { loadAverage: machineInfo().loadAverage },
    versions: versions(),
    command: [
      ...["BENCH_SERVER_NODE_FLAGS", "BENCH_HUZHU_SERVER", "BROADCAST_WINDOW_MS"]
        .filter((v) => process.env[v])
        .map((v) => `${v}="${process.env[v]}"`),
      "node bench/run.ts",
      ...argv,
    ].join(" "),
    durationS: (performance.now() - startedAt) / 1000,
    targets,
    notes: [...contaminationNotes([...editors, ...viewers]), ...NOTES],
    editors,
    viewers,
    size,
    http,
    clientIds,
  };
  if (selected.length === BENCHMARKS.length || values.save) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(new URL("latest.json", RESULTS_DIR), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(new URL("latest.md", RESULTS_DIR), markdownReport(results));
    log(`Wrote bench/results/latest.json and latest.md (${results.durationS.toFixed(0)} s).`);
  } else log(`Done in ${results.durationS.toFixed(0)} s (partial run: results not written; add --save to write them).`);
}
