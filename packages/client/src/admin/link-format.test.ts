import { describe, expect, it } from "vitest";
import { LinkRole, ROLES, ROLE_INFO, expiryFor, formatTime, linkWarning, statusLabel } from "./link-format.ts";

const NOW = new Date("2026-11-22T04:00:00.000Z");

describe("link wording", () => {
  it("names every role and what it may do", () => {
    expect(ROLES.map((r) => ROLE_INFO[r].label)).toEqual(["编辑者", "管理员", "表单", "公开"]);
    expect(new Set(ROLES)).toEqual(new Set(Object.values(LinkRole)));
  });

  it("warns that admin and editor links work like passwords, naming who holds an editor link", () => {
    expect(linkWarning(LinkRole.editor, "核实组 · 小王")).toContain("「核实组 · 小王」");
    expect(linkWarning(LinkRole.editor, "x")).toContain("密码");
    expect(linkWarning(LinkRole.admin, "x")).toContain("管理员密码");
    expect(linkWarning(LinkRole.public, "x")).toContain("不含私密列");
  });

  it("shows statuses and China-time instants", () => {
    expect([statusLabel("active"), statusLabel("expired"), statusLabel("revoked")]).toEqual(["有效", "已过期", "已撤销"]);
    expect(formatTime("2026-11-22T04:00:00.000Z")).toBe("2026-11-22 12:00");
    expect(formatTime(null)).toBe("—");
  });
});

describe("expiryFor", () => {
  it("sends no expiry, or a number of days from now", () => {
    expect(expiryFor("never", "", NOW)).toEqual({ expiresAt: null });
    expect(expiryFor("7", "", NOW)).toEqual({ expiresAt: "2026-11-29T04:00:00.000Z" });
  });

  it("reads a chosen time as China time and refuses one that is missing or past", () => {
    expect(expiryFor("custom", "2026-12-01T18:00", NOW)).toEqual({ expiresAt: "2026-12-01T10:00:00.000Z" });
    expect(expiryFor("custom", "", NOW)).toEqual({ error: "请选择到期时间（北京时间）。" });
    expect(expiryFor("custom", "2026-11-22T12:00", NOW)).toEqual({ error: "到期时间必须晚于现在。" });
  });
});
