import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { SheetId } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import type { CreatedWorkbook, HuzhuServer } from "../src/index.ts";
import { api, closedWith, publicName, usePeers } from "./audiences-helpers.ts";
import { createWorkbookOverHttp, openDatabase, useHarness, waitFor } from "./helpers.ts";

const requests = "requests" as SheetId;

async function setUp(start: () => Promise<HuzhuServer>): Promise<{ server: HuzhuServer; created: CreatedWorkbook }> {
  const server = await start();
  return { server, created: (await createWorkbookOverHttp(server)).body };
}

describe("capability links", () => {
  const { start } = useHarness();
  const peers = usePeers();

  it("gives a new workbook one link per role, each with its own 256-bit token, and stores only hashes", async () => {
    const { server, created } = await setUp(start);
    const { id, links } = created;
    expect(links.admin.url).toBe(`${server.publicUrl}/w/${id}#token=${links.admin.token}`);
    expect(links.editor.url).toBe(`${server.publicUrl}/w/${id}#token=${links.editor.token}`);
    expect(links.form.url).toBe(`${server.publicUrl}/f/${links.form.token}`);
    expect(links.public.url).toBe(`${server.publicUrl}/p/${links.public.token}`);
    const tokens = Object.values(links).map((link) => link.token);
    for (const token of tokens) expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(new Set(tokens).size).toBe(4);
    expect(created.collab.publicDocumentName).toBe(`${id}.public`);

    const db = openDatabase(server.dataDir);
    try {
      const rows = db.prepare("SELECT role, label FROM links WHERE workbook_id = ? ORDER BY role").all(id);
      expect(rows).toEqual([
        { role: "admin", label: "管理员" },
        { role: "editor", label: "编辑者" },
        { role: "form", label: "求助表单" },
        { role: "public", label: "公开页面" },
      ]);
    } finally {
      db.close();
    }
    for (const file of readdirSync(server.dataDir).filter((name) => name.startsWith("huzhu.sqlite"))) {
      const bytes = readFileSync(join(server.dataDir, file));
      for (const token of tokens) expect(bytes.includes(token), `${file} holds a token`).toBe(false);
    }
  });

  it("lets an admin link or the server admin token list, create and revoke links; the token is shown once", async () => {
    const { server, created } = await setUp(start);
    const base = `/api/workbooks/${created.id}/links`;
    const listed = await api(server, "GET", base, created.links.admin.token);
    expect(listed.status).toBe(200);
    const links = listed.body["links"] as Record<string, unknown>[];
    expect(links.map((link) => link["role"]).sort()).toEqual(["admin", "editor", "form", "public"]);
    for (const link of links) {
      expect(Object.keys(link).sort()).toEqual(["color", "createdAt", "expiresAt", "id", "label", "revokedAt", "role", "status"]);
      expect(link["status"]).toBe("active");
    }
    expect(JSON.stringify(listed.body)).not.toContain(created.links.editor.token);

    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const made = await api(server, "POST", base, server.adminToken, { role: "editor", label: "核实组 · 小王", expiresAt });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ role: "editor", label: "核实组 · 小王", expiresAt, revokedAt: null, status: "active" });
    expect(made.body["url"]).toBe(`${server.publicUrl}/w/${created.id}#token=${made.body["token"]}`);
    expect(made.headers.get("location")).toBe(`${base}/${made.body["id"]}`);

    const again = await api(server, "GET", base, server.adminToken);
    expect(JSON.stringify(again.body)).not.toContain(made.body["token"] as string);
    expect((again.body["links"] as unknown[]).length).toBe(5);

    const session = await api(server, "GET", `/api/workbooks/${created.id}/session`, made.body["token"] as string);
    expect(session.body).toMatchObject({ role: "editor", label: "核实组 · 小王" });

    const revoked = await api(server, "POST", `${base}/${made.body["id"]}/revoke`, created.links.admin.token);
    expect(revoked.status).toBe(200);
    expect(revoked.body["link"]).toMatchObject({ id: made.body["id"], status: "revoked" });
    const refused = await api(server, "GET", `/api/workbooks/${created.id}/session`, made.body["token"] as string);
    expect(refused.status).toBe(401);
    expect((refused.body["error"] as Record<string, unknown>)["code"]).toBe("link_revoked");
  });

  it("refuses link management to every other role (403), other workbooks' admins and bad tokens (401)", async () => {
    const { server, created } = await setUp(start);
    const other = (await createWorkbookOverHttp(server, { template: "blank", title: "另一个" })).body;
    const base = `/api/workbooks/${created.id}/links`;
    const linkId = ((await api(server, "GET", base, server.adminToken)).body["links"] as { id: string }[])[0]?.id;
    for (const role of ["editor", "form", "public"] as const) {
      const token = created.links[role].token;
      const attempts = [
        await api(server, "GET", base, token),
        await api(server, "POST", base, token, { role: "admin", label: "我自己" }),
        await api(server, "POST", `${base}/${linkId}/revoke`, token),
      ];
      for (const attempt of attempts) {
        expect(attempt.status, `${role}`).toBe(403);
        expect((attempt.body["error"] as Record<string, unknown>)["code"]).toBe("forbidden");
      }
    }
    expect((await api(server, "GET", base, other.links.admin.token)).status).toBe(401);
    expect((await api(server, "GET", base, "not-a-token")).status).toBe(401);
    expect((await api(server, "GET", "/api/workbooks/aaaaaaaaaaaaaaaa/links", server.adminToken)).status).toBe(404);
    const links = (await api(server, "GET", base, server.adminToken)).body["links"] as { status: string }[];
    expect(links).toHaveLength(4);
    expect(links.every((link) => link.status === "active")).toBe(true);
  });

  it("validates new links: known role, a label, an expiry in the future, nothing else", async () => {
    const { server, created } = await setUp(start);
    const base = `/api/workbooks/${created.id}/links`;
    const post = (body: unknown) => api(server, "POST", base, created.links.admin.token, body);
    const fieldOf = async (body: unknown) => {
      const answer = await post(body);
      expect(answer.status).toBe(400);
      return (answer.body["error"] as Record<string, unknown>)["field"];
    };
    expect(await fieldOf({ role: "owner", label: "x" })).toBe("role");
    expect(await fieldOf({ role: "editor", label: "  " })).toBe("label");
    expect(await fieldOf({ role: "editor", label: "x", expiresAt: "tomorrow" })).toBe("expiresAt");
    expect(await fieldOf({ role: "editor", label: "x", expiresAt: "2020-01-01T00:00:00Z" })).toBe("expiresAt");
    expect((await post({ role: "editor", label: "x", token: "mine" })).status).toBe(400);
    expect((await api(server, "POST", `${base}/no-such-link/revoke`, created.links.admin.token)).status).toBe(404);
  });

  it("session: admin links get role admin; every link learns the public document's name", async () => {
    const { server, created } = await setUp(start);
    const session = await api(server, "GET", `/api/workbooks/${created.id}/session`, created.links.admin.token);
    expect(session.body).toMatchObject({
      workbookId: created.id,
      role: "admin",
      label: "管理员",
      documentName: created.id,
      publicDocumentName: `${created.id}.public`,
    });
    const byToken = await api(server, "GET", "/api/session", created.links.public.token);
    expect(byToken.body).toMatchObject({
      role: "public",
      documentName: `${created.id}.public`,
      publicDocumentName: `${created.id}.public`,
    });
    expect((await api(server, "GET", "/api/session", created.links.form.token)).body).toMatchObject({ role: "form", documentName: null });
    expect((await api(server, "GET", "/api/session", "nope")).status).toBe(401);
  });

  it("revoking a link closes its open connections on every document within a second; others stay", async () => {
    const { server, created } = await setUp(start);
    const base = `/api/workbooks/${created.id}/links`;
    const made = await api(server, "POST", base, created.links.admin.token, { role: "editor", label: "将被撤销" });
    const token = made.body["token"] as string;
    const onWorkbook = await peers.synced(server, created.id, token);
    const onPublic = await peers.synced(server, publicName(created), token);
    const viewer = await peers.synced(server, publicName(created), created.links.public.token);
    const colleague = await peers.synced(server, created.id, created.links.editor.token);

    const started = Date.now();
    const revoked = await api(server, "POST", `${base}/${made.body["id"]}/revoke`, created.links.admin.token);
    expect(revoked.body["closedConnections"]).toBe(2);
    expect(await closedWith(onWorkbook, 1_000)).toBe("link-revoked");
    expect(await closedWith(onPublic, 1_000)).toBe("link-revoked");
    expect(Date.now() - started).toBeLessThan(1_000);

    // The revoked editor can no longer write; a colleague and a viewer carry on.
    const rowId = colleague.workbook.insertRow(requests, { description: "撤销之后" });
    await colleague.acknowledged();
    expect(onWorkbook.workbook.findRow(requests, rowId)).toBeUndefined();
    expect(viewer.closeReasons).toEqual([]);
    const publicToken = created.links.public.token;
    const publicRevoke = await api(
      server,
      "POST",
      `${base}/${(await linkIdOf(server, created, "public")) ?? ""}/revoke`,
      server.adminToken,
    );
    expect(publicRevoke.status).toBe(200);
    expect(await closedWith(viewer, 1_000)).toBe("link-revoked");
    expect(await peers.refused(server, publicName(created), publicToken)).toBe("link-revoked");
  });

  it("closes a link's connections when it expires", async () => {
    const { server, created } = await setUp(start);
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const made = await api(server, "POST", `/api/workbooks/${created.id}/links`, server.adminToken, {
      role: "editor",
      label: "临时",
      expiresAt,
    });
    const peer = await peers.synced(server, created.id, made.body["token"] as string);
    expect(await closedWith(peer, 4_000)).toBe("link-expired");
    await waitFor(() => Date.parse(expiresAt) <= Date.now(), "the expiry");
    expect(await peers.refused(server, created.id, made.body["token"] as string)).toBe("link-expired");
  });
});

async function linkIdOf(server: HuzhuServer, created: CreatedWorkbook, role: string): Promise<string | undefined> {
  const listed = await api(server, "GET", `/api/workbooks/${created.id}/links`, server.adminToken);
  return (listed.body["links"] as { id: string; role: string }[]).find((link) => link.role === role)?.id;
}
