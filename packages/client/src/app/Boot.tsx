import type { SheetId } from "@huzhu/schema";
import { type RefObject, useCallback, useEffect, useRef, useState } from "react";
import type { Collab } from "../collab/collab.ts";
import { connectWorkbook } from "../collab/connect.ts";
import { type ConnectionState, describeConnection, describeRefusal, initialConnection, isAccessEnded } from "../collab/connection.ts";
import type { FirstLoad } from "../collab/preview.ts";
import { type EditorLink, SessionError, fetchSession, linkHash } from "../collab/session.ts";
import { createStore, useStore } from "../lib/store.ts";
import { App } from "./App.tsx";
import { PreviewApp, type PreviewPlace } from "./PreviewApp.tsx";
import { StatusScreen } from "./StatusScreen.tsx";

type BootState =
  | { readonly phase: "loading" }
  | { readonly phase: "failed"; readonly message: string; readonly retryable: boolean }
  | { readonly phase: "ready"; readonly collab: Collab };

/** What the page shows before the live workbook: the preview, if it has one, and where its reader is. */
interface FirstScreen {
  readonly firstLoad: FirstLoad | null;
  readonly place: RefObject<PreviewPlace>;
}

const noPreview = createStore<undefined>(undefined);
const notConnected = createStore<ConnectionState>(initialConnection);

/** The preview while there is one to show, else the loading screen with `message`. */
function Waiting({ firstScreen, message }: { firstScreen: FirstScreen; message: string }) {
  const { firstLoad, place } = firstScreen;
  const preview = useStore(firstLoad?.preview ?? noPreview);
  const shown = useCallback(() => firstLoad?.markShown(), [firstLoad]);
  if (preview) return <PreviewApp preview={preview} onShown={shown} place={place} />;
  return <StatusScreen title="正在加载工作簿…" message={message} busy />;
}

/**
 * Holds the preview or the loading screen until the first sync, so nobody edits a sheet that has
 * not arrived; then opens the live workbook where the reader of the preview was.
 */
function SyncGate({ collab, link, firstScreen }: { collab: Collab | null; link: EditorLink | null; firstScreen: FirstScreen }) {
  const state = useStore(collab?.connection ?? notConnected);
  const remember = useCallback(
    (sheetId: SheetId) => {
      if (link) history.replaceState(null, "", linkHash(link, sheetId));
    },
    [link],
  );
  const { firstLoad, place } = firstScreen;
  // The preview's rows are not needed once the live ones are on screen.
  useEffect(() => {
    if (state.everSynced) firstLoad?.preview.set(null);
  }, [state.everSynced, firstLoad]);
  // A revoked or expired link takes the workbook off the screen, not just the connection.
  if (state.refusedReason !== null && isAccessEnded(state.refusedReason)) {
    const title = state.everSynced ? "无法再访问此工作簿" : "无法打开工作簿";
    return <StatusScreen title={title} message={describeRefusal(state.refusedReason)} />;
  }
  if (collab && state.everSynced) {
    const { sheetId, topRowId, search } = place.current;
    return (
      <App
        collab={collab}
        initialSheetId={sheetId ?? link?.sheetId ?? null}
        initialTopRowId={topRowId}
        initialSearch={search}
        onSheetChange={remember}
      />
    );
  }
  const summary = describeConnection(state);
  if (summary.tone === "refused") return <StatusScreen title="无法打开工作簿" message={summary.detail} />;
  const message = !collab ? "正在验证链接" : state.socket === "connected" ? "正在同步数据" : "正在连接服务器";
  return <Waiting firstScreen={firstScreen} message={message} />;
}

/**
 * Opens the workbook named by the editor link: session, then the live document. `opening` is a
 * first attempt already under way (started before this code loaded); retries start afresh.
 */
export function Boot({
  link,
  openLocal,
  opening = null,
  firstLoad = null,
}: {
  link: EditorLink | null;
  openLocal?: () => Promise<Collab>;
  opening?: Promise<Collab> | null;
  firstLoad?: FirstLoad | null;
}) {
  const [state, setState] = useState<BootState>({ phase: "loading" });
  const [attempt, setAttempt] = useState(0);
  // Taken once: a remount (StrictMode in development) must not reuse a connection it destroyed.
  const started = useRef(opening);
  const place = useRef<PreviewPlace>({ sheetId: null, topRowId: null, search: "" });
  const firstScreen: FirstScreen = { firstLoad, place };

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the effect on retry.
  useEffect(() => {
    let collab: Collab | null = null;
    let live = true;
    const open = async (): Promise<Collab> => {
      const early = started.current;
      started.current = null;
      if (early) return early;
      if (link) return connectWorkbook(await fetchSession(link), link.token);
      if (openLocal) return openLocal();
      throw new SessionError("No editor link", "请使用协调人分享的编辑链接打开工作簿（形如 …/w/工作簿编号#token=…）。", false);
    };
    open().then(
      (opened) => {
        collab = opened;
        if (live) setState({ phase: "ready", collab: opened });
        else opened.destroy();
      },
      (error: unknown) => {
        if (!live) return;
        const known = error instanceof SessionError;
        setState({
          phase: "failed",
          message: known ? error.messageZh : `出现了意外错误：${String(error)}`,
          retryable: !known || error.retryable,
        });
      },
    );
    return () => {
      live = false;
      collab?.destroy();
    };
  }, [link, openLocal, attempt]);

  if (state.phase === "failed") {
    const retry = () => {
      setState({ phase: "loading" });
      setAttempt((n) => n + 1);
    };
    return <StatusScreen title="无法打开工作簿" message={state.message} onRetry={state.retryable ? retry : undefined} />;
  }
  // One element while loading and once connected, so the preview on screen is not built twice.
  return <SyncGate collab={state.phase === "ready" ? state.collab : null} link={link} firstScreen={firstScreen} />;
}
