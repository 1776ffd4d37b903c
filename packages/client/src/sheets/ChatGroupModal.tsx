import { type ChatGroupLink, formatInstantCst } from "@huzhu/schema";
import { ExpiryBadge } from "../grid/renderers/ChatGroupCell.tsx";
import { SafeLink } from "../grid/renderers/LinkCells.tsx";
import { Modal } from "../ui/Modal.tsx";
import { QrImage } from "../ui/QrImage.tsx";

/** A chat-group QR code large enough to scan off the screen, with its link and expiry. */
export function ChatGroupModal({ link, title, onClose }: { link: ChatGroupLink; title: string; onClose: () => void }) {
  return (
    <Modal title={title} onClose={onClose} width={360}>
      <div className="hz-chat-modal">
        <QrImage text={link.url} size={240} alt={`${title}二维码`} />
        <div className="hz-chat-modal-expiry">
          <ExpiryBadge link={link} />
          {link.expiresAt && <span>有效期至 {formatInstantCst(link.expiresAt)}（北京时间）</span>}
        </div>
        <div className="hz-chat-modal-url">
          <SafeLink url={link.url} />
        </div>
        <p className="hz-muted">用微信或手机相机扫码。二维码过期后请联系负责人更新，谨防冒充的群聊。</p>
      </div>
    </Modal>
  );
}
