import { useEffect, useMemo, useState } from "react";
import type { Collab } from "../collab/collab.ts";
import { describeConnection } from "../collab/connection.ts";
import { parseEditorLink } from "../collab/session.ts";
import { useStore } from "../lib/store.ts";
import { ColumnsPanel } from "./ColumnsPanel.tsx";
import { LinksPanel } from "./LinksPanel.tsx";
import { PublicPanel } from "./PublicPanel.tsx";
import { adminViewHash } from "./admin-view.ts";
import { createLinksApi } from "./links-api.ts";
import { openSettings, useWorkbookSettings } from "./use-admin-data.ts";
import "../styles/admin.css";

const SECTIONS = [
  { id: "links", label: "链接与二维码" },
  { id: "columns", label: "列设置" },
  { id: "public", label: "公开范围" },
] as const;
type Section = (typeof SECTIONS)[number]["id"];

/** Marks the admin page in the address while it is open (a reload reopens it). */
function useAdminAddress(): void {
  useEffect(() => {
    const mark = (open: boolean) =>
      history.replaceState(history.state, "", `${location.pathname}${location.search}${adminViewHash(location.hash, open)}`);
    // After the shell's own effects, which write the open sheet into the fragment when it mounts.
    const timer = setTimeout(() => mark(true), 0);
    return () => {
      clearTimeout(timer);
      mark(false);
    };
  }, []);
}

/**
 * The admin page, over the editor for admin links only: links (create with QR code, list, revoke),
 * column settings (private, in form, required) and what the public page shows. The server enforces
 * all of it again: links need an admin token, and the write guard refuses column and sheet changes
 * from editors.
 */
export function AdminPage({ collab, title, onClose }: { collab: Collab; title: string; onClose: () => void }) {
  const [section, setSection] = useState<Section>("links");
  const settings = useMemo(() => openSettings(collab.workbook), [collab]);
  const data = useWorkbookSettings(collab.workbook);
  // The admin API takes the same token the page was opened with (it stays in the fragment).
  const api = useMemo(() => {
    const link = parseEditorLink(window.location);
    return link ? createLinksApi(link) : null;
  }, []);
  const connection = describeConnection(useStore(collab.connection));
  useAdminAddress();

  return (
    <section className="hz-admin" aria-label="管理">
      <header className="hz-admin-header">
        <button type="button" className="hz-button" onClick={onClose}>
          ← 返回表格
        </button>
        <h2>
          管理<span className="hz-muted"> · {title}</span>
        </h2>
      </header>
      {connection.tone === "refused" && (
        <div className="hz-banner is-error" role="alert">
          {connection.detail}
        </div>
      )}
      <div className="hz-admin-tabs" role="tablist" aria-label="管理">
        {SECTIONS.map((s) => (
          <button
            key={s.id}
            type="button"
            role="tab"
            aria-selected={section === s.id}
            className={`hz-admin-tab${section === s.id ? " is-active" : ""}`}
            onClick={() => setSection(s.id)}
          >
            {s.label}
          </button>
        ))}
      </div>
      <div className="hz-admin-body" role="tabpanel">
        {section === "links" &&
          (api ? <LinksPanel api={api} /> : <p className="hz-form-error">这个页面不是用管理员链接打开的，无法管理链接。</p>)}
        {section === "columns" && <ColumnsPanel settings={settings} data={data} />}
        {section === "public" && <PublicPanel workbook={collab.workbook} settings={settings} data={data} />}
      </div>
    </section>
  );
}
