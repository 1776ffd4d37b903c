import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { get } from "node:http";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HuzhuServer, WorkbookSession } from "../src/index.ts";
import { startTestServer } from "../src/testing.ts";
import { createWorkbookOverHttp } from "./helpers.ts";

const BIG_SCRIPT = `console.log(${JSON.stringify("互助".repeat(5_000))});`;

function builtClient(): string {
  const dir = mkdtempSync(join(tmpdir(), "huzhu-client-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>互助</title>");
  writeFileSync(join(dir, "assets", "app-1234.js"), "console.log(1)");
  writeFileSync(join(dir, "assets", "big-5678.js"), BIG_SCRIPT);
  writeFileSync(join(dir, "assets", "big-5678.js.gz"), gzipSync(BIG_SCRIPT));
  writeFileSync(join(dir, "favicon.svg"), "<svg/>");
  return dir;
}

describe("HTTP API", () => {
  let server: HuzhuServer;
  let clientDir: string;
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/workbooks`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json", ...headers },
      body,
    });
  const errorOf = async (response: Response) => ({ status: response.status, ...((await response.json()) as { error: object }).error });

  beforeAll(async () => {
    clientDir = builtClient();
    server = await startTestServer({ clientDir });
  });
  afterAll(() => server.close());

  it("GET /healthz answers 200 {ok:true}", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it("POST /api/workbooks creates a workbook and answers its editor link and collab address", async () => {
    const { status, body } = await createWorkbookOverHttp(server, { template: "blank", title: "物资登记" });
    expect(status).toBe(201);
    expect(body.id).toMatch(/^[a-z2-7]{16}$/);
    expect(body.links.editor.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.links.editor.url).toBe(`${server.publicUrl}/w/${body.id}#token=${body.links.editor.token}`);
    expect(body.collab).toEqual({
      url: `${server.publicUrl.replace("http", "ws")}/collab`,
      documentName: body.id,
      publicDocumentName: `${body.id}.public`,
    });
  });

  it("refuses workbook creation without the admin token, with a forged one, or with a bad body", async () => {
    const noToken = await fetch(`${server.url}/api/workbooks`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(await errorOf(noToken)).toMatchObject({ status: 401, code: "missing_token" });
    expect(noToken.headers.get("www-authenticate")).toBe("Bearer");
    const forged = await post(JSON.stringify({ template: "blank" }), { authorization: `Bearer ${server.adminToken}x` });
    expect(await errorOf(forged)).toMatchObject({ status: 401, code: "invalid_token" });

    expect(await errorOf(await post(JSON.stringify({ template: "nope" })))).toMatchObject({
      status: 400,
      code: "invalid_body",
      field: "template",
    });
    expect(await errorOf(await post(JSON.stringify({ template: "blank", extra: 1 })))).toMatchObject({ status: 400, code: "invalid_body" });
    expect(await errorOf(await post(JSON.stringify({ template: "blank", title: "" })))).toMatchObject({ status: 400, field: "title" });
    expect(await errorOf(await post("{not json"))).toMatchObject({ status: 400, code: "invalid_json" });
    expect(await errorOf(await post("{}", { "content-type": "text/plain" }))).toMatchObject({
      status: 415,
      code: "unsupported_media_type",
    });
    const huge = JSON.stringify({ template: "blank", title: "x".repeat(20_000) });
    expect(await errorOf(await post(huge))).toMatchObject({ status: 413, code: "payload_too_large" });
  });

  it("GET /api/workbooks/:id/session tells a link holder its role, label, colour and where to connect", async () => {
    const { body } = await createWorkbookOverHttp(server);
    const session = (id: string, token: string) =>
      fetch(`${server.url}/api/workbooks/${id}/session`, { headers: { authorization: `Bearer ${token}` } });
    const ok = await session(body.id, body.links.editor.token);
    expect(ok.status).toBe(200);
    expect((await ok.json()) as WorkbookSession).toEqual({
      workbookId: body.id,
      role: "editor",
      label: "编辑者",
      color: "#2563eb",
      documentName: body.id,
      publicDocumentName: `${body.id}.public`,
      collabUrl: body.collab.url,
    });
    expect(await errorOf(await session(body.id, "wrong"))).toMatchObject({ status: 401, code: "invalid_token" });
    expect(await errorOf(await session("not-an-id", body.links.editor.token))).toMatchObject({ status: 404, code: "not_found" });
  });

  it("answers unknown routes with 404 JSON and wrong methods with 405 and Allow", async () => {
    expect(await errorOf(await fetch(`${server.url}/api/nothing`))).toMatchObject({ status: 404, code: "not_found" });
    expect(await errorOf(await fetch(`${server.url}/nothing.txt`))).toMatchObject({ status: 404, code: "not_found" });
    const wrongMethod = await fetch(`${server.url}/healthz`, { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET");
  });

  it("serves the client: /w/* falls back to index.html, /assets/* are immutable, every answer has security headers", async () => {
    const page = await fetch(`${server.url}/w/abcdefghijklmnop`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>互助</title>");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");

    const asset = await fetch(`${server.url}/assets/app-1234.js`);
    expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(asset.headers.get("x-content-type-options")).toBe("nosniff");
    // Read once, then answered from memory (a hashed name never changes content).
    expect(await asset.text()).toBe("console.log(1)");
    renameSync(join(clientDir, "assets", "app-1234.js"), join(clientDir, "assets", "app-1234.js.moved"));
    try {
      const again = await fetch(`${server.url}/assets/app-1234.js`);
      expect(again.status).toBe(200);
      expect(await again.text()).toBe("console.log(1)");
      expect(again.headers.get("x-content-type-options")).toBe("nosniff");
    } finally {
      renameSync(join(clientDir, "assets", "app-1234.js.moved"), join(clientDir, "assets", "app-1234.js"));
    }
    expect((await fetch(`${server.url}/favicon.svg`)).headers.get("content-type")).toBe("image/svg+xml");
    expect((await fetch(`${server.url}/healthz`)).headers.get("x-frame-options")).toBe("DENY");
  });

  it("sends the build's gzipped copy of a file to browsers that accept gzip, the file itself to others", async () => {
    const gzipped = await fetch(`${server.url}/assets/big-5678.js`, { headers: { "accept-encoding": "gzip, deflate" } });
    expect(gzipped.headers.get("content-encoding")).toBe("gzip");
    expect(gzipped.headers.get("vary")).toBe("Accept-Encoding");
    expect(await gzipped.text()).toBe(BIG_SCRIPT);
    const raw = await new Promise<{ headers: Record<string, unknown>; bytes: number }>((resolve, reject) => {
      get(`${server.url}/assets/big-5678.js`, { headers: { "accept-encoding": "gzip" } }, (response) => {
        let bytes = 0;
        response.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
        });
        response.on("end", () => resolve({ headers: response.headers, bytes }));
      }).on("error", reject);
    });
    expect(raw.bytes).toBe(gzipSync(BIG_SCRIPT).length);
    expect(Number(raw.headers["content-length"])).toBe(raw.bytes);
    const plain = await fetch(`${server.url}/assets/big-5678.js`, { headers: { "accept-encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(await plain.text()).toBe(BIG_SCRIPT);
    // Without a compressed copy, the file goes out as it is.
    const small = await fetch(`${server.url}/assets/app-1234.js`, { headers: { "accept-encoding": "gzip" } });
    expect(small.headers.get("content-encoding")).toBeNull();
    expect(await small.text()).toBe("console.log(1)");
  });

  it("never serves files outside the client directory", async () => {
    for (const path of ["/..%2f..%2fpackage.json", "/assets/..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd"]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(404);
    }
  });
});
