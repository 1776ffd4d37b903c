import { describe, expect, it } from "vitest";
import {
  type ConnectionState,
  describeConnection,
  describeRefusal,
  initialConnection,
  isAccessEnded,
  isPermanentRefusal,
} from "./connection.ts";

const state = (patch: Partial<ConnectionState>): ConnectionState => ({ ...initialConnection, ...patch });

describe("describeConnection", () => {
  it("says 在线 only when connected, synced and nothing is waiting", () => {
    expect(describeConnection(state({ socket: "connected", synced: true, everSynced: true })).label).toBe("在线");
  });

  it("says 同步中 while the handshake or uploads are in flight", () => {
    expect(describeConnection(state({ socket: "connected", synced: false })).tone).toBe("syncing");
    const uploading = describeConnection(state({ socket: "connected", synced: true, unsynced: 2 }));
    expect([uploading.label, uploading.detail]).toEqual(["同步中", "正在上传 2 个修改"]);
  });

  it("counts unsynced edits while offline", () => {
    expect(describeConnection(state({ socket: "disconnected", unsynced: 3, everSynced: true })).label).toBe("离线（3 个未同步修改）");
    expect(describeConnection(state({ socket: "disconnected", everSynced: true })).label).toBe("离线");
    expect(describeConnection(state({ socket: "connecting" })).label).toBe("连接中…");
  });

  it("puts a refusal above everything, in words a volunteer can act on", () => {
    const refused = describeConnection(state({ socket: "connected", synced: true, refusedReason: "link-revoked" }));
    expect(refused).toMatchObject({ tone: "refused", label: "无法访问" });
    expect(refused.detail).toContain("已被撤销");
  });
});

describe("refusals", () => {
  it("stops reconnecting only for refusals that cannot change by retrying", () => {
    expect(["invalid-token", "link-expired", "link-revoked", "role-not-allowed"].every(isPermanentRefusal)).toBe(true);
    expect(isPermanentRefusal("storage-failed")).toBe(false);
    expect(isPermanentRefusal("update-forbidden")).toBe(true);
    expect(describeRefusal("update-forbidden")).toContain("只有管理员链接可以");
    expect(isPermanentRefusal("")).toBe(false);
  });

  it("ends access to the workbook only when the link itself stopped working", () => {
    expect(["invalid-token", "link-expired", "link-revoked", "role-not-allowed"].every(isAccessEnded)).toBe(true);
    expect(isAccessEnded("update-forbidden")).toBe(false);
    expect(isAccessEnded("storage-failed")).toBe(false);
  });

  it("names unknown reasons as they came", () => {
    expect(describeRefusal("odd-reason")).toBe("服务器拒绝了连接（odd-reason）。");
  });
});
