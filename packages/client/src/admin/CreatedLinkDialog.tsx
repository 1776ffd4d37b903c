import { useRef, useState } from "react";
import { peerColor } from "../collab/presence.ts";
import { Modal } from "../ui/Modal.tsx";
import { QrImage } from "../ui/QrImage.tsx";
import { copyText } from "./copy-text.ts";
import { ROLE_INFO, linkWarning } from "./link-format.ts";
import type { CreatedLink } from "./links-api.ts";

/**
 * A new link, shown this once: its address, a QR code to share it face to face, a copy button and
 * the warning that it works like a password. The server keeps only the token's hash, so after this
 * dialog closes nobody can show the link again (revoke it and make a new one if it is lost).
 */
export function CreatedLinkDialog({ link, onClose }: { link: CreatedLink; onClose: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = async () => setCopied(await copyText(link.url, field.current));
  return (
    <Modal title={`新链接：${link.label}`} onClose={onClose} width={460}>
      <div className="hz-created-link">
        <p className="hz-created-role">
          <span className="hz-link-dot" style={{ background: peerColor(link.color, 0) }} aria-hidden="true" />
          {ROLE_INFO[link.role].label} · {ROLE_INFO[link.role].can}
        </p>
        <div className="hz-created-qr">
          <QrImage text={link.url} size={200} alt={`「${link.label}」链接的二维码`} />
        </div>
        <div className="hz-copy-row">
          <input ref={field} className="hz-link-url" readOnly value={link.url} aria-label="链接地址" onFocus={(e) => e.target.select()} />
          <button type="button" className="hz-button is-primary" onClick={copy}>
            复制链接
          </button>
        </div>
        {copied !== null && (
          <p className={copied ? "hz-copy-ok" : "hz-form-error"} role="status">
            {copied ? "已复制。" : "无法自动复制，请长按或选中上面的地址手动复制。"}
          </p>
        )}
        <p className="hz-link-warning" role="note">
          <strong>请像保管密码一样保管它。</strong>
          {linkWarning(link.role, link.label)}
        </p>
        <p className="hz-muted">链接只显示这一次，关闭后无法再查看。丢失时请撤销它并新建一个。</p>
      </div>
      <div className="hz-modal-actions">
        <button type="button" className="hz-button" onClick={onClose}>
          我已保存，关闭
        </button>
      </div>
    </Modal>
  );
}
