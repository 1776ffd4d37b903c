import { describe, expect, it } from "vitest";
import { linkError } from "./links-api.ts";

// The bodies are the server's error shape for these refusals (docs/api.md, Errors; link routes).
const body = (code: string, message: string, field?: string) => ({ error: { code, message, ...(field ? { field } : {}) } });

describe("link API refusals in Chinese", () => {
  it("tells an editor that only admin links manage links", () => {
    expect(linkError(403, body("forbidden", "a editor link may not manage links; use an admin link")).messageZh).toBe(
      "只有管理员链接可以管理链接。",
    );
  });

  it("names the field that was wrong", () => {
    expect(linkError(400, body("invalid_body", "expiresAt: must be in the future", "expiresAt")).messageZh).toBe("到期时间必须晚于现在。");
    expect(linkError(400, body("invalid_body", "label: Too big", "label")).messageZh).toBe("名称须为 1 至 60 个字。");
  });

  it("keeps the general sentences for everything else", () => {
    expect(linkError(401, body("link_revoked", "this link is not valid for this workbook")).messageZh).toContain("已被撤销");
    expect(linkError(503, null).messageZh).toContain("稍后重试");
  });
});
