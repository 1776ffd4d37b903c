import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HocuspocusProvider } from "@hocuspocus/provider";
import { type Workbook, openWorkbook } from "@huzhu/schema";
import type { HuzhuServer } from "@huzhu/server";
import { type Browser, type BrowserContextOptions, type Page, chromium } from "playwright-core";
import * as Y from "yjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.ts";

// Shared by the browser tests: Debian's Chromium as the team notes launch it, screenshots in
// test-output/ (to be looked at), and real editors connected from Node.

/** Where screenshots go. */
export const OUTPUT = fileURLToPath(new URL("../../../test-output/", import.meta.url));

/** A phone, as volunteers and the public hold it. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: "zh-CN",
};

/** A laptop, as coordinators work. */
export const LAPTOP: BrowserContextOptions = { viewport: { width: 1280, height: 860 }, locale: "zh-CN" };

/** Headless Chromium without background traffic (the network here is closed). */
export function launchChromium(): Promise<Browser> {
  mkdirSync(OUTPUT, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

/** Saves a screenshot: the whole page, or with `screen` only what the viewport shows. */
export async function shot(page: Page, name: string, { screen = false } = {}): Promise<void> {
  await page.screenshot({ path: join(OUTPUT, name), fullPage: !screen });
}

/** Collects what should never happen on a page: script errors, console errors, failed requests. */
export function watchProblems(page: Page, { allowStatus = [] as number[] } = {}): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    // Chromium logs each refused request too; an allowed status is not a problem there either.
    const allowed = allowStatus.some((status) => message.text().includes(`responded with a status of ${status} `));
    if (message.type() === "error" && !allowed) problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && !allowStatus.includes(response.status())) problems.push(`${response.status()}: ${response.url()}`);
  });
  return problems;
}

/** A link the server handed out, pointed at the address this process reaches the server by. */
export function reachable(server: HuzhuServer, url: string): string {
  return url.replace(server.publicUrl, server.url);
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A volunteer editing from Node: a real provider with an editor (or admin) link. */
export interface EditorPeer {
  readonly workbook: Workbook;
  /** Yjs client ids that have written to the workbook, as this peer holds it. */
  clientIds(): number[];
  /** Resolves once the server acknowledged (stored) every local change. */
  acknowledged(timeoutMs?: number): Promise<void>;
  destroy(): void;
}

/** Connects with `token` (Node's own WebSocket) and waits for the first sync. */
export async function connectEditor(server: HuzhuServer, workbookId: string, token: string): Promise<EditorPeer> {
  const provider = new HocuspocusProvider({ url: server.collabUrl, name: workbookId, token, document: new Y.Doc() });
  await waitFor(() => provider.isSynced, "the editor's first sync");
  return {
    workbook: openWorkbook(provider.document, { origin: "e2e-editor" }),
    clientIds: () => [...provider.document.store.clients.keys()],
    acknowledged: (timeoutMs) =>
      waitFor(() => provider.isSynced && provider.unsyncedChanges === 0, "the server to store the edit", timeoutMs),
    destroy: () => provider.destroy(),
  };
}

/** The admin API of a workbook, called with its admin link's token. */
export async function adminApi<T>(server: HuzhuServer, workbookId: string, token: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}/api/workbooks/${workbookId}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
