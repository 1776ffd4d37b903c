import {
  type CellValue,
  type ChatGroupLink,
  ColumnType,
  cardColumns,
  rowTint,
  type PublicSheet,
  type PublicWorkbook,
  type SheetColumn,
  formatCell,
  formatInstantCst,
  isChatGroupExpired,
  optionOf,
} from "@huzhu/schema";
import QRCode from "qrcode";
import { type SafeHtml, html, trusted } from "./html.ts";
import { PUBLIC_PAGE_CSS } from "./style.ts";

/** How the page was asked for. */
export interface PublicPageRequest {
  /** Path of this page, e.g. `/p/<token>`; tabs and search link back to it. */
  readonly basePath: string;
  readonly sheetId?: string | undefined;
  readonly query?: string | undefined;
  readonly page?: number | undefined;
  /** When the projection last changed. */
  readonly updatedAt: Date;
  /** Module script that upgrades the page to live updates when JavaScript runs. */
  readonly liveScript?: string | null | undefined;
}

const PAGE_SIZE = 100;

function chipFor(column: SheetColumn, value: CellValue): SafeHtml | null {
  const option = optionOf(column, value);
  return option ? html`<span class="chip chip-${option.color}" title="${column.label}">${option.label}</span>` : null;
}

async function qrSvg(url: string): Promise<string> {
  // The SVG comes from the qrcode library and contains only path data derived from the URL.
  return QRCode.toString(url, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
}

async function cellHtml(column: SheetColumn, value: CellValue, now: Date): Promise<SafeHtml | string> {
  if (column.type === ColumnType.chatGroup && value && typeof value === "object") {
    const link = value as ChatGroupLink;
    const expired = isChatGroupExpired(link, now);
    const expiry = link.expiresAt ? formatInstantCst(link.expiresAt) : "长期有效";
    // An expired group is where scammers wait (open QR groups were taken over): neither its QR
    // code nor its link is offered, only the fact that it expired.
    if (expired) return html`<span class="qr"><span>群聊<br><span class="expired">已过期 ${expiry}</span></span></span>`;
    const svg = await qrSvg(link.url);
    return html`<span class="qr">${trusted(svg)}<span><a href="${link.url}" rel="noopener noreferrer nofollow" target="_blank">进群链接</a><br>有效期至 ${expiry}</span></span>`;
  }
  if (column.type === ColumnType.url && typeof value === "string" && value) {
    return html`<a href="${value}" rel="noopener noreferrer nofollow" target="_blank">${value}</a>`;
  }
  if (column.type === ColumnType.phone && typeof value === "string" && value) return html`<a href="tel:${value}">${value}</a>`;
  return chipFor(column, value) ?? formatCell(column, value);
}

function matches(sheet: PublicSheet, row: PublicSheet["rows"][number], query: string): boolean {
  const needle = query.toLowerCase();
  return sheet.columns.some((c) =>
    formatCell(c, row.cells[c.id] ?? null)
      .toLowerCase()
      .includes(needle),
  );
}

async function rowCard(sheet: PublicSheet, row: PublicSheet["rows"][number], now: Date): Promise<SafeHtml> {
  const { title: titleColumn, chips: chipColumns, tint: tintColumn } = cardColumns(sheet);
  const tint = rowTint(tintColumn, row.cells);
  const details: SafeHtml[] = [];
  for (const column of sheet.columns) {
    const value = row.cells[column.id] ?? null;
    if (column === titleColumn || chipColumns.includes(column) || formatCell(column, value) === "" || value === false) continue;
    details.push(html`<dt>${column.label}</dt><dd>${await cellHtml(column, value, now)}</dd>`);
  }
  const title = titleColumn ? formatCell(titleColumn, row.cells[titleColumn.id] ?? null) : "";
  return html`<article class="card tint-${tint}" id="${row.id}"><h2>${title}${chipColumns.map((c) => chipFor(c, row.cells[c.id] ?? null))}</h2><dl>${details}</dl></article>`;
}

function statusCounts(view: PublicWorkbook): SafeHtml[] {
  const counts: SafeHtml[] = [];
  for (const sheet of view.sheets) {
    for (const column of sheet.columns.filter((c) => c.type === ColumnType.status)) {
      for (const option of column.options) {
        const n = sheet.rows.filter((r) => r.cells[column.id] === option.id).length;
        if (n > 0) counts.push(html`<span>${sheet.name} · ${option.label} <b>${n}</b></span>`);
      }
    }
  }
  return counts;
}

/**
 * The public page as HTML that works without JavaScript: tabs, search and paging are plain links
 * and a GET form. It is rendered from the public projection only, so private data cannot appear.
 */
export async function renderPublicPage(view: PublicWorkbook, request: PublicPageRequest): Promise<string> {
  const now = new Date();
  const sheet = view.sheets.find((s) => s.id === request.sheetId) ?? view.sheets[0];
  const tabs = view.sheets.map(
    (s) =>
      html`<a href="${request.basePath}?sheet=${encodeURIComponent(s.id)}" ${s === sheet ? html`aria-current="page"` : ""}>${s.name}</a>`,
  );
  let body: SafeHtml;
  if (!sheet) body = html`<p>暂无公开内容。</p>`;
  else if (sheet.kind === "notice") body = html`<div class="stats">${statusCounts(view)}</div><div class="notice">${sheet.body}</div>`;
  else {
    const query = (request.query ?? "").trim().slice(0, 100);
    const rows = query ? sheet.rows.filter((r) => matches(sheet, r, query)) : sheet.rows;
    const page = Math.max(1, Math.min(request.page ?? 1, Math.ceil(rows.length / PAGE_SIZE) || 1));
    const shown = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    const cards = await Promise.all(shown.map((row) => rowCard(sheet, row, now)));
    const more = page * PAGE_SIZE < rows.length;
    const next = `${request.basePath}?sheet=${encodeURIComponent(sheet.id)}&page=${page + 1}${query ? `&q=${encodeURIComponent(query)}` : ""}`;
    body = html`<form class="search" method="get" action="${request.basePath}"><input type="hidden" name="sheet" value="${sheet.id}"><input type="search" name="q" value="${query}" placeholder="搜索 ${sheet.name}" aria-label="搜索"><button>搜索</button></form>
<p class="count">共 ${rows.length} 条${query ? `（搜索「${query}」）` : ""}${rows.length > PAGE_SIZE ? `，第 ${page} 页` : ""}</p>
<div class="cards">${cards}</div>${more ? html`<p><a href="${next}">下一页 →</a></p>` : ""}`;
  }
  const updated = formatInstantCst(request.updatedAt.toISOString());
  return html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${view.title}</title><link rel="icon" href="data:,"><style>${trusted(PUBLIC_PAGE_CSS)}</style></head>
<body><header><h1>${view.title}</h1><p>最后更新 <time datetime="${request.updatedAt.toISOString()}" id="updated">${updated}</time>（北京时间）· 公开页面不含电话、地址等个人信息</p></header>
<nav>${tabs}</nav><main id="public-root">${body}</main><footer>互助 Huzhu · 加群前请核对有效期，谨防诈骗</footer>${request.liveScript ? html`<script type="module" src="${request.liveScript}"></script>` : ""}</body></html>`
    .value;
}
