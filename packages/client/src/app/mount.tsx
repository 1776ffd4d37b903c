import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import type { Collab } from "../collab/collab.ts";
import type { FirstLoad } from "../collab/preview.ts";
import type { EditorLink } from "../collab/session.ts";
import { WorkbookApiContext } from "../history/api-context.ts";
import { createWorkbookApi } from "../history/workbook-api.ts";
import { Boot } from "./Boot.tsx";

/**
 * Renders the editor page into #root; `opening` is the connection main.ts already started,
 * `firstLoad` the preview it asked for.
 */
export function mount(link: EditorLink | null, opening: Promise<Collab> | null, firstLoad: FirstLoad | null): void {
  // Without an editor link, development builds open a local demo workbook; the import is dropped
  // from production builds (import.meta.env.DEV is false there), which need a real link.
  const openLocal = import.meta.env.DEV ? () => import("../collab/local.ts").then((m) => m.createLocalCollab()) : undefined;
  const root = document.getElementById("root");
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <WorkbookApiContext value={link ? createWorkbookApi(link) : null}>
        <Boot link={link} openLocal={openLocal} opening={opening} firstLoad={firstLoad} />
      </WorkbookApiContext>
    </StrictMode>,
  );
}
