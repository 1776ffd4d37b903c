import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { SQLITE_FILE } from "../src/storage/sqlite-store.ts";
import { startTestServer } from "../src/testing.ts";
import { createWorkbookOverHttp, refusalReason } from "./helpers.ts";

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe("server lifecycle", () => {
  it("generates the admin token once (mode 0600) and reuses it on the next start", async () => {
    const first = await startTestServer();
    const file = join(first.dataDir, "admin-token");
    expect(readFileSync(file, "utf8").trim()).toBe(first.adminToken);
    expect(first.adminToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(join(first.dataDir, SQLITE_FILE))).toBe(0o600);
    await first.close();

    const second = await startTestServer({ dataDir: first.dataDir });
    expect(second.adminToken).toBe(first.adminToken);
    await second.close();
  });

  it("creates the demo workbook on the first start and finds the same one, with the same link, on the next", async () => {
    const first = await startTestServer({ demo: true });
    const demo = first.demo;
    expect(demo?.editorUrl).toBe(`${first.publicUrl}/w/${demo?.id}#token=${demo?.editorToken}`);
    expect(modeOf(join(first.dataDir, "demo.json"))).toBe(0o600);
    const session = await fetch(`${first.url}/api/workbooks/${demo?.id}/session`, {
      headers: { authorization: `Bearer ${demo?.editorToken}` },
    });
    expect(session.status).toBe(200);
    expect(demo?.adminUrl).toMatch(new RegExp(`^${first.publicUrl}/w/${demo?.id}#token=[A-Za-z0-9_-]{43}$`));
    const publicPath = new URL(demo?.publicPageUrl ?? "http://x/").pathname;
    expect(publicPath).toMatch(/^\/p\/[A-Za-z0-9_-]{43}$/);
    expect((await fetch(`${first.url}${publicPath}`)).status).toBe(200);
    const formPath = new URL(demo?.formUrl ?? "http://x/").pathname;
    expect(formPath).toMatch(/^\/f\/[A-Za-z0-9_-]{43}$/);
    expect((await fetch(`${first.url}${formPath}`)).status).toBe(200);
    await first.close();

    const second = await startTestServer({ dataDir: first.dataDir, demo: true });
    expect(second.demo?.id).toBe(demo?.id);
    expect(second.demo?.editorToken).toBe(demo?.editorToken);
    expect(new URL(second.demo?.publicPageUrl ?? "http://x/").pathname).toBe(publicPath);
    expect(new URL(second.demo?.formUrl ?? "http://x/").pathname).toBe(formPath);
    await second.close();
  });

  it("refuses a document whose stored bytes do not decode, and leaves those bytes as they were", async () => {
    const first = await startTestServer();
    const { body } = await createWorkbookOverHttp(first);
    await first.close();
    const garbage = new Uint8Array([5, 1, 2, 3]);
    const db = new DatabaseSync(join(first.dataDir, SQLITE_FILE));
    db.prepare("UPDATE snapshots SET state = ? WHERE doc_name = ?").run(garbage, body.id);
    db.close();

    const second = await startTestServer({ dataDir: first.dataDir });
    expect(await refusalReason(second.collabUrl, body.id, body.links.editor.token)).toBe("document-unreadable");
    await second.close();
    const check = new DatabaseSync(join(first.dataDir, SQLITE_FILE), { readOnly: true });
    const stored = check.prepare("SELECT state FROM snapshots WHERE doc_name = ?").get(body.id) as { state: Uint8Array };
    check.close();
    expect([...stored.state]).toEqual([...garbage]);
  });
});
