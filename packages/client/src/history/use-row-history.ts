import { type Workbook, observeWorkbook } from "@huzhu/schema";
import { useCallback, useEffect, useRef, useState } from "react";
import type { ConnectionState } from "../collab/connection.ts";
import type { ReadableStore } from "../lib/store.ts";
import { describeError } from "./api-error.ts";
import type { HistoryEntry } from "@huzhu/schema";
import type { WorkbookApi } from "./workbook-api.ts";

/** A row's history as loaded so far. */
export interface RowHistoryState {
  readonly entries: readonly HistoryEntry[];
  /** Older entries exist; `loadOlder` fetches them. */
  readonly hasOlder: boolean;
  readonly loading: boolean;
  readonly error: string | null;
}

const PAGE = 100;
// A burst of edits to the row (typing, a paste) asks the server once.
const REFRESH_DELAY_MS = 250;

const initial: RowHistoryState = { entries: [], hasOlder: false, loading: true, error: null };

/**
 * The history of one row, newest first, kept current: when the row changes (here or anywhere),
 * the newest page is fetched again once the server has acknowledged our own edits, so the
 * history it answers with includes them.
 */
export function useRowHistory(
  api: WorkbookApi,
  workbook: Workbook,
  connection: ReadableStore<ConnectionState>,
  sheetId: string,
  rowId: string,
): RowHistoryState & { loadOlder(): void; reload(): void } {
  const [state, setState] = useState<RowHistoryState>(initial);
  const next = useRef<number | null>(null);
  const generation = useRef(0);

  const loadNewest = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    api.rowHistory(sheetId, rowId, { limit: PAGE }).then(
      (page) => {
        if (mine !== generation.current) return;
        next.current = page.next;
        setState({ entries: page.entries, hasOlder: page.next !== null, loading: false, error: null });
      },
      (error: unknown) => {
        if (mine === generation.current) setState((s) => ({ ...s, loading: false, error: describeError(error) }));
      },
    );
  }, [api, sheetId, rowId]);

  const loadOlder = useCallback(() => {
    const before = next.current;
    if (before === null) return;
    const mine = generation.current;
    setState((s) => ({ ...s, loading: true }));
    api.rowHistory(sheetId, rowId, { before, limit: PAGE }).then(
      (page) => {
        if (mine !== generation.current) return;
        next.current = page.next;
        setState((s) => {
          const known = new Set(s.entries.map((entry) => entry.id));
          return {
            entries: [...s.entries, ...page.entries.filter((e) => !known.has(e.id))],
            hasOlder: page.next !== null,
            loading: false,
            error: null,
          };
        });
      },
      (error: unknown) => {
        if (mine === generation.current) setState((s) => ({ ...s, loading: false, error: describeError(error) }));
      },
    );
  }, [api, sheetId, rowId]);

  useEffect(() => {
    setState(initial);
    next.current = null;
    loadNewest();
    let dirty = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settled = () => {
      const c = connection.get();
      return c.socket === "connected" && c.synced && c.unsynced === 0;
    };
    const maybeRefresh = () => {
      if (!dirty || timer !== undefined || !settled()) return;
      timer = setTimeout(() => {
        timer = undefined;
        if (!settled()) return;
        dirty = false;
        loadNewest();
      }, REFRESH_DELAY_MS);
    };
    const stopObserving = observeWorkbook(workbook.ydoc, (changes) => {
      const sheet = changes.bySheet.get(sheetId as never);
      if (!sheet) return;
      const id = rowId as never;
      if (sheet.updated.has(id) || sheet.added.has(id) || sheet.removed.has(id)) {
        dirty = true;
        maybeRefresh();
      }
    });
    const stopConnection = connection.subscribe(maybeRefresh);
    return () => {
      generation.current++;
      clearTimeout(timer);
      stopObserving();
      stopConnection();
    };
  }, [workbook, connection, sheetId, rowId, loadNewest]);

  return { ...state, loadOlder, reload: loadNewest };
}
