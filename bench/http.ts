import { failedRow, mb, ms, percent, table } from "./lib/format.ts";
import { Histogram, summarize } from "./lib/histogram.ts";
import type { TargetKind } from "./lib/messages.ts";
import { processCpuUs, processRssBytes } from "./lib/proc-stats.ts";
import { REQUESTS_SHEET } from "./lib/requests-sheet.ts";
import { TargetServer } from "./lib/targets.ts";

/**
 * HTTP benchmarks: durable request-form submissions per second, and public snapshot requests per
 * second with and without ETag revalidation. The anchor is bare Hocuspocus' own HTTP server
 * (bench/lib/server-host.ts): the same JSON body inserted in SQLite with the same durability, and
 * the very bytes Huzhu served for the snapshot, so the gap is what Huzhu adds (tickets,
 * validation, the row written through the document, case numbers, duplicate check, audit).
 */
export interface HttpOptions {
  readonly targets: readonly TargetKind[];
  /** Requests in flight at once (each a loop of its own). */
  readonly concurrency: number;
  readonly durationMs: number;
  /** Rows of the requests sheet (the size of the public snapshot). */
  readonly rows: number;
  readonly loads: readonly HttpLoad[];
}

export const HTTP_LOADS = ["form", "snapshot", "snapshot-etag"] as const;
export type HttpLoad = (typeof HTTP_LOADS)[number];

export const httpDefaults: Omit<HttpOptions, "targets"> = { concurrency: 32, durationMs: 10_000, rows: 5_000, loads: HTTP_LOADS };

/** Hard cap of requests per run, whatever the duration. */
const MAX_REQUESTS = 200_000;

export interface HttpResult {
  readonly ok: number;
  readonly failed: number;
  readonly firstFailure: string | null;
  readonly perSecond: number;
  readonly p50: number | null;
  readonly p99: number | null;
  readonly bodyBytes: number;
  readonly serverCpuPercent: number;
  readonly serverRssBytes: number;
  /** This process (the load generator): % of one core. */
  readonly generatorCpuPercent: number;
}

export interface HttpRow {
  readonly load: HttpLoad;
  readonly target: TargetKind;
  readonly result: HttpResult | null;
  readonly error: string | null;
}

const ANSWERS = { urgency: "urgent", category: "medicine", district: "xuhui", description: "需要降压药，家中老人断药两天", phone: "" };

/** One request of a load; resolves to the body length, throws with the reason on a wrong answer. */
type Request = (i: number) => Promise<number>;

