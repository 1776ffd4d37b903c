import type { HistogramData } from "./histogram.ts";

/** Which server a benchmark runs against. */
export type TargetKind = "hocuspocus" | "huzhu";

/** Tokens the bare Hocuspocus host accepts (it has no other auth). */
export const BareToken = { editor: "bench-editor", viewer: "bench-viewer" } as const;

/** Requests the parent sends to a server host (lib/server-host.ts). */
export type ServerRequest =
  | { readonly kind: "start"; readonly target: TargetKind; readonly dataDir: string }
  | { readonly kind: "seed"; readonly documentName: string; readonly path: string }
  | { readonly kind: "createWorkbook"; readonly template: string; readonly title: string; readonly sampleData: boolean }
  /** Bare server: the body its anchor `GET /bench/snapshot.json` serves (the same bytes Huzhu serves). */
  | { readonly kind: "anchorSnapshot"; readonly body: string }
  /** `gc`: collect garbage first (the host runs with --expose-gc), so heapUsed is live data. */
  | { readonly kind: "stats"; readonly gc?: boolean }
  | { readonly kind: "close" };

/** What a server host answers to `start`. */
export interface ServerStarted {
  /** WebSocket URL of the collaboration endpoint. */
  readonly collabUrl: string;
  readonly port: number;
}

/** The server process's own view of itself. */
export interface ServerStats {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** Document loads the host could time (bare Hocuspocus: onLoadDocument → afterLoadDocument). */
  readonly loads: readonly { readonly documentName: string; readonly ms: number }[];
}

/** A workbook as Huzhu's `createWorkbook` describes it (only the fields the bench reads are typed). */
export interface HuzhuWorkbook {
  readonly id: string;
  readonly links: Readonly<Record<string, { readonly url: string; readonly token: string } | undefined>>;
  readonly collab: {
    readonly url: string;
    readonly documentName: string;
    /** The read-only public projection, when the server offers one. */
    readonly publicDocumentName?: string;
  };
}

/** Where and as whom light clients connect. */
export interface Endpoint {
  readonly url: string;
  readonly documentName: string;
  readonly token: string;
  /** State the clients claim in sync step 1 (empty: they fetch the whole document). */
  readonly stateVector: Uint8Array;
}

/** One editor a generator drives: which row it edits and its global index (written in markers). */
export interface EditorAssignment {
  readonly index: number;
  readonly rowId: string;
}

/** Requests the parent sends to a load generator (lib/generator-process.ts). */
export type GeneratorRequest =
  | {
      readonly kind: "connectEditors";
      readonly endpoint: Endpoint;
      /** Template plus editor rows: the generator's local document for making edits. */
      readonly editorBase: Uint8Array;
      readonly editors: readonly EditorAssignment[];
      readonly concurrency: number;
      readonly timeoutMs: number;
    }
  | {
      readonly kind: "connectViewers";
      readonly endpoint: Endpoint;
      readonly count: number;
      readonly concurrency: number;
      readonly timeoutMs: number;
    }
  | {
      readonly kind: "run";
      /** CLOCK_MONOTONIC µs at which all generators start editing. */
      readonly startUs: number;
      readonly durationMs: number;
      /** Edits per second per editor. */
      readonly rate: number;
      /** All editors across generators (spreads their phases over the period). */
      readonly totalEditors: number;
      /** How long to keep listening for late deliveries after the last edit. */
      readonly drainMs: number;
    }
  | { readonly kind: "close" };

/** How a batch of connections went. */
export interface ConnectReport {
  readonly connected: number;
  readonly failed: number;
  readonly errors: readonly string[];
  readonly syncMsP50: number | null;
  readonly syncMsMax: number | null;
  readonly syncBytes: number;
  readonly readOnly: number;
  readonly elapsedMs: number;
  /** Open-file limit of the generator process (from /proc/self/limits). */
  readonly fileLimit: number | null;
}

/** Per-edit delivery to one audience: [editor, seq, receivers reached, slowest µs], flattened. */
export type EditDeliveries = readonly number[];

/** What a generator measured in one run. */
export interface GeneratorResult {
  readonly editsSent: number;
  /** Edits that could not be sent on time (the generator fell behind its schedule by > 1 s). */
  readonly editsLate: number;
  /** Latency edit → other editors (own edits echoed back are not counted). */
  readonly editorLatency: HistogramData;
  readonly viewerLatency: HistogramData;
  readonly editorDeliveries: EditDeliveries;
  readonly viewerDeliveries: EditDeliveries;
  /** Frames and bytes received while edits were being made (the measured window). */
  readonly framesInWindow: number;
  readonly bytesInWindow: number;
  /** CPU time of the generator during the window, microseconds (user + system). */
  readonly cpuUs: number;
  readonly windowMs: number;
  /** Event-loop delay p99 during the window, ms: a busy generator inflates latencies. */
  readonly loopDelayP99Ms: number;
  readonly rssBytes: number;
  readonly closedDuringRun: number;
  readonly refusedUpdates: number;
}
