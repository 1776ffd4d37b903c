import type { SheetId } from "@huzhu/schema";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Collab } from "../collab/collab.ts";
import { connectWorkbook } from "../collab/connect.ts";
import { describeConnection, describeRefusal, isAccessEnded } from "../collab/connection.ts";
import { type EditorLink, SessionError, fetchSession, linkHash } from "../collab/session.ts";
import { useStore } from "../lib/store.ts";
import { App } from "./App.tsx";
import { StatusScreen } from "./StatusScreen.tsx";

type BootState =
  | { readonly phase: "loading" }
  | { readonly phase: "failed"; readonly message: string; readonly retryable: boolean }
  | { readonly phase: "ready"; readonly collab: Collab };

/** Holds the loading screen until the first sync, so nobody edits an empty, not-yet-synced sheet. */
function SyncGate({ collab, link }: { collab: Collab; link: EditorLink | null }) {
  const state = useStore(collab.connection);
  const remember = useCallback(
    (sheetId: SheetId) => {
      if (link) history.replaceState(null, "", linkHash(link, sheetId));
    },
    [link],
  );
  // A revoked or expired link takes the workbook off the screen, not just the connection.
  if (state.refusedReason !== null && isAccessEnded(state.refusedReason)) {
    const title = state.everSynced ? "无法再访问此工作簿" : "无法打开工作簿";
    return <StatusScreen title={title} message={describeRefusal(state.refusedReason)} />;
  }
  if (state.everSynced) return <App collab={collab} initialSheetId={link?.sheetId ?? null} onSheetChange={remember} />;
  const summary = describeConnection(state);
  if (summary.tone === "refused") return <StatusScreen title="无法打开工作簿" message={summary.detail} />;
  return <StatusScreen title="正在加载工作簿…" message={state.socket === "connected" ? "正在同步数据" : "正在连接服务器"} busy />;
}

/**
 * Opens the workbook named by the editor link: session, then the live document. `opening` is a
 * first attempt already under way (started before this code loaded); retries start afresh.
 */
export function Boot({
  link,
  openLocal,
  opening = null,
}: {
  link: EditorLink | null;
  openLocal?: () => Promise<Collab>;
  opening?: Promise<Collab> | null;
}) {
  const [state, setState] = useState<BootState>({ phase: "loading" });
  const [attempt, setAttempt] = useState(0);
  // Taken once: a remount (StrictMode in development) must not reuse a connection it destroyed.
  const started = useRef(opening);

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

  if (state.phase === "ready") return <SyncGate collab={state.collab} link={link} />;
  if (state.phase === "failed") {
    const retry = () => {
      setState({ phase: "loading" });
      setAttempt((n) => n + 1);
    };
    return <StatusScreen title="无法打开工作簿" message={state.message} onRetry={state.retryable ? retry : undefined} />;
  }
  return <StatusScreen title="正在加载工作簿…" message="正在验证链接" busy />;
}
