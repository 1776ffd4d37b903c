import { useCallback, useEffect, useState } from "react";
import { peerColor } from "../collab/presence.ts";
import type { ApiError } from "../history/api-error.ts";
import { ConfirmDialog } from "../ui/Modal.tsx";
import { showToast } from "../ui/toasts.ts";
import { CreatedLinkDialog } from "./CreatedLinkDialog.tsx";
import { NewLinkForm } from "./NewLinkForm.tsx";
import { LinkRole, ROLE_INFO, formatTime, statusLabel } from "./link-format.ts";
import type { CreatedLink, LinkView, LinksApi } from "./links-api.ts";

const messageOf = (error: unknown) => (error as ApiError).messageZh ?? String(error);

/** Live links first, newest first within each group. */
function ordered(links: readonly LinkView[]): LinkView[] {
  return [...links].sort((a, b) => Number(a.status !== "active") - Number(b.status !== "active") || b.createdAt.localeCompare(a.createdAt));
}

function LinkItem({ link, onRevoke }: { link: LinkView; onRevoke: (link: LinkView) => void }) {
  return (
    <li className={`hz-link-item is-${link.status}`} data-link-id={link.id}>
      <span className="hz-link-dot" style={{ background: peerColor(link.color, 0) }} aria-hidden="true" />
      <span className="hz-link-label">{link.label}</span>
      <span className={`hz-role-tag is-${link.role}`}>{ROLE_INFO[link.role].label}</span>
      <span className="hz-link-meta">
        创建于 {formatTime(link.createdAt)} · {link.expiresAt ? `到期 ${formatTime(link.expiresAt)}` : "不过期"}
        {link.revokedAt && ` · 撤销于 ${formatTime(link.revokedAt)}`}
      </span>
      <span className={`hz-link-status is-${link.status}`}>{statusLabel(link.status)}</span>
      {link.status === "active" ? (
        <button type="button" className="hz-button is-danger-outline" onClick={() => onRevoke(link)} aria-label={`撤销「${link.label}」`}>
          撤销
        </button>
      ) : (
        <span className="hz-link-action-placeholder" />
      )}
    </li>
  );
}

/** The workbook's links: make one (shown once with its QR code), see all, revoke. */
export function LinksPanel({ api }: { api: LinksApi }) {
  const [links, setLinks] = useState<readonly LinkView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedLink | null>(null);
  const [revoking, setRevoking] = useState<LinkView | null>(null);

  const reload = useCallback(async () => {
    try {
      setLinks(await api.list());
      setLoadError(null);
    } catch (error) {
      setLoadError(messageOf(error));
    }
  }, [api]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const revoke = async (link: LinkView) => {
    setRevoking(null);
    try {
      await api.revoke(link.id);
      showToast(`已撤销「${link.label}」，使用它的页面已断开。`);
    } catch (error) {
      showToast(`撤销失败：${messageOf(error)}`, "error");
    }
    await reload();
  };

  return (
    <div className="hz-admin-links">
      <NewLinkForm
        api={api}
        onCreated={(link) => {
          setCreated(link);
          void reload();
        }}
      />
      <section className="hz-admin-card" aria-label="全部链接">
        <h3>全部链接{links && <span className="hz-muted">（{links.filter((l) => l.status === "active").length} 个有效）</span>}</h3>
        {loadError && (
          <p className="hz-form-error" role="alert">
            {loadError}
            <button type="button" className="hz-link-button" onClick={() => void reload()}>
              重试
            </button>
          </p>
        )}
        {links === null && !loadError && <p className="hz-muted">正在读取…</p>}
        {links && (
          <ul className="hz-link-list">
            {ordered(links).map((link) => (
              <LinkItem key={link.id} link={link} onRevoke={setRevoking} />
            ))}
          </ul>
        )}
      </section>
      {created && <CreatedLinkDialog link={created} onClose={() => setCreated(null)} />}
      {revoking && (
        <ConfirmDialog
          title="撤销这个链接？"
          message={
            <>
              <p>
                撤销「{revoking.label}」（{ROLE_INFO[revoking.role].label}
                ）后，正在使用它的页面会在一秒内断开，以后也无法再打开。此操作不能撤回；需要时可以新建一个链接。
              </p>
              {revoking.role === LinkRole.admin && <p>如果这是你自己正在使用的管理员链接，你也会立即失去访问权限。</p>}
            </>
          }
          confirmLabel="撤销链接"
          onConfirm={() => void revoke(revoking)}
          onCancel={() => setRevoking(null)}
        />
      )}
    </div>
  );
}
