import { describe, expect, it } from "vitest";
import { SessionError, fetchSession, linkHash, parseEditorLink } from "./session.ts";

describe("parseEditorLink", () => {
  it("reads the workbook id from the path and the token (and tab) from the fragment", () => {
    expect(parseEditorLink({ pathname: "/w/k3q7vx2mzp4a6bnd", hash: "#token=abc-_1&sheet=requests" })).toEqual({
      workbookId: "k3q7vx2mzp4a6bnd",
      token: "abc-_1",
      sheetId: "requests",
    });
  });

  it("is null for other pages or without a token", () => {
    expect(parseEditorLink({ pathname: "/", hash: "#token=x" })).toBeNull();
    expect(parseEditorLink({ pathname: "/w/k3q7vx2mzp4a6bnd", hash: "" })).toBeNull();
    expect(parseEditorLink({ pathname: "/w/NOT-AN-ID", hash: "#token=x" })).toBeNull();
  });

  it("writes the open tab back into the fragment, keeping the token", () => {
    const link = { workbookId: "k3q7vx2mzp4a6bnd", token: "t0k", sheetId: null };
    expect(parseEditorLink({ pathname: "/w/k3q7vx2mzp4a6bnd", hash: linkHash(link, "hospitals") })?.sheetId).toBe("hospitals");
  });
});

describe("fetchSession", () => {
  const link = { workbookId: "k3q7vx2mzp4a6bnd", token: "t0k", sheetId: null };
  const answer = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status });

  it("sends the token as a bearer and returns the session", async () => {
    let auth = "";
    const session = {
      workbookId: link.workbookId,
      role: "editor",
      label: "编辑者",
      color: "#2563eb",
      documentName: "d",
      collabUrl: "ws://h/collab",
    };
    const result = await fetchSession(link, async (_url, init) => {
      auth = new Headers(init?.headers).get("Authorization") ?? "";
      return new Response(JSON.stringify(session));
    });
    expect(auth).toBe("Bearer t0k");
    expect(result).toEqual(session);
  });

  it("explains a refused link in Chinese and does not offer a retry", async () => {
    const error = await fetchSession(link, answer(401, { error: {} })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionError);
    expect(error).toMatchObject({ retryable: false });
    expect((error as SessionError).messageZh).toContain("链接无效");
  });

  it("offers a retry for network trouble and server errors", async () => {
    const offline = await fetchSession(link, () => Promise.reject(new TypeError("fetch failed"))).catch((e: unknown) => e);
    expect(offline).toMatchObject({ retryable: true });
    expect(await fetchSession(link, answer(503, {})).catch((e: unknown) => e)).toMatchObject({ retryable: true });
  });
});
