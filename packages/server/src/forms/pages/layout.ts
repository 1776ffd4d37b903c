import { type SafeHtml, html, trusted } from "../../public-view/html.ts";
import { FORM_PAGE_CSS } from "./style.ts";

/** One page of the form or manage flow. */
export interface PageShell {
  /** The document title (the tab, the bookmark). */
  readonly title: string;
  /** Header line, e.g. the workbook's title. */
  readonly heading: string;
  /** Smaller line under the heading. */
  readonly subheading?: string;
  readonly body: SafeHtml;
  /** Path of the progressive-enhancement script, if it is available. */
  readonly scriptPath?: string | null;
}

/**
 * The HTML document around every form and manage page: Chinese, phone-first (the viewport is the
 * device's width, text never below 16 px so phones do not zoom into inputs), no outside requests.
 * Works without JavaScript; the script only adds inline validation and small conveniences.
 */
export function renderShell(page: PageShell): string {
  return `<!doctype html>${
    html`<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${page.title}</title>
<style>${trusted(FORM_PAGE_CSS)}</style>
${page.scriptPath ? html`<script src="${page.scriptPath}" defer></script>` : ""}
</head>
<body>
<header><h1>${page.heading}</h1>${page.subheading ? html`<p>${page.subheading}</p>` : ""}</header>
<main>${page.body}</main>
<footer>互助 Huzhu · 危及生命请先拨打 <a href="tel:120">120</a></footer>
</body>
</html>`.value
  }`;
}
