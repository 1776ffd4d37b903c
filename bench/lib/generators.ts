import { ChildChannel } from "./ipc.ts";
import { nowUs } from "./marker.ts";
import type { ConnectReport, EditorAssignment, Endpoint, GeneratorRequest, GeneratorResult } from "./messages.ts";

const GENERATOR_SCRIPT = new URL("./generator-process.ts", import.meta.url);
/** Handshakes in flight per generator while connecting. */
const CONNECT_CONCURRENCY = 64;

/** Connection outcome summed over generators. */
export type PoolConnectReport = Omit<ConnectReport, "fileLimit" | "readOnly"> & { readonly fileLimits: readonly (number | null)[] };

function mergeConnects(reports: readonly ConnectReport[], elapsedMs: number): PoolConnectReport {
  const p50s = reports.map((r) => r.syncMsP50).filter((v): v is number => v !== null);
  const maxes = reports.map((r) => r.syncMsMax).filter((v): v is number => v !== null);
  return {
    connected: reports.reduce((n, r) => n + r.connected, 0),
    failed: reports.reduce((n, r) => n + r.failed, 0),
    errors: reports.flatMap((r) => r.errors).slice(0, 5),
    syncMsP50: p50s.length ? Math.max(...p50s) : null,
    syncMsMax: maxes.length ? Math.max(...maxes) : null,
    syncBytes: reports.reduce((n, r) => n + r.syncBytes, 0),
    elapsedMs,
    fileLimits: reports.map((r) => r.fileLimit),
  };
}

/**
 * A few load-generator processes (lib/generator-process.ts) holding light clients. Clients are
 * dealt round-robin, so each generator gets an even share of editors and viewers.
 */
export class GeneratorPool {
  readonly generators: readonly ChildChannel[];

  private constructor(generators: readonly ChildChannel[]) {
    this.generators = generators;
  }

  static start(count: number): GeneratorPool {
    return new GeneratorPool(Array.from({ length: count }, (_, i) => ChildChannel.fork(GENERATOR_SCRIPT, `generator ${i + 1}`)));
  }

  get pids(): number[] {
    return this.generators.map((g) => g.pid);
  }

  /** Connects editors (each with its own row); `editorBase` is the generators' local document. */
  async connectEditors(endpoint: Endpoint, editorBase: Uint8Array, editors: readonly EditorAssignment[], timeoutMs: number) {
    const startedAt = performance.now();
    const shares = this.generators.map((_, g) => editors.filter((_, i) => i % this.generators.length === g));
    const reports = await Promise.all(
      this.generators.map((generator, g) =>
        generator.request<ConnectReport>(
          {
            kind: "connectEditors",
            endpoint,
            editorBase,
            editors: shares[g] ?? [],
            concurrency: CONNECT_CONCURRENCY,
            timeoutMs,
          } satisfies GeneratorRequest,
          timeoutMs + 10_000,
        ),
      ),
    );
    return mergeConnects(reports, performance.now() - startedAt);
  }

  /** Connects `count` viewers spread over the generators. */
  async connectViewers(endpoint: Endpoint, count: number, timeoutMs: number) {
    const startedAt = performance.now();
    const n = this.generators.length;
    const reports = await Promise.all(
      this.generators.map((generator, g) =>
        generator.request<ConnectReport>(
          {
            kind: "connectViewers",
            endpoint,
            count: Math.floor(count / n) + (g < count % n ? 1 : 0),
            concurrency: CONNECT_CONCURRENCY,
            timeoutMs,
          } satisfies GeneratorRequest,
          timeoutMs + 10_000,
        ),
      ),
    );
    return mergeConnects(reports, performance.now() - startedAt);
  }

  /** Every editor makes `rate` edits/s for `durationMs`, all generators starting together. */
  run(options: {
    durationMs: number;
    rate: number;
    totalEditors: number;
    drainMs: number;
    startDelayMs: number;
  }): Promise<GeneratorResult[]> {
    const { startDelayMs, ...rest } = options;
    const startUs = nowUs() + startDelayMs * 1000;
    return Promise.all(
      this.generators.map((generator) =>
        generator.request<GeneratorResult>(
          { kind: "run", startUs, ...rest } satisfies GeneratorRequest,
          startDelayMs + options.durationMs + options.drainMs + 30_000,
        ),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.generators.map((g) => g.stop({ kind: "close" } satisfies GeneratorRequest, 10_000)));
  }
}
