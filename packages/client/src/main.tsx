import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Boot } from "./app/Boot.tsx";
import { parseEditorLink } from "./collab/session.ts";
import { WorkbookApiContext } from "./history/api-context.ts";
import { createWorkbookApi } from "./history/workbook-api.ts";
import "./styles/base.css";
import "./styles/app.css";
import "./styles/grid.css";
import "./styles/sheets.css";

const link = parseEditorLink(window.location);
// Without an editor link, development builds open a local demo workbook; the import is dropped from
// production builds (import.meta.env.DEV is false there), which need a real link.
const openLocal = import.meta.env.DEV ? () => import("./collab/local.ts").then((m) => m.createLocalCollab()) : undefined;

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <WorkbookApiContext value={link ? createWorkbookApi(link) : null}>
        <Boot link={link} openLocal={openLocal} />
      </WorkbookApiContext>
    </StrictMode>,
  );
}
