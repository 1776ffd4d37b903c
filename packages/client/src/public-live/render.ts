import { type PublicSheet, type PublicWorkbook, SheetKind } from "@huzhu/schema";
import {
  type CardModel,
  type CellModel,
  type ChipModel,
  type PageQuery,
  cardOf,
  chosenSheet,
  pageHref,
  resultPage,
  statusCounts,
} from "./view-model.ts";

// The public page's markup, built with DOM calls (text is never parsed as HTML), element for
// element as the server renders it, so the page looks the same before and after it goes live.

/** QR codes of chat-group links: SVG markup from the server's page or the QR library. */
export interface QrSource {
  /** The SVG for `url` if it is at hand; otherwise undefined, and it is drawn in the background. */
  svg(url: string): string | undefined;
}

type Child = Node | string | null | false;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string>,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== false) element.append(child);
  return element;
}

function chip(model: ChipModel): HTMLElement {
  return el("span", { class: `chip chip-${model.color}`, title: model.title }, model.label);
}

const EXTERNAL = { rel: "noopener noreferrer nofollow", target: "_blank" };

function svgNode(markup: string): Node {
  // Trusted markup: path data the QR library drew from a URL (here or on the server).
  const template = document.createElement("template");
  template.innerHTML = markup.trim();
  return template.content;
}

function cell(model: CellModel, qr: QrSource): Child {
  switch (model.kind) {
    case "text":
      return model.text;
    case "chip":
      return chip(model.chip);
    case "link":
      return el("a", { href: model.href, ...EXTERNAL }, model.text);
    case "phone":
      return el("a", { href: `tel:${model.number}` }, model.number);
    case "chatGroup": {
      const svg = model.expired ? undefined : qr.svg(model.url);
      // An expired group is offered neither as QR code nor as link (render-page.ts says why).
      const link = model.expired
        ? "群聊"
        : /^https?:\/\//i.test(model.url)
          ? el("a", { href: model.url, ...EXTERNAL }, "进群链接")
          : "进群链接";
      const expiry = model.expired ? el("span", { class: "expired" }, `已过期 ${model.expiry}`) : `有效期至 ${model.expiry}`;
      const box = el("span", { class: "qr" }, svg ? svgNode(svg) : null, el("span", {}, link, el("br", {}), expiry));
      if (!model.expired && !svg) box.dataset["qrPending"] = model.url;
      return box;
    }
  }
}

/** One row's card. */
export function renderCard(card: CardModel, qr: QrSource): HTMLElement {
  const details: Node[] = [];
  for (const { label, cell: value } of card.details) details.push(el("dt", {}, label), el("dd", {}, cell(value, qr)));
  return el(
    "article",
    { class: `card tint-${card.tint}`, id: card.id },
    el("h2", {}, card.title, ...card.chips.map(chip)),
    el("dl", {}, ...details),
  );
}

/** The tab links; the shown sheet is marked as the current page. */
export function renderTabs(nav: HTMLElement, view: PublicWorkbook, shown: PublicSheet | undefined, basePath: string): void {
  nav.replaceChildren(
    ...view.sheets.map((s) => el("a", { href: pageHref(basePath, s.id), ...(s === shown ? { "aria-current": "page" } : {}) }, s.name)),
  );
}

/** The search form of a grid sheet (left alone while someone types in it). */
function searchForm(sheet: PublicSheet, query: string, basePath: string): HTMLFormElement {
  return el(
    "form",
    { class: "search", method: "get", action: basePath },
    el("input", { type: "hidden", name: "sheet", value: sheet.id }),
    el("input", { type: "search", name: "q", value: query, placeholder: `搜索 ${sheet.name}`, "aria-label": "搜索" }),
    el("button", {}, "搜索"),
  );
}

/** The count line, the cards and the next-page link of a grid sheet. */
function results(sheet: PublicSheet, query: PageQuery, basePath: string, qr: QrSource, now: Date): (Node | string)[] {
  const page = resultPage(sheet, query);
  const cards = el("div", { class: "cards" }, ...page.rows.map((row) => renderCard(cardOf(sheet, row, now), qr)));
  const next = page.more ? el("p", {}, el("a", { href: pageHref(basePath, sheet.id, query.query, page.page + 1) }, "下一页 →")) : null;
  return ["\n", el("p", { class: "count" }, page.countLine), "\n", cards, ...(next ? [next] : [])];
}

/**
 * Fills the page's main element with the shown sheet. With `keepSearch`, a grid sheet's search
 * form stays as it is (focus, caret and what is being typed survive a live update) and only what
 * follows it is replaced.
 */
export function renderMain(
  root: HTMLElement,
  view: PublicWorkbook,
  query: PageQuery,
  basePath: string,
  qr: QrSource,
  keepSearch: boolean,
): void {
  const now = new Date();
  const sheet = chosenSheet(view, query.sheetId);
  if (!sheet) {
    root.replaceChildren(el("p", {}, "暂无公开内容。"));
    return;
  }
  if (sheet.kind === SheetKind.notice) {
    const stats = statusCounts(view).map(({ label, count }) => el("span", {}, `${label} `, el("b", {}, String(count))));
    root.replaceChildren(el("div", { class: "stats" }, ...stats), el("div", { class: "notice" }, sheet.body));
    return;
  }
  const form = root.querySelector("form.search");
  const sheetField = form?.querySelector<HTMLInputElement>("input[name=sheet]");
  if (keepSearch && form && sheetField?.value === sheet.id) {
    while (form.nextSibling) form.nextSibling.remove();
    form.after(...results(sheet, query, basePath, qr, now));
    return;
  }
  root.replaceChildren(searchForm(sheet, query.query, basePath), ...results(sheet, query, basePath, qr, now));
}
