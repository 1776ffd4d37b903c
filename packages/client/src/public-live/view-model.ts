import {
  type CellValue,
  type ChatGroupLink,
  ColumnType,
  cardColumns,
  rowTint,
  type OptionColor,
  type PublicSheet,
  type PublicWorkbook,
  type SheetColumn,
  formatCell,
  formatInstantCst,
  isChatGroupExpired,
  optionOf,
} from "@huzhu/schema";

// What the public page shows, decided here without any DOM, so it can be tested in Node. It
// follows the server's renderer (packages/server/src/public-view/render-page.ts) rule for rule:
// the live page must look exactly like the page the server sent.

/** Cards per page, as on the server-rendered page. */
export const PAGE_SIZE = 100;

/** What the address asks for: `?sheet=<id>&q=<search>&page=<n>`. */
export interface PageQuery {
  readonly sheetId: string | undefined;
  readonly query: string;
  readonly page: number;
}

/** Reads the page's query string the way the server does. */
export function readPageQuery(search: string): PageQuery {
  const params = new URLSearchParams(search);
  const page = Number.parseInt(params.get("page") ?? "", 10);
  return {
    sheetId: params.get("sheet")?.slice(0, 64) || undefined,
    query: (params.get("q") ?? "").slice(0, 100).trim().slice(0, 100),
    page: Number.isSafeInteger(page) && page >= 1 ? Math.min(page, 100_000) : 1,
  };
}

/** The address of a tab, a search or a page of results. */
export function pageHref(basePath: string, sheetId: string, query = "", page = 1): string {
  const sheet = `${basePath}?sheet=${encodeURIComponent(sheetId)}`;
  return `${sheet}${page > 1 ? `&page=${page}` : ""}${query ? `&q=${encodeURIComponent(query)}` : ""}`;
}

/** The tab shown for a requested sheet id: that sheet, else the first. */
export function chosenSheet(view: PublicWorkbook, sheetId: string | undefined): PublicSheet | undefined {
  return view.sheets.find((s) => s.id === sheetId) ?? view.sheets[0];
}

/** A coloured option label. */
export interface ChipModel {
  readonly label: string;
  readonly color: OptionColor;
  /** The column's label (the chip's tooltip). */
  readonly title: string;
}

/** One value of a card, by how it is shown. */
export type CellModel =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "chip"; readonly chip: ChipModel }
  | { readonly kind: "link"; readonly href: string; readonly text: string }
  | { readonly kind: "phone"; readonly number: string }
  | { readonly kind: "chatGroup"; readonly url: string; readonly expired: boolean; readonly expiry: string };

/** A row as a card: title with chips, then label/value pairs. */
export interface CardModel {
  readonly id: string;
  readonly tint: OptionColor;
  readonly title: string;
  readonly chips: readonly ChipModel[];
  readonly details: readonly { readonly label: string; readonly cell: CellModel }[];
}

type PublicRow = PublicSheet["rows"][number];

function chipFor(column: SheetColumn, value: CellValue): ChipModel | null {
  const option = optionOf(column, value);
  return option ? { label: option.label, color: option.color, title: column.label } : null;
}

const SAFE_LINK = /^https?:\/\//i;

function cellOf(column: SheetColumn, value: CellValue, now: Date): CellModel {
  if (column.type === ColumnType.chatGroup && value && typeof value === "object") {
    const link = value as ChatGroupLink;
    const expiry = link.expiresAt ? formatInstantCst(link.expiresAt) : "长期有效";
    return { kind: "chatGroup", url: link.url, expired: isChatGroupExpired(link, now), expiry };
  }
  if (column.type === ColumnType.url && typeof value === "string" && SAFE_LINK.test(value))
    return { kind: "link", href: value, text: value };
  if (column.type === ColumnType.phone && typeof value === "string" && value) return { kind: "phone", number: value };
  const chip = chipFor(column, value);
  return chip ? { kind: "chip", chip } : { kind: "text", text: formatCell(column, value) };
}

/** The card of one row: the case number (or first text) as title, up to four status chips, the rest filled in. */
export function cardOf(sheet: PublicSheet, row: PublicRow, now: Date): CardModel {
  const { title: titleColumn, chips: chipColumns, tint: tintColumn } = cardColumns(sheet);
  const tint = rowTint(tintColumn, row.cells);
  const details: { label: string; cell: CellModel }[] = [];
  for (const column of sheet.columns) {
    const value = row.cells[column.id] ?? null;
    if (column === titleColumn || chipColumns.includes(column) || formatCell(column, value) === "" || value === false) continue;
    details.push({ label: column.label, cell: cellOf(column, value, now) });
  }
  const chips = chipColumns.map((c) => chipFor(c, row.cells[c.id] ?? null)).filter((chip): chip is ChipModel => chip !== null);
  return { id: row.id, tint, title: titleColumn ? formatCell(titleColumn, row.cells[titleColumn.id] ?? null) : "", chips, details };
}

/** Rows any of whose shown values contains the search text (case-insensitive). */
export function matchingRows(sheet: PublicSheet, query: string): readonly PublicRow[] {
  if (!query) return sheet.rows;
  const needle = query.toLowerCase();
  return sheet.rows.filter((row) =>
    sheet.columns.some((c) =>
      formatCell(c, row.cells[c.id] ?? null)
        .toLowerCase()
        .includes(needle),
    ),
  );
}

/** One page of a sheet's search results. */
export interface ResultPage {
  readonly rows: readonly PublicRow[];
  readonly total: number;
  readonly page: number;
  /** Whether another page follows. */
  readonly more: boolean;
  /** The line above the cards: 共 N 条（搜索「…」），第 n 页. */
  readonly countLine: string;
}

/** The rows of `query` shown on its page (a page past the end shows the last one). */
export function resultPage(sheet: PublicSheet, query: PageQuery): ResultPage {
  const rows = matchingRows(sheet, query.query);
  const page = Math.max(1, Math.min(query.page, Math.ceil(rows.length / PAGE_SIZE) || 1));
  const countLine = `共 ${rows.length} 条${query.query ? `（搜索「${query.query}」）` : ""}${rows.length > PAGE_SIZE ? `，第 ${page} 页` : ""}`;
  return {
    rows: rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
    total: rows.length,
    page,
    more: page * PAGE_SIZE < rows.length,
    countLine,
  };
}

/** The 首页 figures: per sheet and status option, how many public rows hold it (zeros left out). */
export function statusCounts(view: PublicWorkbook): { readonly label: string; readonly count: number }[] {
  const counts: { label: string; count: number }[] = [];
  for (const sheet of view.sheets) {
    for (const column of sheet.columns.filter((c) => c.type === ColumnType.status)) {
      for (const option of column.options) {
        const count = sheet.rows.filter((r) => r.cells[column.id] === option.id).length;
        if (count > 0) counts.push({ label: `${sheet.name} · ${option.label}`, count });
      }
    }
  }
  return counts;
}

/** When the next chat-group invitation of the view expires (its QR code must go then), if any. */
export function nextExpiry(view: PublicWorkbook, now: number): number | null {
  let next: number | null = null;
  for (const sheet of view.sheets) {
    for (const column of sheet.columns.filter((c) => c.type === ColumnType.chatGroup)) {
      for (const row of sheet.rows) {
        const value = row.cells[column.id];
        const at = value && typeof value === "object" && value.expiresAt ? Date.parse(value.expiresAt) : Number.NaN;
        if (at > now && (next === null || at < next)) next = at;
      }
    }
  }
  return next;
}
