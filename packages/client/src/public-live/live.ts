import { type PublicWorkbook, formatInstantCst } from "@huzhu/schema";
import { PublicViewStatus, watchPublicView } from "../collab/public-view.ts";
import { QrCodes } from "./qr-codes.ts";
import { renderMain, renderTabs } from "./render.ts";
import { type PageQuery, chosenSheet, nextExpiry, readPageQuery } from "./view-model.ts";

/** The page's parts, as the server renders them (public-view/render-page.ts). */
interface PageParts {
  readonly title: HTMLElement;
  readonly updated: HTMLTimeElement;
  readonly nav: HTMLElement;
  readonly main: HTMLElement;
  /** Where the live state is told ("实时更新中" …), after the header's line. */
  readonly status: HTMLElement;
}

const PUBLIC_PATH = /^\/p\/([A-Za-z0-9_-]{20,200})$/;

const STATUS_TEXT: Readonly<Record<PublicViewStatus, string>> = {
  connecting: "",
  live: " · 实时更新中",
  reconnecting: " · 网络中断，正在重新连接…",
  ended: " · 此链接已失效",
};

function findParts(): PageParts | null {
  const title = document.querySelector<HTMLElement>("header h1");
  const updated = document.querySelector<HTMLTimeElement>("time#updated");
  const nav = document.querySelector<HTMLElement>("body > nav");
  const main = document.querySelector<HTMLElement>("main#public-root");
  if (!title || !updated || !nav || !main) return null;
  const status = document.createElement("span");
  status.id = "live-status";
  status.setAttribute("role", "status");
  updated.parentElement?.append(status);
  return { title, updated, nav, main, status };
}

/** Asks the server where the link's projection document is (the public link's session). */
async function fetchSession(token: string): Promise<{ documentName: string; collabUrl: string } | "refused" | null> {
  try {
    const response = await fetch("/api/session", { headers: { Authorization: `Bearer ${token}` }, cache: "no-store" });
    if (response.status === 401 || response.status === 403) return "refused";
    if (!response.ok) return null;
    const body = (await response.json()) as { documentName?: unknown; publicDocumentName?: unknown; collabUrl?: unknown };
    const documentName = typeof body.publicDocumentName === "string" ? body.publicDocumentName : body.documentName;
    return typeof documentName === "string" && typeof body.collabUrl === "string" ? { documentName, collabUrl: body.collabUrl } : null;
  } catch {
    return null;
  }
}

/**
 * Upgrades the server-rendered public page to a live one: the current tab re-renders in place
 * when the public projection changes, tabs, search and paging work without reloading, and
 * "最后更新" follows the changes. Without JavaScript, or until the first sync, the page stays
 * exactly as the server sent it.
 */
export async function startLivePage(): Promise<void> {
  const match = PUBLIC_PATH.exec(location.pathname);
  const parts = match ? findParts() : null;
  if (match && parts) await goLive(parts, match[1] as string);
}

async function goLive(parts: PageParts, token: string): Promise<void> {
  const basePath = location.pathname;
  let view: PublicWorkbook | null = null;
  let viewKey = "";
  let query: PageQuery = readPageQuery(location.search);
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;
  const qr = new QrCodes(() => view && render(true));
  qr.collect(parts.main);

  function render(keepSearch: boolean): void {
    if (!view) return;
    parts.title.textContent = view.title;
    document.title = view.title;
    renderTabs(parts.nav, view, chosenSheet(view, query.sheetId), basePath);
    renderMain(parts.main, view, query, basePath, qr, keepSearch);
  }

  function markUpdated(): void {
    const now = new Date();
    parts.updated.dateTime = now.toISOString();
    parts.updated.textContent = formatInstantCst(now.toISOString());
  }

  /** A chat-group invitation that expires loses its QR code then, as on a freshly loaded page. */
  function scheduleExpiry(): void {
    clearTimeout(expiryTimer);
    const next = view ? nextExpiry(view, Date.now()) : null;
    if (next === null) return;
    const expire = () => {
      render(true);
      scheduleExpiry();
    };
    expiryTimer = setTimeout(expire, Math.min(next - Date.now() + 50, 2 ** 31 - 1));
  }

  function onView(next: PublicWorkbook): void {
    const key = JSON.stringify(next);
    if (key === viewKey) return;
    const first = view === null;
    const before = first ? `${parts.title.textContent}\n${parts.nav.textContent}\n${parts.main.textContent}` : "";
    view = next;
    viewKey = key;
    render(true);
    scheduleExpiry();
    // The first view replaces the page the server sent; it is news only if it shows something else.
    if (!first || before !== `${parts.title.textContent}\n${parts.nav.textContent}\n${parts.main.textContent}`) markUpdated();
  }

  function onStatus(status: PublicViewStatus): void {
    parts.status.textContent = STATUS_TEXT[status];
    if (status === PublicViewStatus.ended) endAccess();
  }

  function endAccess(): void {
    view = null;
    clearTimeout(expiryTimer);
    parts.nav.replaceChildren();
    const message = document.createElement("p");
    message.textContent = "此公开链接已失效（已被撤销或已过期），页面不再显示内容。请向分享链接给你的志愿者或协调人索取新的链接。";
    parts.main.replaceChildren(message);
  }

  /** Shows another tab, search or page without a reload once the live view is here. */
  function navigate(next: PageQuery, href: string, mode: "push" | "replace"): void {
    query = next;
    if (mode === "push") history.pushState(null, "", href);
    else history.replaceState(null, "", href);
    render(false);
  }

  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!view || !link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const url = new URL(link.getAttribute("href") ?? "", location.href);
    if (url.origin !== location.origin || url.pathname !== basePath) return;
    event.preventDefault();
    navigate(readPageQuery(url.search), url.pathname + url.search, "push");
    window.scrollTo(0, 0);
  });

  const searchAddress = (form: HTMLFormElement): string => {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === "string") params.append(name, value);
    return `${basePath}?${params.toString()}`;
  };
  parts.main.addEventListener("submit", (event) => {
    if (!view || !(event.target instanceof HTMLFormElement)) return;
    event.preventDefault();
    const href = searchAddress(event.target);
    navigate(readPageQuery(href.slice(basePath.length)), href, "push");
  });
  let typing: ReturnType<typeof setTimeout> | undefined;
  parts.main.addEventListener("input", (event) => {
    const form = event.target instanceof HTMLInputElement ? event.target.form : null;
    if (!view || !form) return;
    clearTimeout(typing);
    typing = setTimeout(() => {
      const href = searchAddress(form);
      query = readPageQuery(href.slice(basePath.length));
      history.replaceState(null, "", href);
      render(true);
    }, 200);
  });
  window.addEventListener("popstate", () => {
    if (!view) return;
    query = readPageQuery(location.search);
    render(false);
  });

  const session = await fetchSession(token);
  if (session === "refused") {
    onStatus(PublicViewStatus.ended);
    return;
  }
  if (!session) return;
  // The server that sent this page serves /collab on the same origin (as the editor connects too):
  // that also works when PUBLIC_URL names the server differently from how this phone reached it.
  const collabUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${new URL(session.collabUrl).pathname}`;
  watchPublicView({ collabUrl, documentName: session.documentName, token }, { onView, onStatus });
}
