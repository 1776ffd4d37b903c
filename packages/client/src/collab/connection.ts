/** What the provider reports about the socket (Hocuspocus' WebSocketStatus values). */
export type SocketStatus = "connecting" | "connected" | "disconnected";

/** Everything the connection badge needs, gathered from provider events. */
export interface ConnectionState {
  readonly socket: SocketStatus;
  /** The first sync handshake of the current connection has finished. */
  readonly synced: boolean;
  /** Local updates the server has not acknowledged yet (the provider's `unsyncedChanges`). */
  readonly unsynced: number;
  /** Set once the server refused this link; the client stops reconnecting. */
  readonly refusedReason: string | null;
  readonly everSynced: boolean;
}

export const initialConnection: ConnectionState = {
  socket: "connecting",
  synced: false,
  unsynced: 0,
  refusedReason: null,
  everSynced: false,
};

/** The four states the header shows. */
export const ConnectionTone = { online: "online", syncing: "syncing", offline: "offline", refused: "refused" } as const;
export type ConnectionTone = (typeof ConnectionTone)[keyof typeof ConnectionTone];

export interface ConnectionSummary {
  readonly tone: ConnectionTone;
  /** Short label, always visible. */
  readonly label: string;
  /** Longer explanation for the tooltip. */
  readonly detail: string;
}

const ASK_FOR_NEW_LINK = "请向协调人索取新的链接。";

/**
 * The server's refusals after which reconnecting cannot help (docs/api.md, Refusals), each as a
 * sentence a volunteer can act on. Other reasons (storage trouble) are worth retrying.
 */
const PERMANENT_REFUSALS: Readonly<Record<string, string>> = {
  "invalid-token": `此链接无效（可能复制不完整，或属于另一个工作簿），${ASK_FOR_NEW_LINK}`,
  "link-expired": `此链接已过期，${ASK_FOR_NEW_LINK}`,
  "link-revoked": `此链接已被撤销，${ASK_FOR_NEW_LINK}`,
  "role-not-allowed": "此链接不能打开编辑表格（它是表单或公开页面的链接）。",
  "invalid-document-name": "链接中的工作簿编号不正确，请检查链接是否完整。",
  // Sending the same refused change again would be refused again: stop, and say what happened.
  "update-forbidden": "服务器拒绝了这次修改：此链接无权更改列设置、公开范围或永久删除行（只有管理员链接可以）。请刷新页面。",
  "read-only": "此链接只能查看，服务器不接受修改。",
};

/** Refusals after which the link opens nothing: the page takes the workbook off the screen. */
const ACCESS_ENDED = new Set(["invalid-token", "link-expired", "link-revoked", "role-not-allowed"]);

/** Whether the link itself no longer opens the workbook (revoked, expired, unknown). */
export function isAccessEnded(reason: string): boolean {
  return ACCESS_ENDED.has(reason);
}

/** Whether a refusal ends this connection for good (the provider must stop reconnecting). */
export function isPermanentRefusal(reason: string): boolean {
  return Object.hasOwn(PERMANENT_REFUSALS, reason);
}

/** Turns a close reason or authentication failure into a sentence a volunteer can act on. */
export function describeRefusal(reason: string): string {
  return PERMANENT_REFUSALS[reason] ?? `服务器拒绝了连接（${reason || "未说明原因"}）。`;
}

/** The badge text for a connection state: 在线 / 同步中 / 离线（N 个未同步修改）. */
export function describeConnection(state: ConnectionState): ConnectionSummary {
  if (state.refusedReason !== null) {
    return { tone: ConnectionTone.refused, label: "无法访问", detail: describeRefusal(state.refusedReason) };
  }
  if (state.socket === "connected") {
    if (state.synced && state.unsynced === 0) return { tone: ConnectionTone.online, label: "在线", detail: "所有修改都已保存到服务器" };
    const detail = state.synced ? `正在上传 ${state.unsynced} 个修改` : "正在与服务器同步数据";
    return { tone: ConnectionTone.syncing, label: "同步中", detail };
  }
  if (state.unsynced > 0) {
    return {
      tone: ConnectionTone.offline,
      label: `离线（${state.unsynced} 个未同步修改）`,
      detail: "修改已保存在本页面中，恢复网络后会自动同步。请勿关闭此页面。",
    };
  }
  const label = state.everSynced ? "离线" : "连接中…";
  return { tone: ConnectionTone.offline, label, detail: "正在尝试连接服务器，可以继续编辑。" };
}
