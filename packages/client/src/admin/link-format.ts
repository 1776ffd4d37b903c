import { formatInstantCst } from "@huzhu/schema";

/** The roles a link can have (the server's LinkRole). */
export const LinkRole = { admin: "admin", editor: "editor", form: "form", public: "public" } as const;
export type LinkRole = (typeof LinkRole)[keyof typeof LinkRole];

/** Whether a link opens anything right now (the server's view of it). */
export type LinkStatus = "active" | "expired" | "revoked";

/** What each role is called and what it lets its holder do, in the admin page's words. */
export const ROLE_INFO: Readonly<Record<LinkRole, { readonly label: string; readonly can: string }>> = {
  admin: { label: "管理员", can: "可修改一切：行、列设置、公开范围和所有链接" },
  editor: { label: "编辑者", can: "可查看全部数据并添加、编辑行；不能改列设置和链接" },
  form: { label: "表单", can: "只能通过求助表单提交新的求助，看不到任何已有数据" },
  public: { label: "公开", can: "只能查看公开页面（不含私密列和未公开的行）" },
};

/** The roles in the order the admin page offers them. */
export const ROLES: readonly LinkRole[] = [LinkRole.editor, LinkRole.admin, LinkRole.form, LinkRole.public];

/** Longest label the server accepts (after trimming). */
export const LABEL_MAX = 60;

/**
 * The warning shown with a new link, once: its token is a password for what the role allows, and
 * cannot be shown again (the server keeps only its hash).
 */
export function linkWarning(role: LinkRole, label: string): string {
  switch (role) {
    case LinkRole.admin:
      return "这个链接就是管理员密码：任何拿到它的人都能看到全部数据（包括电话和地址），修改设置，创建和撤销链接。只私下交给信任的协调人，不要发到群里。";
    case LinkRole.editor:
      return `这个链接就是密码：任何拿到它的人都能以「${label}」的身份看到全部数据（包括电话和地址）并修改。只私下发给这位志愿者，不要发到群里。`;
    case LinkRole.form:
      return "这个链接是提交求助的凭证：任何拿到它的人都能提交求助，但看不到已有数据。可以公开分享；被滥用时撤销它再建一个新的。";
    case LinkRole.public:
      return "这个链接是公开页面的凭证：任何拿到它的人都能看到公开的内容（不含私密列）。可以公开分享；撤销后页面立即失效。";
  }
}

/** The status of a link in words. */
export function statusLabel(status: LinkStatus): string {
  return status === "active" ? "有效" : status === "expired" ? "已过期" : "已撤销";
}

/** An instant in China time, e.g. 2026-11-22 14:30, or "—". */
export function formatTime(iso: string | null): string {
  return iso ? formatInstantCst(iso) || "—" : "—";
}

/** The choices of how long a new link works. */
export const EXPIRY_CHOICES = [
  { id: "never", label: "不过期" },
  { id: "1", label: "1 天" },
  { id: "7", label: "7 天" },
  { id: "30", label: "30 天" },
  { id: "custom", label: "指定时间…" },
] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]["id"];

/**
 * The `expiresAt` to send for a choice: null for no expiry, days from `now`, or a `datetime-local`
 * value read as China time. A custom time that is missing or not in the future is refused with a
 * sentence to show.
 */
export function expiryFor(
  choice: ExpiryChoice,
  customCst: string,
  now: Date = new Date(),
): { expiresAt: string | null } | { error: string } {
  if (choice === "never") return { expiresAt: null };
  if (choice !== "custom") return { expiresAt: new Date(now.getTime() + Number(choice) * 86_400_000).toISOString() };
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(customCst) ? Date.parse(`${customCst}:00+08:00`) : Number.NaN;
  if (Number.isNaN(at)) return { error: "请选择到期时间（北京时间）。" };
  if (at <= now.getTime()) return { error: "到期时间必须晚于现在。" };
  return { expiresAt: new Date(at).toISOString() };
}
