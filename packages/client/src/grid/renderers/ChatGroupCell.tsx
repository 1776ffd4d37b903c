import { type ChatGroupLink, formatInstantCst, isChatGroupExpired } from "@huzhu/schema";
import { QrImage } from "../../ui/QrImage.tsx";
import { expiryLabel } from "./format.ts";

/** The expiry badge: grey while valid, red once the invitation no longer works. */
export function ExpiryBadge({ link, now }: { link: ChatGroupLink; now?: Date }) {
  const expired = isChatGroupExpired(link, now);
  const label = expiryLabel(link.expiresAt, expired, link.expiresAt ? formatInstantCst(link.expiresAt) : "");
  if (!label) return <span className="hz-badge">长期有效</span>;
  const title = link.expiresAt ? `有效期至 ${formatInstantCst(link.expiresAt)}（北京时间）` : undefined;
  return (
    <span className={`hz-badge${expired ? " hz-badge-expired" : ""}`} title={title}>
      {label}
    </span>
  );
}

/** A small QR code that enlarges on click, with the link's expiry next to it. */
export function ChatGroupCell({ link, onOpen }: { link: ChatGroupLink; onOpen: () => void }) {
  return (
    <span className="hz-chat-cell">
      <button
        type="button"
        className="hz-qr-button"
        title="点击放大二维码"
        aria-label="放大群聊二维码"
        onClick={(event) => {
          event.stopPropagation();
          onOpen();
        }}
      >
        <QrImage text={link.url} size={22} alt="群聊二维码" />
      </button>
      <ExpiryBadge link={link} />
    </span>
  );
}
