import { type Row, type WorkbookPreview, fromPreviewRows, resolveTintColumn } from "@huzhu/schema";
import { type WritableStore, createStore } from "../lib/store.ts";
import type { EditorLink } from "./session.ts";

function isPreview(value: unknown): value is WorkbookPreview {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record["title"] === "string" &&
    Array.isArray(record["sheets"]) &&
    Array.isArray(record["rows"]) &&
    Array.isArray(record["counts"])
  );
}

/** The preview as the page shows it, its rows read back from their wire form. */
export interface Preview extends Omit<WorkbookPreview, "rows"> {
  readonly rows: readonly Row[];
}

/**
 * Asks for the tab the link opens, as it stands on the server, to show while the live workbook
 * syncs. Null when there is none to show (refused link, older server, network trouble): the
 * page then waits for the live workbook as before, and the session says what went wrong.
 */
export async function fetchPreview(link: EditorLink, fetchImpl: typeof fetch = fetch): Promise<Preview | null> {
  const query = link.sheetId ? `?${new URLSearchParams({ sheet: link.sheetId })}` : "";
  try {
    const response = await fetchImpl(`/api/workbooks/${link.workbookId}/preview${query}`, {
      headers: { Authorization: `Bearer ${link.token}` },
    });
    if (!response.ok) return null;
    const body: unknown = await response.json();
    if (!isPreview(body)) return null;
    const { sheet } = body;
    return {
      ...body,
      // A preview stored before sheets named their tint column has none: read it as the workbook would.
      sheet: sheet && { ...sheet, tintColumn: resolveTintColumn(sheet.tintColumn, sheet.columns) },
      rows: sheet ? fromPreviewRows(sheet.columns, body.rows) : [],
    };
  } catch {
    return null;
  }
}

/**
 * How long the page waits for the preview to arrive before opening the WebSocket anyway (a
 * preview that has arrived is always waited for: it is on screen a moment later). Covers an
 * answer that never comes; a page with no preview to show connects at once.
 */
const PREVIEW_WAIT_MS = 15_000;

/** How long the reader must leave the preview alone before the live workbook is asked for. */
const QUIET_MS = 500;
/** The longest the live workbook waits for such a pause. */
const MAX_QUIET_WAIT_MS = 5_000;

const INPUT_EVENTS = ["wheel", "scroll", "keydown", "pointerdown", "pointermove", "touchmove"] as const;

/**
 * Resolves once the reader has left the page alone for `quietMs` (or after `maxMs` whatever they
 * do): applying a large live workbook holds the page for seconds, better between two gestures
 * than in the middle of a scroll.
 */
function whenQuiet(quietMs: number, maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    const deadline = performance.now() + maxMs;
    const done = () => {
      for (const type of INPUT_EVENTS) window.removeEventListener(type, poke, { capture: true });
      resolve();
    };
    let timer = setTimeout(done, quietMs);
    function poke() {
      clearTimeout(timer);
      timer = setTimeout(done, Math.max(0, Math.min(quietMs, deadline - performance.now())));
    }
    for (const type of INPUT_EVENTS) window.addEventListener(type, poke, { capture: true, passive: true });
  });
}

/** The page's first screen: the preview (undefined until it arrives, null when there is none). */
export interface FirstLoad {
  /** Set to null once the live workbook is shown, so the preview's rows can be collected. */
  readonly preview: WritableStore<Preview | null | undefined>;
  /** Resolves once the preview is on screen, or will not be. */
  readonly shown: Promise<void>;
  /** The preview is on screen (or will not be); `shown` follows at the reader's next pause. */
  markShown(): void;
}

/**
 * Asks for the preview at once. The WebSocket is opened once the preview is on screen and the
 * reader pauses (`shown`): the live workbook of 30,000 rows is 18 MB that the page spends a second or more
 * applying, and arriving first it would hold the preview off the screen, or freeze it mid-scroll.
 * The server loads the workbook for the preview, so the WebSocket finds it loaded.
 */
export function startFirstLoad(link: EditorLink): FirstLoad {
  const preview = createStore<Preview | null | undefined>(undefined);
  let resolveShown = () => {};
  const shown = new Promise<void>((resolve) => {
    resolveShown = resolve;
  });
  let marked = false;
  const markShown = () => {
    if (marked) return;
    marked = true;
    if (preview.get()) void whenQuiet(QUIET_MS, MAX_QUIET_WAIT_MS).then(resolveShown);
    else resolveShown();
  };
  void fetchPreview(link).then((answer) => {
    preview.set(answer);
    if (!answer) markShown();
  });
  setTimeout(() => {
    if (preview.get() === undefined) markShown();
  }, PREVIEW_WAIT_MS);
  return { preview, shown, markShown };
}
