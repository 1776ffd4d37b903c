import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../packages/client/e2e/chromium.ts";

/** Why browser figures cannot be taken here, or null when they can. */
export function browserUnavailable(): string | null {
  if (!existsSync(CHROMIUM_PATH)) return `${CHROMIUM_PATH} is not installed (apt install chromium)`;
  const client = new URL("../../packages/client/dist/index.html", import.meta.url);
  if (!existsSync(client)) return "the client is not built (pnpm --filter @huzhu/client build)";
  return null;
}

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

/** What a volunteer's laptop shows: the browser tests' viewport. */
const VIEWPORT = { width: 1280, height: 860 };

/** Times in ms from navigation, taken in the page. */
export interface GridTiming {
  /** The requests tab shows its first rows (the preview's, or the live grid's). */
  readonly rowsMs: number;
  /** Scrolled to the end of the sheet and its last rows are drawn: a volunteer can read it all. */
  readonly scrolledMs: number;
  /** The live grid shows its rows: synced, editable. */
  readonly liveMs: number;
  /** The preview's last byte arrived (Resource Timing), if the page asked for one: the server's share of `rowsMs`. */
  readonly previewMs?: number;
}

/**
 * What a volunteer does, run inside the page so that each time is read off the page's own clock
 * (performance.now(), from navigation): wait for the requests tab's first rows (opening the tab
 * if the page shows another), scroll to the end until the last row is drawn (a scroll made while
 * the grid still grows can stop short), and note when the live, editable grid is there. Playwright
 * only waits for the outcome: its own polling lags by a second or more while the browser process
 * forwards a 21 MB WebSocket frame to it.
 */
function gridScript(sheetId: string, rows: number): string {
  const grid = `.hz-grid[data-sheet="${sheetId}"]`;
  const selectors = {
    tab: `.hz-tab[data-sheet-id="${sheetId}"]`,
    firstRow: `${grid} .ag-row[row-id]`,
    liveRow: `.hz-app:not([data-preview]) ${grid} .ag-row[row-id]`,
    lastRow: `${grid} .ag-row[row-index="${rows - 1}"]`,
    viewport: `${grid} .ag-body-vertical-scroll-viewport`,
  };
  return `{
    const s = ${JSON.stringify(selectors)};
    const timing = (window.__hzTiming = {});
    const deadline = performance.now() + 120000;
    const step = () => {
      const now = Math.round(performance.now());
      if (now > deadline) return void (timing.error = "not usable within 120 s; the page shows: " + (document.body?.textContent ?? "").slice(0, 120));
      if (timing.liveMs === undefined && document.querySelector(s.liveRow)) timing.liveMs = now;
      if (timing.rowsMs === undefined) {
        const tab = document.querySelector(s.tab);
        if (document.querySelector(s.firstRow)) timing.rowsMs = now;
        else if (tab && tab.getAttribute("aria-selected") !== "true") tab.click();
      } else if (timing.scrolledMs === undefined) {
        if (document.querySelector(s.lastRow)) timing.scrolledMs = now;
        else {
          const viewport = document.querySelector(s.viewport);
          if (viewport) viewport.scrollTop = viewport.scrollHeight;
        }
      }
      if (timing.scrolledMs !== undefined && timing.liveMs !== undefined) return;
      setTimeout(step, 10);
    };
    step();
  }`;
}

/** Opens a Huzhu editor link, switches to the requests tab and scrolls to its last row. */
export async function timeHuzhuGrid(browser: Browser, url: string, sheetId: string, rows: number): Promise<GridTiming> {
  const page = await browser.newPage({ viewport: VIEWPORT, locale: "zh-CN" });
  try {
    await page.addInitScript(gridScript(sheetId, rows));
    await page.goto(url);
    // A function, not a string: the page's CSP forbids eval.
    const finished = () => {
      const timing = (globalThis as { __hzTiming?: { scrolledMs?: number; liveMs?: number; error?: string } }).__hzTiming;
      return (timing?.scrolledMs !== undefined && timing.liveMs !== undefined) || timing?.error !== undefined;
    };
    await page.waitForFunction(finished, null, { timeout: 150_000, polling: 100 });
    const measured = (await page.evaluate("window.__hzTiming")) as GridTiming & { error?: string };
    if (measured.error) throw new Error(measured.error);
    const previewMs = (await page.evaluate(
      `Math.round(performance.getEntriesByType("resource").find((e) => e.name.includes("/preview"))?.responseEnd ?? -1)`,
    )) as number;
    return { rowsMs: measured.rowsMs, scrolledMs: measured.scrolledMs, liveMs: measured.liveMs, ...(previewMs >= 0 ? { previewMs } : {}) };
  } finally {
    await page.close();
  }
}

/**
 * The anchor: the same browser syncing the same document from bare Hocuspocus with
 * `@hocuspocus/provider` and nothing else (no grid) — the least any client must spend.
 */
export class ProviderPage {
  private readonly server: Server;
  readonly url: string;

  private constructor(server: Server, url: string) {
    this.server = server;
    this.url = url;
  }

  static async start(): Promise<ProviderPage> {
    const script = await bundleProvider();
    const html = `<!doctype html><meta charset="utf-8"><script>${script}</script>`;
    const server = createServer((_request, response) => {
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      response.end(html);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("the anchor page server has no port");
    return new ProviderPage(server, `http://127.0.0.1:${address.port}/`);
  }

  /** Navigation → the provider reports the document synced, in ms by the page's clock. */
  async timeSync(browser: Browser, collabUrl: string, documentName: string, token: string): Promise<number> {
    const page = await browser.newPage({ viewport: VIEWPORT });
    try {
      await page.goto(this.url);
      return (await page.evaluate(`benchSync(${[collabUrl, documentName, token].map((v) => JSON.stringify(v)).join(", ")})`)) as number;
    } finally {
      await page.close();
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** @hocuspocus/provider (from the server package's dependencies) bundled for the page. */
async function bundleProvider(): Promise<string> {
  const fromServer = createRequire(new URL("../../packages/server/package.json", import.meta.url));
  const provider = fromServer.resolve("@hocuspocus/provider");
  const entry = join(mkdtempSync(join(tmpdir(), "huzhu-bench-page-")), "entry.js");
  writeFileSync(
    entry,
    `import { HocuspocusProvider } from ${JSON.stringify(provider)};
window.benchSync = (url, name, token) => new Promise((resolve) => {
  new HocuspocusProvider({ url, name, token, onSynced: () => resolve(Math.round(performance.now())) });
});`,
  );
  const { rolldown } = await import("rolldown");
  const build = await rolldown({ input: entry, platform: "browser", logLevel: "silent" });
  try {
    const { output } = await build.generate({ format: "iife" });
    return output[0].code;
  } finally {
    await build.close();
  }
}
