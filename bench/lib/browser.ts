import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";

/** Debian's Chromium, which the project's browser tests use too; nothing is downloaded. */
export const CHROMIUM = "/usr/bin/chromium";

/** Why browser figures cannot be taken here, or null when they can. */
export function browserUnavailable(): string | null {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed (apt install chromium)`;
  const client = new URL("../../packages/client/dist/index.html", import.meta.url);
  if (!existsSync(client)) return "the client is not built (pnpm --filter @huzhu/client build)";
  return null;
}

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** What a volunteer's laptop shows: the browser tests' viewport. */
const VIEWPORT = { width: 1280, height: 860 };

/** Times in ms from navigation. */
export interface GridTiming {
  /** The workbook synced and its tabs are shown. */
  readonly syncedMs: number;
  /** The requests tab shows its first rows. */
  readonly gridMs: number;
  /** Scrolled to the end of the sheet and its last rows are drawn: usable. */
  readonly scrolledMs: number;
}

/** Opens a Huzhu editor link, switches to the requests tab and scrolls to its last row. */
export async function timeHuzhuGrid(browser: Browser, url: string, sheetId: string, rows: number): Promise<GridTiming> {
  const page = await browser.newPage({ viewport: VIEWPORT, locale: "zh-CN" });
  try {
    const waitFor = async (selector: string, what: string) => {
      try {
        await page.locator(selector).first().waitFor({ timeout: 60_000 });
      } catch {
        const shown = ((await page.locator("body").textContent()) ?? "").slice(0, 120);
        throw new Error(`${what} did not come within 60 s; the page shows: ${shown}`);
      }
    };
    const started = Date.now();
    await page.goto(url);
    await waitFor(".hz-tabs", "the workbook's tabs");
    const syncedMs = Date.now() - started;
    await page.locator(`.hz-tab[data-sheet-id="${sheetId}"]`).click();
    const grid = `.hz-grid[data-sheet="${sheetId}"]`;
    await waitFor(`${grid} .ag-row[row-id]`, "the first rows");
    const gridMs = Date.now() - started;
    // Scrolls to the end until the last row is drawn: a scroll made while the grid still grows
    // can stop short. Runs in the page (the bench itself has no DOM types).
    const last = `${grid} .ag-row[row-index="${rows - 1}"]`;
    const scrolled = await page.evaluate(`new Promise((resolve) => {
      const deadline = Date.now() + 60000;
      const step = () => {
        if (document.querySelector(${JSON.stringify(last)})) return resolve(true);
        if (Date.now() > deadline) return resolve(false);
        const viewport = document.querySelector(${JSON.stringify(`${grid} .ag-body-vertical-scroll-viewport`)});
        if (viewport) viewport.scrollTop = viewport.scrollHeight;
        setTimeout(step, 20);
      };
      step();
    })`);
    if (!scrolled) throw new Error("the last row was not drawn within 60 s of scrolling to the end");
    return { syncedMs, gridMs, scrolledMs: Date.now() - started };
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

  /** Navigation → the provider reports the document synced, in ms. */
  async timeSync(browser: Browser, collabUrl: string, documentName: string, token: string): Promise<number> {
    const page = await browser.newPage({ viewport: VIEWPORT });
    try {
      const started = Date.now();
      await page.goto(this.url);
      await page.evaluate(`benchSync(${[collabUrl, documentName, token].map((v) => JSON.stringify(v)).join(", ")})`);
      return Date.now() - started;
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
  new HocuspocusProvider({ url, name, token, onSynced: () => resolve() });
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