async function drive(pid: number, options: HttpOptions, request: Request): Promise<HttpResult> {
  const latency = new Histogram();
  let ok = 0;
  let failed = 0;
  let firstFailure: string | null = null;
  let bodyBytes = 0;
  let issued = 0;
  const cpuBefore = processCpuUs(pid);
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + options.durationMs;
  const loop = async () => {
    while (performance.now() < deadline && issued < MAX_REQUESTS) {
      const i = issued++;
      const sent = performance.now();
      try {
        bodyBytes = await request(i);
        ok += 1;
        latency.record((performance.now() - sent) * 1000);
      } catch (error) {
        failed += 1;
        firstFailure ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  const elapsedS = (performance.now() - started) / 1000;
  const own = process.cpuUsage(ownBefore);
  const summary = summarize(latency);
  return {
    ok,
    failed,
    firstFailure,
    perSecond: ok / elapsedS,
    p50: summary.p50,
    p99: summary.p99,
    bodyBytes,
    serverCpuPercent: ((processCpuUs(pid) - cpuBefore) / 1e6 / elapsedS) * 100,
    serverRssBytes: processRssBytes(pid),
    generatorCpuPercent: ((own.user + own.system) / 1e6 / elapsedS) * 100,
  };
}

async function expectStatus(response: Response, status: number): Promise<number> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`HTTP ${response.status}: ${text.slice(0, 120)}`);
  return Buffer.byteLength(text);
}

interface FormField {
  readonly id: string;
  readonly type: string;
  readonly required: boolean;
  readonly options: readonly { readonly id: string }[];
}

/** Answers to every field of the form, as a requester would type them; phones differ per request. */
function answersFor(fields: readonly FormField[], i: number): Record<string, string> {
  const phone = `139${String(10_000_000 + i).slice(-8)}`;
  const typed: Record<string, string> = { phone, number: "67", dateTime: "2022-04-12 14:30", checkbox: "true", url: "https://example.org" };
  const answers: Record<string, string> = {};
  for (const field of fields) {
    answers[field.id] =
      (ANSWERS as Record<string, string>)[field.id] || field.options[0]?.id || typed[field.type] || `第 ${i} 号求助的${field.id}`;
  }
  answers["phone"] = phone;
  return answers;
}

/** Huzhu: GET a ticket, then POST the answers with it (what a requester's phone does). */
function huzhuForm(base: string, formToken: string): Request {
  return async (i) => {
    const form = (await (await fetch(`${base}/api/forms/${formToken}`)).json()) as { ticket: string; fields: FormField[] };
    const answers = answersFor(form.fields, i);
    return expectStatus(
      await fetch(`${base}/api/forms/${formToken}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ticket: form.ticket, answers }),
      }),
      201,
    );
  };
}

function anchorForm(base: string): Request {
  return async (i) =>
    expectStatus(
      await fetch(`${base}/bench/form`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ticket: "v1.anchor", answers: { ...ANSWERS, phone: `139${String(10_000_000 + i).slice(-8)}` } }),
      }),
      201,
    );
}

function snapshot(url: string, etag: string | null): Request {
  return async () => expectStatus(await fetch(url, etag ? { headers: { "if-none-match": etag } } : {}), etag ? 304 : 200);
}

/** Runs the form and snapshot loads on each target, Huzhu first (its snapshot is the anchor's body). */
export async function runHttp(options: HttpOptions, log: (line: string) => void): Promise<HttpRow[]> {
  const rows: HttpRow[] = [];
  const loads = options.loads;
  let snapshotBody: string | null = null;
  for (const target of [...options.targets].sort((a) => (a === "huzhu" ? -1 : 1))) {
    log(`HTTP loads on ${target}: ${options.concurrency} in flight, ${options.durationMs / 1000} s each`);
    let server: TargetServer | null = null;
    try {
      server = await TargetServer.start(target);
      const base = `http://127.0.0.1:${server.started.port}`;
      const requests: Record<HttpLoad, Request> = {
        form: anchorForm(base),
        snapshot: snapshot(`${base}/bench/snapshot.json`, null),
        "snapshot-etag": snapshot("", null),
      };
      if (target === "huzhu") {
        const prepared = await server.prepareRequestsSheet({ rows: options.rows, editorRows: 0 });
        prepared.release();
        const form = prepared.links?.["form"]?.token;
        const publicToken = prepared.links?.["public"]?.token;
        if (!form || !publicToken) throw new Error("the workbook has no form or public link");
        const url = `${base}/p/${publicToken}.json`;
        const first = await fetch(url);
        snapshotBody = await first.text();
        requests.form = huzhuForm(base, form);
        requests.snapshot = snapshot(url, null);
        requests["snapshot-etag"] = snapshot(url, first.headers.get("etag"));
      } else {
        await server.setAnchorSnapshot(snapshotBody ?? JSON.stringify({ sheets: [{ id: REQUESTS_SHEET, rows: [] }] }));
        const first = await fetch(`${base}/bench/snapshot.json`);
        await first.text();
        requests["snapshot-etag"] = snapshot(`${base}/bench/snapshot.json`, first.headers.get("etag"));
      }
      for (const load of loads) {
        const result = await drive(server.pid, options, requests[load]);
        log(
          `  ${load}: ${result.perSecond.toFixed(0)}/s, p99 ${ms(result.p99)} ms${result.failed ? `, ${result.failed} failed (${result.firstFailure})` : ""}`,
        );
        rows.push({ load, target, result, error: null });
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`  ${target}: ${message}`);
      for (const load of loads)
        if (!rows.some((r) => r.load === load && r.target === target)) rows.push({ load, target, result: null, error: message });
    } finally {
      await server?.close();
    }
  }
  return rows;
}

export function httpTable(rows: readonly HttpRow[], markdown = false): string {
  const headers = ["load", "server", "req/s", "p50 ms", "p99 ms", "ok", "failed", "body KB", "srv CPU", "srv RSS MB", "gen CPU"];
  return table(
    headers,
    rows.map(({ load, target, result, error }) =>
      result
        ? [
            load,
            target,
            result.perSecond.toFixed(0),
            ms(result.p50),
            ms(result.p99),
            String(result.ok),
            String(result.failed),
            (result.bodyBytes / 1024).toFixed(1),
            percent(result.serverCpuPercent),
            mb(result.serverRssBytes),
            percent(result.generatorCpuPercent),
          ]
        : failedRow([load, target], error, headers.length),
    ),
    markdown,
  );
}
